/**
 * The local driver's device options (`volume create -o type=tmpfs -o device=tmpfs -o o=size=64m`,
 * `-o type=none -o o=bind -o device=/srv/x`): the device is mounted on the volume's `_data` while
 * a container uses it, as Docker does. Also the guard that keeps removal from ever deleting
 * through a mount.
 */
import { promises as fs } from 'node:fs';
import { systemError } from '../../errors.js';
import { parseMountinfo } from '../../runtime/mountinfo.js';
import { runCommand } from '../../runtime/run-command.js';

/** True when the options ask for a device mount (type and device set). */
export function hasDeviceOptions(opts: Record<string, string> | null | undefined): opts is Record<string, string> {
  return !!opts && !!opts.type && !!opts.device;
}

/** The mount(8) argv for a volume's device (pure). */
export function deviceMountArgv(opts: Record<string, string>, target: string): string[] {
  return ['mount', '-t', opts.type!, ...(opts.o ? ['-o', opts.o] : []), opts.device!, target];
}

/** Mount points (from /proc/self/mountinfo text) at or under `dir`, deepest first (pure). */
export function mountPointsUnder(mountinfo: string, dir: string): string[] {
  return parseMountinfo(mountinfo)
    .map((m) => m.mountPoint)
    .filter((point) => point === dir || point.startsWith(dir + '/'))
    .sort((a, b) => b.length - a.length);
}

async function readMountinfo(): Promise<string> {
  return fs.readFile('/proc/self/mountinfo', 'utf8');
}

/** Mounts the device of `opts` on `target` unless something is mounted there already. */
export async function mountDevice(opts: Record<string, string>, target: string): Promise<void> {
  if (mountPointsUnder(await readMountinfo(), target).includes(target)) return;
  await fs.mkdir(target, { recursive: true });
  await runCommand(deviceMountArgv(opts, target));
}

/** Unmounts `target` if it is a mount point. */
export async function unmountDevice(target: string): Promise<void> {
  if (!mountPointsUnder(await readMountinfo(), target).includes(target)) return;
  await runCommand(['umount', target]);
}

/** Throws unless nothing is mounted at or under `dir` (so a recursive delete stays on our disk). */
export async function assertNothingMounted(dir: string): Promise<void> {
  const points = mountPointsUnder(await readMountinfo(), dir);
  if (points.length) throw systemError(`refusing to remove ${dir}: ${points[0]} is still mounted`);
}
