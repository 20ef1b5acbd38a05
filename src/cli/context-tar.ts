/**
 * A minimal tar writer for the build context (ustar headers, PAX records for long names),
 * so `wharf build DIR` can send the directory as `POST /build`'s body without spawning tar.
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** One entry to write. */
export interface TarEntry {
  name: string;
  type: 'file' | 'dir' | 'symlink';
  mode: number;
  data?: Buffer;
  linkname?: string;
  mtime?: number;
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, e: TarEntry, size: number, typeflag: string): Buffer {
  const h = Buffer.alloc(512);
  h.write(name.slice(0, 100), 0, 'utf8');
  h.write(octal(e.mode & 0o7777, 8), 100);
  h.write(octal(0, 8), 108);
  h.write(octal(0, 8), 116);
  h.write(octal(size, 12), 124);
  h.write(octal(Math.floor(e.mtime ?? 0), 12), 136);
  h.write('        ', 148);
  h.write(typeflag, 156);
  if (e.linkname) h.write(e.linkname.slice(0, 100), 157, 'utf8');
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + ' ', 148);
  return h;
}

function pad(data: Buffer): Buffer[] {
  const rem = data.length % 512;
  return rem ? [data, Buffer.alloc(512 - rem)] : [data];
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = body.length + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

/** Serialises entries into a tar archive (with the two zero end blocks). */
export function writeTar(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const name = e.type === 'dir' && !e.name.endsWith('/') ? `${e.name}/` : e.name;
    if (Buffer.byteLength(name) > 100 || (e.linkname && Buffer.byteLength(e.linkname) > 100)) {
      let pax = paxRecord('path', name);
      if (e.linkname) pax += paxRecord('linkpath', e.linkname);
      const data = Buffer.from(pax);
      parts.push(header('PaxHeader', { ...e, linkname: undefined }, data.length, 'x'), ...pad(data));
    }
    const data = e.type === 'file' ? (e.data ?? Buffer.alloc(0)) : Buffer.alloc(0);
    const flag = e.type === 'file' ? '0' : e.type === 'dir' ? '5' : '2';
    parts.push(header(name, e, data.length, flag));
    if (data.length) parts.push(...pad(data));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** Collects a directory's entries (sorted, relative names), skipping names `ignore` rejects. */
export function collectDirectory(root: string, ignore: (rel: string) => boolean = () => false): TarEntry[] {
  const out: TarEntry[] = [];
  const walk = (rel: string) => {
    const names = readdirSync(join(root, rel)).sort();
    for (const n of names) {
      const r = rel ? `${rel}/${n}` : n;
      if (ignore(r)) continue;
      const full = join(root, r);
      const st = lstatSync(full);
      const mtime = st.mtimeMs / 1000;
      if (st.isSymbolicLink()) out.push({ name: r, type: 'symlink', mode: 0o777, linkname: readlinkSync(full), mtime });
      else if (st.isDirectory()) {
        out.push({ name: r, type: 'dir', mode: st.mode, mtime });
        walk(r);
      } else if (st.isFile()) out.push({ name: r, type: 'file', mode: st.mode, data: readFileSync(full), mtime });
    }
  };
  walk('');
  return out;
}

/** Reads `.dockerignore` patterns (simple globs: `*`, `?`, `**`, leading `!` re-includes). */
export function dockerignoreMatcher(text: string): (rel: string) => boolean {
  const rules = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pat = (negate ? l.slice(1) : l).replace(/^\/+/, '').replace(/\/+$/, '');
      const re = pat
        .split('**')
        .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))
        .join('.*');
      return { negate, re: new RegExp(`^${re}(/.*)?$`) };
    });
  return (rel) => {
    let ignored = false;
    for (const r of rules) if (r.re.test(rel)) ignored = !r.negate;
    return ignored;
  };
}
