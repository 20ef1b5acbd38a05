/**
 * Thin adapter over `ip netns` and `ip -batch`: named network namespaces under /run/netns and
 * batches of `ip` commands run on the host or inside a namespace (one process per batch).
 */
import { exists } from '../store/small-files.js';
import { invalidParameter } from '../errors.js';
import { runCommand } from './run-command.js';

const NETNS_DIR = '/run/netns';
const NETNS_NAME = /^[A-Za-z0-9_.-]{1,200}$/;

function checkName(name: string): string {
  if (!NETNS_NAME.test(name) || name === '.' || name === '..') throw invalidParameter(`invalid network namespace name ${JSON.stringify(name)}`);
  return name;
}

/** The argv of `ip netns add NAME`. */
export function netnsAddArgv(name: string): string[] {
  return ['ip', 'netns', 'add', checkName(name)];
}

/** The argv of `ip netns delete NAME`. */
export function netnsDeleteArgv(name: string): string[] {
  return ['ip', 'netns', 'delete', checkName(name)];
}

/** The argv of an `ip` batch read from stdin, on the host or inside namespace `netns`. */
export function ipBatchArgv(netns?: string): string[] {
  return netns === undefined ? ['ip', '-batch', '-'] : ['ip', '-n', checkName(netns), '-batch', '-'];
}

/** Creates a named namespace (`ip netns add`). */
export async function addNetns(name: string): Promise<void> {
  await runCommand(netnsAddArgv(name));
}

/** Deletes a named namespace; a namespace that does not exist is fine. */
export async function deleteNetns(name: string): Promise<void> {
  const result = await runCommand(netnsDeleteArgv(name), { allowFailure: true });
  if (result.code !== 0 && (await netnsExists(name))) {
    await runCommand(netnsDeleteArgv(name));
  }
}

/** True when /run/netns/NAME exists. */
export async function netnsExists(name: string): Promise<boolean> {
  return exists(`${NETNS_DIR}/${checkName(name)}`);
}

/** Runs `lines` as one `ip -batch -` (inside `netns` when given); stops at the first failing line. */
export async function runIpBatch(lines: readonly string[], netns?: string): Promise<void> {
  if (lines.length === 0) return;
  await runCommand(ipBatchArgv(netns), { input: lines.join('\n') + '\n' });
}
