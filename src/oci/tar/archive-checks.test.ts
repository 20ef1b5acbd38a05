/**
 * Archives made by GNU tar, through the extraction paths: sparse files in every format GNU tar
 * writes, and the duplicates `tar -r` appends.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, openSync, writeSync, closeSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { extractTar, unpackLayer } from './extract.js';
import { encodeHeader, padding, type TarEntry } from './tar-header.js';

let dir = '';
let original: Buffer;

function tar(args: string[]): void {
  const r = spawnSync('tar', args, { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}
const archive = (name: string) => path.join(dir, name);

/** The type of each member header, walking the sizes (the extra sparse headers of 'S' aside). */
function memberTypes(buf: Buffer): string[] {
  const types: string[] = [];
  for (let off = 0; off + 512 <= buf.length && buf[off] !== 0; ) {
    const type = String.fromCharCode(buf[off + 156]!);
    types.push(type);
    const size = parseInt(buf.toString('latin1', off + 124, off + 136).replace(/\0.*$/, '').trim() || '0', 8);
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return types;
}

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'wharf-tarcheck-'));
  mkdirSync(path.join(dir, 'src/sub'), { recursive: true });
  // 3 MiB with three small data blocks and holes between them.
  const fd = openSync(path.join(dir, 'src/sub/sparse'), 'w');
  ftruncateSync(fd, 3 << 20);
  for (const [at, text] of [[0, 'HEAD'], [1_500_000, 'MIDDLE'], [3_000_000, 'TAIL']] as const) writeSync(fd, Buffer.from(text), 0, text.length, at);
  closeSync(fd);
  original = readFileSync(path.join(dir, 'src/sub/sparse'));
  tar(['-C', path.join(dir, 'src'), '--format=gnu', '--sparse', '-cf', archive('gnu.tar'), 'sub']);
  for (const v of ['0.0', '0.1', '1.0']) tar(['-C', path.join(dir, 'src'), '--format=posix', '--sparse', `--sparse-version=${v}`, '-cf', archive(`pax-${v}.tar`), 'sub']);
  for (const [d, text] of [['one', 'first\n'], ['two', 'second\n']] as const) {
    mkdirSync(path.join(dir, d));
    writeFileSync(path.join(dir, d, 'a'), text);
  }
  tar(['-C', path.join(dir, 'one'), '-cf', archive('dup.tar'), 'a']);
  tar(['-C', path.join(dir, 'two'), '-rf', archive('dup.tar'), 'a']);
  mkdirSync(path.join(dir, 'link'));
  symlinkSync('/etc/passwd', path.join(dir, 'link/a'));
  tar(['-C', path.join(dir, 'link'), '-cf', archive('symfile.tar'), 'a']);
  tar(['-C', path.join(dir, 'two'), '-rf', archive('symfile.tar'), 'a']);
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('GNU tar really wrote the sparse forms (the test can fail)', () => {
  const gnu = readFileSync(archive('gnu.tar'));
  assert.ok(gnu.length < 64 << 10, 'holes are not stored');
  assert.deepEqual(memberTypes(gnu), ['5', 'S']);
  for (const v of ['0.0', '0.1', '1.0']) assert.match(readFileSync(archive(`pax-${v}.tar`), 'latin1'), /GNU\.sparse\./);
});

for (const v of ['0.0', '0.1', '1.0']) {
  test(`PAX sparse ${v}: a layer and a plain archive restore the whole file, holes as zeros`, async () => {
    const layer = path.join(dir, `layer-${v}`);
    const { size } = await unpackLayer(createReadStream(archive(`pax-${v}.tar`)), layer);
    assert.deepEqual(readdirSync(path.join(layer, 'sub')), ['sparse'], 'under its real name');
    assert.ok(readFileSync(path.join(layer, 'sub/sparse')).equals(original));
    assert.equal(size, 3 << 20, 'the layer size counts the real size, as Docker');
    const plain = path.join(dir, `plain-${v}`);
    await extractTar(createReadStream(archive(`pax-${v}.tar`)), plain);
    assert.ok(readFileSync(path.join(plain, 'sub/sparse')).equals(original));
  });
}

test("GNU's old sparse type is refused in Docker's words, by layers and plain archives", async () => {
  const msg = 'Error processing tar file(exit status 1): unhandled tar header type 83';
  await assert.rejects(unpackLayer(createReadStream(archive('gnu.tar')), path.join(dir, 'l-gnu')), { message: msg });
  await assert.rejects(extractTar(createReadStream(archive('gnu.tar')), path.join(dir, 'p-gnu')), { message: msg });
});

test('a sparse real name is vetted like any other', async () => {
  const data = Buffer.from('12345');
  const e: TarEntry = {
    name: 'GNUSparseFile.1/evil', mode: 0o644, uid: 0, gid: 0, size: 5, mtime: 0, type: '0', linkname: '', uname: '', gname: '', devmajor: 0, devminor: 0,
    pax: { 'GNU.sparse.size': '10', 'GNU.sparse.numblocks': '1', 'GNU.sparse.name': '../../evil', 'GNU.sparse.map': '0,5' },
  };
  const bad = Buffer.concat([encodeHeader(e), data, Buffer.alloc(padding(5)), Buffer.alloc(1024)]);
  await assert.rejects(extractTar(Readable.from([bad]), path.join(dir, 'evil')), /escapes the destination/);
  const short = { ...e, pax: { ...e.pax, 'GNU.sparse.name': 'ok', 'GNU.sparse.map': '0,4' } };
  const mismatch = Buffer.concat([encodeHeader(short), data, Buffer.alloc(padding(5)), Buffer.alloc(1024)]);
  await assert.rejects(extractTar(Readable.from([mismatch]), path.join(dir, 'mismatch')), /does not match the data stored/);
});

test("duplicates: a layer refuses them in Docker's words; a plain archive keeps the last, unless it replaces a symlink", async () => {
  const dup = 'Error processing tar file(duplicates of file paths not supported): ';
  await assert.rejects(unpackLayer(createReadStream(archive('dup.tar')), path.join(dir, 'l-dup')), { message: dup });
  await assert.rejects(unpackLayer(createReadStream(archive('symfile.tar')), path.join(dir, 'l-sym')), { message: dup });
  await extractTar(createReadStream(archive('dup.tar')), path.join(dir, 'p-dup'));
  assert.equal(readFileSync(path.join(dir, 'p-dup/a'), 'utf8'), 'second\n');
  await assert.rejects(extractTar(createReadStream(archive('symfile.tar')), path.join(dir, 'p-sym')), /comes after a symlink of the same name/);
});
