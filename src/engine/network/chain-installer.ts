/**
 * Applies the planned iptables steps of bridge-rules.ts through the host port. The decisions
 * (what to create, flush, append, check) are in the plans; this only runs them in order.
 */
import type { NetworkHost } from './network-host.js';
import {
  type BridgeRuleConfig,
  type RuleSpec,
  planChainInstall,
  planChainTeardown,
  toAppendArgv,
  toCheckArgv,
  toInsertArgv,
  toRestoreText,
  toDeleteArgv,
} from './bridge-rules.js';

/** Bound on repeated deletes of one rule (duplicates left by a crash or an old version). */
const MAX_DUPLICATES = 16;

/**
 * Installs (or refreshes) a bridge's chains: creates missing chains, refills the derived ones,
 * and adds each jump from a built-in chain only when `iptables -C` says it is missing.
 */
export async function installChains(host: NetworkHost, cfg: BridgeRuleConfig): Promise<void> {
  const plan = planChainInstall(cfg);
  for (const args of plan.create) await host.tryIptables(args);
  for (const args of plan.flush) await host.iptables(args);
  for (const args of plan.append) await host.iptables(args);
  for (const jump of plan.jumps) {
    if (!(await host.tryIptables(jump.check))) await host.iptables(jump.add);
  }
  for (const stale of plan.staleJumps) {
    for (let i = 0; i < MAX_DUPLICATES && (await host.tryIptables(stale.check)); i++) await host.iptables(stale.remove);
  }
}

/** Removes every jump, rule and chain of a bridge; missing pieces are skipped. */
export async function removeChains(host: NetworkHost, bridge: string): Promise<void> {
  const plan = planChainTeardown(bridge);
  for (const args of plan.deleteJumps) {
    for (let i = 0; i < MAX_DUPLICATES && (await host.tryIptables(args)); i++);
  }
  for (const args of plan.flush) await host.tryIptables(args);
  for (const args of plan.remove) await host.tryIptables(args);
}

/** Appends each rule that is not already present (idempotent across daemon restarts). */
export async function ensureRules(host: NetworkHost, rules: readonly RuleSpec[]): Promise<void> {
  for (const rule of rules) {
    if (!(await host.tryIptables(toCheckArgv(rule)))) await host.iptables(toAppendArgv(rule));
  }
}

/** Inserts each missing rule at the top of its chain. */
export async function ensureRulesFirst(host: NetworkHost, rules: readonly RuleSpec[]): Promise<void> {
  for (const rule of rules) {
    if (!(await host.tryIptables(toCheckArgv(rule)))) await host.iptables(toInsertArgv(rule));
  }
}

/** Appends rules known to be absent (a fresh container's DNAT) in one process. */
export async function appendRulesBatch(host: NetworkHost, rules: readonly RuleSpec[]): Promise<void> {
  if (rules.length === 0) return;
  await host.iptablesRestore(toRestoreText(rules, '-A'));
}

/** Deletes rules in one process; when that fails (some already gone), one by one. */
export async function deleteRulesBatch(host: NetworkHost, rules: readonly RuleSpec[]): Promise<void> {
  if (rules.length === 0) return;
  try {
    await host.iptablesRestore(toRestoreText(rules, '-D'));
  } catch {
    await deleteRules(host, rules);
  }
}

/** Deletes each rule (every copy of it); missing rules are fine. */
export async function deleteRules(host: NetworkHost, rules: readonly RuleSpec[]): Promise<void> {
  for (const rule of rules) {
    for (let i = 0; i < MAX_DUPLICATES && (await host.tryIptables(toDeleteArgv(rule))); i++);
  }
}
