/**
 * Images: content-addressed configs (`images/<hex>.json`, id = digest of the bytes, verified on
 * load), a tag map written atomically, and the layer store. Removal follows Docker's conflict rules.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { notFound, conflict, invalidParameter } from '../../errors.js';
import { readJsonIfExists, writeFileAtomic, writeJsonAtomic } from '../../store/atomic-file.js';
import { LayerStore, chainIdsOf } from './layer-store.js';
import { parseReference, normaliseReference } from './reference.js';
import { imageIdOf, imageInspectView, historyView, type ImageConfigJson } from './image-record.js';
import { digestReferencesToDrop, isDigestReference, referenceKey } from './image-references.js';

export interface ImageRecord {
  id: string;
  config: ImageConfigJson;
}

/** Containers that use an image, for rmi conflicts. */
export type ImageUsage = (imageId: string) => { id: string; running: boolean }[];

const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

export class ImageStore {
  readonly layers: LayerStore;
  private readonly images = new Map<string, ImageRecord>();
  private tags: Record<string, string> = {};

  constructor(readonly root: string, private readonly log: (l: string) => void = () => {}) {
    this.layers = new LayerStore(root);
  }

  private get imagesDir(): string {
    return path.join(this.root, 'images');
  }

  async init(): Promise<void> {
    await this.layers.init();
    await fs.mkdir(this.imagesDir, { recursive: true });
    for (const f of await fs.readdir(this.imagesDir)) {
      if (!f.endsWith('.json')) continue;
      const bytes = await fs.readFile(path.join(this.imagesDir, f));
      const id = imageIdOf(bytes);
      if (`${id.slice(7)}.json` !== f) {
        this.log(`image ${f} fails its digest check; ignored`);
        continue;
      }
      this.images.set(id, { id, config: JSON.parse(bytes.toString()) as ImageConfigJson });
    }
    this.tags = (await readJsonIfExists<Record<string, string>>(path.join(this.root, 'repositories.json'))) ?? {};
    for (const [t, id] of Object.entries(this.tags)) if (!this.images.has(id)) delete this.tags[t];
  }

  private saveTags(): Promise<void> {
    return writeJsonAtomic(path.join(this.root, 'repositories.json'), this.tags);
  }

  /** Stores a config (bytes exactly as given) and returns the image. */
  async addConfig(cfg: ImageConfigJson): Promise<ImageRecord> {
    const bytes = Buffer.from(JSON.stringify(cfg));
    return this.addConfigBytes(bytes);
  }

  async addConfigBytes(bytes: Buffer): Promise<ImageRecord> {
    const id = imageIdOf(bytes);
    const existing = this.images.get(id);
    if (existing) return existing;
    const config = JSON.parse(bytes.toString()) as ImageConfigJson;
    for (const c of chainIdsOf(config.rootfs?.diff_ids ?? [])) {
      if (!(await this.layers.get(c))) throw invalidParameter(`layer ${c} of image ${id} is missing`);
    }
    await writeFileAtomic(path.join(this.imagesDir, `${id.slice(7)}.json`), bytes);
    const rec = { id, config };
    this.images.set(id, rec);
    return rec;
  }

  all(): ImageRecord[] {
    return [...this.images.values()];
  }

  count(): number {
    return this.images.size;
  }

  tagsOf(id: string): string[] {
    return Object.keys(this.tags).filter((t) => this.tags[t] === id && !isDigestReference(t)).sort();
  }

  /** The digest references (`RepoDigests`: `name@sha256:…`) of an image. */
  digestsOf(id: string): string[] {
    return Object.keys(this.tags).filter((t) => this.tags[t] === id && isDigestReference(t)).sort();
  }

  /** The image a tag or digest reference key names, if any. */
  referenceTarget(key: string): string | undefined {
    return this.tags[key];
  }

  /** By tag, full id, `sha256:` id or unique id prefix; Docker's not-found wording. */
  find(ref: string): ImageRecord | undefined {
    // Docker's order: a full id, then a tag, then a unique id prefix.
    const byId = this.images.get(ref) ?? this.images.get('sha256:' + ref);
    if (byId) return byId;
    let norm: string | undefined;
    try {
      norm = referenceKey(ref);
    } catch {
      norm = undefined;
    }
    const tagged = norm !== undefined ? this.tags[norm] : undefined;
    if (tagged && this.images.has(tagged)) return this.images.get(tagged);
    if (/^(sha256:)?[0-9a-f]{1,64}$/.test(ref)) {
      const h = ref.replace(/^sha256:/, '');
      const hits = this.all().filter((i) => i.id.slice(7).startsWith(h));
      if (hits.length === 1) return hits[0];
    }
    return undefined;
  }

  resolve(ref: string): ImageRecord {
    const img = this.find(ref);
    if (img) return img;
    let shown = ref;
    try {
      shown = normaliseReference(ref);
    } catch {
      // keep what the user typed
    }
    throw notFound(`No such image: ${shown}`);
  }

  async tag(ref: string, repo: string, tag: string): Promise<void> {
    const img = this.resolve(ref);
    const target = referenceKey(tag ? `${repo}:${tag}` : repo);
    this.tags[target] = img.id;
    await this.saveTags();
  }

  async mountSpec(id: string): Promise<{ cwd: string; lowerdirs: string[] }> {
    const img = this.resolve(id);
    return this.layers.mountSpec(chainIdsOf(img.config.rootfs.diff_ids));
  }

  async size(img: ImageRecord): Promise<number> {
    let total = 0;
    for (const c of chainIdsOf(img.config.rootfs.diff_ids)) total += (await this.layers.get(c))?.size ?? 0;
    return total;
  }

  async inspect(ref: string): Promise<Record<string, unknown>> {
    let img = this.find(ref);
    if (!img) {
      try {
        img = this.resolve(ref);
      } catch (err) {
        throw notFound(`no such image: ${ref}: ${(err as Error).message}`);
      }
    }
    const chains = chainIdsOf(img.config.rootfs.diff_ids);
    const dirs = chains.map((c) => this.layers.diffDir(c));
    return imageInspectView(img.id, img.config, { tags: this.tagsOf(img.id), digests: this.digestsOf(img.id) }, await this.size(img), {
      lowerDirs: dirs.slice(0, -1).reverse(),
      upperDir: dirs.at(-1) ?? '',
    });
  }

  /** `GET /images/{name}/history`: newest first; rows of local parent images carry their ids and tags. */
  async history(ref: string): Promise<Record<string, unknown>[]> {
    const img = this.resolve(ref);
    const sizes: number[] = [];
    for (const c of chainIdsOf(img.config.rootfs.diff_ids)) sizes.push((await this.layers.get(c))?.size ?? 0);
    const chain: { id: string; tags: string[] }[] = [];
    for (let cur: ImageRecord | undefined = img; cur; cur = cur.config.parent ? this.images.get(cur.config.parent) : undefined) {
      chain.push({ id: cur.id, tags: this.tagsOf(cur.id) });
      if (chain.length > 1000) break;
    }
    return historyView(chain, img.config, sizes);
  }

  /** Images whose parent is `id`. */
  children(id: string): ImageRecord[] {
    return this.all().filter((i) => i.config.parent === id);
  }

  /**
   * `DELETE /images/{name}` with Docker's rules (moby's ImageDelete): a tag is untagged first and
   * the image goes only when nothing else refers to it; conflicts use Docker's wording. One
   * deliberate difference: an image a stopped container still uses is untagged but kept (even
   * with force), because the container's lower layers live in it.
   */
  async remove(ref: string, opts: { force: boolean; noprune: boolean }, usage: ImageUsage): Promise<Record<string, string>[]> {
    const img = this.resolve(ref);
    const records: Record<string, string>[] = [];
    const tags = this.tagsOf(img.id);
    const byId = img.id.startsWith(ref) || img.id.startsWith(`sha256:${ref}`);
    let quiet = false;
    if (!byId) {
      const name = referenceKey(ref);
      const users = usage(img.id);
      if (!opts.force && tags.length + this.digestsOf(img.id).length === 1 && users.length) {
        throw conflict(`conflict: unable to remove repository reference "${ref}" (must force) - container ${short(users[0]!.id)} is using its referenced image ${short(img.id)}`);
      }
      delete this.tags[name];
      records.push({ Untagged: name });
      for (const d of digestReferencesToDrop(this.tags, img.id, name)) {
        delete this.tags[d];
        records.push({ Untagged: d });
      }
      await this.saveTags();
      if (this.tagsOf(img.id).length + this.digestsOf(img.id).length > 0) return records;
      quiet = true;
    } else if (tags.length === 1) {
      const found = this.deleteConflict(img, usage, { soft: !opts.force, activeReference: false });
      if (found) throw found.error;
      delete this.tags[tags[0]!];
      await this.saveTags();
      records.push({ Untagged: tags[0]! });
    }
    await this.deleteHelper(img, records, { force: opts.force, prune: !opts.noprune, quiet }, usage);
    return records;
  }

  /** The first conflict that stops deleting `img` (moby's checkImageDeleteConflict order). */
  private deleteConflict(
    img: ImageRecord,
    usage: ImageUsage,
    mask: { soft: boolean; activeReference: boolean },
  ): { error: Error; used: boolean } | undefined {
    const make = (hard: boolean, message: string, used: boolean) => ({
      error: conflict(`conflict: unable to delete ${short(img.id)} (${hard ? 'cannot be forced' : 'must be forced'}) - ${message}`),
      used,
    });
    if (this.children(img.id).length) return make(true, 'image has dependent child images', false);
    const users = usage(img.id);
    const running = users.find((u) => u.running);
    if (running) return make(true, `image is being used by running container ${short(running.id)}`, true);
    if (mask.soft && mask.activeReference && this.tagsOf(img.id).length) return make(false, 'image is referenced in multiple repositories', false);
    const stopped = users.find((u) => !u.running);
    if (mask.soft && stopped) return make(false, `image is being used by stopped container ${short(stopped.id)}`, true);
    return undefined;
  }

  private async deleteHelper(
    img: ImageRecord,
    records: Record<string, string>[],
    opts: { force: boolean; prune: boolean; quiet: boolean },
    usage: ImageUsage,
  ): Promise<void> {
    const found = this.deleteConflict(img, usage, { soft: !opts.force, activeReference: true });
    if (found) {
      const dangling = this.tagsOf(img.id).length === 0 && this.children(img.id).length === 0;
      if (opts.quiet && (!dangling || found.used)) return;
      throw found.error;
    }
    const tags = [...this.tagsOf(img.id), ...this.digestsOf(img.id)];
    for (const t of tags) {
      delete this.tags[t];
      records.push({ Untagged: t });
    }
    if (tags.length) await this.saveTags();
    if (usage(img.id).length) return; // forced: untagged, kept for the stopped container using it
    this.images.delete(img.id);
    await fs.rm(path.join(this.imagesDir, `${img.id.slice(7)}.json`), { force: true });
    records.push({ Deleted: img.id });
    const used = new Set(this.all().flatMap((i) => chainIdsOf(i.config.rootfs.diff_ids)));
    for (const c of chainIdsOf(img.config.rootfs.diff_ids).reverse()) {
      if (used.has(c) || !(await this.layers.get(c))) continue;
      await this.layers.remove(c);
      records.push({ Deleted: c });
    }
    const parent = img.config.parent ? this.images.get(img.config.parent) : undefined;
    if (opts.prune && parent) await this.deleteHelper(parent, records, { force: false, prune: true, quiet: true }, usage);
  }

  /** Creation time (ms) of the image a `before`/`since` filter names; NotFound as Docker says it. */
  private createdOf(ref: string): number {
    return Date.parse(this.resolve(ref).config.created);
  }

  /** `GET /images/json`. */
  async list(opts: { all: boolean; filters: Record<string, string[]> }): Promise<Record<string, unknown>[]> {
    const f = opts.filters;
    const out: Record<string, unknown>[] = [];
    for (const img of this.all()) {
      const tags = this.tagsOf(img.id);
      const digests = this.digestsOf(img.id);
      if (!opts.all && tags.length === 0 && digests.length === 0 && this.children(img.id).length > 0) continue;
      if (f.dangling?.length && (f.dangling[0] === 'true') !== (tags.length === 0)) continue;
      if (f.reference?.length && !tags.some((t) => f.reference!.some((r) => globMatch(r.includes(':') ? r : `${r}:*`, t)))) continue;
      if (f.before?.length && !(Date.parse(img.config.created) < this.createdOf(f.before[0]!))) continue;
      if (f.since?.length && !(Date.parse(img.config.created) > this.createdOf(f.since[0]!))) continue;
      if (f.label?.length) {
        const labels = img.config.config.Labels ?? {};
        if (!f.label.every((l) => (l.includes('=') ? labels[l.split('=')[0]!] === l.slice(l.indexOf('=') + 1) : l in labels))) continue;
      }
      const size = await this.size(img);
      out.push({
        Containers: -1, Created: Math.floor(Date.parse(img.config.created) / 1000), Id: img.id,
        Labels: img.config.config.Labels ?? null, ParentId: img.config.parent ?? '', RepoDigests: digests.length ? digests : tags.length ? null : ['<none>@<none>'],
        RepoTags: tags.length ? tags : digests.length ? null : ['<none>:<none>'], SharedSize: -1, Size: size, VirtualSize: size,
      });
    }
    return out.sort((a, b) => (b.Created as number) - (a.Created as number));
  }
}

function globMatch(pattern: string, text: string): boolean {
  const re = new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*') + '$');
  return re.test(text) || (!pattern.includes('/') && re.test(text.split('/').pop()!));
}

export { parseReference };
