/**
 * Local volumes: `<root>/<name>/_data` plus a record (`volume.json`, written atomically) that also
 * keeps provenance: who created the volume, from what, and when.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { notFound, conflict, invalidParameter } from '../../errors.js';
import { readJsonIfExists, writeJsonAtomic } from '../../store/atomic-file.js';
import { validateVolumeName } from './mount-spec.js';
import { assertNothingMounted, hasDeviceOptions, unmountDevice } from './local-driver.js';
import type { EventSink } from '../containers/ports.js';

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
    /** Where Docker's volume `create` and `destroy` events go. */
    private readonly events?: EventSink,
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
    validateLocalOptions(name, opts.options);
    await fs.mkdir(this.dataPath(name), { recursive: true, mode: 0o755 });
    const rec: VolumeRecord = {
      Name: name, Driver: 'local', CreatedAt: this.now().toISOString().replace(/\.\d+Z$/, 'Z'), Labels: opts.labels ?? null,
      Options: opts.options ?? null, Anonymous: anonymous, Pristine: true, Provenance: opts.provenance,
    };
    await this.save(rec);
    this.events?.emit({ Type: 'volume', Action: 'create', id: name, attributes: { driver: 'local' } });
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
    const dir = path.join(this.root, name);
    // A device volume is unmounted first; nothing may stay mounted below it (never delete through a mount).
    if (hasDeviceOptions(rec.Options)) await unmountDevice(this.dataPath(name));
    await assertNothingMounted(dir);
    this.records.delete(name);
    await fs.rm(dir, { recursive: true, force: true });
    this.events?.emit({ Type: 'volume', Action: 'destroy', id: name, attributes: { driver: 'local' } });
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

  /** `GET /volumes` with filters dangling, name, label, driver (Docker's checks and wording). */
  list(filters: Record<string, string[]>, usage: VolumeUsage): VolumeRecord[] {
    for (const key of Object.keys(filters)) {
      if (!['dangling', 'name', 'driver', 'label'].includes(key)) throw invalidParameter(`Invalid filter '${key}'`);
    }
    let dangling: boolean | undefined;
    if (filters.dangling?.length) {
      const v = filters.dangling;
      if (v.includes('true') || v.includes('1')) dangling = true;
      else if (v.includes('false') || v.includes('0')) dangling = false;
      else throw invalidParameter(`Invalid filter 'dangling=[${v.join(' ')}]'`);
    }
    return this.all().filter((v) => {
      if (dangling !== undefined && (usage(v.Name).length === 0) !== dangling) return false;
      if (filters.name?.length && !filters.name.some((n) => matchesFilter(n, v.Name))) return false;
      if (filters.driver?.length && !filters.driver.some((d) => matchesFilter(d, v.Driver))) return false;
      return matchesLabels(filters.label ?? [], v.Labels);
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

/** Docker's filters.Match: an exact value, or a regular expression found in the text. */
export function matchesFilter(pattern: string, text: string): boolean {
  if (pattern === text) return true;
  try {
    return new RegExp(pattern).test(text);
  } catch {
    return false;
  }
}

/** Every `key` / `key=value` filter holds for the labels (an empty list always holds). */
export function matchesLabels(filters: string[], labels: Record<string, string> | null): boolean {
  const have = labels ?? {};
  return filters.every((l) => {
    const eq = l.indexOf('=');
    return eq < 0 ? l in have : have[l.slice(0, eq)] === l.slice(eq + 1);
  });
}

/** The local driver's option check (`type`, `device`, `o`), with Docker's wording. */
export function validateLocalOptions(name: string, opts: Record<string, string> | null | undefined): void {
  if (!opts) return;
  for (const key of Object.keys(opts)) {
    if (!['type', 'device', 'o'].includes(key)) throw invalidParameter(`create ${name}: invalid option key: "${key}"`);
  }
  const required: [string, string[]][] = [['device', ['type']], ['type', ['device']], ['o', ['device', 'type']]];
  for (const [opt, needs] of required) {
    if (!(opt in opts)) continue;
    for (const n of needs) if (!(n in opts)) throw invalidParameter(`create ${name}: missing required option: "${n}"`);
  }
}
