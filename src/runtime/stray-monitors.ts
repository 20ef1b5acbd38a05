/**
 * The conmons of one daemon's containers, found by walking /proc: after a crash, a container the
 * records say is not running may still have a monitor (a start cut between `runc create` and
 * `runc start` leaves conmon with a runc init waiting at its exec FIFO). Start-up
 * reconciliation ends them; a created container holds no process, as in Docker.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { readSmallFile } from '../store/small-files.js';
import { processRunning } from './proc-stat.js';

/**
 * The container of a conmon command line, when it monitors a container (not an exec session) of
 * the daemon whose exit directory is `exitDir` (pure).
 */
export function monitoredContainer(argv: readonly string[], exitDir: string): string | undefined {
  if (!argv[0]?.endsWith('conmon') || argv.includes('--exec')) return undefined;
  const exit = argv.indexOf('--exit-dir');
  if (exit < 0 || argv[exit + 1] !== exitDir) return undefined;
  const c = argv.indexOf('-c');
  return c >= 0 ? argv[c + 1] : undefined;
}

/** Pids of the container monitors of the daemon whose exit directory is `exitDir`, by container id. */
export function listMonitors(exitDir: string): Map<string, number[]> {
  const found = new Map<string, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = (readSmallFile(`/proc/${entry}/cmdline`) ?? '').split('\0');
    const id = monitoredContainer(argv, exitDir);
    if (id) found.set(id, [...(found.get(id) ?? []), Number(entry)]);
  }
  return found;
}

/** The exec sessions (their directories' names under `execDir`) whose conmon still runs. */
export function liveExecSessions(execDir: string): Set<string> {
  const live = new Set<string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = (readSmallFile(`/proc/${entry}/cmdline`) ?? '').split('\0');
    if (!argv[0]?.endsWith('conmon') || !argv.includes('--exec')) continue;
    const bundle = argv[argv.indexOf('-b') + 1] ?? '';
    if (path.dirname(bundle) === execDir) live.add(path.basename(bundle));
  }
  return live;
}

/** SIGKILLs each pid (a monitor killed so writes no exit file) and waits up to 1 s until all are gone. */
export async function endProcesses(pids: readonly number[]): Promise<void> {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (let i = 0; i < 200 && pids.some(processRunning); i++) await new Promise((r) => setTimeout(r, 5));
}
