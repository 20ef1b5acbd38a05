/**
 * The image store as a pull sees it (`PullStore` of `distribution/image-puller.ts`): layers by
 * chain id, a temporary directory under `image/tmp` (emptied at start-up), layer blobs kept
 * under `image/partial/<hex>` until they are unpacked (so a cut pull resumes), and the commit of a
 * pulled image with its tag and digest reference, recorded first as an intent so that a crash
 * between the config and the references is finished at start-up.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { PullStore } from '../../distribution/image-puller.js';
import { chainIdsOf } from './layer-store.js';
import { imageIdOf } from './image-record.js';
import { imageTmpRoot, writeIntent } from './image-recovery.js';
import type { ImageStore } from './image-store.js';

/** Where pulls keep layer blobs, whole or in part, until they are unpacked. */
export function partialBlobDir(store: ImageStore): string {
  return path.join(store.root, 'partial');
}

/** Removes the partial blobs nobody touched for `maxAgeMs` (start-up): pulls given up on. */
export async function prunePartialBlobs(store: ImageStore, nowMs: number, maxAgeMs = 7 * 24 * 3600_000): Promise<void> {
  const dir = partialBlobDir(store);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  for (const f of await fs.readdir(dir)) {
    const st = await fs.stat(path.join(dir, f)).catch(() => undefined);
    if (st && nowMs - st.mtimeMs > maxAgeMs) await fs.rm(path.join(dir, f), { force: true });
  }
}

/** Adapts an ImageStore to what a pull needs. */
export function pullStoreOf(store: ImageStore): PullStore {
  return {
    partialBlob: (digest) => path.join(partialBlobDir(store), digest.replace(/^sha256:/, '')),
    hasImage: (id) => store.find(id)?.id === id,
    hasLayer: async (chainId) => (await store.layers.get(chainId)) !== undefined,
    addLayer: async (parent, input, diffId) => (await store.layers.add(parent, input, diffId)).chainId,
    discardLayers: async (chainIds) => {
      const used = new Set(store.all().flatMap((i) => chainIdsOf(i.config.rootfs.diff_ids)));
      for (const c of chainIds) if (!used.has(c)) await store.layers.remove(c);
    },
    tmpDir: () => path.join(imageTmpRoot(store.root), `pull-${randomBytes(8).toString('hex')}`),
    commitImage: async (opDir, config, refs) => {
      const id = imageIdOf(config);
      // As dockerd: a tag that already names the image, or a digest pulled again, is "up to date".
      const updated = store.referenceTarget(refs.tag ?? refs.digestRef) !== id;
      const refsToAdd = [refs.digestRef, ...(refs.tag ? [refs.tag] : [])];
      if (store.find(id)?.id !== id) {
        await fs.mkdir(opDir, { recursive: true });
        await writeIntent(opDir, { id, tags: refsToAdd });
      }
      await store.addConfigBytes(config);
      // A digest reference is never moved to another image (moby's addDigestReference).
      if (store.referenceTarget(refs.digestRef) === undefined) await store.tag(id, refs.digestRef, '');
      if (refs.tag && updated) await store.tag(id, refs.tag, '');
      return { updated };
    },
  };
}
