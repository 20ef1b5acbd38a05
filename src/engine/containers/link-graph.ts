/**
 * The legacy-link graph read from the container records: resolving `--link` entries, the names
 * and `HostConfig.Links` views, and what a recipient gets from its sources at start (link
 * variables, /etc/hosts entries, live link data, icc=false exceptions). No effects.
 */
import { invalidParameter, systemError } from '../../errors.js';
import type { ContainerRecord, LinkRef } from './container-record.js';
import type { ContainerStore } from './container-store.js';
import type { LinkHostEntry } from './ports.js';
import { renderLinkEnv } from '../links/link-env.js';
import type { LiveLink } from '../links/live-link.js';

export interface LinkPlan {
  env: string[];
  hosts: LinkHostEntry[];
  live: LiveLink[];
}

export interface LinkSourceAccess {
  sourceIp: string;
  ports: { proto: string; port: number }[];
}

/** Parses `HostConfig.Links` entries (`name:alias` or `name`) into stored link references. */
export function resolveLinkEntries(store: ContainerStore, entries: string[] | null | undefined, selfName: string): LinkRef[] {
  const out: LinkRef[] = [];
  for (const entry of entries ?? []) {
    const colon = entry.indexOf(':');
    const name = colon >= 0 ? entry.slice(0, colon) : entry;
    const alias = (colon >= 0 ? entry.slice(colon + 1) : entry).replace(/^\//, '');
    const source = store.find(name);
    if (!source) throw invalidParameter(`could not get container for ${name}: No such container: ${name}`);
    if (source.name === selfName) throw invalidParameter(`Could not set link: cannot link to self`);
    // Two sources under one alias: the first one wins, as with Docker 20.10.
    if (out.some((l) => l.alias === alias)) continue;
    out.push({ sourceId: source.id, alias });
  }
  return out;
}

/** Normalised `HostConfig.Links` for inspect: `/source:/recipient/alias`, null when none. */
export function linksView(store: ContainerStore, rec: ContainerRecord): string[] | null {
  const out: string[] = [];
  for (const l of rec.links) {
    const src = store.get(l.sourceId);
    if (src) out.push(`${src.name}:${rec.name}/${l.alias}`);
  }
  return out.length ? out : null;
}

/** Names under which a container is known: its own, and `/recipient/alias` for each link to it. */
export function namesOf(store: ContainerStore, rec: ContainerRecord): string[] {
  const names = [rec.name];
  for (const other of store.all()) {
    for (const l of other.links) if (l.sourceId === rec.id) names.push(`${other.name}/${l.alias}`);
  }
  return names;
}

/** Link variables, hosts entries and live data; with `strict`, a source that is not running is an error. */
export function planLinks(store: ContainerStore, rec: ContainerRecord, strict: boolean): LinkPlan {
  const plan: LinkPlan = { env: [], hosts: [], live: [] };
  for (const l of rec.links) {
    const src = store.get(l.sourceId);
    if (!src || !src.state.Running || !src.endpoint) {
      if (!strict) continue;
      throw systemError(`Cannot link to a non running container: ${src ? src.name : l.sourceId} AS ${rec.name}/${l.alias}`);
    }
    const ports = Object.keys(src.config.ExposedPorts ?? {});
    const ip = src.endpoint.ipAddress;
    const env = renderLinkEnv({ linkName: `${rec.name}/${l.alias}`, alias: l.alias, ip, exposedPorts: ports, env: src.config.Env });
    plan.env.push(...env);
    plan.hosts.push({ ip, alias: l.alias, id: src.id.slice(0, 12), name: src.name.slice(1) });
    plan.live.push({ alias: l.alias, name: src.name.slice(1), id: src.id, ip, ports, env });
  }
  return plan;
}

/** Address and exposed ports of each running link source (for the icc=false exceptions). */
export function linkSources(store: ContainerStore, rec: ContainerRecord): LinkSourceAccess[] {
  return rec.links.flatMap((l) => {
    const src = store.get(l.sourceId);
    if (!src?.endpoint) return [];
    const ports = Object.keys(src.config.ExposedPorts ?? {}).map((k) => ({ proto: k.split('/')[1] || 'tcp', port: Number(k.split('/')[0]) }));
    return [{ sourceIp: src.endpoint.ipAddress, ports }];
  });
}
