/**
 * Which containers use which volumes, read from the container records, and the removal of a
 * container's anonymous volumes (`rm -v`, `--rm`) once nothing else uses them.
 */
import { messageOf } from '../../errors.js';
import type { ContainerRecord } from './container-record.js';
import type { ContainerStore } from './container-store.js';
import type { VolumeStore } from '../volumes/volume-store.js';
import type { EventSink } from './ports.js';

/** Ids of the containers that mount a volume. */
export function volumeUsers(store: ContainerStore, name: string): string[] {
  return store.all().filter((r) => (r.mounts ?? []).some((m) => m.Type === 'volume' && m.Name === name)).map((r) => r.id);
}

/** Running containers (other than `except`) that mount a volume. */
export function runningVolumeUsers(store: ContainerStore, name: string, except: string): string[] {
  return volumeUsers(store, name).filter((u) => u !== except && store.get(u)?.state.Running);
}

/** Removes the container's anonymous volumes that no other container uses. */
export async function removeAnonymousVolumes(
  store: ContainerStore,
  volumes: VolumeStore,
  rec: ContainerRecord,
  log: (line: string) => void,
): Promise<void> {
  for (const m of rec.mounts ?? []) {
    if (m.Type !== 'volume' || !m.Name || !m.Anonymous) continue;
    if (volumeUsers(store, m.Name).length) continue;
    await volumes.remove(m.Name, () => []).catch((e) => log(`volume ${m.Name}: ${messageOf(e)}`));
  }
}

/**
 * Docker's volume `mount` events (at start, before the container's `start`) or `unmount` events
 * (at exit, after its `die`), one per named or anonymous volume of the container.
 */
export function logVolumeEvents(events: EventSink, rec: ContainerRecord, action: 'mount' | 'unmount'): void {
  for (const m of rec.mounts ?? []) {
    if (m.Type !== 'volume' || !m.Name) continue;
    const driver = m.Driver ?? 'local';
    const attributes: Record<string, string> = action === 'mount'
      ? { container: rec.id, destination: m.Destination, driver, propagation: m.Propagation ?? '', 'read/write': String(m.RW) }
      : { container: rec.id, driver };
    events.emit({ Type: 'volume', Action: action, id: m.Name, attributes });
  }
}
