/** Overlay mounts for container root filesystems (platform-notes §2). */
import path from 'node:path';
import { systemError } from '../errors.js';
import { deviceOf, ensureDir } from '../store/small-files.js';
import { runCommand } from './run-command.js';
import { hostHelper, mountSyscall, umountSyscall } from './host-helper.js';

export interface OverlayMount {
  /** Directory the lowerdirs are relative to (the layer store), so the option string stays short. */
  cwd: string;
  /** Lower directories relative to cwd, top-most first. */
  lowerdirs: string[];
  upperdir: string;
  workdir: string;
  target: string;
}

/** The overlay mount's option string (pure). */
export function overlayData(m: OverlayMount): string {
  return `lowerdir=${m.lowerdirs.join(':')},upperdir=${m.upperdir},workdir=${m.workdir}`;
}

/** The mount(8) argv for an overlay mount (pure). */
export function overlayMountArgv(m: OverlayMount): string[] {
  return ['mount', '-t', 'overlay', 'overlay', '-o', overlayData(m), m.target];
}

/**
 * True when an overlay is mounted on `target`: an overlay has a device of its own, so the target
 * and its parent differ in st_dev. Two stats, where reading /proc/self/mountinfo grows with every
 * running container.
 */
export function isMounted(target: string): boolean {
  const own = deviceOf(target);
  const parent = deviceOf(path.dirname(target));
  return own !== undefined && parent !== undefined && own !== parent;
}

/** Mounts unless already mounted (a restarted daemon must never mount twice, §2.6). */
export async function mountOverlay(m: OverlayMount): Promise<void> {
  if (isMounted(m.target)) return;
  for (const d of [m.upperdir, m.workdir, m.target]) ensureDir(d);
  if (m.lowerdirs.length === 0) {
    // Overlay needs at least one lower directory: FROM scratch uses an empty one.
    throw new Error('overlay needs at least one lower directory');
  }
  const helper = hostHelper();
  if (!helper) {
    await runCommand(overlayMountArgv(m), { cwd: m.cwd });
    return;
  }
  await mountSyscall(helper, { cwd: m.cwd, source: 'overlay', target: m.target, fstype: 'overlay', data: overlayData(m) }).catch((err: Error) => {
    throw systemError(`mount ${m.target}: ${err.message}`, err);
  });
}

/** Unmounts if mounted. */
export async function unmountOverlay(target: string): Promise<void> {
  if (!isMounted(target)) return;
  const helper = hostHelper();
  if (helper) await umountSyscall(helper, target).catch(() => {});
  else await runCommand(['umount', target], { allowFailure: true });
}
