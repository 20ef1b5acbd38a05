/**
 * ustar/pax/GNU tar header codec (pure). Only what layers, build contexts and archives use.
 */
import { foldSparseRecords, sparseRecords, type SparseInfo } from './sparse.js';

export const BLOCK = 512;

export interface TarEntry {
  name: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  /** '0' file, '1' hard link, '2' symlink, '3' char dev, '4' block dev, '5' dir, '6' fifo. */
  type: string;
  linkname: string;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
  /** PAX records that apply to this entry (xattrs as SCHILY.xattr.*). */
  pax: Record<string, string>;
  /** A GNU sparse regular file (PAX formats): `size` is then the size of the data stored. */
  sparse?: SparseInfo;
}

function readString(buf: Buffer, off: number, len: number): string {
  const end = buf.indexOf(0, off);
  return buf.toString('utf8', off, end >= 0 && end < off + len ? end : off + len);
}

function readOctal(buf: Buffer, off: number, len: number): number {
  if (buf[off]! & 0x80) {
    // GNU base-256 for large values
    let v = 0;
    for (let i = off + 1; i < off + len; i++) v = v * 256 + buf[i]!;
    return v;
  }
  const s = readString(buf, off, len).trim();
  return s ? parseInt(s, 8) : 0;
}

/** True when the block is all zeros (end-of-archive marker). */
export function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

/** Parses one header block; throws on a bad checksum. */
export function decodeHeader(block: Buffer): Omit<TarEntry, 'pax'> {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  const stored = readOctal(block, 148, 8);
  if (stored !== sum) throw new Error('invalid tar header checksum');
  const magic = block.toString('latin1', 257, 263);
  let name = readString(block, 0, 100);
  if (magic.startsWith('ustar')) {
    const prefix = readString(block, 345, 155);
    if (prefix && magic === 'ustar\u0000') name = `${prefix}/${name}`;
  }
  return {
    name,
    mode: readOctal(block, 100, 8),
    uid: readOctal(block, 108, 8),
    gid: readOctal(block, 116, 8),
    size: readOctal(block, 124, 12),
    mtime: readOctal(block, 136, 12),
    type: String.fromCharCode(block[156] || 48),
    linkname: readString(block, 157, 100),
    uname: readString(block, 265, 32),
    gname: readString(block, 297, 32),
    devmajor: readOctal(block, 329, 8),
    devminor: readOctal(block, 337, 8),
  };
}

/** Parses a PAX extended header body into records (GNU sparse 0.0 blocks folded into a map). */
export function decodePax(body: Buffer): Record<string, string> {
  const out: [string, string][] = [];
  let off = 0;
  while (off < body.length) {
    const sp = body.indexOf(0x20, off);
    if (sp < 0) break;
    const len = parseInt(body.toString('utf8', off, sp), 10);
    if (!len || len <= 0) break;
    const rec = body.toString('utf8', sp + 1, off + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out.push([rec.slice(0, eq), rec.slice(eq + 1)]);
    off += len;
  }
  return foldSparseRecords(out);
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

function writeOctal(buf: Buffer, off: number, len: number, value: number): void {
  buf.write(value.toString(8).padStart(len - 1, '0') + '\0', off, len, 'latin1');
}

function plainHeader(e: Omit<TarEntry, 'pax'>, name: string, linkname: string): Buffer {
  const b = Buffer.alloc(BLOCK);
  b.write(name, 0, 100, 'utf8');
  writeOctal(b, 100, 8, e.mode & 0o7777);
  writeOctal(b, 108, 8, e.uid);
  writeOctal(b, 116, 8, e.gid);
  writeOctal(b, 124, 12, e.size);
  writeOctal(b, 136, 12, Math.max(0, Math.floor(e.mtime)));
  b.fill(32, 148, 156);
  b.write(e.type, 156, 1, 'latin1');
  b.write(linkname, 157, 100, 'utf8');
  b.write('ustar\u000000', 257, 8, 'latin1');
  b.write(e.uname, 265, 32, 'utf8');
  b.write(e.gname, 297, 32, 'utf8');
  writeOctal(b, 329, 8, e.devmajor);
  writeOctal(b, 337, 8, e.devminor);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += b[i]!;
  b.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'latin1');
  return b;
}

/** Encodes an entry's header blocks (a PAX header first when names are long or records exist). */
export function encodeHeader(e: TarEntry): Buffer {
  const pax: Record<string, string> = { ...(e.sparse && e.type === '0' ? sparseRecords(e.sparse, e.name) : {}), ...e.pax };
  if (Buffer.byteLength(e.name) > 100) pax.path = e.name;
  if (Buffer.byteLength(e.linkname) > 100) pax.linkpath = e.linkname;
  const main = plainHeader(e, Buffer.byteLength(e.name) > 100 ? e.name.slice(0, 99) : e.name, Buffer.byteLength(e.linkname) > 100 ? '' : e.linkname);
  const keys = Object.keys(pax);
  if (keys.length === 0) return main;
  const body = Buffer.from(keys.map((k) => paxRecord(k, pax[k]!)).join(''));
  const paxHead = plainHeader({ ...e, type: 'x', size: body.length, linkname: '', devmajor: 0, devminor: 0 }, 'PaxHeader', '');
  return Buffer.concat([paxHead, body, Buffer.alloc(padding(body.length)), main]);
}

/** Bytes of zero padding after `size` bytes of entry data. */
export function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/** One step of a tar rewrite: an entry in, the entries to write out (none to drop it), or null. */
export type EntryFilter = (e: TarEntry) => TarEntry[] | null;
