/**
 * The last of start-up's crash recovery, once the services are built and the containers
 * reconciled (see docs/crash-safety.md).
 *
 * The containers of the build steps under way are journalled (`<data-root>/tmp/build/steps/`),
 * and so are the containers a commit paused (`<data-root>/tmp/commit-pauses/`). A build cut by
 * a crash leaves its step containers (a RUN may even go on running); a commit cut short leaves
 * its container paused. Start-up unpauses the one and removes the other, then empties
 * `<data-root>/tmp` (the extracted build contexts) and removes the temporaries of atomic writes
 * cut before their rename. The images the finished steps committed stay: they are the build
 * cache, as in Docker.
 */
import { promises as fs } from 'node:fs';
import type { ContainerService } from '../engine/containers/container-service.js';
import { messageOf } from '../errors.js';
import { ContainerJournal, daemonTmpRoot } from '../store/container-journal.js';
import { removeStaleTemps } from '../store/stale-temps.js';

/** The journal of step containers: one entry per container that a build step made. */
export const buildStepJournal = (dataRoot: string) => new ContainerJournal(dataRoot, 'build/steps');

/** The journal of containers paused for a commit. */
export const commitPauseJournal = (dataRoot: string) => new ContainerJournal(dataRoot, 'commit-pauses');

/** Finishes what commits, builds and atomic writes cut short left (start-up, after reconciliation). */
export async function finishCutOperations(dataRoot: string, service: ContainerService, log: (line: string) => void): Promise<void> {
  const each = async (ids: string[], what: string, fn: (id: string) => Promise<boolean>) => {
    for (const id of ids) {
      await fn(id).then(
        (was) => was && log(`${what} container ${id}, left so by an operation cut short`),
        (e) => log(`container ${id} of an operation cut short: ${messageOf(e)}`),
      );
    }
  };
  await each(await commitPauseJournal(dataRoot).leftovers(), 'unpaused', async (id) => {
    if (!service.store.get(id)?.state.Paused) return false;
    await service.unpause(id);
    return true;
  });
  // A step whose create was cut before its record has nothing to remove.
  await each(await buildStepJournal(dataRoot).leftovers(), 'removed', async (id) => {
    if (!service.store.get(id)) return false;
    await service.remove(id, { force: true, volumes: true, link: false });
    return true;
  });
  await fs.rm(daemonTmpRoot(dataRoot), { recursive: true, force: true });
  for (const file of await removeStaleTemps(dataRoot)) log(`removed ${file}, an atomic write cut short`);
}
