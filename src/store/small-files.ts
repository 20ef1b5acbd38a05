/**
 * Small files on local disks, on the container start path: hosts, hostname, resolv.conf, the
 * runtime spec, pid and exit files, marker directories. These calls are synchronous on purpose.
 * Each costs one system call of some microseconds, where the promise API costs a thread-pool
 * round trip and several allocations per call, which together were the largest share of
 * wharfd's own CPU per container start. Nothing here waits on the disk (no fsync): durable
 * records still go through `writeJsonAtomic`.
 */
import { accessSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Makes `dir` and its missing parents, with `mode` (less the umask) for each one it makes. */
export function ensureDir(dir: string, mode?: number): void {
  mkdirSync(dir, { recursive: true, ...(mode === undefined ? {} : { mode }) });
}

/** Writes `file`; `mode` (less the umask) applies when the file is new. */
export function writeSmallFile(file: string, data: string, mode?: number): void {
  writeFileSync(file, data, mode === undefined ? undefined : { mode });
}

/** Removes a file if it is there. */
export function removeFile(file: string): void {
  rmSync(file, { force: true });
}

/** The file's text, or undefined when it cannot be read. */
export function readSmallFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The text of `file` under `root` unless it is missing or resolves (by symlinks) outside root. */
export function readFileInside(root: string, file: string): string | undefined {
  try {
    const real = realpathSync(path.join(root, file));
    return real.startsWith(root + '/') ? readFileSync(real, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

export function exists(file: string): boolean {
  try {
    accessSync(file);
    return true;
  } catch {
    return false;
  }
}

/** The device number of a path, or undefined when it does not exist. */
export function deviceOf(file: string): number | undefined {
  return statSync(file, { throwIfNoEntry: false })?.dev;
}
