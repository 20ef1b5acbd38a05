/**
 * Entry filters for TarRewriter (pure): path safety for untrusted archives, and whiteout
 * translation between OCI layers (`.wh.NAME`, `.wh..wh..opq`) and overlayfs (char device 0:0,
 * `trusted.overlay.opaque=y`).
 */
import path from 'node:path';
import { invalidParameter } from '../../errors.js';
import type { TarEntry } from './tar-header.js';
import type { EntryFilter } from './tar-rewriter.js';

export const OPAQUE_XATTR = 'SCHILY.xattr.trusted.overlay.opaque';
const WH_PREFIX = '.wh.';
const WH_OPAQUE = '.wh..wh..opq';

/** Cleans an archive path to a relative one; throws when it climbs out of the root. */
export function cleanEntryPath(name: string): string {
  const parts: string[] = [];
  for (const seg of name.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) throw invalidParameter(`tar entry ${JSON.stringify(name)} escapes the destination directory`);
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}

/**
 * Rejects entries that would write outside the root: `..` escapes, hard links to outside, and any
 * path that goes through a symlink created earlier in the same archive. Absolute paths are made
 * relative, as Docker does.
 */
export function safePathFilter(next: EntryFilter = (e) => [e]): EntryFilter {
  const symlinks = new Set<string>();
  const throughSymlink = (p: string) => {
    const segs = p.split('/');
    for (let i = 1; i < segs.length; i++) if (symlinks.has(segs.slice(0, i).join('/'))) return true;
    return false;
  };
  return (e) => {
    const name = cleanEntryPath(e.name);
    if (name === '' && e.type !== '5') return null;
    if (throughSymlink(name)) throw invalidParameter(`tar entry ${JSON.stringify(e.name)} would be written through a symlink`);
    const out: TarEntry = { ...e, name: e.type === '5' ? (name === '' ? './' : name + '/') : name };
    if (e.type === '1') {
      const target = cleanEntryPath(e.linkname);
      if (target === '') throw invalidParameter(`hard link ${JSON.stringify(e.name)} points at the root directory`);
      if (throughSymlink(target)) throw invalidParameter(`hard link ${JSON.stringify(e.name)} points through a symlink`);
      out.linkname = target;
    }
    // A hard link to a symlink is itself a symlink (link(2) does not follow it).
    if (e.type === '2' || (e.type === '1' && symlinks.has(out.linkname))) symlinks.add(name);
    else symlinks.delete(name);
    return next(out);
  };
}

/**
 * OCI → overlay, for unpacking a layer into a lower directory. Stateless: an opaque directory
 * takes its mode and owner from the marker (Docker copies them from the directory); prefer
 * `createOciToOverlay()`, which restores the directory's own header when the layer holds it.
 */
export function ociToOverlay(e: TarEntry): TarEntry[] | null {
  return createOciToOverlay()(e);
}

/** A stateful OCI → overlay filter for one layer: remembers directory headers for opaque markers. */
export function createOciToOverlay(): EntryFilter {
  const dirs = new Map<string, TarEntry>();
  return (e) => {
    const clean = e.name.replace(/\/$/, '');
    if (e.type === '5') dirs.set(clean === '' ? '.' : clean, e);
    return convertOciEntry(e, dirs);
  };
}

function convertOciEntry(e: TarEntry, dirs: Map<string, TarEntry>): TarEntry[] | null {
  const dir = path.posix.dirname(e.name.replace(/\/$/, ''));
  const base = path.posix.basename(e.name.replace(/\/$/, ''));
  if (base === WH_OPAQUE) {
    const target = dir === '.' ? './' : dir + '/';
    const seen = dirs.get(dir);
    const meta = seen ?? { ...e, mode: e.mode & 0o7777 || 0o755 };
    return [{ ...meta, name: target, type: '5', size: 0, linkname: '', pax: { ...(seen?.pax ?? {}), [OPAQUE_XATTR]: 'y' } }];
  }
  // Other `.wh..wh.` names are aufs bookkeeping (hard-link dirs), not whiteouts: drop them.
  if (base.startsWith(WH_PREFIX + WH_PREFIX)) return null;
  if (base.startsWith(WH_PREFIX)) {
    const victim = base.slice(WH_PREFIX.length);
    if (victim === '' || victim === '.' || victim === '..') return null;
    const name = dir === '.' ? victim : `${dir}/${victim}`;
    return [{ ...e, name, type: '3', size: 0, mode: 0, linkname: '', devmajor: 0, devminor: 0, pax: {} }];
  }
  return [e];
}

/** Overlay → OCI, for exporting a container's upper directory as a layer. */
export function overlayToOci(e: TarEntry): TarEntry[] | null {
  const pax: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.pax)) if (!k.startsWith('SCHILY.xattr.trusted.overlay.')) pax[k] = v;
  // `tar -c .` names members `./x`; Docker's layers name them `x` and carry no root entry.
  const clean = e.name.replace(/\/$/, '').replace(/^(\.\/)+/, '');
  if (clean === '' || clean === '.') return null;
  e = { ...e, name: e.type === '5' ? `${clean}/` : clean };
  if (e.type === '3' && e.devmajor === 0 && e.devminor === 0) {
    const dir = path.posix.dirname(clean);
    const base = path.posix.basename(clean);
    const name = dir === '.' ? `${WH_PREFIX}${base}` : `${dir}/${WH_PREFIX}${base}`;
    return [{ ...e, name, type: '0', size: 0, mode: 0o600, pax: {} }];
  }
  if (e.type === '5' && e.pax[OPAQUE_XATTR] === 'y') {
    const marker = clean === '.' || clean === '' ? WH_OPAQUE : `${clean}/${WH_OPAQUE}`;
    return [{ ...e, pax }, { ...e, name: marker, type: '0', size: 0, mode: e.mode & 0o777, pax: {} }];
  }
  // runc creates empty mount points for the /etc files it binds; Docker leaves them out.
  if (e.type === '0' && e.size === 0 && ['etc/hosts', 'etc/hostname', 'etc/resolv.conf'].includes(clean)) return null;
  return [{ ...e, pax }];
}

interface PendingDir {
  path: string;
  entries: TarEntry[];
  emitted: boolean;
  /** It held one of runc's empty mount-point files, which was left out. */
  skipped: boolean;
}

/**
 * Overlay → OCI for a whole upper dir (commit, build steps): `overlayToOci` per entry, plus
 * Docker's view of what changed. A directory is held back until something below it is written;
 * one that held nothing but runc's empty mount points (the `etc/` copied up for /etc/hosts) is
 * left out, as Docker's init layer keeps it out of a container's diff. Call `finish` at the end.
 */
export function createOverlayToOci(): { filter: EntryFilter; finish: () => TarEntry[] } {
  const stack: PendingDir[] = [];
  const emitPending = (): TarEntry[] => {
    const out: TarEntry[] = [];
    for (const d of stack) {
      if (d.emitted) continue;
      d.emitted = true;
      out.push(...d.entries);
    }
    return out;
  };
  const leave = (name: string | null): TarEntry[] => {
    const out: TarEntry[] = [];
    while (stack.length && (name === null || !name.startsWith(stack.at(-1)!.path + '/'))) {
      const top = stack.pop()!;
      if (!top.emitted && !top.skipped) out.push(...emitPending(), ...top.entries);
    }
    return out;
  };
  const filter: EntryFilter = (e) => {
    const name = e.name.replace(/\/$/, '').replace(/^(\.\/)+/, '');
    if (name === '' || name === '.') return null;
    const converted = overlayToOci(e);
    const out = leave(name);
    if (converted === null) {
      const parent = stack.at(-1);
      if (parent && name.startsWith(parent.path + '/')) parent.skipped = true;
    } else if (e.type === '5') {
      stack.push({ path: name, entries: converted, emitted: false, skipped: false });
      if (converted.length > 1) out.push(...emitPending()); // opaque: the marker is a change
    } else out.push(...emitPending(), ...converted);
    return out.length ? out : null;
  };
  return { filter, finish: () => leave(null) };
}
