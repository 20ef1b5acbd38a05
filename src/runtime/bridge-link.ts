/**
 * Thin adapter that reads the host's IPv4 routes and link addresses with `ip -j`, plus the pure
 * parsers of that output (unit-tested). The subnet decision itself is made in engine/network.
 */
import type { HostRoute } from '../engine/network/subnet-pool.js';
import { systemError } from '../errors.js';
import { runCommand } from './run-command.js';

interface JsonRoute {
  dst?: string;
  dev?: string;
}

interface JsonAddrInfo {
  family?: string;
  local?: string;
  prefixlen?: number;
}

interface JsonLink {
  ifname?: string;
  addr_info?: JsonAddrInfo[];
}

/** Parses `ip -j -4 route show` output; `default` routes are dropped. */
export function parseRouteJson(text: string): HostRoute[] {
  const routes = parseJsonArray<JsonRoute>(text);
  return routes
    .filter((r) => typeof r.dst === 'string' && r.dst !== 'default')
    .map((r) => (r.dev ? { cidr: r.dst!, dev: r.dev } : { cidr: r.dst! }));
}

/** Parses `ip -j -4 addr` output into one route-like entry per IPv4 address (`a.b.c.d/n`). */
export function parseAddrJson(text: string): HostRoute[] {
  const out: HostRoute[] = [];
  for (const link of parseJsonArray<JsonLink>(text)) {
    for (const a of link.addr_info ?? []) {
      if (a.family !== 'inet' || !a.local || a.prefixlen === undefined) continue;
      out.push(link.ifname ? { cidr: `${a.local}/${a.prefixlen}`, dev: link.ifname } : { cidr: `${a.local}/${a.prefixlen}` });
    }
  }
  return out;
}

/** The host's IPv4 routes (main table) and interface addresses, skipping loopback. */
export async function listHostRoutes(): Promise<HostRoute[]> {
  const [routes, addrs] = await Promise.all([
    runCommand(['ip', '-j', '-4', 'route', 'show']),
    runCommand(['ip', '-j', '-4', 'addr', 'show']),
  ]);
  const isLoopback = (r: HostRoute) => r.dev === 'lo' || r.cidr.startsWith('127.');
  return [...parseRouteJson(routes.stdout), ...parseAddrJson(addrs.stdout)].filter((r) => !isLoopback(r));
}

/** The IPv4 addresses (`a.b.c.d/n`) of a link; undefined when the link does not exist. */
export async function readLinkAddresses(link: string): Promise<string[] | undefined> {
  const result = await runCommand(['ip', '-j', '-4', 'addr', 'show', 'dev', link], { allowFailure: true });
  if (result.code !== 0) {
    if (/does not exist/i.test(result.stderr)) return undefined;
    throw systemError(`cannot read the addresses of ${link}: ${result.stderr.trim()}`);
  }
  return parseAddrJson(result.stdout).map((r) => r.cidr);
}

function parseJsonArray<T>(text: string): T[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const parsed: unknown = JSON.parse(trimmed);
  return Array.isArray(parsed) ? (parsed as T[]) : [];
}
