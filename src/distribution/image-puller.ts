/**
 * `docker pull`: resolves a reference to an image manifest (through a manifest list or OCI index
 * for the wanted platform), fetches and verifies its config, downloads the missing layers (a few
 * at once), verifies each against its digest, unpacks them in order through the layer store,
 * and only then records the image with its tag and digest reference. A pull that fails leaves no
 * image and removes the layers it added. Layer blobs are downloaded into `partialBlob` files that
 * outlive a failed or killed pull, so the next pull continues them (HTTP Range); two pulls that
 * need one blob at the same time download it once.
 */
import { promises as fs, createReadStream } from 'node:fs';
import { chainIdsOf, sha256Digest } from '../oci/digest.js';
import { Transform, type Readable } from 'node:stream';
import { invalidParameter, notImplemented } from '../errors.js';
import type { RegistryCredentials } from './auth-challenge.js';
import type { BlobSources } from './blob-sources.js';
import { downloadBlob, fetchBlobBytes } from './blob-download.js';
import { MANIFEST_ACCEPT, layerCompression, parseManifest, parsePlatform, selectManifest, type Descriptor, type Platform } from './manifest.js';
import { layerProgress, layerStatus, statusMessage, type ProgressMessage } from './pull-progress.js';
import { digestReference, familiarName, familiarString, tagReference, type RegistryReference } from './reference.js';
import { manifestError } from './registry-errors.js';
import { RegistrySession, readBody, type RegistryDeps } from './registry-session.js';

/** What a pull needs from the image store (the engine implements it). */
export interface PullStore {
  hasImage(id: string): boolean;
  hasLayer(chainId: string): Promise<boolean>;
  /** Unpacks a layer (gzip or plain tar) on `parent`; its content must have `diffId`. Returns the chain id. */
  addLayer(parent: string | null, input: Readable, diffId: string): Promise<string>;
  /** Removes those of `chainIds` that no image uses (what a failed pull added). */
  discardLayers(chainIds: string[]): Promise<void>;
  /** Records the image and its references; `updated` is false when the reference named it already. */
  commitImage(opDir: string, config: Buffer, refs: { tag?: string; digestRef: string }): Promise<{ updated: boolean }>;
  /** A new directory path for the pull's temporary files, in a place start-up empties. */
  tmpDir(): string;
  /** Where a layer blob is downloaded to and kept, whole or in part, until it is unpacked. */
  partialBlob(digest: string): string;
}

/** One pull request. */
export interface PullRequest {
  ref: RegistryReference;
  /** `platform=` as given; empty for the daemon's own (linux/amd64). */
  platform?: string;
  creds?: RegistryCredentials;
  send: (m: ProgressMessage) => void;
  signal?: AbortSignal;
}

const DAEMON_PLATFORM: Platform = { os: 'linux', architecture: 'amd64' };

/** Runs at most `n` tasks at once; `onWait` is told when a task has to queue. */
export function limiter(n: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>, onWait: () => void): Promise<T> => {
    if (active >= n) {
      onWait();
      await new Promise<void>((r) => queue.push(r));
    }
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

export class ImagePuller {
  /** Layers being unpacked right now, so two pulls never unpack one chain at once. */
  private readonly unpacking = new Map<string, Promise<unknown>>();
  /** Blob downloads running now, by digest: one download per blob however many pulls want it. */
  private readonly downloading = new Map<string, Promise<void>>();

  constructor(
    private readonly deps: RegistryDeps,
    private readonly store: PullStore,
    private readonly maxConcurrentDownloads = 3,
    /** Where each layer's blob was pulled from, for a later push to mount it (optional). */
    private readonly sources?: BlobSources,
  ) {}

  /** Fetches a manifest by tag or digest; verifies it when asked by digest. */
  private async manifest(session: RegistrySession, ref: RegistryReference, reference: string, signal?: AbortSignal): Promise<{ bytes: Buffer; type: string; digest: string }> {
    const res = await session.get(`manifests/${reference}`, MANIFEST_ACCEPT, signal);
    const bytes = await readBody(res);
    if (res.status !== 200) throw manifestError(res.status, bytes.toString('utf8'), { name: familiarName(ref), ref: familiarString(ref) });
    const digest = sha256Digest(bytes);
    if (reference.startsWith('sha256:') && digest !== reference) throw invalidParameter(`manifest verification failed for digest ${reference}`);
    const type = res.headers['content-type'] ?? '';
    return { bytes, type: Array.isArray(type) ? type[0]! : type, digest };
  }

  /** Pulls `req.ref`; errors before the first message are thrown before anything is sent. */
  async pull(req: PullRequest): Promise<void> {
    const { ref, send, signal } = req;
    const want = req.platform ? parsePlatform(req.platform) : DAEMON_PLATFORM;
    const session = new RegistrySession(this.deps, ref.domain, ref.path, req.creds);
    const top = await this.manifest(session, ref, ref.digest ?? ref.tag ?? 'latest', signal);
    send(statusMessage(`Pulling from ${ref.path}`, ref.digest ? familiarString(ref) : ref.tag));
    let parsed = parseManifest(top.bytes, top.type);
    if (parsed.kind === 'list') {
      const entry = selectManifest(parsed.manifests, want);
      parsed = parseManifest((await this.manifest(session, ref, entry.digest, signal)).bytes, entry.mediaType);
      if (parsed.kind !== 'image') throw invalidParameter('invalid manifest: a manifest list names another list');
    }
    const config = await fetchBlobBytes(session, parsed.config, signal);
    const cfg = JSON.parse(config.toString('utf8')) as { os?: string; rootfs?: { diff_ids?: unknown } };
    const diffIds = cfg.rootfs?.diff_ids;
    if (!Array.isArray(diffIds) || diffIds.length !== parsed.layers.length || !diffIds.every((d) => typeof d === 'string' && /^sha256:[0-9a-f]{64}$/.test(d))) {
      throw invalidParameter('layers from manifest don\'t match image configuration');
    }
    if (req.platform && cfg.os && cfg.os !== want.os) throw invalidParameter(`image operating system "${cfg.os}" cannot be used on this platform`);
    if (!this.store.hasImage(sha256Digest(config))) await this.fetchLayers(session, parsed.layers, diffIds as string[], req);
    signal?.throwIfAborted();
    const opDir = this.store.tmpDir();
    let updated: boolean;
    try {
      ({ updated } = await this.store.commitImage(opDir, config, { ...(tagReference(ref) ? { tag: tagReference(ref)! } : {}), digestRef: digestReference(ref, ref.digest ?? top.digest) }));
    } finally {
      await fs.rm(opDir, { recursive: true, force: true });
    }
    for (const [i, l] of parsed.layers.entries()) {
      await this.sources?.add(diffIds[i] as string, { digest: l.digest, size: l.size, mediaType: l.mediaType, registry: ref.domain, repo: ref.path });
    }
    send(statusMessage(`Digest: ${ref.digest ?? top.digest}`));
    send(statusMessage(`Status: ${updated ? 'Downloaded newer image' : 'Image is up to date'} for ${familiarString(ref)}`));
  }

  /** Downloads what is missing, unpacks in order; on failure removes what it added. */
  private async fetchLayers(session: RegistrySession, layers: Descriptor[], diffIds: string[], req: PullRequest): Promise<void> {
    const { send } = req;
    for (const l of layers) {
      if (layerCompression(l) === 'zstd') throw notImplemented(`zstd-compressed layers are not supported yet (layer ${l.digest})`);
    }
    const chains = chainIdsOf(diffIds);
    const present = await Promise.all(chains.map((c) => this.store.hasLayer(c)));
    // A layer counts as present only when every layer below it is too (chain ids guarantee it).
    layers.forEach((l, i) => send(layerStatus(l.digest, present[i] ? 'Already exists' : 'Pulling fs layer')));
    const abort = new AbortController();
    const onOuterAbort = () => abort.abort();
    req.signal?.addEventListener('abort', onOuterAbort);
    const limit = limiter(this.maxConcurrentDownloads);
    const fileOf = (l: Descriptor) => this.store.partialBlob(l.digest);
    const downloads = layers.map((l, i) =>
      present[i]
        ? Promise.resolve()
        : limit(async () => {
          await this.downloadOnce(chains[i]!, () =>
            downloadBlob(session, l, fileOf(l), (cur, total) => send(layerProgress(l.digest, 'Downloading', cur, total)), abort.signal), l.digest);
          send(layerStatus(l.digest, 'Verifying Checksum'));
          send(layerStatus(l.digest, 'Download complete'));
        }, () => send(layerStatus(l.digest, 'Waiting'))),
    );
    downloads.forEach((p) => p.catch(() => abort.abort()));
    const added: string[] = [];
    try {
      for (let i = 0; i < layers.length; i++) {
        await downloads[i];
        abort.signal.throwIfAborted();
        if (present[i]) continue;
        const l = layers[i]!;
        const parent = i ? chains[i - 1]! : null;
        await this.unpackOnce(chains[i]!, async () => {
          if (await this.store.hasLayer(chains[i]!)) return;
          await this.store.addLayer(parent, this.extractingStream(fileOf(l), l, send), diffIds[i]!);
          added.push(chains[i]!);
        });
        await fs.rm(fileOf(l), { force: true });
        send(layerStatus(l.digest, 'Pull complete'));
      }
    } catch (err) {
      abort.abort();
      await Promise.allSettled(downloads);
      await this.store.discardLayers(added.reverse());
      throw err;
    } finally {
      req.signal?.removeEventListener('abort', onOuterAbort);
    }
  }

  /**
   * Runs `download` unless another pull is downloading the same blob: then waits for it, and
   * downloads only if the layer is still missing (the file it left is verified, or continued).
   */
  private async downloadOnce(chain: string, download: () => Promise<void>, digest: string): Promise<void> {
    for (let running = this.downloading.get(digest); running; running = this.downloading.get(digest)) await running.catch(() => {});
    const p = (async () => {
      if (!(await this.store.hasLayer(chain))) await download();
    })();
    this.downloading.set(digest, p);
    try {
      await p;
    } finally {
      if (this.downloading.get(digest) === p) this.downloading.delete(digest);
    }
  }

  /** Runs `fn` for a chain id unless another pull is unpacking it; then waits for that one first. */
  private async unpackOnce(chain: string, fn: () => Promise<void>): Promise<void> {
    while (this.unpacking.has(chain)) await this.unpacking.get(chain)!.catch(() => {});
    const p = fn();
    this.unpacking.set(chain, p);
    try {
      await p;
    } finally {
      this.unpacking.delete(chain);
    }
  }

  /** The downloaded blob, reporting `Extracting` progress as it is read. */
  private extractingStream(file: string, l: Descriptor, send: (m: ProgressMessage) => void): Readable {
    let read = 0;
    let reported = 0;
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        read += chunk.length;
        if (read - reported >= 512 * 1024 || read === l.size) {
          reported = read;
          send(layerProgress(l.digest, 'Extracting', read, l.size));
        }
        done(null, chunk);
      },
    });
    return createReadStream(file).pipe(count);
  }
}
