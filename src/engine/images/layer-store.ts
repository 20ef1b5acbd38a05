/**
 * Unpacked layers, one directory per chain id: `layers/<hex>/diff` in overlay form plus
 * `layer.json`. `l/<short>` symlinks keep overlay's lowerdir option short (platform-notes §2.4).
 * A layer is unpacked into a temporary directory and renamed into place once its digest is known.
 */
import { promises as fs, createReadStream, createWriteStream } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { chainIdOf } from '../../oci/digest.js';
import type { Readable } from 'node:stream';
import { unpackLayer, maybeGunzip } from '../../oci/tar/extract.js';
import { pipeline } from 'node:stream/promises';
import { invalidParameter } from '../../errors.js';
import { writeJsonAtomic, readJsonIfExists } from '../../store/atomic-file.js';

export interface LayerInfo {
  chainId: string;
  diffId: string;
  parent: string | null;
  size: number;
  short: string;
}

const hex = (d: string) => d.replace(/^sha256:/, '');

/**
 * The init layer: one read-only directory, shared by every container, that holds the mount
 * points runc needs (/proc, /sys, /dev, and the files bound over /etc/hosts, /etc/hostname and
 * /etc/resolv.conf). Docker makes such a layer per container; with a shared one, runc finds its
 * mount points in place and writes nothing to the container's upper layer.
 */
export const INIT_LAYER = 'init-layer';
const INIT_DIRS = ['etc', 'proc', 'sys', 'dev'];
const INIT_FILES = ['etc/hosts', 'etc/hostname', 'etc/resolv.conf'];

export { chainIdOf, chainIdsOf } from '../../oci/digest.js';

export class LayerStore {
  readonly layersDir: string;
  readonly linksDir: string;

  /** Layer records read so far: a committed layer's record never changes. */
  private readonly known = new Map<string, LayerInfo>();

  constructor(readonly root: string) {
    this.layersDir = path.join(root, 'layers');
    this.linksDir = path.join(root, 'l');
  }

  async init(): Promise<void> {
    await fs.mkdir(this.layersDir, { recursive: true });
    await fs.mkdir(this.linksDir, { recursive: true });
    for (const d of await fs.readdir(this.layersDir)) if (d.startsWith('tmp-')) await fs.rm(path.join(this.layersDir, d), { recursive: true, force: true });
    await this.ensureInitLayer();
  }

  /** Makes the init layer (idempotent; a file in the way of a directory is replaced). */
  private async ensureInitLayer(): Promise<void> {
    const dir = path.join(this.root, INIT_LAYER);
    for (const d of INIT_DIRS) {
      const p = path.join(dir, d);
      const st = await fs.lstat(p).catch(() => undefined);
      if (st && !st.isDirectory()) await fs.rm(p, { recursive: true, force: true });
      await fs.mkdir(p, { recursive: true, mode: 0o755 });
      await fs.chmod(p, 0o755);
    }
    for (const f of INIT_FILES) {
      const p = path.join(dir, f);
      const st = await fs.lstat(p).catch(() => undefined);
      if (st?.isFile() && st.size === 0) continue;
      await fs.rm(p, { recursive: true, force: true });
      await fs.writeFile(p, '', { mode: 0o644 });
    }
  }

  /** The layer's tar exactly as it was received (its sha256 is the diff id). */
  tarPath(chainId: string): string {
    return path.join(this.layersDir, hex(chainId), 'layer.tar');
  }

  diffDir(chainId: string): string {
    return path.join(this.layersDir, hex(chainId), 'diff');
  }

  async get(chainId: string): Promise<LayerInfo | undefined> {
    const known = this.known.get(chainId);
    if (known) return known;
    const info = await readJsonIfExists<LayerInfo>(path.join(this.layersDir, hex(chainId), 'layer.json'));
    if (info) this.known.set(chainId, info);
    return info;
  }

  /**
   * Unpacks a layer tar on top of `parent`. When `expectDiffId` is given the content must match it.
   * Returns the (possibly already existing) layer.
   */
  async add(parent: string | null, input: Readable, expectDiffId?: string): Promise<LayerInfo> {
    const tmp = path.join(this.layersDir, `tmp-${randomBytes(8).toString('hex')}`);
    try {
      // Keep the uncompressed tar: `docker save` must reproduce the exact bytes of the diff id.
      await fs.mkdir(tmp, { recursive: true });
      await pipeline(input, maybeGunzip(), createWriteStream(path.join(tmp, 'layer.tar')));
      const { diffId, size } = await unpackLayer(createReadStream(path.join(tmp, 'layer.tar')), path.join(tmp, 'diff'));
      if (expectDiffId && diffId !== expectDiffId) {
        throw invalidParameter(`layer digest mismatch: expected ${expectDiffId}, got ${diffId}`);
      }
      const chainId = chainIdOf(parent, diffId);
      const existing = await this.get(chainId);
      if (existing) return existing;
      const short = randomBytes(13).toString('hex').slice(0, 26).toUpperCase();
      const info: LayerInfo = { chainId, diffId, parent, size, short };
      await writeJsonAtomic(path.join(tmp, 'layer.json'), info);
      await fs.rename(tmp, path.join(this.layersDir, hex(chainId)));
      await fs.symlink(`../layers/${hex(chainId)}/diff`, path.join(this.linksDir, short)).catch(() => {});
      return info;
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  }

  /** Unpacks a layer from a file. */
  addFile(parent: string | null, file: string, expectDiffId?: string): Promise<LayerInfo> {
    return this.add(parent, createReadStream(file), expectDiffId);
  }

  /** lowerdir entries of a container, relative to `root`, top-most first: the init layer, then the image's. */
  async mountSpec(chainIds: string[]): Promise<{ cwd: string; lowerdirs: string[] }> {
    const lowers: string[] = [INIT_LAYER];
    for (const c of [...chainIds].reverse()) {
      const info = await this.get(c);
      if (!info) throw invalidParameter(`layer ${c} is missing`);
      lowers.push(`l/${info.short}`);
    }
    return { cwd: this.root, lowerdirs: lowers };
  }

  /** Deletes a layer directory and its link. */
  async remove(chainId: string): Promise<void> {
    const info = await this.get(chainId);
    this.known.delete(chainId);
    if (info) await fs.rm(path.join(this.linksDir, info.short), { force: true });
    await fs.rm(path.join(this.layersDir, hex(chainId)), { recursive: true, force: true });
    this.known.delete(chainId);
  }
}
