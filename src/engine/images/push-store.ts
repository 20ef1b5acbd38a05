/**
 * The image store as a push sees it (`PushStore` of `distribution/image-pusher.ts`): the tags of
 * a repository, an image's config bytes as stored, the kept tar of each layer, the digest
 * reference a push adds, and a temporary directory under `image/tmp` (emptied at start-up).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { PushStore } from '../../distribution/image-pusher.js';
import { imageTmpRoot } from './image-recovery.js';
import type { ImageStore } from './image-store.js';
import { referenceKey } from './image-references.js';

/** Adapts an ImageStore to what a push needs. */
export function pushStoreOf(store: ImageStore): PushStore {
  return {
    tagsOf: (name) => {
      const prefix = referenceKey(`${name}:x`).slice(0, -1);
      const out: { tag: string; id: string }[] = [];
      for (const img of store.all()) {
        for (const t of store.tagsOf(img.id)) if (t.startsWith(prefix) && !t.slice(prefix.length).includes('/')) out.push({ tag: t.slice(prefix.length), id: img.id });
      }
      return out.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
    },
    configBytes: (id) => fs.readFile(path.join(store.root, 'images', `${id.replace(/^sha256:/, '')}.json`)),
    layerTar: (chainId) => store.layers.tarPath(chainId),
    addDigestReference: (id, ref) => store.tag(id, ref, ''),
    tmpDir: () => path.join(imageTmpRoot(store.root), `push-${randomBytes(8).toString('hex')}`),
  };
}
