import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeHeader, padding, type TarEntry } from '../../oci/tar/tar-header.js';
import { ImageStore } from './image-store.js';
import { ImageTransfer, parseManifest } from './image-transfer.js';

function layerTar(files: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, data] of Object.entries(files)) {
    const e: TarEntry = { name, mode: 0o644, uid: 0, gid: 0, size: Buffer.byteLength(data), mtime: 1700000000, type: '0', linkname: '', uname: '', gname: '', devmajor: 0, devminor: 0, pax: {} };
    parts.push(encodeHeader(e), Buffer.from(data), Buffer.alloc(padding(Buffer.byteLength(data))));
  }
  return Buffer.concat([...parts, Buffer.alloc(1024)]);
}

async function withStore(fn: (store: ImageStore, transfer: ImageTransfer) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wharf-images-'));
  let t = Date.parse('2026-01-01T00:00:00Z');
  try {
    const store = new ImageStore(dir);
    await store.init();
    await fn(store, new ImageTransfer(store, () => new Date((t += 1000)), (cfg) => cfg));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const none = () => [];
const shortOf = (id: string) => id.slice(7, 19);

test('import: Docker 20.10 shape, content-addressed id, list and inspect views', () =>
  withStore(async (store, transfer) => {
    const img = await transfer.importRootfs(Readable.from([layerTar({ 'bin/sh': 'abc' })]), { ref: 'busybox' });
    assert.equal(img.config.comment, 'Imported from -');
    assert.deepEqual(img.config.history, [{ created: '2026-01-01T00:00:01.000Z', comment: 'Imported from -' }]);
    const view = await store.inspect('docker.io/library/busybox:latest');
    assert.deepEqual([view.Id, view.RepoTags, view.Comment, view.Size, view.Parent], [img.id, ['busybox:latest'], 'Imported from -', 3, '']);
    const [row] = await store.list({ all: false, filters: {} });
    assert.deepEqual([row!.RepoTags, row!.RepoDigests, row!.Containers, row!.Size], [['busybox:latest'], null, -1, 3]);
    assert.equal(store.resolve(shortOf(img.id)).id, img.id);
    assert.throws(() => store.resolve('nope'), { message: 'No such image: nope:latest' });
    await assert.rejects(store.inspect('nope'), { message: 'no such image: nope: No such image: nope:latest' });
  }));

test('rmi follows Docker: untag first, delete with the layers, conflicts worded as Docker words them', () =>
  withStore(async (store, transfer) => {
    const a = await transfer.importRootfs(Readable.from([layerTar({ a: '1' })]), { ref: 'a:1' });
    await store.tag('a:1', 'a', '2');
    const running = () => [{ id: 'c'.repeat(64), running: true }];
    // Two tags: removing one only untags.
    assert.deepEqual(await store.remove('a:2', { force: false, noprune: false }, running), [{ Untagged: 'a:2' }]);
    await assert.rejects(store.remove('a:1', { force: false, noprune: false }, running), {
      message: `conflict: unable to remove repository reference "a:1" (must force) - container cccccccccccc is using its referenced image ${shortOf(a.id)}`,
    });
    // Forced by tag while a container runs: Docker untags and keeps the image.
    assert.deepEqual(await store.remove('a:1', { force: true, noprune: false }, running), [{ Untagged: 'a:1' }]);
    await assert.rejects(store.remove(a.id, { force: true, noprune: false }, running), {
      message: `conflict: unable to delete ${shortOf(a.id)} (cannot be forced) - image is being used by running container cccccccccccc`,
    });
    const deleted = await store.remove(shortOf(a.id), { force: false, noprune: false }, none);
    assert.deepEqual(deleted, [{ Deleted: a.id }, { Deleted: a.config.rootfs.diff_ids[0] }]);
    assert.equal(store.count(), 0);
  }));

test('rmi by id: several tags need force; child images block even a forced delete; parents are pruned', () =>
  withStore(async (store, transfer) => {
    const base = await transfer.importRootfs(Readable.from([layerTar({ b: '1' })]), { ref: 'base:1' });
    await store.tag('base:1', 'other', 'x');
    await assert.rejects(store.remove(base.id, { force: false, noprune: false }, none), {
      message: `conflict: unable to delete ${shortOf(base.id)} (must be forced) - image is referenced in multiple repositories`,
    });
    const mid = await transfer.commit({ parent: base, config: base.config.config, emptyLayer: true, createdBy: 'step 1' });
    const top = await transfer.commit({ parent: mid, config: base.config.config, emptyLayer: true, createdBy: 'step 2', ref: 'top:1' });
    await assert.rejects(store.remove(mid.id, { force: true, noprune: false }, none), {
      message: `conflict: unable to delete ${shortOf(mid.id)} (cannot be forced) - image has dependent child images`,
    });
    const hist = await store.history('top:1');
    assert.deepEqual(hist.map((h) => [h.Id, h.Tags, h.CreatedBy]), [
      [top.id, ['top:1'], 'step 2'], [mid.id, null, 'step 1'], [base.id, ['base:1', 'other:x'], ''],
    ]);
    const listed = await store.list({ all: false, filters: {} });
    assert.deepEqual(listed.map((i) => i.Id), [top.id, base.id], 'intermediate images only with all');
    assert.deepEqual((await store.list({ all: true, filters: { before: ['top:1'] } })).map((i) => i.Id), [mid.id, base.id]);
    assert.deepEqual((await store.list({ all: true, filters: { since: [mid.id] } })).map((i) => i.Id), [top.id]);
    // Deleting the top prunes the untagged parent, and stops at the tagged base.
    assert.deepEqual(await store.remove('top:1', { force: false, noprune: false }, none), [
      { Untagged: 'top:1' }, { Deleted: top.id }, { Deleted: mid.id },
    ]);
    assert.equal(store.count(), 1);
  }));

test('docker-archive manifests are checked before anything is read', () => {
  assert.deepEqual(parseManifest('[{"Config":"c.json","RepoTags":null,"Layers":["l/layer.tar"]}]'), [
    { Config: 'c.json', RepoTags: null, Layers: ['l/layer.tar'] },
  ]);
  assert.throws(() => parseManifest('{'), /not valid JSON/);
  assert.throws(() => parseManifest('{}'), /not a list/);
  assert.throws(() => parseManifest('[{"Layers":[]}]'), /entry 0 has no Config/);
  assert.throws(() => parseManifest('[{"Config":"c","Layers":[1]}]'), /invalid Layers/);
  assert.throws(() => parseManifest('[{"Config":"c","Layers":[],"RepoTags":"x"}]'), /invalid RepoTags/);
});

function archive(entries: { name: string; data?: Buffer | string; linkname?: string }[]): Buffer {
  const parts: Buffer[] = [];
  for (const { name, data, linkname } of entries) {
    const body = Buffer.from(data ?? '');
    const e: TarEntry = { name, mode: 0o644, uid: 0, gid: 0, size: linkname ? 0 : body.length, mtime: 0, type: linkname ? '2' : '0', linkname: linkname ?? '', uname: '', gname: '', devmajor: 0, devminor: 0, pax: {} };
    parts.push(encodeHeader(e));
    if (!linkname) parts.push(body, Buffer.alloc(padding(body.length)));
  }
  return Buffer.concat([...parts, Buffer.alloc(1024)]);
}

test('load refuses manifest paths that leave the archive, and a failed load keeps no layers', () =>
  withStore(async (store, transfer) => {
    const outside = path.join(store.root, 'outside.tar');
    const good = layerTar({ f: 'good' });
    const { createHash } = await import('node:crypto');
    const diff = 'sha256:' + createHash('sha256').update(good).digest('hex');
    const cfg = JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, created: '2026-01-01T00:00:00Z', history: [], rootfs: { type: 'layers', diff_ids: [diff, diff] } });
    writeFileSync(outside, good);
    const manifest = (layers: string[]) => JSON.stringify([{ Config: 'c.json', RepoTags: ['x:1'], Layers: layers }]);
    await assert.rejects(
      transfer.load(Readable.from([archive([{ name: 'manifest.json', data: manifest(['l/layer.tar', 'm/layer.tar']) }, { name: 'c.json', data: cfg }, { name: 'l/layer.tar', linkname: outside }])])),
      /l\/layer.tar is outside the archive/,
    );
    await assert.rejects(
      transfer.load(Readable.from([archive([{ name: 'manifest.json', data: manifest(['../../x', 'l/layer.tar']) }, { name: 'c.json', data: cfg }])])),
      /\.\.\/\.\.\/x is (outside|missing from) the archive/,
    );
    // First layer is good, second one is tampered: the first must not stay behind.
    await assert.rejects(
      transfer.load(Readable.from([archive([
        { name: 'manifest.json', data: manifest(['l/layer.tar', 'm/layer.tar']) }, { name: 'c.json', data: cfg },
        { name: 'l/layer.tar', data: good }, { name: 'm/layer.tar', data: layerTar({ f: 'evil' }) },
      ])])),
      /digest mismatch/,
    );
    assert.equal(await store.layers.get(diff), undefined);
    assert.equal(store.count(), 0);
  }));

test('digest references: RepoDigests in inspect and list, found by name@digest, untagged with the last tag of their repository', () =>
  withStore(async (store, transfer) => {
    const D = 'sha256:' + 'd'.repeat(64);
    const img = await transfer.importRootfs(Readable.from([layerTar({ 'a': '1' })]), { ref: '127.0.0.1:5000/cf-hello:1.0' });
    await store.tag(img.id, `127.0.0.1:5000/cf-hello@${D}`, '');
    assert.equal(store.find(`127.0.0.1:5000/cf-hello@${D}`)?.id, img.id);
    assert.equal(store.find(`127.0.0.1:5000/cf-hello@sha256:${'e'.repeat(64)}`), undefined);
    const view = await store.inspect('127.0.0.1:5000/cf-hello:1.0');
    assert.deepEqual([view.RepoTags, view.RepoDigests], [['127.0.0.1:5000/cf-hello:1.0'], [`127.0.0.1:5000/cf-hello@${D}`]]);
    const row = (await store.list({ all: false, filters: {} })).find((r) => r.Id === img.id)!;
    assert.deepEqual([row.RepoTags, row.RepoDigests], [['127.0.0.1:5000/cf-hello:1.0'], [`127.0.0.1:5000/cf-hello@${D}`]]);
    assert.deepEqual(await store.remove('127.0.0.1:5000/cf-hello:1.0', { force: false, noprune: false }, none), [
      { Untagged: '127.0.0.1:5000/cf-hello:1.0' }, { Untagged: `127.0.0.1:5000/cf-hello@${D}` }, { Deleted: img.id }, { Deleted: img.config.rootfs.diff_ids[0]! },
    ]);
  }));
