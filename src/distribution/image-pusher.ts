/**
 * `docker push`: the tags of a repository (one, or all when no tag is given) pushed as Docker
 * schema2 manifests. For each layer, in dockerd's order: a blob the repository is known to have
 * (checked with `HEAD`) is `Layer already exists`; a blob another repository of the same
 * registry has is mounted (`Mounted from <repo>`); anything else is gzipped from the layer's
 * kept tar and uploaded (`Pushing`, `Pushed`), at most 5 at once. Then the config, then the
 * manifest; the image gets the digest reference of what it was pushed as.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { chainIdsOf, sha256Digest } from '../oci/digest.js';
import { notFound } from '../errors.js';
import type { RegistryCredentials } from './auth-challenge.js';
import { blobExists, gzipLayer, mountBlob, uploadBlob, uploadBytes } from './blob-upload.js';
import type { BlobSource, BlobSources } from './blob-sources.js';
import { limiter } from './image-puller.js';
import { MEDIA } from './manifest.js';
import { layerProgress, layerStatus, statusMessage, type ProgressMessage } from './pull-progress.js';
import { digestReference, familiarName, type RegistryReference } from './reference.js';
import { pushError } from './registry-errors.js';
import { RegistrySession, readBody, type RegistryDeps } from './registry-session.js';

/** What a push needs from the image store (the engine implements it). */
export interface PushStore {
  /** The tags of a repository (familiar name, `127.0.0.1:5000/app`) and the images they name. */
  tagsOf(name: string): { tag: string; id: string }[];
  /** The image's config, byte for byte. */
  configBytes(id: string): Promise<Buffer>;
  /** The uncompressed tar of a layer, by chain id. */
  layerTar(chainId: string): string;
  /** Adds a digest reference (`name@sha256:…`) to an image. */
  addDigestReference(id: string, ref: string): Promise<void>;
  /** A new directory path for temporary files, in a place start-up empties. */
  tmpDir(): string;
}

/** One push request: `ref.tag` unset pushes every tag of the repository. */
export interface PushRequest {
  ref: Pick<RegistryReference, 'domain' | 'path' | 'tag'>;
  creds?: RegistryCredentials;
  send: (m: ProgressMessage) => void;
  signal?: AbortSignal;
}

const LAYER_GZIP = 'application/vnd.docker.image.rootfs.diff.tar.gzip';
const CONFIG_TYPE = 'application/vnd.docker.container.image.v1+json';

/** A layer descriptor of a schema2 manifest: Docker's own media types. */
function layerDescriptor(s: Pick<BlobSource, 'digest' | 'size' | 'mediaType'>) {
  const type = s.mediaType.startsWith('application/vnd.docker.') ? s.mediaType : s.mediaType.endsWith('.tar') ? 'application/vnd.docker.image.rootfs.diff.tar' : LAYER_GZIP;
  return { mediaType: type, size: s.size, digest: s.digest };
}

export class ImagePusher {
  constructor(
    private readonly deps: RegistryDeps,
    private readonly store: PushStore,
    private readonly sources: BlobSources,
    private readonly maxConcurrentUploads = 5,
  ) {}

  /** Pushes; every error comes after the first message, as dockerd's. */
  async push(req: PushRequest): Promise<void> {
    const { ref, send } = req;
    send(statusMessage(`The push refers to repository [${ref.domain}/${ref.path}]`));
    const name = familiarName(ref);
    const tags = this.store.tagsOf(name);
    if (!tags.length) throw notFound(`An image does not exist locally with the tag: ${name}`);
    const chosen = ref.tag ? tags.filter((t) => t.tag === ref.tag) : tags;
    if (!chosen.length) throw notFound(`tag does not exist: ${name}:${ref.tag}`);
    const session = new RegistrySession(this.deps, ref.domain, ref.path, req.creds, [`repository:${ref.path}:push,pull`]);
    // As dockerd: a registry that does not answer fails the push before any layer line.
    await session.connect(req.signal);
    const tmp = this.store.tmpDir();
    await fs.mkdir(tmp, { recursive: true });
    try {
      for (const t of chosen) await this.pushTag(session, req, t.tag, t.id, tmp);
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  }

  private async pushTag(session: RegistrySession, req: PushRequest, tag: string, id: string, tmp: string): Promise<void> {
    const { ref, send, signal } = req;
    const config = await this.store.configBytes(id);
    const diffIds = (JSON.parse(config.toString('utf8')) as { rootfs?: { diff_ids?: string[] } }).rootfs?.diff_ids ?? [];
    const chains = chainIdsOf(diffIds);
    for (const d of diffIds) send(layerStatus(d, 'Preparing'));
    const abort = new AbortController();
    const onOuterAbort = () => abort.abort();
    signal?.addEventListener('abort', onOuterAbort);
    const limit = limiter(this.maxConcurrentUploads);
    const jobs = diffIds.map((d, i) => limit(() => this.pushLayer(session, req, d, chains[i]!, tmp, abort.signal), () => send(layerStatus(d, 'Waiting'))));
    jobs.forEach((p) => p.catch(() => abort.abort()));
    let layers;
    try {
      layers = await Promise.all(jobs);
    } catch (err) {
      await Promise.allSettled(jobs);
      throw err;
    } finally {
      signal?.removeEventListener('abort', onOuterAbort);
    }
    const configDigest = sha256Digest(config);
    await uploadBytes(session, config, configDigest, path.join(tmp, 'config'), signal);
    const manifest = Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: MEDIA.dockerManifest,
      config: { mediaType: CONFIG_TYPE, size: config.length, digest: configDigest },
      layers: layers.map(layerDescriptor),
    }, null, 3));
    const res = await session.send('PUT', `manifests/${tag}`, { 'Content-Type': MEDIA.dockerManifest, 'Content-Length': String(manifest.length) }, manifest, signal);
    const body = (await readBody(res)).toString('utf8');
    if (res.status !== 201) throw pushError(res.status, body);
    const digest = sha256Digest(manifest);
    await this.store.addDigestReference(id, digestReference(ref, digest));
    send(statusMessage(`${tag}: digest: ${digest} size: ${manifest.length}`));
    send({ progressDetail: {}, aux: { Tag: tag, Digest: digest, Size: manifest.length } });
  }

  /** Makes sure the repository has a blob of the layer; returns it. */
  private async pushLayer(session: RegistrySession, req: PushRequest, diffId: string, chain: string, tmp: string, signal: AbortSignal): Promise<BlobSource> {
    const { ref, send } = req;
    const here = { registry: ref.domain, repo: ref.path };
    const known = (await this.sources.of(diffId)).filter((s) => s.registry === ref.domain);
    for (const s of known.filter((k) => k.repo === ref.path)) {
      if (await blobExists(session, s.digest, signal)) {
        send(layerStatus(diffId, 'Layer already exists'));
        return s;
      }
      await this.sources.drop(diffId, s);
    }
    const tried = new Set<string>();
    for (const s of known) {
      if (s.repo === ref.path || tried.has(`${s.repo} ${s.digest}`)) continue;
      tried.add(`${s.repo} ${s.digest}`);
      const scopes = [`repository:${ref.path}:push,pull`, `repository:${s.repo}:pull`];
      const mountSession = new RegistrySession(this.deps, ref.domain, ref.path, req.creds, scopes);
      if (await mountBlob(mountSession, s.digest, s.repo, signal)) {
        const mounted = { ...s, ...here };
        await this.sources.add(diffId, mounted);
        send(layerStatus(diffId, `Mounted from ${s.repo}`));
        return mounted;
      }
    }
    const file = path.join(tmp, diffId.replace(/^sha256:/, '') + '.gz');
    const blob = await gzipLayer(this.store.layerTar(chain), file, signal);
    const src: BlobSource = { ...blob, mediaType: LAYER_GZIP, ...here };
    try {
      if (await blobExists(session, blob.digest, signal)) {
        send(layerStatus(diffId, 'Layer already exists'));
      } else {
        let shown = 0;
        await uploadBlob(session, file, blob.digest, blob.size, (sent) => {
          if (sent - shown >= 512 * 1024 || sent === blob.size) {
            shown = sent;
            send(layerProgress(diffId, 'Pushing', sent, blob.size));
          }
        }, signal);
        send(layerStatus(diffId, 'Pushed'));
      }
    } finally {
      await fs.rm(file, { force: true });
    }
    await this.sources.add(diffId, src);
    return src;
  }
}
