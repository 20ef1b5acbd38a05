/**
 * Start-up reconciliation (live restore): containers that kept running while the daemon was down
 * are adopted, those that exited meanwhile get their exit code, and restart policies apply.
 *
 * It also finishes or undoes what a crash cut short (see docs/crash-safety.md):
 * - a directory without a record is a create or a removal cut short: it is removed with all its
 *   runtime state (a removal deletes the record first);
 * - a record saying "running" whose process never ran (written ahead of `runc create`), or that
 *   waits in runc's `created` state (the start was cut before `runc start`), is processed as an
 *   exit with code 255, as dockerd does for a container it cannot restore;
 * - a container that is not running holds nothing: its monitor, runc state (a waiting runc
 *   init), rootfs mount, network namespace and veth are released, so that `docker start` works
 *   and nothing is held until then;
 * - DNAT rules that lead to no running container are removed.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ContainerService } from './container-service.js';
import type { ContainerRunner } from './container-runner.js';
import type { NetworkProvider } from './ports.js';
import type { ContainerRecord } from './container-record.js';
import { endProcesses, listMonitors, liveExecSessions } from '../../runtime/stray-monitors.js';
import { isMounted } from '../../runtime/overlay.js';
import { attachName } from '../../runtime/conmon.js';
import { exists } from '../../store/small-files.js';
import { messageOf } from '../../errors.js';
import { netnsNameFor, netnsPathFor } from '../network/endpoint-plan.js';

async function isConmon(pid: number | undefined): Promise<boolean> {
  if (!pid) return false;
  const cmd = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmd.split('\0')[0]?.endsWith('conmon') ?? false;
}

/** Runs once at start-up, before the API serves: see the file's comment for what it does. */
export async function reconcileContainers(
  service: ContainerService,
  runner: ContainerRunner,
  network: NetworkProvider,
  log: (line: string) => void,
): Promise<void> {
  const monitors = listMonitors(runner.paths.exitDir);
  // A create or a removal cut short: finished now, before the API serves.
  for (const id of await service.store.recordlessIds()) {
    await endProcesses(monitors.get(id) ?? []);
    await runner.removeFiles(id).catch((e) => log(`cleanup of container ${id}: ${messageOf(e)}`));
    await fs.rm(service.store.dir(id), { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    log(`removed container ${id}, whose create or removal was cut short`);
  }
  // Runtime state of containers whose records are gone: a daemon stopped while a removal was
  // still cleaning up in the background leaves it. The ids are fixed now, before the API serves,
  // so a container created later is never taken for one of them. A record that exists but could
  // not be read keeps its container: that is for a person to look at, not to clean up.
  const known = new Set([...service.store.all().map((r) => r.id), ...(await service.store.directoryIds())]);
  for (const id of await runner.leftoverIds(known)) {
    void runner.removeFiles(id).then(
      () => log(`removed the runtime state left by container ${id}`),
      (e) => log(`cleanup of container ${id}: ${(e as Error).message}`),
    );
  }
  // Those found running get their restart policy from the exit processing, not again below.
  const wereRunning = new Set(service.store.all().filter((r) => r.state.Running).map((r) => r.id));
  for (const rec of service.store.all()) {
    if (rec.state.Running) await restoreRunning(rec, service, runner, network, monitors, log);
  }
  await removeStaleExecs(runner, log);
  // Nothing is held for a container that is not running (restarts by policy come after this).
  for (const rec of service.store.all()) {
    // One restarting by policy was released by its exit processing, and may be starting now.
    if (!rec.state.Running && !rec.state.Restarting) await releaseHeld(rec, runner, network, monitors.get(rec.id) ?? [], log);
  }
  const keep = new Set(service.store.all().flatMap((r) => (r.state.Running && r.endpoint ? [r.endpoint.ipAddress] : [])));
  const pruned = await network.pruneDnat(keep).catch((e) => (log(`DNAT clean-up: ${messageOf(e)}`), 0));
  if (pruned) log(`removed ${pruned} DNAT rules of containers that are not running`);
  for (const rec of service.store.all()) {
    if (wereRunning.has(rec.id)) continue;
    if (rec.state.Restarting) {
      rec.state = { ...rec.state, Restarting: false, Status: 'exited' };
      await service.store.save(rec);
      service.start(rec.id).catch((e) => log(`restart of ${rec.id}: ${(e as Error).message}`));
    } else if (
      (rec.hostConfig.RestartPolicy.Name === 'always' || rec.hostConfig.RestartPolicy.Name === 'unless-stopped') &&
      !rec.manuallyStopped && rec.state.Status === 'exited'
    ) {
      service.start(rec.id).catch((e) => log(`restart of ${rec.id}: ${(e as Error).message}`));
    }
  }
}

/** A record saying "running": adopt the container, or process its exit. */
async function restoreRunning(
  rec: ContainerRecord,
  service: ContainerService,
  runner: ContainerRunner,
  network: NetworkProvider,
  monitors: Map<string, number[]>,
  log: (line: string) => void,
): Promise<void> {
  if ((await runner.readExitCode(rec.id)) !== undefined) {
    await service.handleExit(rec.id);
    return;
  }
  const state = await runner.runc.state(rec.id);
  if (state && (state.status === 'running' || state.status === 'paused')) {
    // A record written ahead of `runc create` has no pids yet: runc and conmon know them.
    // A pause or unpause cut between runc's freeze (or thaw) and the record's save: runc's state
    // is the truth, so a commit's recovery finds the container it paused and thaws it.
    const paused = state.status === 'paused';
    if (!rec.state.Pid || !rec.conmonPid || !!rec.state.Paused !== paused) {
      rec.state = { ...rec.state, Pid: rec.state.Pid || state.pid, Paused: paused, Status: paused ? 'paused' : 'running' };
      rec.conmonPid = rec.conmonPid ?? runner.conmonPid(rec.id);
      await service.store.save(rec);
    }
    if (rec.endpoint) network.reserve(rec.id, rec.endpoint.ipAddress);
    if (rec.endpoint && rec.ports?.length) await service.d.ports.restore(rec.id, rec.endpoint.ipAddress, rec.ports, log);
    if (rec.links.length) await runner.refreshLinkAccess(rec, service.linkSources(rec)).catch(() => {});
    if (!(await isConmon(rec.conmonPid))) log(`container ${rec.id} runs without its monitor; its exit code will be unknown`);
    return;
  }
  // Never ran, or cut before `runc start`: its monitor goes first (killed, it writes no exit
  // file for the runc init that teardown ends), then the exit is processed.
  await endProcesses(monitors.get(rec.id) ?? []);
  monitors.delete(rec.id);
  await service.handleExit(rec.id, 255);
}

/**
 * Exec sessions live in the daemon's memory: the directories and attach sockets of those whose
 * conmon is gone belong to nothing after a restart (one whose process still runs keeps them).
 */
async function removeStaleExecs(runner: ContainerRunner, log: (line: string) => void): Promise<void> {
  const execDir = path.join(runner.paths.execRoot, 'exec');
  const live = liveExecSessions(execDir);
  for (const id of await fs.readdir(execDir).catch(() => [] as string[])) {
    if (live.has(id)) continue;
    await fs.rm(path.join(execDir, id), { recursive: true, force: true });
    await fs.rm(path.join(runner.paths.socketDir, attachName(id)), { recursive: true, force: true });
    log(`removed exec session ${id}, which ended while the daemon was down`);
  }
}

/** Releases whatever a container that is not running still holds on the host. */
async function releaseHeld(
  rec: ContainerRecord,
  runner: ContainerRunner,
  network: NetworkProvider,
  monitors: number[],
  log: (line: string) => void,
): Promise<void> {
  const netns = netnsPathFor(netnsNameFor(network.bridgeInfo().bridge, rec.id));
  const held = [
    monitors.length > 0 && 'monitor',
    exists(path.join(runner.paths.runcRoot, rec.id)) && 'runc state',
    isMounted(runner.rootfsDir(rec.id)) && 'rootfs mount',
    exists(netns) && 'network namespace',
    exists(path.join(runner.paths.socketDir, attachName(rec.id))) && 'attach socket',
  ].filter((h): h is string => !!h);
  if (held.length === 0) return;
  await endProcesses(monitors);
  await runner.teardown(rec.id).catch((e) => log(`release of ${rec.id}: ${messageOf(e)}`));
  log(`released the ${held.join(', ')} of container ${rec.id}, which is not running`);
}
