/**
 * Resolving a path inside a root directory the way a container would see it: symlinks are
 * followed with the root as `/`, and `..` never climbs above the root. Used for the build
 * context (a symlink there cannot reach host files), for an image rootfs (COPY into
 * `/usr/local` when that is a symlink writes inside the rootfs, never on the host), for volume
 * copy-up and for a container's working directory.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { invalidParameter } from '../errors.js';

const MAX_LINKS = 255;

/**
 * Returns the host path of `inner` (an absolute or root-relative path) inside `root`, with every
 * existing symlink along the way resolved in scope. Missing components are kept as they are.
 * When `followLast` is false the final component is not followed (for lstat/creating).
 */
export async function resolveInRoot(root: string, inner: string, followLast = true): Promise<string> {
  const pending = inner.split('/').filter((s) => s !== '' && s !== '.');
  const done: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const seg = pending.shift()!;
    if (seg === '..') {
      done.pop();
      continue;
    }
    const candidate = path.join(root, ...done, seg);
    if (pending.length === 0 && !followLast) {
      done.push(seg);
      break;
    }
    let target: string | undefined;
    try {
      const st = await fs.lstat(candidate);
      if (st.isSymbolicLink()) target = await fs.readlink(candidate);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && (err as NodeJS.ErrnoException).code !== 'ENOTDIR') throw err;
    }
    if (target === undefined) {
      done.push(seg);
      continue;
    }
    if (++links > MAX_LINKS) throw invalidParameter(`too many links while resolving ${inner}`);
    if (target.startsWith('/')) done.length = 0;
    pending.unshift(...target.split('/').filter((s) => s !== '' && s !== '.'));
  }
  return path.join(root, ...done);
}

/** True when `p` is `root` or below it (lexically). */
export function isWithin(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (rel !== '..' && !rel.startsWith('../') && !path.isAbsolute(rel));
}
