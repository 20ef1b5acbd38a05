/**
 * Moving images in and out: `docker import` of a rootfs tar, `docker commit` of a container's
 * upper layer, and `docker save`/`docker load` of docker-archive tars. Digests are verified.
 */
import { promises as fs, createReadStream, createWriteStream } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { once } from 'node:events';
import { invalidParameter, systemError } from '../../errors.js';
import { extractTar } from '../../oci/tar/extract.js';
import { TarRewriter } from '../../oci/tar/tar-rewriter.js';
import { createOverlayToOci } from '../../oci/tar/entry-filters.js';
import { encodeHeader, padding, type TarEntry } from '../../oci/tar/tar-header.js';
import { chainIdOf, chainIdsOf } from './layer-store.js';
import { emptyRuntimeConfig, imageIdOf, type ImageConfigJson, type ImageRuntimeConfigJson } from './image-record.js';
import type { ImageRecord, ImageStore } from './image-store.js';
import { normaliseReference } from './reference.js';
import { imageTmpRoot, writeIntent } from './image-recovery.js';

export const DOCKER_VERSION = '20.10.24';

export class ImageTransfer {
  constructor(
    private readonly store: ImageStore,
    private readonly now: () => Date,
    private readonly applyChanges: (cfg: ImageRuntimeConfigJson, changes: string[]) => ImageRuntimeConfigJson,
  ) {}

  private tmpDir(): string {
    return path.join(imageTmpRoot(this.store.root), randomBytes(8).toString('hex'));
  }

  /**
   * Adds an image config and tags it. A new image that gets tags is first recorded as an intent
   * in the operation's directory `opDir`, which start-up recovery finishes after a crash.
   */
  private async addTagged(opDir: string, bytes: Buffer, tags: string[]): Promise<ImageRecord> {
    if (tags.length && !this.store.find(imageIdOf(bytes))) {
      await fs.mkdir(opDir, { recursive: true });
      await writeIntent(opDir, { id: imageIdOf(bytes), tags });
    }
    const img = await this.store.addConfigBytes(bytes);
    for (const t of tags) await this.store.tag(img.id, t, '');
    return img;
  }

  /** `docker import`: one layer from a rootfs tar. */
  async importRootfs(input: Readable, opts: { ref?: string; changes?: string[]; message?: string }): Promise<ImageRecord> {
    const layer = await this.store.layers.add(null, input);
    const created = this.now().toISOString();
    const config = this.applyChanges(emptyRuntimeConfig(), opts.changes ?? []);
    const cfg: ImageConfigJson = {
      // Docker 20.10 puts the message (default "Imported from -") both at the top and in history.
      architecture: 'amd64', comment: opts.message || 'Imported from -', config, container_config: emptyRuntimeConfig(), created,
      docker_version: DOCKER_VERSION, history: [{ created, comment: opts.message || 'Imported from -' }], os: 'linux',
      rootfs: { type: 'layers', diff_ids: [layer.diffId] },
    };
    const dir = this.tmpDir();
    try {
      return await this.addTagged(dir, Buffer.from(JSON.stringify(cfg)), opts.ref ? [normaliseReference(opts.ref)] : []);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  /** Tars a container's upper dir into an OCI layer file; returns its path. */
  private async exportUpper(upperDir: string, file: string): Promise<void> {
    const tar = spawn('tar', ['-C', upperDir, '--numeric-owner', '--xattrs', '--xattrs-include=trusted.overlay.opaque', '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    tar.stderr.on('data', (d) => (stderr += d));
    const code = new Promise<number>((r) => tar.on('close', (c) => r(c ?? 1)));
    const { filter, finish } = createOverlayToOci();
    await pipeline(tar.stdout, new TarRewriter(filter, finish), createWriteStream(file));
    if ((await code) !== 0) throw systemError(`cannot export the container layer: ${stderr.trim()}`);
  }

  /**
   * A new image from `parent` plus the container's changes (or no layer with `emptyLayer`),
   * for `docker commit` and the builder.
   */
  async commit(opts: {
    parent: ImageRecord | null; upperDir?: string; config: ImageRuntimeConfigJson; containerId?: string;
    containerConfig?: ImageRuntimeConfigJson; comment?: string; author?: string; createdBy?: string; emptyLayer?: boolean; ref?: string;
  }): Promise<ImageRecord> {
    const parentCfg = opts.parent?.config;
    const diffIds = [...(parentCfg?.rootfs.diff_ids ?? [])];
    const dir = this.tmpDir();
    try {
      if (!opts.emptyLayer && opts.upperDir) {
        await fs.mkdir(dir, { recursive: true });
        const file = path.join(dir, 'layer.tar');
        await this.exportUpper(opts.upperDir, file);
        const chains = chainIdsOf(diffIds);
        const layer = await this.store.layers.addFile(chains.at(-1) ?? null, file);
        await fs.rm(file, { force: true });
        diffIds.push(layer.diffId);
      }
      return await this.addTagged(dir, Buffer.from(JSON.stringify(this.commitConfig(opts, diffIds))), opts.ref ? [normaliseReference(opts.ref)] : []);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  /** The config of a committed image (pure, but for the clock). */
  private commitConfig(opts: Parameters<ImageTransfer['commit']>[0], diffIds: string[]): ImageConfigJson {
    const parentCfg = opts.parent?.config;
    const created = this.now().toISOString();
    const cfg: ImageConfigJson = {
      architecture: 'amd64', ...(opts.author ? { author: opts.author } : {}), ...(opts.comment ? { comment: opts.comment } : {}),
      config: opts.config, container: opts.containerId ?? '', container_config: opts.containerConfig ?? emptyRuntimeConfig(),
      created, docker_version: DOCKER_VERSION,
      history: [...(parentCfg?.history ?? []), {
        created, ...(opts.author ? { author: opts.author } : {}), ...(opts.createdBy ? { created_by: opts.createdBy } : {}),
        ...(opts.comment ? { comment: opts.comment } : {}), ...(opts.emptyLayer || !opts.upperDir ? { empty_layer: true } : {}),
      }],
      os: 'linux', rootfs: { type: 'layers', diff_ids: diffIds }, ...(opts.parent ? { parent: opts.parent.id } : {}),
    };
    return cfg;
  }

  /**
   * `docker load` of a docker-archive; returns the "Loaded image" lines. Every path the manifest
   * names must resolve (symlinks included) inside the archive, every digest must match, and a
   * failed load removes the layers it added.
   */
  async load(input: Readable): Promise<string[]> {
    const dir = this.tmpDir();
    const added: string[] = [];
    try {
      await extractTar(input, dir);
      const root = await fs.realpath(dir);
      const inside = async (p: unknown): Promise<string> => {
        if (typeof p !== 'string' || p === '') throw invalidParameter('invalid archive: manifest.json names an empty or non-string path');
        const full = await fs.realpath(path.resolve(root, p)).catch(() => {
          throw invalidParameter(`invalid archive: ${p} is missing from the archive`);
        });
        if (!full.startsWith(root + path.sep)) throw invalidParameter(`invalid archive: ${p} is outside the archive`);
        return full;
      };
      const manifest = parseManifest(await fs.readFile(path.join(root, 'manifest.json'), 'utf8').catch(() => {
        throw invalidParameter('invalid archive: manifest.json is missing (only docker-archive tars can be loaded)');
      }));
      const lines: string[] = [];
      for (const m of manifest) {
        const bytes = await fs.readFile(await inside(m.Config));
        const id = imageIdOf(bytes);
        const named = path.basename(m.Config).replace(/\.json$/, '');
        if (/^[0-9a-f]{64}$/.test(named) && `sha256:${named}` !== id) throw invalidParameter(`invalid archive: config digest mismatch for ${m.Config}`);
        let cfg: ImageConfigJson;
        try {
          cfg = JSON.parse(bytes.toString()) as ImageConfigJson;
        } catch {
          throw invalidParameter(`invalid archive: ${m.Config} is not valid JSON`);
        }
        const diffIds = cfg?.rootfs?.diff_ids;
        if (!Array.isArray(diffIds) || !diffIds.every((d) => typeof d === 'string' && /^sha256:[0-9a-f]{64}$/.test(d))) {
          throw invalidParameter(`invalid archive: ${m.Config} has no valid rootfs.diff_ids`);
        }
        if (diffIds.length !== m.Layers.length) throw invalidParameter('invalid archive: layer count does not match the image config');
        const tags = (m.RepoTags ?? []).map((t) => normaliseReference(t));
        let parent: string | null = null;
        for (let i = 0; i < m.Layers.length; i++) {
          const chain = chainIdOf(parent, diffIds[i]!);
          const existed = await this.store.layers.get(chain);
          parent = (await this.store.layers.addFile(parent, await inside(m.Layers[i]), diffIds[i])).chainId;
          if (!existed) added.push(parent);
        }
        const img = await this.addTagged(dir, bytes, tags);
        added.length = 0; // the image now holds its layers
        if (m.RepoTags?.length) for (const t of m.RepoTags) lines.push(`Loaded image: ${t}`);
        else lines.push(`Loaded image ID: ${img.id}`);
      }
      return lines;
    } catch (err) {
      for (const c of added.reverse()) await this.store.layers.remove(c).catch(() => {});
      throw err;
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  /** `docker save`: a docker-archive tar stream of the given images. */
  save(refs: string[]): Readable {
    const images = refs.map((r) => ({ ref: r, img: this.store.resolve(r) }));
    const out = new PassThrough();
    const dir = this.tmpDir();
    const entry = (name: string, size: number, type = '0'): Buffer =>
      encodeHeader({ name, mode: type === '5' ? 0o755 : 0o644, uid: 0, gid: 0, size, mtime: Math.floor(this.now().getTime() / 1000), type, linkname: '', uname: '', gname: '', devmajor: 0, devminor: 0, pax: {} } as TarEntry);
    const put = async (b: Buffer | Uint8Array) => {
      if (!out.write(b)) await once(out, 'drain');
    };
    const writeFile = async (name: string, data: Buffer) => {
      await put(entry(name, data.length));
      await put(data);
      await put(Buffer.alloc(padding(data.length)));
    };
    const run = async () => {
      await fs.mkdir(dir, { recursive: true });
      const manifest: { Config: string; RepoTags: string[] | null; Layers: string[] }[] = [];
      const repositories: Record<string, Record<string, string>> = {};
      const written = new Set<string>();
      for (const { ref, img } of images) {
        const chains = chainIdsOf(img.config.rootfs.diff_ids);
        const layerPaths: string[] = [];
        let parentV1 = '';
        for (const c of chains) {
          const v1 = createHash('sha256').update(`${parentV1} ${c}`).digest('hex');
          layerPaths.push(`${v1}/layer.tar`);
          if (!written.has(v1)) {
            written.add(v1);
            const file = this.store.layers.tarPath(c);
            const { size } = await fs.stat(file);
            await put(entry(`${v1}/`, 0, '5'));
            await writeFile(`${v1}/VERSION`, Buffer.from('1.0'));
            await writeFile(`${v1}/json`, Buffer.from(JSON.stringify({ id: v1, ...(parentV1 ? { parent: parentV1 } : {}), created: img.config.created, container_config: emptyRuntimeConfig(), os: 'linux' })));
            await put(entry(`${v1}/layer.tar`, size));
            for await (const chunk of createReadStream(file)) await put(chunk as Buffer);
            await put(Buffer.alloc(padding(size)));
          }
          parentV1 = v1;
        }
        const bytes = Buffer.from(JSON.stringify(img.config));
        const cfgName = `${img.id.slice(7)}.json`;
        const exact = imageIdOf(bytes) === img.id ? bytes : await fs.readFile(path.join(this.store.root, 'images', cfgName));
        await writeFile(cfgName, exact);
        const tags = this.store.tagsOf(img.id).filter((t) => /^[0-9a-f]{12,64}$/.test(ref) || t === safeNorm(ref));
        manifest.push({ Config: cfgName, RepoTags: tags.length ? tags : null, Layers: layerPaths });
        for (const t of tags) {
          const i = t.lastIndexOf(':');
          (repositories[t.slice(0, i)] ??= {})[t.slice(i + 1)] = parentV1;
        }
      }
      await writeFile('manifest.json', Buffer.from(JSON.stringify(manifest)));
      if (Object.keys(repositories).length) await writeFile('repositories', Buffer.from(JSON.stringify(repositories)));
      out.end(Buffer.alloc(1024));
    };
    run()
      .catch((err) => out.destroy(err as Error))
      .finally(() => void fs.rm(dir, { recursive: true, force: true }));
    return out;
  }
}

function safeNorm(ref: string): string {
  try {
    return normaliseReference(ref);
  } catch {
    return ref;
  }
}

interface ManifestEntry {
  Config: string;
  RepoTags: string[] | null;
  Layers: string[];
}

/** Parses and checks a docker-archive manifest.json (pure); InvalidParameter on any bad shape. */
export function parseManifest(text: string): ManifestEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw invalidParameter('invalid archive: manifest.json is not valid JSON');
  }
  if (!Array.isArray(raw)) throw invalidParameter('invalid archive: manifest.json is not a list');
  return raw.map((m: unknown, i) => {
    const e = m as Partial<ManifestEntry> | null;
    const bad = (what: string) => invalidParameter(`invalid archive: manifest.json entry ${i} ${what}`);
    if (!e || typeof e !== 'object') throw bad('is not an object');
    if (typeof e.Config !== 'string' || e.Config === '') throw bad('has no Config');
    if (!Array.isArray(e.Layers) || !e.Layers.every((l) => typeof l === 'string' && l !== '')) throw bad('has invalid Layers');
    if (e.RepoTags != null && (!Array.isArray(e.RepoTags) || !e.RepoTags.every((t) => typeof t === 'string'))) throw bad('has invalid RepoTags');
    return { Config: e.Config, RepoTags: e.RepoTags ?? null, Layers: e.Layers };
  });
}
