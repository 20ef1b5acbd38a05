/**
 * `GET /containers/json` filters (name, id, status, label, ancestor, exited, before, since) and
 * the all/limit options. Pure.
 */
import { invalidParameter } from '../../errors.js';
import type { ContainerRecord } from './container-record.js';

export type Filters = Record<string, string[]>;

/** Parses the `filters` query: `{"name":{"x":true}}` (CLI) or `{"label":["a=b"]}` (docker-py). */
export function parseFilters(raw: string | null): Filters {
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidParameter(`invalid filter '${raw}'`);
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalidParameter(`invalid filter '${raw}'`);
  const out: Filters = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (Array.isArray(v)) out[k] = v.map(String);
    else if (v && typeof v === 'object') out[k] = Object.keys(v).filter((x) => (v as Record<string, unknown>)[x]);
    else throw invalidParameter(`invalid filter '${k}'`);
  }
  return out;
}

const KNOWN = new Set(['name', 'id', 'status', 'label', 'ancestor', 'exited', 'before', 'since', 'network', 'volume', 'health', 'isolation', 'publish', 'expose', 'is-task']);
const STATUSES = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'];

export interface ListContext {
  names: (rec: ContainerRecord) => string[];
  /** Does the container's image match an `ancestor` value (name, id or prefix)? */
  ancestorMatches: (rec: ContainerRecord, value: string) => boolean;
  find: (ref: string) => ContainerRecord | undefined;
}

function labelMatches(labels: Record<string, string>, spec: string): boolean {
  const eq = spec.indexOf('=');
  if (eq < 0) return spec in labels;
  return labels[spec.slice(0, eq)] === spec.slice(eq + 1);
}

/** Applies options and filters; newest first, as Docker lists. */
export function selectContainers(
  all: ContainerRecord[],
  opts: { all: boolean; limit: number; filters: Filters },
  ctx: ListContext,
): ContainerRecord[] {
  const f = opts.filters;
  for (const key of Object.keys(f)) if (!KNOWN.has(key)) throw invalidParameter(`invalid filter '${key}'`);
  for (const s of f.status ?? []) {
    if (!STATUSES.includes(s)) throw invalidParameter(`invalid filter 'status=${s}'`);
  }
  const before = f.before?.length ? ctx.find(f.before[0]!) : undefined;
  const since = f.since?.length ? ctx.find(f.since[0]!) : undefined;
  const showAll = opts.all || (f.status?.length ?? 0) > 0 || opts.limit > 0 || !!before || !!since || (f.exited?.length ?? 0) > 0;
  let list = [...all].sort((a, b) => b.created.localeCompare(a.created));
  list = list.filter((rec) => {
    if (!showAll && !rec.state.Running) return false;
    if (f.name?.length && !f.name.some((n) => ctx.names(rec).some((x) => new RegExp(n).test(x)))) return false;
    if (f.id?.length && !f.id.some((i) => rec.id.startsWith(i))) return false;
    if (f.status?.length && !f.status.includes(rec.state.Status)) return false;
    if (f.label?.length && !f.label.every((l) => labelMatches(rec.config.Labels ?? {}, l))) return false;
    if (f.ancestor?.length && !f.ancestor.some((a) => ctx.ancestorMatches(rec, a))) return false;
    if (f.exited?.length && (rec.state.Running || !f.exited.includes(String(rec.state.ExitCode)))) return false;
    if (before && rec.created >= before.created) return false;
    if (since && rec.created <= since.created) return false;
    return true;
  });
  return opts.limit > 0 ? list.slice(0, opts.limit) : list;
}
