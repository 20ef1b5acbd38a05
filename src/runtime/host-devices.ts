/**
 * Reads device nodes of the host for `--device` and `--privileged`: type, major and minor
 * numbers, mode and owner, as runc's device library reads them. A thin adapter: it stats and
 * lists, the engine decides what the container gets.
 */
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SpecDevice } from '../oci/runtime-spec.js';

/** A device node of the host, as the spec lists it; `path` is where it is on the host. */
export type HostDevice = SpecDevice;

/** Why a path gave no device: runc's wording, which Docker puts into its error. */
export class NotADeviceError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

const S_IFMT = 0o170000n;
const TYPES: Record<string, HostDevice['type']> = { [String(0o020000)]: 'c', [String(0o060000)]: 'b', [String(0o010000)]: 'p' };

/** The device node at `p` (not following a final symbolic link); NotADeviceError otherwise. */
export function deviceAt(p: string): HostDevice {
  let st;
  try {
    st = lstatSync(p, { bigint: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new NotADeviceError(code === 'ENOENT' ? 'no such file or directory' : code === 'ENOTDIR' ? 'not a directory' : (err as Error).message);
  }
  const type = TYPES[String(st.mode & S_IFMT)];
  if (!type) throw new NotADeviceError('not a device node');
  const dev = st.rdev;
  return {
    path: p, type,
    major: Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn)),
    minor: Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn)),
    fileMode: Number(st.mode & 0o7777n), uid: Number(st.uid), gid: Number(st.gid),
  };
}

/**
 * What `--device <pathOnHost>` names, as Docker gathers it: a symbolic link is followed; a
 * device node is itself; a directory gives every device node below it (in walk order). Throws
 * NotADeviceError (with the reason for `pathOnHost` itself) when there is none.
 */
export function gatherDevices(pathOnHost: string): { resolved: string; devices: HostDevice[] } {
  let resolved = pathOnHost;
  try {
    if (lstatSync(pathOnHost).isSymbolicLink()) resolved = realpathSync(pathOnHost);
  } catch {
    // deviceAt reports it
  }
  try {
    return { resolved, devices: [deviceAt(resolved)] };
  } catch (err) {
    if (!(err instanceof NotADeviceError) || err.reason !== 'not a device node' || !isDirectory(resolved)) throw err;
    const devices = walk(resolved, () => true);
    if (!devices.length) throw err;
    return { resolved, devices };
  }
}

/** Every device node of the host's /dev, as runc's HostDevices lists them for `--privileged`. */
export function hostDevices(dev = '/dev'): HostDevice[] {
  const skipDirs = new Set(['pts', 'shm', 'fd', 'mqueue', '.lxc', '.lxd-mounts', '.udev']);
  return walk(dev, (name, isDir) => (isDir ? !skipDirs.has(name) : name !== 'console')).filter((d) => d.type !== 'p');
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function walk(dir: string, keep: (name: string, isDir: boolean) => boolean): HostDevice[] {
  const out: HostDevice[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (!keep(e.name, e.isDirectory())) continue;
    if (e.isDirectory()) out.push(...walk(p, keep));
    else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
      try {
        out.push(deviceAt(p));
      } catch {
        // gone meanwhile
      }
    }
  }
  return out;
}
