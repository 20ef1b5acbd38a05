/**
 * Crash safety of the image store. A load or a commit works in its own directory under
 * `image/tmp/` and writes, before the config of a new image that is to be tagged, an intent
 * (`intent.json`: the image id and its tags). At start-up, `recoverImages`:
 * - finishes every intent whose config was written (the tags are added: the operation happened
 *   whole) and drops the others (it did not happen);
 * - empties `image/tmp/` (partial archives and layer tars, which could be hundreds of MB);
 * - removes the layers no image uses (a load, import or commit cut between its layers and its
 *   config) and `l/` links that lead nowhere, and makes the link of a layer that has none (a
 *   layer renamed into place just before the crash).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeJsonAtomic, readJsonIfExists } from '../../store/atomic-file.js';
import { messageOf } from '../../errors.js';
import { chainIdsOf, type LayerInfo } from './layer-store.js';
import type { ImageStore } from './image-store.js';

const INTENT = 'intent.json';

/** What a load or commit is about to add: an image and the tags it gets. */
export interface ImageIntent {
  id: string;
  tags: string[];
}

/** The temporary directory of image operations under the image store's root. */
export function imageTmpRoot(storeRoot: string): string {
  return path.join(storeRoot, 'tmp');
}

/** Records, in an operation's own temporary directory, the image it is about to add and tag. */
export async function writeIntent(opDir: string, intent: ImageIntent): Promise<void> {
  await writeJsonAtomic(path.join(opDir, INTENT), intent);
}

/** Finishes or drops cut operations, empties image/tmp and removes unused layers (start-up). */
export async function recoverImages(store: ImageStore, log: (line: string) => void): Promise<void> {
  const tmp = imageTmpRoot(store.root);
  for (const dir of await fs.readdir(tmp).catch(() => [] as string[])) {
    const intent = await readJsonIfExists<ImageIntent>(path.join(tmp, dir, INTENT)).catch(() => undefined);
    if (!intent || !store.find(intent.id)) continue;
    for (const t of intent.tags) {
      if (!store.tagsOf(intent.id).includes(t)) await store.tag(intent.id, t, '');
    }
    log(`finished the load or commit of image ${intent.id} cut short: tagged ${intent.tags.join(', ')}`);
  }
  await fs.rm(tmp, { recursive: true, force: true });
  await pruneLayers(store, log);
}

/**
 * The layers (chain id hex) the image configs on disk use: every config, also one the store
 * ignored (it failed its digest check), whose layers are for a person to look at. Undefined when
 * a config cannot be read at all: then no layer is taken for unused.
 */
async function usedLayers(store: ImageStore): Promise<Set<string> | undefined> {
  const dir = path.join(store.root, 'images');
  const used = new Set<string>();
  for (const f of await fs.readdir(dir)) {
    if (!f.endsWith('.json')) continue;
    let diffIds: unknown;
    try {
      diffIds = (JSON.parse(await fs.readFile(path.join(dir, f), 'utf8')) as { rootfs?: { diff_ids?: unknown } }).rootfs?.diff_ids ?? [];
    } catch {
      return undefined;
    }
    if (!Array.isArray(diffIds) || !diffIds.every((d) => typeof d === 'string')) return undefined;
    for (const c of chainIdsOf(diffIds as string[])) used.add(c.replace(/^sha256:/, ''));
  }
  return used;
}

/** Removes layers no image uses and dangling links; restores missing links. */
async function pruneLayers(store: ImageStore, log: (line: string) => void): Promise<void> {
  const { layers } = store;
  const used = await usedLayers(store);
  if (!used) {
    log('an image config cannot be read: unused layers are kept');
    return;
  }
  for (const dir of await fs.readdir(layers.layersDir)) {
    if (dir.startsWith('tmp-')) continue;
    if (!used.has(dir)) {
      await layers.remove(`sha256:${dir}`).catch((e) => log(`layer ${dir}: ${messageOf(e)}`));
      log(`removed layer ${dir}, which no image uses`);
      continue;
    }
    const info = await readJsonIfExists<LayerInfo>(path.join(layers.layersDir, dir, 'layer.json')).catch(() => undefined);
    const link = info && path.join(layers.linksDir, info.short);
    if (link && !(await fs.lstat(link).catch(() => undefined))) await fs.symlink(`../layers/${dir}/diff`, link);
  }
  for (const l of await fs.readdir(layers.linksDir)) {
    const target = path.join(layers.linksDir, l);
    if (!(await fs.stat(target).catch(() => undefined))) await fs.rm(target, { force: true });
  }
}
