/**
 * The set of container records: an in-memory index backed by one atomic JSON file per container
 * (`<root>/<id>/config.v2.json`). Lookups follow Docker's order: full id, name, link name, id prefix.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { notFound, invalidParameter } from '../../errors.js';
import { readJsonIfExists, writeJsonAtomic } from '../../store/atomic-file.js';
import type { ContainerRecord } from './container-record.js';

const RECORD_FILE = 'config.v2.json';
/** Ids are random, so remembering the latest removals is enough to stop late saves. */
const MAX_REMEMBERED_REMOVALS = 10_000;

export class ContainerStore {
  private readonly byId = new Map<string, ContainerRecord>();
  /**
   * Ids removed while this daemon runs. A task that read a record before its removal (a source's
   * removal pruning its recipients' links, say) must not bring it back by saving it afterwards.
   */
  private readonly removed = new Set<string>();
  /** The last write queued for each record. */
  private readonly writes = new Map<string, Promise<void>>();
  /** What the last write queued for each record writes. */
  private readonly lastData = new Map<string, ContainerRecord>();

  constructor(readonly root: string) {}

  /** Loads every record from disk; unreadable ones are reported and skipped. */
  async load(report: (msg: string) => void = () => {}): Promise<void> {
    await fs.mkdir(this.root, { recursive: true });
    for (const id of await fs.readdir(this.root)) {
      try {
        const rec = await readJsonIfExists<ContainerRecord>(path.join(this.root, id, RECORD_FILE));
        if (rec && rec.id === id) this.byId.set(id, rec);
      } catch (err) {
        report(`skipping container ${id}: ${(err as Error).message}`);
      }
    }
  }

  /** Ids with a directory here, loaded or not (a record that could not be read still counts). */
  async directoryIds(): Promise<string[]> {
    return fs.readdir(this.root).catch(() => []);
  }

  /** Ids with a directory here but no record file in it: a create or a removal cut short. */
  async recordlessIds(): Promise<string[]> {
    const ids = await this.directoryIds();
    const missing = await Promise.all(ids.map((id) => fs.access(path.join(this.root, id, RECORD_FILE)).then(() => false, () => true)));
    return ids.filter((id, i) => missing[i] && /^[0-9a-f]{64}$/.test(id));
  }

  /** The directory holding a container's persistent files. */
  dir(id: string): string {
    return path.join(this.root, id);
  }

  all(): ContainerRecord[] {
    return [...this.byId.values()];
  }

  get(id: string): ContainerRecord | undefined {
    return this.byId.get(id);
  }

  /**
   * Writes the record atomically and indexes it; a removed container stays removed. Writes of one
   * record go one after another, each taking the record as it is when its turn comes, so two
   * saves close together can never leave the older state on disk.
   */
  async save(rec: ContainerRecord): Promise<void> {
    if (this.removed.has(rec.id)) return;
    this.byId.set(rec.id, rec);
    await this.write(rec.id, rec);
  }

  /**
   * Writes `snapshot` (a copy of the record, as it will be a moment from now) without touching
   * the live record in memory. It is queued with the record's other writes, in call order.
   */
  async saveAhead(snapshot: ContainerRecord): Promise<void> {
    if (this.removed.has(snapshot.id)) return;
    await this.write(snapshot.id, snapshot);
  }

  /** True when the last write queued for the record writes `data` (nothing queued since). */
  wroteLast(id: string, data: ContainerRecord): boolean {
    return this.lastData.get(id) === data;
  }

  private async write(id: string, data: ContainerRecord): Promise<void> {
    this.lastData.set(id, data);
    const file = path.join(this.root, id, RECORD_FILE);
    const turn = (this.writes.get(id) ?? Promise.resolve())
      .catch(() => {})
      .then(() => (this.removed.has(id) ? undefined : writeJsonAtomic(file, data)));
    this.writes.set(id, turn);
    try {
      await turn;
    } finally {
      if (this.writes.get(id) === turn) this.writes.delete(id);
    }
  }

  /** Forgets the record and deletes its directory (after any write of it in flight). */
  async delete(id: string): Promise<void> {
    this.byId.delete(id);
    this.lastData.delete(id);
    this.removed.add(id);
    if (this.removed.size > MAX_REMEMBERED_REMOVALS) this.removed.delete(this.removed.values().next().value!);
    await this.writes.get(id)?.catch(() => {});
    // The record goes first: a directory without one is a removal (or a create) cut short, which
    // start-up reconciliation finishes, never a container with half its files.
    await fs.rm(path.join(this.root, id, RECORD_FILE), { force: true });
    // A monitor that is still closing its log may add to the directory while it goes: retry.
    await fs.rm(path.join(this.root, id), { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  }

  /** The record whose name is `name` (with or without the slash). */
  byName(name: string): ContainerRecord | undefined {
    const n = name.startsWith('/') ? name : '/' + name;
    for (const r of this.byId.values()) if (r.name === n) return r;
    return undefined;
  }

  /** Finds by full id, name, link name (`/recipient/alias`) or unique id prefix. */
  find(ref: string): ContainerRecord | undefined {
    if (!ref) return undefined;
    const exact = this.byId.get(ref);
    if (exact) return exact;
    const named = this.byName(ref);
    if (named) return named;
    const linkName = ref.startsWith('/') ? ref : '/' + ref;
    for (const r of this.byId.values()) {
      for (const l of r.links) {
        if (`${r.name}/${l.alias}` === linkName) return this.byId.get(l.sourceId);
      }
    }
    if (!/^[0-9a-f]+$/.test(ref)) return undefined;
    const hits = [...this.byId.keys()].filter((id) => id.startsWith(ref));
    if (hits.length > 1) throw invalidParameter(`Multiple IDs found with provided prefix: ${ref}`);
    return hits.length ? this.byId.get(hits[0]!) : undefined;
  }

  /** Like find, but throws Docker's `No such container: x`. */
  require(ref: string): ContainerRecord {
    const r = this.find(ref);
    if (!r) throw notFound(`No such container: ${ref}`);
    return r;
  }
}
