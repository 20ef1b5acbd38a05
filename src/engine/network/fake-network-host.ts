/**
 * A recording NetworkHost for unit tests: keeps links, namespaces, sysctls and a small model of
 * iptables (chains and rules per table, with -N/-F/-X/-A/-C/-D semantics), and logs every call
 * as one line so tests can compare the exact sequence of host effects.
 */
import { createEndpointByBatches, createLoopbackNetnsByBatches } from './endpoint-by-batches.js';
import type { EndpointInput } from './endpoint-plan.js';
import type { NetworkHost } from './network-host.js';
import type { HostRoute } from './subnet-pool.js';

const BUILT_IN: Record<string, string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
};

/** In-memory host with a call log. */
export class FakeNetworkHost implements NetworkHost {
  readonly calls: string[] = [];
  routes: HostRoute[] = [];
  readonly links = new Map<string, string[]>();
  readonly namespaces = new Set<string>();
  readonly sysctls = new Map<string, string>([['net/ipv4/ip_forward', '1']]);
  /** table → chain → rules (each rule joined by spaces). */
  readonly tables = new Map<string, Map<string, string[]>>();
  /** Lines of an ip batch that should fail with this message (once each). */
  readonly failBatchLines = new Map<string, string>();

  constructor() {
    for (const [table, chains] of Object.entries(BUILT_IN)) {
      this.tables.set(table, new Map(chains.map((c) => [c, []])));
    }
  }

  async listRoutes(): Promise<HostRoute[]> {
    this.calls.push('listRoutes');
    return this.routes;
  }

  async readLinkAddresses(link: string): Promise<string[] | undefined> {
    this.calls.push(`readLinkAddresses ${link}`);
    return this.links.get(link);
  }

  async runIpBatch(lines: readonly string[], netns?: string): Promise<void> {
    this.calls.push(`ip${netns ? ` -n ${netns}` : ''} -batch: ${lines.join('; ')}`);
    for (const line of lines) {
      const failure = this.failBatchLines.get(line);
      if (failure !== undefined) {
        this.failBatchLines.delete(line);
        throw new Error(failure);
      }
      const ns = /^netns add (\S+)$/.exec(line);
      if (ns) {
        if (this.namespaces.has(ns[1]!)) throw new Error(`Cannot create namespace file "/run/netns/${ns[1]}": File exists`);
        this.namespaces.add(ns[1]!);
      }
      const add = /^link add name (\S+) type bridge$/.exec(line);
      if (add) this.links.set(add[1]!, []);
      const addr = /^address add (\S+) brd \+ dev (\S+)$/.exec(line);
      if (addr && !netns) this.links.get(addr[2]!)?.push(addr[1]!);
      const del = /^link delete (\S+)/.exec(line);
      if (del) this.links.delete(del[1]!);
    }
  }

  async addNetns(name: string): Promise<void> {
    this.calls.push(`netns add ${name}`);
    if (this.namespaces.has(name)) throw new Error(`Cannot create namespace file "/run/netns/${name}": File exists`);
    this.namespaces.add(name);
  }

  /** As the real host does without its helper: the ip batches (so the log shows them). */
  createEndpoint(e: EndpointInput): Promise<void> {
    return createEndpointByBatches(this, e);
  }

  createLoopbackNetns(name: string): Promise<void> {
    return createLoopbackNetnsByBatches(this, name);
  }

  async deleteNetns(name: string): Promise<void> {
    this.calls.push(`netns delete ${name}`);
    this.namespaces.delete(name);
  }

  async netnsExists(name: string): Promise<boolean> {
    return this.namespaces.has(name);
  }

  async iptables(args: readonly string[]): Promise<void> {
    this.calls.push(`iptables ${args.join(' ')}`);
    if (!this.applyIptables(args)) throw new Error(`iptables ${args.join(' ')} failed`);
  }

  async iptablesRestore(text: string): Promise<void> {
    this.calls.push(`iptables-restore ${text.trim().split('\n').join('; ')}`);
    let table = 'filter';
    const applied: string[][] = [];
    for (const line of text.split('\n')) {
      if (line.startsWith('*')) table = line.slice(1);
      else if (line.startsWith('-')) applied.push(['-t', table, ...line.split(' ')]);
    }
    for (const args of applied) if (!this.applyIptables(args)) throw new Error(`iptables-restore: ${args.join(' ')} failed`);
  }

  async tryIptables(args: readonly string[]): Promise<boolean> {
    this.calls.push(`iptables? ${args.join(' ')}`);
    return this.applyIptables(args);
  }

  async readSysctl(key: string): Promise<string | undefined> {
    return this.sysctls.get(key);
  }

  async writeSysctl(key: string, value: string): Promise<void> {
    this.calls.push(`sysctl ${key}=${value}`);
    this.sysctls.set(key, value);
  }

  async listRules(table: string, chain: string): Promise<string[]> {
    return (this.tables.get(table)?.get(chain) ?? []).map((rule) => `-A ${chain} ${rule}`);
  }

  /** Every rule of every chain, as `table CHAIN rule` lines (for "nothing left behind" checks). */
  dumpRules(): string[] {
    const out: string[] = [];
    for (const [table, chains] of this.tables) {
      for (const [chain, rules] of chains) {
        if (!BUILT_IN[table]!.includes(chain)) out.push(`${table} :${chain}`);
        for (const rule of rules) out.push(`${table} ${chain} ${rule}`);
      }
    }
    return out;
  }

  private applyIptables(args: readonly string[]): boolean {
    const [dashT, table, op, chain, ...rest] = args;
    if (dashT !== '-t' || !table || !op || !chain) return false;
    const chains = this.tables.get(table);
    if (!chains) return false;
    const rules = chains.get(chain);
    const rule = rest.join(' ');
    switch (op) {
      case '-N':
        if (rules) return false;
        chains.set(chain, []);
        return true;
      case '-F':
        if (!rules) return false;
        rules.length = 0;
        return true;
      case '-X':
        if (!rules || rules.length > 0 || BUILT_IN[table]!.includes(chain)) return false;
        for (const list of chains.values()) if (list.some((r) => r.endsWith(`-j ${chain}`))) return false;
        chains.delete(chain);
        return true;
      case '-A':
        if (!rules) return false;
        rules.push(rule);
        return true;
      case '-C':
        return rules?.includes(rule) ?? false;
      case '-D': {
        const at = rules?.indexOf(rule) ?? -1;
        if (at < 0) return false;
        rules!.splice(at, 1);
        return true;
      }
      default:
        return false;
    }
  }
}
