/**
 * Crash-safe file writes: write a temporary file in the same directory, fsync it, rename it over
 * the target. A reader sees the old content or the new, never half. When the target is new, the
 * directory is fsynced too, so that the new name survives a power loss; a replaced file keeps its
 * name either way (after a power loss it holds the old content or the new one).
 *
 * The files written here are small records (a few KiB), so the open, write, close and rename are
 * synchronous calls: each takes microseconds, while a trip through libuv's thread pool costs a
 * few hundred. Only the fsyncs, which wait for the disk, go to the thread pool.
 */
import { promises as fs, openSync, writeSync, fsyncSync, fsync, closeSync, renameSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { RECORD_MODE, ROOT_DIR_MODE } from './private-modes.js';

function tempName(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** True for the name of a temporary file of writeFileAtomic (what a crash before its rename leaves). */
export function isAtomicTemp(name: string): boolean {
  return /^\..+\.[0-9a-f]{12}\.tmp$/.test(name);
}

function fsyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));
}

function writeAll(fd: number, data: string | Uint8Array): void {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
}

/** A write or fsync error names no file: give it the file's path, as Go's errors do. */
function withPath(err: unknown, file: string): unknown {
  const e = err as NodeJS.ErrnoException;
  if (e instanceof Error && typeof e.code === 'string' && e.path === undefined) e.path = file;
  return err;
}

/**
 * Atomically replaces `target` with `data`. Creates the parent directory if needed, private to
 * root (0710, as Docker's containers/<id>). Records are root's alone by default (0600): they hold
 * the environment given with `-e`.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array, mode = RECORD_MODE): Promise<void> {
  const dir = path.dirname(target);
  mkdirSync(dir, { recursive: true, mode: ROOT_DIR_MODE });
  const isNew = !existsSync(target);
  const tmp = tempName(target);
  const fd = openSync(tmp, 'w', mode);
  try {
    writeAll(fd, data);
    await fsyncAsync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw withPath(err, tmp);
  }
  closeSync(fd);
  try {
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  if (isNew) await syncDir(dir);
}

/** Synchronous twin of writeFileAtomic, for shutdown paths that cannot await. */
export function writeFileAtomicSync(target: string, data: string | Uint8Array, mode = RECORD_MODE): void {
  mkdirSync(path.dirname(target), { recursive: true, mode: ROOT_DIR_MODE });
  const tmp = tempName(target);
  const fd = openSync(tmp, 'w', mode);
  try {
    writeAll(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, target);
}

/** Atomically writes `value` as pretty JSON. */
export function writeJsonAtomic(target: string, value: unknown): Promise<void> {
  return writeFileAtomic(target, JSON.stringify(value, null, 2) + '\n');
}

/** Reads JSON, or returns undefined when the file does not exist. */
export async function readJsonIfExists<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function syncDir(dir: string): Promise<void> {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    await fsyncAsync(fd);
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic there.
  } finally {
    closeSync(fd);
  }
}
