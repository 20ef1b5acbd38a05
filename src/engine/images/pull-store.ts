/**
 * The image store as a pull sees it (`PullStore` of `distribution/image-puller.ts`): layers by
 * chain id, a temporary directory under `image/tmp` (emptied at start-up), and the commit of a
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

/** Adapts an ImageStore to what a pull needs. */
export function pullStoreOf(store: ImageStore): PullStore {
  return {
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
