/**
 * The loop shared by verbs that act on several containers or images (stop, kill, rm, pause...):
 * act on each in turn, print what succeeded on stdout, then report every failure together.
 */
import { ApiError } from '../../client/api-error.js';
import { StatusError, type CliContext } from '../cli-io.js';

/** Docker's text for an error in a multi-target loop. */
export function describeError(e: unknown): string {
  if (e instanceof ApiError) return `Error response from daemon: ${e.message}`;
  return (e as Error)?.message ?? String(e);
}

/**
 * Runs `action` for each target; prints its result (or the target itself) per success.
 * Throws a StatusError(1) carrying all failures (one per line), plus `summary` when given.
 */
export async function forEachTarget(
  ctx: CliContext,
  targets: string[],
  action: (target: string) => Promise<string | void>,
  summary?: (failed: string[]) => string,
): Promise<number> {
  const errors: string[] = [];
  const failed: string[] = [];
  for (const t of targets) {
    try {
      const out = await action(t);
      ctx.stdio.stdout.write(`${out ?? t}\n`);
    } catch (e) {
      errors.push(describeError(e));
      failed.push(t);
    }
  }
  if (errors.length) {
    if (summary) errors.push(summary(failed));
    throw new StatusError(1, errors.join('\n'));
  }
  return 0;
}
