/**
 * Issue 12, finding 3, against a real wharfd with the docker CLI: sparse files in `docker
 * import` come out whole (checked inside a container) or, in GNU's old format, are refused in
 * Docker 20.10's words; duplicate paths in a layer are refused (import and load) and leave no
 * image, no layer and nothing in the image store's temporary directories; build contexts go
 * through the same checks.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { REPO, TestDaemon } from './daemon-harness.js';

const d = new TestDaemon();
const work = path.join(d.dir, 'tars');
const at = (...p: string[]) => path.join(work, ...p);
let sparseMd5 = '';

const UNHANDLED_S = 'Error processing tar file(exit status 1): unhandled tar header type 83';
const DUPLICATES = 'Error processing tar file(duplicates of file paths not supported): ';

function tar(args: string[]): void {
  const r = spawnSync('tar', args, { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** What an import or load may leave behind: images, layers and temporary directories. */
function storeState(): string {
  const list = (rel: string) => readdirSync(path.join(d.dataRoot, rel)).sort().join(',');
  return [d.docker(['images', '-aq', '--no-trunc']).stdout, list('image/layers'), list('image/tmp'), list('image/images')].join('|');
}

/** A docker-archive of one image whose single layer is `layerTar`. */
function dockerArchive(name: string, layerTar: string): string {
  const root = at(`${name}-archive`);
  mkdirSync(path.join(root, 'l'), { recursive: true });
  writeFileSync(path.join(root, 'l/layer.tar'), readFileSync(layerTar));
  const config = JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(layerTar)}`] } });
  const configName = createHash('sha256').update(config).digest('hex') + '.json';
  writeFileSync(path.join(root, configName), config);
  writeFileSync(path.join(root, 'manifest.json'), JSON.stringify([{ Config: configName, RepoTags: [`${name}:latest`], Layers: ['l/layer.tar'] }]));
  tar(['-C', root, '-cf', at(`${name}-load.tar`), 'manifest.json', configName, 'l/layer.tar']);
  return at(`${name}-load.tar`);
}

before(async () => {
  await d.start();
  d.importBusybox();
  // A busybox rootfs with a 3 MiB file that is mostly holes.
  mkdirSync(at('rootfs'), { recursive: true });
  const busybox = spawnSync(path.join(REPO, 'scripts/make-busybox-tar.sh'), [], { maxBuffer: 64 << 20 });
  assert.equal(spawnSync('tar', ['-C', at('rootfs'), '-xf', '-'], { input: busybox.stdout }).status, 0);
  const fd = openSync(at('rootfs/sparse'), 'w');
  ftruncateSync(fd, 3 << 20);
  for (const [off, text] of [[0, 'HEAD'], [1_500_000, 'MIDDLE'], [3_000_000, 'TAIL']] as const) writeSync(fd, Buffer.from(text), 0, text.length, off);
  closeSync(fd);
  sparseMd5 = createHash('md5').update(readFileSync(at('rootfs/sparse'))).digest('hex');
  for (const v of ['0.0', '0.1', '1.0']) tar(['-C', at('rootfs'), '--format=posix', '--sparse', `--sparse-version=${v}`, '-cf', at(`pax-${v}.tar`), '.']);
  tar(['-C', at('rootfs'), '--format=gnu', '--sparse', '-cf', at('gnu-sparse.tar'), 'sparse']);
  for (const [dir, text] of [['one', 'first\n'], ['two', 'second\n']] as const) {
    mkdirSync(at(dir));
    writeFileSync(at(dir, 'a'), text);
  }
  tar(['-C', at('one'), '-cf', at('dup.tar'), 'a']);
  tar(['-C', at('two'), '-rf', at('dup.tar'), 'a']);
  mkdirSync(at('link'));
  symlinkSync('/etc/passwd', at('link/a'));
  tar(['-C', at('link'), '-cf', at('symfile.tar'), 'a']);
  tar(['-C', at('two'), '-rf', at('symfile.tar'), 'a']);
  mkdirSync(at('dirs/d'), { recursive: true });
  tar(['-C', at('dirs'), '-cf', at('dupdir.tar'), 'd']);
  tar(['-C', at('dirs'), '-rf', at('dupdir.tar'), 'd']);
});

after(async () => {
  await d.stop();
});

for (const v of ['0.0', '0.1', '1.0']) {
  test(`import: a PAX ${v} sparse file comes out whole (md5sum inside a container)`, () => {
    const imported = d.docker(['import', at(`pax-${v}.tar`), `sparse-${v.replace('.', '')}`]);
    assert.equal(imported.code, 0, imported.stderr);
    const r = d.docker(['run', '--rm', `sparse-${v.replace('.', '')}`, 'sh', '-c', 'md5sum /sparse && stat -c %s /sparse']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${sparseMd5}  /sparse\n${3 << 20}\n`);
  });
}

for (const [file, message] of [['gnu-sparse.tar', UNHANDLED_S], ['dup.tar', DUPLICATES], ['symfile.tar', DUPLICATES], ['dupdir.tar', DUPLICATES]] as const) {
  test(`import of ${file} is refused as by Docker 20.10 and leaves nothing behind`, () => {
    const before = storeState();
    const r = d.docker(['import', at(file), 'refused']);
    assert.notEqual(r.code, 0);
    assert.equal(r.stderr.trim(), `Error response from daemon: ${message}`.trim());
    assert.equal(storeState(), before);
    assert.deepEqual(readdirSync(path.join(d.dataRoot, 'image/tmp')), []);
    assert.ok(!readdirSync(path.join(d.dataRoot, 'image/layers')).some((n) => n.startsWith('tmp-')));
  });
}

test('load: a layer with a duplicate path or a GNU sparse member is refused, and nothing stays', () => {
  for (const [name, layer, message] of [['dupload', at('dup.tar'), DUPLICATES], ['sparseload', at('gnu-sparse.tar'), UNHANDLED_S]] as const) {
    const archive = dockerArchive(name, layer);
    const before = storeState();
    const r = d.docker(['load', '-i', archive]);
    assert.notEqual(r.code, 0);
    assert.equal(r.stderr.trim(), message.trim());
    assert.equal(storeState(), before);
  }
});

test('build: a context with a GNU sparse member is refused as by Docker; a PAX sparse one is copied whole', () => {
  mkdirSync(at('ctx'));
  writeFileSync(at('ctx/Dockerfile'), 'FROM busybox\nCOPY sparse /copied\n');
  // The Dockerfile first, in plain ustar (the docker CLI sniffs the context's first header),
  // then the sparse file as GNU tar writes it (`tar -r` would not write it sparse).
  tar(['-C', at('ctx'), '--format=ustar', '-cf', at('ctx-head.tar'), 'Dockerfile']);
  const head = readFileSync(at('ctx-head.tar')).subarray(0, 1024);
  const context = (sparseTar: string) => Buffer.concat([head, readFileSync(sparseTar)]);
  tar(['-C', at('rootfs'), '--format=posix', '--sparse', '--sparse-version=1.0', '-cf', at('sparse-1.0.tar'), 'sparse']);
  const refused = d.docker(['build', '-'], context(at('gnu-sparse.tar')));
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, new RegExp(`Error response from daemon: ${UNHANDLED_S.replace(/[()]/g, '\\$&')}`));
  assert.deepEqual(readdirSync(path.join(d.dataRoot, 'tmp/build')), [], 'the context was removed');
  const built = d.docker(['build', '-q', '-t', 'sparse-ctx', '-'], context(at('sparse-1.0.tar')));
  assert.equal(built.code, 0, built.stderr);
  const r = d.docker(['run', '--rm', 'sparse-ctx', 'md5sum', '/copied']);
  assert.equal(r.stdout, `${sparseMd5}  /copied\n`);
});
