/**
 * The last of start-up's crash recovery, once the services are built and the containers
 * reconciled (see docs/crash-safety.md): the step containers of builds cut short, the daemon's
 * temporary directory, and the temporaries of atomic writes cut before their rename.
 */
import { finishCutBuilds } from '../engine/build/step-journal.js';
import type { ContainerService } from '../engine/containers/container-service.js';
import { removeStaleTemps } from '../store/stale-temps.js';

/** Removes what builds and atomic writes cut short left (start-up, after reconciliation). */
export async function finishCutOperations(dataRoot: string, service: ContainerService, log: (line: string) => void): Promise<void> {
  // A step whose create was cut before its record has nothing to remove.
  const remove = async (id: string): Promise<boolean> => {
    if (!service.store.get(id)) return false;
    await service.remove(id, { force: true, volumes: true, link: false });
    return true;
  };
  await finishCutBuilds(dataRoot, remove, log);
  for (const file of await removeStaleTemps(dataRoot)) log(`removed ${file}, an atomic write cut short`);
}
