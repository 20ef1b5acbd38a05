/**
 * Thin adapter over the `iptables` command (the host's default backend, nf_tables here, which is
 * the one dockerd uses: rules in another backend cannot get past its FORWARD policy DROP).
 * `-w` waits for the xtables lock instead of failing when another program holds it.
 */
import { runCommand } from './run-command.js';

/** The full argv for iptables ARGS. */
export function iptablesArgv(args: readonly string[]): string[] {
  return ['iptables', '-w', ...args];
}

/** Runs iptables; throws (with the command and stderr in the cause) when it fails. */
export async function runIptables(args: readonly string[]): Promise<void> {
  await runCommand(iptablesArgv(args));
}

/** Runs iptables; true when it exits 0 (for `-C`, `-N` and best-effort `-D`/`-F`/`-X`). */
export async function tryIptables(args: readonly string[]): Promise<boolean> {
  const result = await runCommand(iptablesArgv(args), { allowFailure: true });
  return result.code === 0;
}

/** `iptables -S` of one chain: its rules as lines; none when the chain is missing. */
export async function listIptablesRules(table: string, chain: string): Promise<string[]> {
  const result = await runCommand(iptablesArgv(['-t', table, '-S', chain]), { allowFailure: true });
  return result.code === 0 ? result.stdout.split('\n').filter(Boolean) : [];
}

/**
 * Applies many rules in one process: `iptables-restore --noflush` with a rules file (only `-A` and
 * `-D` lines of our own chains, so nothing else is touched). All or nothing.
 */
export async function runIptablesRestore(text: string): Promise<void> {
  await runCommand(['iptables-restore', '-w', '--noflush'], { input: text });
}
