/**
 * Prepares a container's mounts on the host at start: creates missing bind sources as
 * directories (as Docker does), fills pristine volumes from the image (copy-up), and returns the
 * bind list for the runtime spec.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runCommand } from '../../runtime/run-command.js';
import type { MountPoint } from './mount-point.js';
import type { VolumeStore } from './volume-store.js';

export interface SpecBind {
  source: string;
  destination: string;
  readonly: boolean;
}

/** Resolves `rel` inside `root` without following a symlink out of it; undefined if it escapes. */
async function insideRoot(root: string, rel: string): Promise<string | undefined> {
  try {
    const real = await fs.realpath(path.join(root, rel));
    return real === root || real.startsWith(root + '/') ? real : undefined;
  } catch {
    return undefined;
  }
}

export class VolumeMounter {
  constructor(private readonly volumes: VolumeStore) {}

  async prepare(mounts: MountPoint[], rootfs: string): Promise<SpecBind[]> {
    const binds: SpecBind[] = [];
    for (const m of mounts) {
      if (m.Type === 'bind') {
        await fs.mkdir(m.Source, { recursive: true }).catch(() => {}); // exists, file or dir: fine
      } else if (m.Name) {
        const vol = this.volumes.get(m.Name);
        if (vol?.Pristine) {
          if (m.CopyData !== false) await this.copyUp(rootfs, m.Destination, this.volumes.dataPath(m.Name));
          vol.Pristine = false;
          await this.volumes.save(vol);
        }
      }
      binds.push({ source: m.Source, destination: m.Destination, readonly: !m.RW });
    }
    return binds;
  }

  /** Copies the image's content at `dest` into an empty volume, keeping owners and modes. */
  private async copyUp(rootfs: string, dest: string, data: string): Promise<void> {
    const src = await insideRoot(rootfs, dest);
    if (!src) return;
    const st = await fs.stat(src).catch(() => undefined);
    if (!st?.isDirectory()) return;
    if ((await fs.readdir(data)).length > 0) return;
    await runCommand(['cp', '-a', '--', `${src}/.`, `${data}/`]);
  }
}
