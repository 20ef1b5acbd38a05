/**
 * Pure parts of `wharf volume ...`: `KEY=VALUE` options, docker's natural name order, the
 * `volume ls` row context (docker's volumeContext fields) and the `volume audit` table.
 */
import type { AuditEntry, Volume } from '../../client/volumes.js';
import { humanDuration, humanSize } from '../format/human-units.js';
import { renderList } from '../format/list-format.js';

/** Column headers of the `volume ls` fields. */
export const VOLUME_HEADERS: Record<string, string> = {
  Name: 'VOLUME NAME', Driver: 'DRIVER', Scope: 'SCOPE', Mountpoint: 'MOUNTPOINT', Labels: 'LABELS', Label: 'LABEL',
  Links: 'LINKS', Size: 'SIZE', Group: 'GROUP', Availability: 'AVAILABILITY', Status: 'STATUS',
};

/** Column headers of the `volume audit` fields. */
export const AUDIT_HEADERS: Record<string, string> = {
  Kind: 'KIND', Name: 'NAME', Path: 'PATH', Size: 'SIZE', Age: 'AGE', CreatedBy: 'CREATED BY',
  Container: 'CONTAINER', Image: 'IMAGE',
};

/** The default `volume ls` table. */
export const VOLUME_TABLE_FORMAT = 'table {{.Driver}}\t{{.Name}}';
/** The default `volume audit` table. */
export const AUDIT_TABLE_FORMAT = 'table {{.Kind}}\t{{.Name}}\t{{.Size}}\t{{.Age}}\t{{.CreatedBy}}';

/** `--label k=v` / `--opt k=v` values as a map; a bare `k` maps to "" (as docker's ConvertKVStringsToMap). */
export function parseKeyValues(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list) {
    const eq = kv.indexOf('=');
    if (eq < 0) out[kv] = '';
    else out[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return out;
}

function isDigit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/**
 * Docker's natural order (`sortorder.NaturalLess`) as a comparator: runs of digits compare as
 * numbers and sort before other characters, everything else compares bytewise.
 */
export function compareNatural(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const da = isDigit(a, i);
    const db = isDigit(b, j);
    if (da !== db) return da ? -1 : 1;
    if (!da) {
      if (a[i] !== b[j]) return a[i]! < b[j]! ? -1 : 1;
      i++;
      j++;
      continue;
    }
    while (i < a.length && a[i] === '0') i++;
    while (j < b.length && b[j] === '0') j++;
    const startA = i;
    const startB = j;
    while (i < a.length && isDigit(a, i)) i++;
    while (j < b.length && isDigit(b, j)) j++;
    if (i - startA !== j - startB) return i - startA - (j - startB);
    const na = a.slice(startA, i);
    const nb = b.slice(startB, j);
    if (na !== nb) return na < nb ? -1 : 1;
    if (startA !== startB) return startA - startB;
  }
  return (a.length - i) - (b.length - j);
}

/** One `volume ls` row: the fields docker's volume formatter offers (cluster fields are "N/A"). */
export class VolumeRow {
  constructor(private readonly v: Volume) {}
  Name(): string {
    return this.v.Name;
  }
  Driver(): string {
    return this.v.Driver;
  }
  Scope(): string {
    return this.v.Scope;
  }
  Mountpoint(): string {
    return this.v.Mountpoint;
  }
  Labels(): string {
    const labels = this.v.Labels ?? {};
    return Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',');
  }
  Label(name: unknown): string {
    return (this.v.Labels ?? {})[String(name)] ?? '';
  }
  Links(): string {
    return 'N/A';
  }
  Size(): string {
    return 'N/A';
  }
  Group(): string {
    return 'N/A';
  }
  Availability(): string {
    return 'N/A';
  }
  Status(): string {
    return 'N/A';
  }
  /** `--format json`: the fields in docker's order. */
  toJSON(): Record<string, string> {
    return {
      Availability: this.Availability(), Driver: this.Driver(), Group: this.Group(), Labels: this.Labels(),
      Links: this.Links(), Mountpoint: this.Mountpoint(), Name: this.Name(), Scope: this.Scope(), Size: this.Size(),
      Status: this.Status(),
    };
  }
}

/** The `volume ls` output (pure): sorted by name in docker's natural order. */
export function renderVolumeList(volumes: readonly Volume[], format: string, quiet: boolean): string {
  const sorted = [...volumes].sort((a, b) => compareNatural(a.Name, b.Name));
  const f = quiet ? '{{.Name}}' : !format || format === 'table' ? VOLUME_TABLE_FORMAT : format;
  return renderList(f, sorted.map((v) => new VolumeRow(v)), VOLUME_HEADERS);
}

/** Who made an audit entry, with the container's short id when there is one. */
export function describeCreator(e: AuditEntry): string {
  return e.Container ? `${e.CreatedBy} (container ${e.Container.slice(0, 12)})` : e.CreatedBy;
}

/** The `volume audit` output (pure): human sizes (3 digits, like `ps -s`) and ages (like `ps`). */
export function renderAudit(entries: readonly AuditEntry[], format: string): string {
  const rows = entries.map((e) => ({
    Kind: e.Kind, Name: e.Name, Path: e.Path, Size: humanSize(e.Size, 3), Age: humanDuration(e.AgeSeconds * 1000),
    CreatedBy: describeCreator(e), Container: e.Container ?? '', Image: e.Image ?? '',
  }));
  return renderList(!format || format === 'table' ? AUDIT_TABLE_FORMAT : format, rows, AUDIT_HEADERS);
}

/** What `volume audit --prune` prints after removing (pure). */
export function renderAuditRemoved(removed: readonly AuditEntry[]): string {
  if (removed.length === 0) return 'Nothing removed\n';
  const total = removed.reduce((sum, e) => sum + e.Size, 0);
  return `Removed:\n${removed.map((e) => `${e.Kind} ${e.Name}`).join('\n')}\n\nTotal reclaimed space: ${humanSize(total)}\n`;
}

/** What `volume prune` prints (pure), as docker does. */
export function renderPruneReport(deleted: readonly string[] | null, spaceReclaimed: number): string {
  let out = '';
  if (deleted?.length) out += `Deleted Volumes:\n${deleted.join('\n')}\n\n`;
  return out + `Total reclaimed space: ${humanSize(spaceReclaimed)}\n`;
}
