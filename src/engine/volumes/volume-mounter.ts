/**
 * Puts a container's mounts on the host. At create: copy-up, filling each empty volume from the
 * image's content at its destination (as Docker does at create). At start: missing bind sources
 * become directories (as Docker does), and the mount list for the runtime spec.
 */
import { promises as fs } from 'node:fs';
import { invalidParameter } from '../../errors.js';
import { parseMountinfo } from '../../runtime/mountinfo.js';
import { runCommand } from '../../runtime/run-command.js';
import { resolveInRoot } from '../../store/scoped-path.js';
import type { MountPoint } from './mount-point.js';
import { hasDeviceOptions, mountDevice, unmountDevice } from './local-driver.js';
import type { VolumeStore } from './volume-store.js';

/** One mount of the runtime spec: a bind (rbind) or, with `tmpfs` set, a tmpfs. */
export interface SpecBind {
  source: string;
  destination: string;
  readonly: boolean;
  /** Bind propagation (`rprivate` unless the mount asked for another). */
  propagation?: string;
  /** mount(8) data of a tmpfs mount; undefined for binds. */
  tmpfs?: string;
}

/** True when a mount asks for copy-up into a volume. */
export function needsCopyUp(m: MountPoint): boolean {
  return m.Type === 'volume' && !!m.Name && m.CopyData === true;
}

/**
 * Docker's check for bind propagation (pure): a shared bind needs a shared source mount, a slave
 * bind a shared or slave one. `mountinfo` is /proc/self/mountinfo, `source` a real path.
 */
export function checkBindPropagation(mountinfo: string, source: string, propagation: string): void {
  if (!/^r?(shared|slave)$/.test(propagation)) return;
  let best: { point: string; optional: string[] } | undefined;
  for (const { mountPoint: point, optionalFields } of parseMountinfo(mountinfo)) {
    const under = point === '/' || source === point || source.startsWith(point + '/');
    if (under && (!best || point.length >= best.point.length)) best = { point, optional: optionalFields };
  }
  if (!best) return;
  const shared = best.optional.some((o) => o.startsWith('shared:'));
  const slave = best.optional.some((o) => o.startsWith('master:'));
  if (propagation.endsWith('shared') && !shared) {
    throw invalidParameter(`path ${source} is mounted on ${best.point} but it is not a shared mount`);
  }
  if (propagation.endsWith('slave') && !shared && !slave) {
    throw invalidParameter(`path ${source} is mounted on ${best.point} but it is not a shared or slave mount`);
  }
}

export class VolumeMounter {
  constructor(private readonly volumes: VolumeStore) {}

  /**
   * Copy-up at create: each volume mount that copies data gets the image's content at its
   * destination when the volume is empty. Symlinks in the image resolve inside `rootfs`.
   */
  async populate(mounts: MountPoint[], rootfs: string, inUse: (name: string) => boolean): Promise<void> {
    for (const m of mounts) {
      if (!needsCopyUp(m)) continue;
      const vol = this.volumes.get(m.Name!);
      if (hasDeviceOptions(vol?.Options)) {
        // As Docker: the device is mounted for the copy and released after it.
        await mountDevice(vol.Options, this.volumes.dataPath(m.Name!));
        await this.copyUp(rootfs, m.Destination, this.volumes.dataPath(m.Name!));
        if (!inUse(m.Name!)) await unmountDevice(this.volumes.dataPath(m.Name!));
      } else {
        await this.copyUp(rootfs, m.Destination, this.volumes.dataPath(m.Name!));
      }
      if (vol?.Pristine) {
        vol.Pristine = false;
        await this.volumes.save(vol);
      }
    }
  }

  /** Start: bind sources made, volumes of older records still owed a copy-up filled, spec list. */
  async prepare(mounts: MountPoint[], rootfs: string): Promise<SpecBind[]> {
    const binds: SpecBind[] = [];
    for (const m of mounts) {
      if (m.Type === 'tmpfs') {
        binds.push({ source: 'tmpfs', destination: m.Destination, readonly: !m.RW, tmpfs: m.TmpfsData ?? '' });
        continue;
      }
      if (m.Type === 'bind') {
        await fs.mkdir(m.Source, { recursive: true }).catch(() => {}); // exists, file or dir: fine
        if (/^r?(shared|slave)$/.test(m.Propagation)) {
          const real = await fs.realpath(m.Source).catch(() => m.Source);
          checkBindPropagation(await fs.readFile('/proc/self/mountinfo', 'utf8'), real, m.Propagation);
        }
      } else if (m.Name) {
        const vol = this.volumes.get(m.Name);
        if (hasDeviceOptions(vol?.Options)) await mountDevice(vol.Options, m.Source);
        if (vol?.Pristine) {
          // Records written before copy-up moved to create time.
          if (m.CopyData !== false) await this.copyUp(rootfs, m.Destination, this.volumes.dataPath(m.Name));
          vol.Pristine = false;
          await this.volumes.save(vol);
        }
        // A volume whose directory went missing (removed by hand) comes back empty, not as an error.
        await fs.mkdir(m.Source, { recursive: true }).catch(() => {});
      }
      binds.push({
        source: m.Source, destination: m.Destination, readonly: !m.RW,
        ...(m.Type === 'bind' && m.Propagation && m.Propagation !== 'rprivate' ? { propagation: m.Propagation } : {}),
      });
    }
    return binds;
  }

  /**
   * After a container stopped: unmounts the devices of its device volumes (local driver options)
   * that no running container still uses.
   */
  async release(mounts: MountPoint[], inUse: (name: string) => boolean): Promise<void> {
    for (const m of mounts) {
      if (m.Type !== 'volume' || !m.Name || !hasDeviceOptions(this.volumes.get(m.Name)?.Options) || inUse(m.Name)) continue;
      await unmountDevice(this.volumes.dataPath(m.Name));
    }
  }

  /** Copies the image's content at `dest` into an empty volume, keeping owners and modes. */
  private async copyUp(rootfs: string, dest: string, data: string): Promise<void> {
    const src = await resolveInRoot(rootfs, dest).catch(() => undefined);
    if (!src) return;
    const st = await fs.stat(src).catch(() => undefined);
    if (!st?.isDirectory()) return;
    await fs.mkdir(data, { recursive: true });
    if ((await fs.readdir(data)).length > 0) return;
    await runCommand(['cp', '-a', '--', `${src}/.`, `${data}/`]);
  }
}
