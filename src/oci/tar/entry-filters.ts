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
      if (throughSymlink(target)) throw invalidParameter(`hard link ${JSON.stringify(e.name)} points through a symlink`);
      out.linkname = target;
    }
    if (e.type === '2') symlinks.add(name);
    else symlinks.delete(name);
    return next(out);
  };
}

/** OCI → overlay, for unpacking a layer into a lower directory. */
export function ociToOverlay(e: TarEntry): TarEntry[] | null {
  const dir = path.posix.dirname(e.name.replace(/\/$/, ''));
  const base = path.posix.basename(e.name.replace(/\/$/, ''));
  if (base === WH_OPAQUE) {
    const target = dir === '.' ? './' : dir + '/';
    return [{ ...e, name: target, type: '5', size: 0, mode: 0o755, linkname: '', pax: { [OPAQUE_XATTR]: 'y' } }];
  }
  if (base.startsWith(WH_PREFIX)) {
    const victim = base.slice(WH_PREFIX.length);
    const name = dir === '.' ? victim : `${dir}/${victim}`;
    return [{ ...e, name, type: '3', size: 0, mode: 0, linkname: '', devmajor: 0, devminor: 0, pax: {} }];
  }
  return [e];
}

/** Overlay → OCI, for exporting a container's upper directory as a layer. */
export function overlayToOci(e: TarEntry): TarEntry[] | null {
  const pax: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.pax)) if (!k.startsWith('SCHILY.xattr.trusted.overlay.')) pax[k] = v;
  const clean = e.name.replace(/\/$/, '');
  if (e.type === '3' && e.devmajor === 0 && e.devminor === 0) {
    const dir = path.posix.dirname(clean);
    const base = path.posix.basename(clean);
    const name = dir === '.' ? `${WH_PREFIX}${base}` : `${dir}/${WH_PREFIX}${base}`;
    return [{ ...e, name, type: '0', size: 0, mode: 0o600, pax: {} }];
  }
  if (e.type === '5' && e.pax[OPAQUE_XATTR] === 'y') {
    const marker = clean === '.' || clean === '' ? WH_OPAQUE : `${clean}/${WH_OPAQUE}`;
    return [{ ...e, pax }, { ...e, name: marker, type: '0', size: 0, mode: 0o600, pax: {} }];
  }
  // runc creates empty mount points for the /etc files it binds; Docker leaves them out.
  if (e.type === '0' && e.size === 0 && ['etc/hosts', 'etc/hostname', 'etc/resolv.conf'].includes(clean.replace(/^\.\//, ''))) return null;
  return [{ ...e, pax }];
}
