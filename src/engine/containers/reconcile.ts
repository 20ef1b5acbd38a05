/**
 * Start-up reconciliation (live restore): containers that kept running while the daemon was down
 * are adopted, those that exited meanwhile get their exit code, and restart policies apply.
 */
import { promises as fs } from 'node:fs';
import type { ContainerService } from './container-service.js';
import type { ContainerRunner } from './container-runner.js';
import type { NetworkProvider } from './ports.js';

async function isConmon(pid: number | undefined): Promise<boolean> {
  if (!pid) return false;
  const cmd = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmd.split('\0')[0]?.endsWith('conmon') ?? false;
}

export async function reconcileContainers(
  service: ContainerService,
  runner: ContainerRunner,
  network: NetworkProvider,
  log: (line: string) => void,
): Promise<void> {
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
  for (const rec of service.store.all()) {
    if (rec.state.Running) {
      if ((await runner.readExitCode(rec.id)) !== undefined) {
        await service.handleExit(rec.id);
        continue;
      }
      const state = await runner.runc.state(rec.id);
      if (state && (state.status === 'running' || state.status === 'paused')) {
        // A record written ahead of `runc create` has no pids yet: runc and conmon know them.
        if (!rec.state.Pid || !rec.conmonPid) {
          rec.state = { ...rec.state, Pid: rec.state.Pid || state.pid };
          rec.conmonPid = rec.conmonPid ?? runner.conmonPid(rec.id);
          await service.store.save(rec);
        }
        if (rec.endpoint) network.reserve(rec.id, rec.endpoint.ipAddress);
        if (rec.endpoint && rec.ports?.length) await service.d.ports.restore(rec.id, rec.endpoint.ipAddress, rec.ports, log);
        if (rec.links.length) await runner.refreshLinkAccess(rec, service.linkSources(rec)).catch(() => {});
        if (!(await isConmon(rec.conmonPid))) log(`container ${rec.id} runs without its monitor; its exit code will be unknown`);
        continue;
      }
      await service.handleExit(rec.id, 255);
    } else if (rec.state.Restarting) {
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
