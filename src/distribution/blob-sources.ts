/**
 * Where the compressed blob of a layer is known to be (dockerd's "v2 metadata"): for each diff id,
 * the registry blobs it was pulled from or pushed as, with their repository. A push uses it to
 * skip layers a repository already has (`Layer already exists`), to mount them from another
 * repository of the same registry (`Mounted from <repo>`), and to name the same compressed
 * digest again, so pushing one image twice gives one manifest digest. Kept in one JSON file.
 */
import { readJsonIfExists, writeJsonAtomic } from '../store/atomic-file.js';

/** One compressed blob of a layer, in one repository of one registry. */
export interface BlobSource {
  digest: string;
  size: number;
  mediaType: string;
  /** Registry host (`127.0.0.1:5000`, `docker.io`). */
  registry: string;
  /** Repository path in that registry (`team/app`, `library/busybox`). */
  repo: string;
}

const MAX_PER_LAYER = 20;

/** The sources of every layer, by diff id (a file written atomically on each change). */
export class BlobSources {
  private map: Record<string, BlobSource[]> = {};
  private loaded?: Promise<void>;
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  private load(): Promise<void> {
    this.loaded ??= readJsonIfExists<Record<string, BlobSource[]>>(this.file).then((m) => {
      if (m && typeof m === 'object') this.map = m;
    });
    return this.loaded;
  }

  /** Writes the map, one write after another. */
  private persist(): Promise<void> {
    const next = this.saving.then(() => writeJsonAtomic(this.file, this.map));
    this.saving = next.catch(() => {});
    return next;
  }

  /** The known blobs of a layer, newest first. */
  async of(diffId: string): Promise<BlobSource[]> {
    await this.load();
    return [...(this.map[diffId] ?? [])];
  }

  /** Records (or refreshes) a blob of a layer. */
  async add(diffId: string, src: BlobSource): Promise<void> {
    await this.load();
    const same = (s: BlobSource) => s.digest === src.digest && s.registry === src.registry && s.repo === src.repo;
    this.map[diffId] = [src, ...(this.map[diffId] ?? []).filter((s) => !same(s))].slice(0, MAX_PER_LAYER);
    await this.persist();
  }

  /** Forgets a blob a registry no longer has. */
  async drop(diffId: string, src: Pick<BlobSource, 'digest' | 'registry' | 'repo'>): Promise<void> {
    await this.load();
    const list = this.map[diffId];
    if (!list) return;
    this.map[diffId] = list.filter((s) => !(s.digest === src.digest && s.registry === src.registry && s.repo === src.repo));
    await this.persist();
  }
}
