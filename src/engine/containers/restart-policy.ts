/** Restart policy decisions (pure). */
import type { RestartPolicy } from './container-record.js';

export interface ExitFacts {
  policy: RestartPolicy;
  exitCode: number;
  restartCount: number;
  manuallyStopped: boolean;
  /** The daemon is shutting down or the container is being removed. */
  stopping: boolean;
}

/** Whether the container should be started again after this exit. */
export function shouldRestart(f: ExitFacts): boolean {
  if (f.manuallyStopped || f.stopping) return false;
  switch (f.policy.Name) {
    case 'always':
    case 'unless-stopped':
      return true;
    case 'on-failure':
      return f.exitCode !== 0 && (f.policy.MaximumRetryCount === 0 || f.restartCount < f.policy.MaximumRetryCount);
    default:
      return false;
  }
}

/** Delay before the next restart: 100 ms doubling, at most one minute (Docker's back-off). */
export function restartDelayMs(restartCount: number): number {
  return Math.min(100 * 2 ** Math.min(restartCount, 20), 60_000);
}
