import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeHeader, padding, type TarEntry } from '../../oci/tar/tar-header.js';
import { ImageStore } from './image-store.js';
import { ImageTransfer } from './image-transfer.js';
import { imageIdOf } from './image-record.js';
import { recoverImages } from './image-recovery.js';

/** What the daemon does at start-up: opens the store, then recovers it. */
async function reopen(root: string): Promise<ImageStore> {
  const store = new ImageStore(root);
  await store.init();
  await recoverImages(store, () => {});
  return store;
}

function layerTar(name: string, data: string): Buffer {
  const e: TarEntry = { name, mode: 0o644, uid: 0, gid: 0, size: data.length, mtime: 1700000000, type: '0', linkname: '', uname: '', gname: '', devmajor: 0, devminor: 0, pax: {} };
  return Buffer.concat([encodeHeader(e), Buffer.from(data), Buffer.alloc(padding(data.length)), Buffer.alloc(1024)]);
}

test('start-up finishes a tagged add whose config was written, drops the rest, and prunes layers and links', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'wharf-image-recovery-'));
  try {
    const store = new ImageStore(root);
    await store.init();
    const transfer = new ImageTransfer(store, () => new Date(0), (cfg) => cfg);
    const kept = await transfer.importRootfs(Readable.from([layerTar('a', 'kept')]), {});
    // A commit cut after its config was written: the intent names the tag it was to get.
    const cut = await transfer.importRootfs(Readable.from([layerTar('b', 'cut')]), {});
    mkdirSync(path.join(root, 'tmp', 'op1'), { recursive: true });
    writeFileSync(path.join(root, 'tmp', 'op1', 'intent.json'), JSON.stringify({ id: cut.id, tags: ['snap:1'] }));
    // A load cut before its config: its intent names an image that is not there; its layer is unused.
    const orphan = await store.layers.add(null, Readable.from([layerTar('c', 'orphan')]));
    mkdirSync(path.join(root, 'tmp', 'op2'), { recursive: true });
    writeFileSync(path.join(root, 'tmp', 'op2', 'intent.json'), JSON.stringify({ id: imageIdOf(Buffer.from('{}')), tags: ['never:1'] }));
    writeFileSync(path.join(root, 'tmp', 'op2', 'layer.tar'), 'partial');
    // A layer renamed into place without its link, and a link that leads nowhere.
    const keptLayer = (await store.layers.get(kept.config.rootfs.diff_ids[0]!))!;
    rmSync(path.join(root, 'l', keptLayer.short));
    symlinkSync('../layers/gone/diff', path.join(root, 'l', 'DANGLING'));

    const again = new ImageStore(root);
    await again.init();
    await recoverImages(again, () => {});
    assert.deepEqual(again.tagsOf(cut.id), ['snap:1']);
    assert.equal(again.find('never:1'), undefined);
    assert.equal(existsSync(path.join(root, 'tmp')), false);
    assert.equal(await again.layers.get(orphan.chainId), undefined);
    assert.equal(existsSync(path.join(root, 'l', 'DANGLING')), false);
    assert.ok(existsSync(path.join(root, 'l', keptLayer.short, 'a')), 'the link of a layer in use is made again');
    assert.equal(readdirSync(path.join(root, 'l')).length, 2);
    assert.deepEqual((await again.mountSpec(kept.id)).lowerdirs, ['init-layer', `l/${keptLayer.short}`]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('layers of a config the store ignores (a failed digest check), or of any when one cannot be read, are kept', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'wharf-image-recovery-'));
  try {
    const store = new ImageStore(root);
    await store.init();
    const a = await store.layers.add(null, Readable.from([layerTar('a', 'a')]));
    const b = await store.layers.add(null, Readable.from([layerTar('b', 'b')]));
    const forged = JSON.stringify({ rootfs: { type: 'layers', diff_ids: [a.diffId] } });
    writeFileSync(path.join(root, 'images', `${'0'.repeat(64)}.json`), forged);
    await reopen(root);
    assert.ok(await new ImageStore(root).layers.get(a.chainId), 'the layer of the ignored config went');
    assert.equal(await new ImageStore(root).layers.get(b.chainId), undefined);
    const c = await store.layers.add(null, Readable.from([layerTar('c', 'c')]));
    writeFileSync(path.join(root, 'images', `${'1'.repeat(64)}.json`), '{ not json');
    await reopen(root).catch(() => {});
    assert.ok(await new ImageStore(root).layers.get(c.chainId), 'a layer went while a config could not be read');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
