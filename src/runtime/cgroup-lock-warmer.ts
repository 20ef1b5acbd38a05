/**
 * Warms the kernel's cgroup migration lock ahead of runc.
 *
 * Every start puts the container's init into its cgroups: runc writes its pid to a cgroup.procs
 * file of each hierarchy. Each such write takes the kernel's cgroup_threadgroup_rwsem for
 * writing. On a kernel where no cgroup hierarchy was ever mounted with `favordynmods` (the boot
 * state of most machines, these ones included), that lock is a per-CPU rwsem whose writer first
 * waits for an RCU grace period (rcu_sync_enter), unless another writer did so less than about
 * one grace period before. Under load a grace period takes 5-20 ms here, and runc's first write
 * sits on the start's serial path, while the cgroup mutex is held.
 *
 * So when a create or a start arrives, the daemon has its host helper write "0" to the
 * cgroup.procs of the cgroup it is in (a move to where it already is: nothing changes). That
 * write waits for the grace period while the daemon sets up the rootfs and the network and runc
 * reads its spec, and runc's writes a few ms later find the lock warm. On a kernel where
 * favordynmods is on, the write takes a per-process lock, costs some microseconds and gains
 * nothing. Pokes that come while a write is under way are folded into one more write after it.
 * A write the kernel refuses (a read-only cgroupfs, say) ends the warming for good; a helper
 * that died on the way (it is started again) does not.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { hostHelper, stayInCgroup } from './host-helper.js';
import { parseMountinfo } from './mountinfo.js';

/**
 * The cgroup.procs file of the process's own cgroup, from its /proc/self/cgroup and
 * /proc/self/mountinfo (pure). The unified hierarchy when it is mounted, else the first v1
 * hierarchy that is; undefined when none is visible.
 */
export function ownCgroupProcsFile(selfCgroup: string, mountinfo: string): string | undefined {
  const mounts = parseMountinfo(mountinfo).filter((m) => m.fstype === 'cgroup' || m.fstype === 'cgroup2');
  const candidates: string[] = [];
  for (const line of selfCgroup.split('\n')) {
    const m = /^(\d+):([^:]*):(\/.*)$/.exec(line.trim());
    if (!m) continue;
    const [, , controllers, cgroupPath] = m as unknown as [string, string, string, string];
    const unified = controllers === '';
    const wanted = controllers.split(',').filter(Boolean);
    const mount = mounts.find((mt) =>
      unified ? mt.fstype === 'cgroup2' : mt.fstype === 'cgroup' && wanted.every((c) => mt.superOptions.includes(c)),
    );
    if (!mount) continue;
    const root = mount.root === '/' ? '' : mount.root;
    if (root && cgroupPath !== root && !cgroupPath.startsWith(`${root}/`)) continue;
    const file = path.join(mount.mountPoint, cgroupPath.slice(root.length), 'cgroup.procs');
    if (unified) return file;
    candidates.push(file);
  }
  return candidates[0];
}

export class CgroupLockWarmer {
  private writing = false;
  private again = false;
  private failed = false;

  /** `write`: one write of "0" to the cgroup.procs file, resolved once it is done. */
  constructor(private readonly write: () => Promise<void>) {}

  /** A create or a start has arrived. */
  poke(): void {
    if (this.failed) return;
    if (this.writing) {
      this.again = true;
      return;
    }
    this.writing = true;
    this.write()
      .catch((err: NodeJS.ErrnoException) => {
        // A lock that cannot be warmed only stays cold; the errno codes are the kernel's refusals.
        if (typeof err?.code === 'string' && /^E[A-Z0-9]+$/.test(err.code)) this.failed = true;
      })
      .finally(() => {
        this.writing = false;
        if (this.again) {
          this.again = false;
          this.poke();
        }
      });
  }
}

/**
 * The cgroup.procs file of the daemon's cgroup (its helper, a child, is in the same one).
 * `WHARF_CGROUP_WARM_FILE` replaces it (`none`: no warming), for bench/rcu-wait-emulation.sh.
 */
export function daemonCgroupProcsFile(): string | undefined {
  const override = process.env.WHARF_CGROUP_WARM_FILE;
  if (override !== undefined) return override === 'none' || override === '' ? undefined : override;
  try {
    return ownCgroupProcsFile(readFileSync('/proc/self/cgroup', 'utf8'), readFileSync('/proc/self/mountinfo', 'utf8'));
  } catch {
    return undefined;
  }
}

/** The daemon's warmer: through its host helper; none without a helper or a visible cgroup. */
export function createCgroupLockWarmer(): CgroupLockWarmer | undefined {
  const file = daemonCgroupProcsFile();
  if (!file || !hostHelper()) return undefined;
  return new CgroupLockWarmer(async () => {
    const helper = hostHelper();
    if (helper) await stayInCgroup(helper, file);
  });
}
