/**
 * Saves of container records that must not hold up what follows them. When a container exits,
 * its waiters are woken and its host resources released whether or not the "exited" record
 * reaches the disk: a full data root (ENOSPC) must not leave `docker wait` or an attached
 * `docker run` hanging. The record stays right in memory, and a failed save is tried again
 * later, with the record as it is then, until it succeeds or the container is gone.
 */
import { messageOf } from '../../errors.js';
import type { ContainerRecord } from './container-record.js';

/** What the retry needs from the container store. */
export interface RecordSaver {
  save(rec: ContainerRecord): Promise<void>;
  get(id: string): ContainerRecord | undefined;
}

/** How long a failed save waits before it is tried again. */
export const RETRY_DELAY_MS = 2_000;

/** Saves that log and retry a failure instead of throwing it (one timer per record). */
export class RecordRetry {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly store: RecordSaver,
    private readonly log: (line: string) => void,
    private readonly delayMs = RETRY_DELAY_MS,
  ) {}

  /** Saves `rec`; a failure is logged and the save retried later. Never throws. */
  async save(rec: ContainerRecord): Promise<void> {
    this.cancel(rec.id);
    try {
      await this.store.save(rec);
    } catch (err) {
      this.log(`record of container ${rec.id} not saved, retrying in ${this.delayMs} ms: ${messageOf(err)}`);
      this.schedule(rec.id);
    }
  }

  /** True while a save of `id` waits for its retry. */
  pending(id: string): boolean {
    return this.timers.has(id);
  }

  /** Stops every retry (the daemon stops). */
  stop(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private schedule(id: string): void {
    const timer = setTimeout(() => {
      this.timers.delete(id);
      const cur = this.store.get(id);
      if (cur) void this.save(cur);
    }, this.delayMs);
    timer.unref();
    this.timers.set(id, timer);
  }

  private cancel(id: string): void {
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.delete(id);
  }
}
