/**
 * Local volumes: `<root>/<name>/_data` plus a record (`volume.json`, written atomically) that also
 * keeps provenance: who created the volume, from what, and when.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { notFound, conflict, invalidParameter } from '../../errors.js';
import { readJsonIfExists, writeJsonAtomic } from '../../store/atomic-file.js';
import { validateVolumeName } from './mount-spec.js';

/** Who made a volume (beyond Docker). */
export interface Provenance {
  /** `image VOLUME`, `-v`, `--mount`, `volume create`, `compose`, `build`. */
  createdBy: string;
  container?: string;
  image?: string;
  composeProject?: string;
  composeService?: string;
  /** Containers that mounted the volume through `--volumes-from` (consumer <- source). */
  sharedVia?: string[];
}

export interface VolumeRecord {
  Name: string;
  Driver: 'local';
  CreatedAt: string;
  Labels: Record<string, string> | null;
  Options: Record<string, string> | null;
  Anonymous: boolean;
  /** Copy-up from the image is still owed (a new volume that nothing has filled yet). */
  Pristine: boolean;
  Provenance: Provenance;
}

/** Containers that use a volume, for removal and the dangling filter. */
export type VolumeUsage = (name: string) => string[];

export class VolumeStore {
  private readonly records = new Map<string, VolumeRecord>();

  constructor(
    readonly root: string,
    private readonly now: () => Date,
    private readonly randomId: () => string,
  ) {}

  async init(): Promise<void> {
    await fs.mkdir(this.root, { recursive: true, mode: 0o701 });
    for (const name of await fs.readdir(this.root)) {
      const rec = await readJsonIfExists<VolumeRecord>(path.join(this.root, name, 'volume.json')).catch(() => undefined);
      if (rec && rec.Name === name) this.records.set(name, rec);
    }
  }

  dataPath(name: string): string {
    return path.join(this.root, name, '_data');
  }

  get(name: string): VolumeRecord | undefined {
    return this.records.get(name);
  }

  require(name: string): VolumeRecord {
    const v = this.records.get(name);
    if (!v) throw notFound(`get ${name}: no such volume`);
    return v;
  }

  all(): VolumeRecord[] {
    return [...this.records.values()];
  }

  /** Creates a volume (a name is generated for anonymous ones); an existing name is returned as is. */
  async create(opts: { name?: string; labels?: Record<string, string> | null; options?: Record<string, string> | null; provenance: Provenance }): Promise<VolumeRecord> {
    const anonymous = !opts.name;
    const name = opts.name || this.randomId();
    validateVolumeName(name);
    const existing = this.records.get(name);
    if (existing) return existing;
    if (opts.options && Object.keys(opts.options).length) throw invalidParameter('the local driver in Wharf takes no options');
    await fs.mkdir(this.dataPath(name), { recursive: true, mode: 0o755 });
    const rec: VolumeRecord = {
      Name: name, Driver: 'local', CreatedAt: this.now().toISOString().replace(/\.\d+Z$/, 'Z'), Labels: opts.labels ?? null,
      Options: opts.options ?? null, Anonymous: anonymous, Pristine: true, Provenance: opts.provenance,
    };
    await this.save(rec);
    return rec;
  }

  async save(rec: VolumeRecord): Promise<void> {
    this.records.set(rec.Name, rec);
    await writeJsonAtomic(path.join(this.root, rec.Name, 'volume.json'), rec);
  }

  /** Removes a volume unless a container uses it (Docker's conflict wording). */
  async remove(name: string, usage: VolumeUsage, force = false): Promise<void> {
    const rec = this.records.get(name);
    if (!rec) {
      if (force) return;
      throw notFound(`get ${name}: no such volume`);
    }
    const users = usage(name);
    if (users.length) throw conflict(`remove ${name}: volume is in use - [${users.join(', ')}]`);
    this.records.delete(name);
    await fs.rm(path.join(this.root, name), { recursive: true, force: true });
  }

  /** The Engine API view of a volume. */
  view(rec: VolumeRecord): Record<string, unknown> {
    return {
      CreatedAt: rec.CreatedAt, Driver: rec.Driver, Labels: rec.Labels, Mountpoint: this.dataPath(rec.Name), Name: rec.Name,
      Options: rec.Options, Scope: 'local',
      // Provenance rides in Status, the field Docker reserves for driver-specific information.
      Status: { CreatedBy: rec.Provenance.createdBy, ...(rec.Provenance.container ? { Container: rec.Provenance.container } : {}),
        ...(rec.Provenance.image ? { Image: rec.Provenance.image } : {}),
        ...(rec.Provenance.composeProject ? { ComposeProject: rec.Provenance.composeProject, ComposeService: rec.Provenance.composeService ?? '' } : {}),
        ...(rec.Provenance.sharedVia?.length ? { VolumesFrom: rec.Provenance.sharedVia.join(', ') } : {}) },
    };
  }

  /** `GET /volumes` with filters dangling, name, label, driver. */
  list(filters: Record<string, string[]>, usage: VolumeUsage): VolumeRecord[] {
    return this.all().filter((v) => {
      if (filters.dangling?.length) {
        const want = ['true', '1'].includes(filters.dangling[0]!);
        if ((usage(v.Name).length === 0) !== want) return false;
      }
      if (filters.name?.length && !filters.name.some((n) => v.Name.includes(n))) return false;
      if (filters.driver?.length && !filters.driver.includes(v.Driver)) return false;
      if (filters.label?.length) {
        const labels = v.Labels ?? {};
        if (!filters.label.every((l) => (l.includes('=') ? labels[l.split('=')[0]!] === l.slice(l.indexOf('=') + 1) : l in labels))) return false;
      }
      return true;
    });
  }

  /** Sizes in bytes of a volume's data (for df and the audit). */
  async size(name: string): Promise<number> {
    let total = 0;
    const walk = async (dir: string): Promise<void> => {
      for (const e of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else total += (await fs.lstat(p).catch(() => ({ size: 0 }))).size;
      }
    };
    await walk(this.dataPath(name));
    return total;
  }
}
