/** Pure parts of `wharf network ...`: the `network ls` row context (docker's networkContext). */
import type { Network } from '../../client/networks.js';
import { renderList } from '../format/list-format.js';
import { compareNatural } from './volume-format.js';

/** Column headers of the `network ls` fields. */
export const NETWORK_HEADERS: Record<string, string> = {
  ID: 'NETWORK ID', Name: 'NAME', Driver: 'DRIVER', Scope: 'SCOPE', IPv6: 'IPV6', Internal: 'INTERNAL',
  Labels: 'LABELS', Label: 'LABEL', CreatedAt: 'CREATED AT',
};

/** The default `network ls` table. */
export const NETWORK_TABLE_FORMAT = 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}';

/** One row of `network ls`: methods named after docker's template fields. */
class NetworkRow {
  constructor(
    private readonly n: Network,
    private readonly trunc: boolean,
  ) {}
  ID(): string {
    return this.trunc ? this.n.Id.slice(0, 12) : this.n.Id;
  }
  Name(): string {
    return this.n.Name;
  }
  Driver(): string {
    return this.n.Driver;
  }
  Scope(): string {
    return this.n.Scope;
  }
  IPv6(): string {
    return String(this.n.EnableIPv6);
  }
  Internal(): string {
    return String(this.n.Internal);
  }
  Labels(): string {
    return Object.entries(this.n.Labels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  }
  Label(name: string): string {
    return this.n.Labels?.[name] ?? '';
  }
  /** As Go prints a UTC time: `2026-11-30 07:05:19.433027562 +0000 UTC`, trailing zeros cut. */
  CreatedAt(): string {
    const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(this.n.Created);
    if (!m) return this.n.Created;
    const frac = (m[3] ?? '').replace(/0+$/, '');
    return `${m[1]} ${m[2]}${frac ? '.' + frac : ''} +0000 UTC`;
  }
  /** `--format json`: the fields in docker's order. */
  toJSON(): Record<string, string> {
    return {
      CreatedAt: this.CreatedAt(), Driver: this.Driver(), ID: this.ID(), IPv6: this.IPv6(), Internal: this.Internal(),
      Labels: this.Labels(), Name: this.Name(), Scope: this.Scope(),
    };
  }
}

/** The `network ls` output (pure): sorted by name, ids cut to 12 unless `noTrunc`. */
export function renderNetworkList(nets: readonly Network[], o: { format: string; quiet: boolean; noTrunc: boolean }): string {
  const sorted = [...nets].sort((a, b) => compareNatural(a.Name, b.Name));
  const format = o.quiet ? '{{.ID}}' : !o.format || o.format === 'table' ? NETWORK_TABLE_FORMAT : o.format;
  return renderList(format, sorted.map((n) => new NetworkRow(n, !o.noTrunc)), NETWORK_HEADERS);
}

/** What `network prune` prints (pure), as docker does. */
export function renderNetworkPrune(deleted: readonly string[] | null): string {
  return deleted?.length ? `Deleted Networks:\n${deleted.join('\n')}\n\n` : '';
}
