/**
 * The `ps` row context: docker's ContainerContext fields (`.ID`, `.Image`, `.Command`,
 * `.RunningFor`, `.Ports`, `.Names`, `.Label "k"`...), with docker's truncation rules.
 */
import type { ContainerSummary } from '../../client/containers.js';
import { formatGoTime, humanDuration, humanSize } from './human-units.js';
import { quoteGo } from './go-print.js';

/** The default `ps` table. */
export const PS_TABLE_FORMAT =
  'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';

/** Column headers of the `ps` fields. */
export const PS_HEADERS: Record<string, string> = {
  ID: 'CONTAINER ID', Image: 'IMAGE', Command: 'COMMAND', CreatedAt: 'CREATED AT', RunningFor: 'CREATED',
  Ports: 'PORTS', State: 'STATE', Status: 'STATUS', Size: 'SIZE', Names: 'NAMES', Labels: 'LABELS',
  Label: 'LABEL', Mounts: 'MOUNTS', LocalVolumes: 'LOCAL VOLUMES', Networks: 'NETWORKS', Platform: 'PLATFORM',
};

/** Docker's `formatter.Ellipsis`: cut to `max` characters, the last one an ellipsis. */
export function ellipsis(s: string, max: number): string {
  const chars = [...s];
  if (max <= 0) return '';
  if (chars.length <= max) return s;
  if (max === 1) return chars[0]!;
  return chars.slice(0, max - 1).join('') + '…';
}

/** `stringid.TruncateID`: drops an algorithm prefix and keeps 12 characters. */
export function truncateId(id: string): string {
  const colon = id.indexOf(':');
  const bare = colon >= 0 ? id.slice(colon + 1) : id;
  return bare.length > 12 ? bare.slice(0, 12) : bare;
}

type Port = NonNullable<ContainerSummary['Ports']>[number];

function joinHostPort(ip: string, port: string | number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Docker's `DisplayablePorts`: sorted, consecutive ports grouped into ranges. */
export function displayablePorts(ports: readonly Port[]): string {
  const sorted = [...ports].sort((a, b) => {
    if (a.PrivatePort !== b.PrivatePort) return a.PrivatePort - b.PrivatePort;
    if ((a.IP ?? '') !== (b.IP ?? '')) return (a.IP ?? '') < (b.IP ?? '') ? -1 : 1;
    if ((a.PublicPort ?? 0) !== (b.PublicPort ?? 0)) return (a.PublicPort ?? 0) - (b.PublicPort ?? 0);
    return a.Type < b.Type ? -1 : a.Type > b.Type ? 1 : 0;
  });
  const groups = new Map<string, { first: number; last: number; ip: string; type: string }>();
  const result: string[] = [];
  const hostMappings: string[] = [];
  const formGroup = (g: { first: number; last: number; ip: string; type: string }) => {
    let group = String(g.first);
    if (g.first !== g.last) group += `-${g.last}`;
    if (g.ip) group = `${joinHostPort(g.ip, group)}->${group}`;
    return `${group}/${g.type}`;
  };
  for (const p of sorted) {
    const ip = p.IP ?? '';
    let key = p.Type;
    if (ip) {
      if ((p.PublicPort ?? 0) !== p.PrivatePort) {
        hostMappings.push(`${joinHostPort(ip, p.PublicPort ?? 0)}->${p.PrivatePort}/${p.Type}`);
        continue;
      }
      key = `${ip}/${p.Type}`;
    }
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { first: p.PrivatePort, last: p.PrivatePort, ip, type: p.Type });
      continue;
    }
    if (p.PrivatePort === g.last + 1) {
      g.last = p.PrivatePort;
      continue;
    }
    result.push(formGroup(g));
    groups.set(key, { first: p.PrivatePort, last: p.PrivatePort, ip, type: p.Type });
  }
  for (const g of groups.values()) result.push(formGroup(g));
  return [...result, ...hostMappings].join(', ');
}

/** One row of `wharf ps`. */
export class ContainerContext {
  constructor(
    private readonly c: ContainerSummary,
    private readonly trunc: boolean,
    private readonly nowMs: number,
  ) {}

  ID(): string {
    return this.trunc ? truncateId(this.c.Id) : this.c.Id;
  }
  Names(): string {
    let names = (this.c.Names ?? []).map((n) => n.replace(/^\//, ''));
    if (this.trunc) {
      const own = names.find((n) => !n.includes('/'));
      if (own !== undefined) names = [own];
    }
    return names.join(',');
  }
  Image(): string {
    let image = this.c.Image;
    if (!image) return '<no image>';
    if (this.trunc) {
      if (/^sha256:[0-9a-f]{64}$/.test(image) || /^[0-9a-f]{64}$/.test(image)) return truncateId(image);
      const at = image.indexOf('@');
      if (at >= 0) image = image.slice(0, at);
    }
    return image;
  }
  Command(): string {
    return quoteGo(this.trunc ? ellipsis(this.c.Command, 20) : this.c.Command);
  }
  CreatedAt(): string {
    return formatGoTime(this.c.Created * 1000);
  }
  RunningFor(): string {
    return `${humanDuration(this.nowMs - this.c.Created * 1000)} ago`;
  }
  Ports(): string {
    return displayablePorts(this.c.Ports ?? []);
  }
  State(): string {
    return this.c.State;
  }
  Status(): string {
    return this.c.Status;
  }
  Size(): string {
    if (this.c.SizeRw === undefined && this.c.SizeRootFs === undefined) return '0B';
    const rw = humanSize(this.c.SizeRw ?? 0, 3);
    const virt = humanSize(this.c.SizeRootFs ?? 0, 3);
    return `${rw} (virtual ${virt})`;
  }
  Labels(): string {
    const labels = this.c.Labels ?? {};
    return Object.keys(labels)
      .sort()
      .map((k) => `${k}=${labels[k]}`)
      .join(',');
  }
  Label(name: unknown): string {
    return (this.c.Labels ?? {})[String(name)] ?? '';
  }
  Mounts(): string {
    return (this.c.Mounts ?? [])
      .map((m) => {
        const name = m.Name || m.Source || '';
        return this.trunc ? ellipsis(name, 15) : name;
      })
      .join(',');
  }
  LocalVolumes(): string {
    return String((this.c.Mounts ?? []).filter((m) => (m as { Driver?: string }).Driver === 'local').length);
  }
  Networks(): string {
    return Object.keys(this.c.NetworkSettings?.Networks ?? {})
      .sort()
      .join(',');
  }
  Platform(): string {
    return '';
  }

  /** `--format json`: the same fields, as docker prints them. */
  toJSON(): Record<string, string | null> {
    return {
      Command: this.Command(), CreatedAt: this.CreatedAt(), ID: this.ID(), Image: this.Image(),
      Labels: this.Labels(), LocalVolumes: this.LocalVolumes(), Mounts: this.Mounts(), Names: this.Names(),
      Networks: this.Networks(), Platform: null, Ports: this.Ports(), RunningFor: this.RunningFor(), Size: this.Size(),
      State: this.State(), Status: this.Status(),
    };
  }
}
