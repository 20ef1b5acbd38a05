import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { mkdtempSync, rmSync, readFileSync, lstatSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeHeader, padding, type TarEntry } from './tar-header.js';
import { TarRewriter } from './tar-rewriter.js';
import { safePathFilter, ociToOverlay, overlayToOci, cleanEntryPath, OPAQUE_XATTR } from './entry-filters.js';
import { extractTar, unpackLayer } from './extract.js';

function entry(name: string, type = '0', data = '', extra: Partial<TarEntry> = {}): Buffer {
  const e: TarEntry = { name, mode: 0o644, uid: 0, gid: 0, size: type === '0' ? Buffer.byteLength(data) : 0, mtime: 1700000000, type, linkname: '', uname: '', gname: '', devmajor: 0, devminor: 0, pax: {}, ...extra };
  const body = Buffer.from(type === '0' ? data : '');
  return Buffer.concat([encodeHeader(e), body, Buffer.alloc(padding(body.length))]);
}
const tarOf = (...parts: Buffer[]) => Buffer.concat([...parts, Buffer.alloc(1024)]);

async function entries(buf: Buffer, filter = safePathFilter()): Promise<TarEntry[]> {
  const seen: TarEntry[] = [];
  const rw = new TarRewriter((e) => {
    const out = filter(e);
    if (out) seen.push(...out);
    return out;
  });
  await new Promise<void>((resolve, reject) => {
    rw.on('data', () => {});
    rw.on('end', resolve);
    rw.on('error', reject);
    rw.end(buf);
  });
  return seen;
}

test('cleanEntryPath strips leading slashes and refuses escapes', () => {
  assert.equal(cleanEntryPath('/etc/passwd'), 'etc/passwd');
  assert.equal(cleanEntryPath('./a/../b'), 'b');
  assert.throws(() => cleanEntryPath('../x'), /escapes the destination/);
  assert.throws(() => cleanEntryPath('a/../../x'), /escapes the destination/);
});

test('long names survive the round trip through pax headers', async () => {
  const long = 'd/'.repeat(80) + 'file';
  const seen = await entries(tarOf(entry(long, '0', 'hello')));
  assert.equal(seen[0]!.name, long);
  assert.equal(seen[0]!.size, 5);
});

test('hostile archives are refused', async () => {
  await assert.rejects(entries(tarOf(entry('../evil', '0', 'x'))), /escapes/);
  await assert.rejects(entries(tarOf(entry('link', '2', '', { linkname: '/etc' }), entry('link/passwd', '0', 'x'))), /through a symlink/);
  await assert.rejects(entries(tarOf(entry('h', '1', '', { linkname: '../../etc/shadow' }))), /escapes/);
  const ok = await entries(tarOf(entry('/abs/file', '0', 'x'), entry('s', '2', '', { linkname: '/anywhere' })));
  assert.deepEqual(ok.map((e) => e.name), ['abs/file', 's']);
});

test('whiteouts: OCI to overlay and back', () => {
  const base: TarEntry = { name: 'a/.wh.gone', mode: 0o644, uid: 0, gid: 0, size: 0, mtime: 0, type: '0', linkname: '', uname: '', gname: '', devmajor: 0, devminor: 0, pax: {} };
  const dev = ociToOverlay(base)![0]!;
  assert.deepEqual([dev.name, dev.type, dev.devmajor, dev.devminor], ['a/gone', '3', 0, 0]);
  const opq = ociToOverlay({ ...base, name: 'a/.wh..wh..opq' })![0]!;
  assert.deepEqual([opq.name, opq.type, opq.pax[OPAQUE_XATTR]], ['a/', '5', 'y']);
  assert.equal(overlayToOci(dev)![0]!.name, 'a/.wh.gone');
  const back = overlayToOci({ ...opq, name: 'a/' })!;
  assert.deepEqual(back.map((e) => e.name), ['a/', 'a/.wh..wh..opq']);
  assert.deepEqual(back[0]!.pax, {});
  assert.equal(overlayToOci({ ...base, name: 'etc/hosts' }), null);
});

test('extractTar writes files and refuses a symlink attack without writing through it', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wharf-tar-'));
  try {
    await extractTar(Readable.from([tarOf(entry('x/', '5'), entry('x/f.txt', '0', 'content'))]), path.join(dir, 'ok'));
    assert.equal(readFileSync(path.join(dir, 'ok/x/f.txt'), 'utf8'), 'content');
    const target = path.join(dir, 'outside');
    await assert.rejects(
      extractTar(Readable.from([tarOf(entry('l', '2', '', { linkname: target }), entry('l/pwn', '0', 'x'))]), path.join(dir, 'bad')),
      /through a symlink/,
    );
    assert.equal(existsSync(path.join(target, 'pwn')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('unpackLayer creates overlay whiteouts and reports the diff id', { skip: process.getuid?.() !== 0 ? 'needs root for mknod' : false }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wharf-layer-'));
  try {
    const tar = tarOf(entry('a/', '5'), entry('a/.wh.gone', '0'), entry('a/keep', '0', 'k'));
    const { diffId, size } = await unpackLayer(Readable.from([tar]), dir);
    assert.match(diffId, /^sha256:[0-9a-f]{64}$/);
    assert.equal(size, tar.length);
    assert.ok(lstatSync(path.join(dir, 'a/gone')).isCharacterDevice());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
