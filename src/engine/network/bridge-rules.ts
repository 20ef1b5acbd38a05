/**
 * The iptables rules of one Wharf bridge, as argv arrays (without the `iptables -w` prefix).
 * Pure and golden-tested; `BridgeNetwork` applies them through the host adapter.
 *
 * Every rule lives in chains of our own, named from the bridge (`wharf0` → `WHARF0-FORWARD`,
 * `WHARF0-INPUT`, `WHARF0-POSTROUTING`, `WHARF0-DNAT`), reached by one jump from each built-in
 * chain. Built-in chains are never flushed and Docker's chains are never touched, so a dockerd
 * (with its FORWARD policy DROP) and other Wharf daemons on other bridges coexist with us.
 */
import { invalidParameter } from '../../errors.js';

/** An iptables table we use. */
export type IptablesTable = 'filter' | 'nat';

/** The chains owned by one bridge. */
export interface BridgeChains {
  forward: string;
  input: string;
  postrouting: string;
  dnat: string;
}

/** Settings that shape the rules. */
export interface BridgeRuleConfig {
  bridge: string;
  /** The bridge subnet, e.g. `172.17.0.0/16`. */
  subnet: string;
  /** Inter-container communication on the bridge: ACCEPT when true, DROP when false. */
  icc: boolean;
  /** With the userland proxy on, loopback traffic is left to the proxy (Docker's default). */
  userlandProxy: boolean;
}

/** A rule in one of our chains: table, chain and the match/target words. */
export interface RuleSpec {
  table: IptablesTable;
  chain: string;
  rule: string[];
}

/** The steps that install a bridge's chains, in order. */
export interface ChainInstallPlan {
  /** `-N` for each chain; "already exists" failures are expected and ignored. */
  create: string[][];
  /** `-F` for the chains whose content is fully derived from the config (not the DNAT chain). */
  flush: string[][];
  /** `-A` for the static rules. */
  append: string[][];
  /** Jumps from built-in chains: run `add` only when `check` fails. */
  jumps: { check: string[]; add: string[] }[];
  /** Jumps of the other config variant, to delete when present (after a config change). */
  staleJumps: { check: string[]; remove: string[] }[];
}

/** The steps that remove every trace of a bridge's chains; each may fail harmlessly. */
export interface ChainTeardownPlan {
  /** `-D` of each jump (every variant); repeat each until it fails, in case of duplicates. */
  deleteJumps: string[][];
  flush: string[][];
  remove: string[][];
}

const NAME = /^[A-Za-z0-9_.-]{1,15}$/;

/** Checks a bridge name: a valid interface name of at most 15 characters, and not docker0. */
export function validateBridgeName(bridge: string): void {
  if (!NAME.test(bridge) || bridge === '.' || bridge === '..') {
    throw invalidParameter(`invalid bridge name ${JSON.stringify(bridge)}: use 1 to 15 letters, digits, '_', '.' or '-'`);
  }
  if (bridge === 'docker0') throw invalidParameter('the bridge docker0 belongs to Docker: choose another name with --bridge');
}

/** Our chain names for `bridge` (upper-cased bridge name + suffix; at most 27 characters). */
export function chainNamesFor(bridge: string): BridgeChains {
  validateBridgeName(bridge);
  const prefix = bridge.toUpperCase();
  return {
    forward: `${prefix}-FORWARD`,
    input: `${prefix}-INPUT`,
    postrouting: `${prefix}-POSTROUTING`,
    dnat: `${prefix}-DNAT`,
  };
}

/** The static content of our chains for this configuration. */
export function buildStaticRules(cfg: BridgeRuleConfig): RuleSpec[] {
  const c = chainNamesFor(cfg.bridge);
  const br = cfg.bridge;
  const rules: RuleSpec[] = [
    { table: 'filter', chain: c.forward, rule: ['-o', br, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'] },
    { table: 'filter', chain: c.forward, rule: ['-i', br, '!', '-o', br, '-j', 'ACCEPT'] },
    { table: 'filter', chain: c.forward, rule: ['-i', br, '-o', br, '-j', cfg.icc ? 'ACCEPT' : 'DROP'] },
    { table: 'filter', chain: c.forward, rule: ['-o', br, '-m', 'conntrack', '--ctstate', 'DNAT', '-j', 'ACCEPT'] },
    // Loopback-addressed packets from containers (possible once route_localnet is on) are dropped
    // unless they answer or belong to a published-port flow (the CVE-2020-8558 class).
    {
      table: 'filter',
      chain: c.input,
      rule: ['-i', br, '-d', '127.0.0.0/8', '-m', 'conntrack', '!', '--ctstate', 'RELATED,ESTABLISHED,DNAT', '-j', 'DROP'],
    },
    { table: 'nat', chain: c.postrouting, rule: ['-s', cfg.subnet, '!', '-o', br, '-j', 'MASQUERADE'] },
  ];
  if (!cfg.userlandProxy) {
    // Without the proxy, host-local sources (127.0.0.1 via route_localnet) and hairpin flows into
    // the bridge are DNATed in the kernel and need a source the container can answer.
    rules.push(
      { table: 'nat', chain: c.postrouting, rule: ['-o', br, '-m', 'addrtype', '--src-type', 'LOCAL', '-j', 'MASQUERADE'] },
      { table: 'nat', chain: c.postrouting, rule: ['-s', cfg.subnet, '-o', br, '-m', 'conntrack', '--ctstate', 'DNAT', '-j', 'MASQUERADE'] },
    );
  }
  return rules;
}

/** The jumps from built-in chains into ours (rule specs whose chain is the built-in one). */
export function buildJumps(bridge: string, userlandProxy: boolean): RuleSpec[] {
  const c = chainNamesFor(bridge);
  const local = ['-m', 'addrtype', '--dst-type', 'LOCAL'];
  return [
    { table: 'filter', chain: 'FORWARD', rule: ['-j', c.forward] },
    { table: 'filter', chain: 'INPUT', rule: ['-j', c.input] },
    { table: 'nat', chain: 'POSTROUTING', rule: ['-j', c.postrouting] },
    { table: 'nat', chain: 'PREROUTING', rule: [...local, '-j', c.dnat] },
    // With the proxy on, 127.0.0.0/8 is served by the proxy, as Docker does.
    { table: 'nat', chain: 'OUTPUT', rule: [...local, ...(userlandProxy ? ['!', '-d', '127.0.0.0/8'] : []), '-j', c.dnat] },
  ];
}

/** `-t T -I CHAIN 1 rule…` (goes before the chain's ACCEPT/DROP defaults). */
export function toInsertArgv(spec: RuleSpec): string[] {
  return ['-t', spec.table, '-I', spec.chain, '1', ...spec.rule];
}

/** `-t T -A CHAIN rule…` */
export function toAppendArgv(spec: RuleSpec): string[] {
  return ['-t', spec.table, '-A', spec.chain, ...spec.rule];
}

/** `-t T -C CHAIN rule…` (exit 0 when the rule exists). */
export function toCheckArgv(spec: RuleSpec): string[] {
  return ['-t', spec.table, '-C', spec.chain, ...spec.rule];
}

/** `-t T -D CHAIN rule…` */
export function toDeleteArgv(spec: RuleSpec): string[] {
  return ['-t', spec.table, '-D', spec.chain, ...spec.rule];
}

function ownChains(bridge: string): { table: IptablesTable; chain: string; derived: boolean }[] {
  const c = chainNamesFor(bridge);
  return [
    { table: 'filter', chain: c.forward, derived: true },
    { table: 'filter', chain: c.input, derived: true },
    { table: 'nat', chain: c.postrouting, derived: true },
    // The DNAT chain holds per-container rules that must survive a daemon restart.
    { table: 'nat', chain: c.dnat, derived: false },
  ];
}

/** Plans the installation: create chains, refill the derived ones, add missing jumps. */
export function planChainInstall(cfg: BridgeRuleConfig): ChainInstallPlan {
  const chains = ownChains(cfg.bridge);
  return {
    create: chains.map((c) => ['-t', c.table, '-N', c.chain]),
    flush: chains.filter((c) => c.derived).map((c) => ['-t', c.table, '-F', c.chain]),
    append: buildStaticRules(cfg).map(toAppendArgv),
    jumps: buildJumps(cfg.bridge, cfg.userlandProxy).map((j) => ({ check: toCheckArgv(j), add: toAppendArgv(j) })),
    staleJumps: staleJumps(cfg.bridge, cfg.userlandProxy).map((j) => ({ check: toCheckArgv(j), remove: toDeleteArgv(j) })),
  };
}

/** Plans the removal of all our jumps (every variant), rules and chains. */
export function planChainTeardown(bridge: string): ChainTeardownPlan {
  const chains = ownChains(bridge);
  const jumps = [...buildJumps(bridge, true), ...staleJumps(bridge, true)];
  return {
    deleteJumps: jumps.map(toDeleteArgv),
    flush: chains.map((c) => ['-t', c.table, '-F', c.chain]),
    remove: chains.map((c) => ['-t', c.table, '-X', c.chain]),
  };
}

function staleJumps(bridge: string, userlandProxy: boolean): RuleSpec[] {
  const current = buildJumps(bridge, userlandProxy);
  const other = buildJumps(bridge, !userlandProxy);
  return other.filter((o) => !current.some((c) => c.chain === o.chain && c.rule.join(' ') === o.rule.join(' ')));
}

/** An `iptables-restore --noflush` file that appends (`-A`) or deletes (`-D`) the rules. */
export function toRestoreText(specs: readonly RuleSpec[], op: '-A' | '-D'): string {
  const byTable = new Map<string, string[]>();
  for (const r of specs) {
    const lines = byTable.get(r.table) ?? [];
    lines.push([op, r.chain, ...r.rule].join(' '));
    byTable.set(r.table, lines);
  }
  return [...byTable.entries()].map(([t, lines]) => `*${t}\n${lines.join('\n')}\nCOMMIT\n`).join('');
}
