/** Waiters for `POST /containers/{id}/wait`: next-exit, not-running and removed. */

export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

export interface WaitResult {
  StatusCode: number;
  Error: { Message: string } | null;
}

interface Waiter {
  condition: WaitCondition;
  resolve: (r: WaitResult) => void;
}

export class Waiters {
  private readonly byId = new Map<string, Waiter[]>();

  add(id: string, condition: WaitCondition): { promise: Promise<WaitResult>; cancel: () => void } {
    let waiter!: Waiter;
    const promise = new Promise<WaitResult>((resolve) => {
      waiter = { condition, resolve };
    });
    const list = this.byId.get(id) ?? [];
    list.push(waiter);
    this.byId.set(id, list);
    const cancel = () => {
      const l = this.byId.get(id);
      if (l) this.byId.set(id, l.filter((w) => w !== waiter));
    };
    return { promise, cancel };
  }

  /** The container exited: wake not-running and next-exit waiters. */
  exited(id: string, code: number): void {
    this.wake(id, (w) => w.condition !== 'removed', { StatusCode: code, Error: null });
  }

  /** The container is gone: wake everyone. */
  removed(id: string, code: number): void {
    this.wake(id, () => true, { StatusCode: code, Error: null });
  }

  private wake(id: string, which: (w: Waiter) => boolean, result: WaitResult): void {
    const list = this.byId.get(id) ?? [];
    const keep = list.filter((w) => !which(w));
    for (const w of list) if (which(w)) w.resolve(result);
    if (keep.length) this.byId.set(id, keep);
    else this.byId.delete(id);
  }
}
