import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { mkdtempSync, rmSync, readFileSync, lstatSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { encodeHeader, padding, type TarEntry } from './tar-header.js';
import { TarRewriter } from './tar-rewriter.js';
import { safePathFilter, ociToOverlay, overlayToOci, cleanEntryPath, createOciToOverlay, createOverlayToOci, OPAQUE_XATTR } from './entry-filters.js';
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
    assert.equal(diffId, 'sha256:' + createHash('sha256').update(tar).digest('hex'));
    assert.equal(size, 1);
    assert.ok(lstatSync(path.join(dir, 'a/gone')).isCharacterDevice());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a hard link to an archive symlink is a symlink too: writing through it is refused', async () => {
  await assert.rejects(
    entries(tarOf(entry('s', '2', '', { linkname: '/etc' }), entry('h', '1', '', { linkname: 's' }), entry('h/passwd', '0', 'x'))),
    /through a symlink/,
  );
  await assert.rejects(entries(tarOf(entry('h', '1', '', { linkname: './' }))), /points at the root/);
  await assert.rejects(entries(tarOf(entry('s', '2', '', { linkname: '/etc' }), entry('h', '1', '', { linkname: 's/shadow' }))), /through a symlink/);
  // Replacing the symlink by a directory makes the path safe again.
  const ok = await entries(tarOf(entry('s', '2', '', { linkname: '/etc' }), entry('s/', '5'), entry('s/f', '0', 'x')));
  assert.deepEqual(ok.map((e) => e.name), ['s', 's/', 's/f']);
});

test('escapes are refused however they are spelled', async () => {
  for (const name of ['../x', 'a/../../x', './../x', '/../x', 'a/b/../../../x']) {
    await assert.rejects(entries(tarOf(entry(name, '0', 'x'))), /escapes the destination/, name);
  }
  const ok = await entries(tarOf(entry('a/b/../c', '0', 'x'), entry('//abs//f', '0', 'y')));
  assert.deepEqual(ok.map((e) => e.name), ['a/c', 'abs/f']);
});

test('an opaque marker keeps the directory header the layer gave, and odd whiteouts are dropped', () => {
  const base: TarEntry = { name: 'd/', mode: 0o700, uid: 7, gid: 8, size: 0, mtime: 1600000000, type: '5', linkname: '', uname: '', gname: '', devmajor: 0, devminor: 0, pax: {} };
  const filter = createOciToOverlay();
  filter(base);
  const opq = filter({ ...base, name: 'd/.wh..wh..opq', type: '0', mode: 0o755, mtime: 0, uid: 0, gid: 0 })![0]!;
  assert.deepEqual([opq.name, opq.type, opq.mode, opq.uid, opq.gid, opq.mtime, opq.pax[OPAQUE_XATTR]], ['d/', '5', 0o700, 7, 8, 1600000000, 'y']);
  assert.equal(filter({ ...base, name: 'd/.wh..wh.plnk', type: '0' }), null);
  assert.equal(filter({ ...base, name: 'd/.wh.', type: '0' }), null);
  assert.equal(filter({ ...base, name: 'd/.wh...', type: '0' }), null);
});

test('overlay export drops the root entry and the ./ prefix, as Docker layers have neither', () => {
  const e: TarEntry = { name: './', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: 0, type: '5', linkname: '', uname: '', gname: '', devmajor: 0, devminor: 0, pax: { 'SCHILY.xattr.trusted.overlay.origin': 'x' } };
  assert.equal(overlayToOci(e), null);
  assert.deepEqual(overlayToOci({ ...e, name: './bin/' })!.map((x) => [x.name, x.pax]), [['bin/', {}]]);
  assert.deepEqual(overlayToOci({ ...e, name: './bin/vi', type: '3' })!.map((x) => [x.name, x.type, x.mode]), [['bin/.wh.vi', '0', 0o600]]);
  assert.equal(overlayToOci({ ...e, name: './etc/resolv.conf', type: '0' }), null);
  assert.equal(overlayToOci({ ...e, name: './etc/resolv.conf', type: '0', size: 3 })!.length, 1);
});

test('unpackLayer keeps owners, accepts gzip and counts size like Docker', { skip: process.getuid?.() !== 0 ? 'needs root' : false }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wharf-layer-'));
  try {
    const tar = tarOf(entry('home/', '5', '', { uid: 1000, gid: 1000 }), entry('home/f', '0', 'abc', { uid: 1000, gid: 1001 }), entry('l', '2', '', { linkname: 'home/f' }), entry('h', '1', '', { linkname: 'home/f' }));
    const { diffId, size } = await unpackLayer(Readable.from([gzipSync(tar)]), dir);
    assert.equal(diffId, 'sha256:' + createHash('sha256').update(tar).digest('hex'));
    assert.equal(size, 3 + 'home/f'.length);
    const st = statSync(path.join(dir, 'home/f'));
    assert.deepEqual([st.uid, st.gid, st.nlink], [1000, 1001, 2]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('unpackLayer refuses a hostile layer and writes nothing outside', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wharf-layer-'));
  try {
    const outside = path.join(dir, 'outside');
    const tar = tarOf(entry('s', '2', '', { linkname: outside }), entry('h', '1', '', { linkname: 's' }), entry('h/pwn', '0', 'x'));
    await assert.rejects(unpackLayer(Readable.from([tar]), path.join(dir, 'layer')), (err: Error & { kind?: string }) => err.kind === 'InvalidParameter' && /h\/pwn/.test(err.message));
    assert.equal(existsSync(path.join(outside, 'pwn')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('commit export leaves out runc mount points and directories that held only them', async () => {
  const run = async (...parts: Buffer[]) => {
    const { filter, finish } = createOverlayToOci();
    const out: TarEntry[] = [];
    const rw = new TarRewriter((e) => {
      const r = filter(e);
      if (r) out.push(...r);
      return r;
    }, () => {
      const r = finish();
      out.push(...r);
      return r;
    });
    const bytes: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      rw.on('data', (d: Buffer) => bytes.push(d));
      rw.on('end', resolve);
      rw.on('error', reject);
      rw.end(tarOf(...parts));
    });
    // The rewritten archive must parse back to the same entries, data included.
    const again = await entries(Buffer.concat(bytes));
    assert.deepEqual(again.map((e) => e.name), out.map((e) => e.name));
    return out.map((e) => e.name);
  };
  const opaque = { pax: { [OPAQUE_XATTR]: 'y', 'SCHILY.xattr.trusted.overlay.origin': 'x' } };
  assert.deepEqual(
    await run(
      entry('./', '5'), entry('./etc/', '5'), entry('./etc/hosts'), entry('./etc/hostname'), entry('./etc/resolv.conf'),
      entry('./bin/', '5'), entry('./bin/vi', '3'), entry('./empty/', '5'), entry('./data/', '5'), entry('./data/x', '0', 'hi'),
      entry('./tmp/', '5', '', opaque), entry('./tmp/new', '0', 'n'), entry('./z/', '5'),
    ),
    ['bin/', 'bin/.wh.vi', 'empty/', 'data/', 'data/x', 'tmp/', 'tmp/.wh..wh..opq', 'tmp/new', 'z/'],
  );
  assert.deepEqual(
    await run(entry('./etc/', '5'), entry('./etc/hosts'), entry('./etc/passwd', '0', 'root'), entry('./etc/sub/', '5')),
    ['etc/', 'etc/passwd', 'etc/sub/'],
  );
  assert.deepEqual(await run(entry('./etc/', '5'), entry('./etc/hosts', '0', '127.0.0.1 x')), ['etc/', 'etc/hosts']);
});
