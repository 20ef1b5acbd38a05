/**
 * `wharf logs`: inspect (to learn whether the container has a TTY), then stream the logs,
 * demultiplexed to stdout/stderr.
 */
import { containerLogs, inspectContainer } from '../../client/containers.js';
import type { CliContext } from '../cli-io.js';
import { boolFlag, stringFlag, type CommandSpec } from '../command.js';
import { pumpOutput } from '../container-stream.js';

/** Options of `wharf logs`. */
export interface LogsOptions {
  container: string;
  follow: boolean;
  timestamps: boolean;
  tail: string;
  since: string;
  until: string;
  details: boolean;
}

/** Converts docker's `--since`/`--until` (RFC 3339, Unix seconds, or a duration like 10m) to the API form. */
export function toApiTimestamp(value: string, nowMs: number): string {
  if (!value) return '';
  const duration = /^(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)$/.exec(value);
  if (duration) {
    const factor: Record<string, number> = { ns: 1e-6, us: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6 };
    const t = (nowMs - Number(duration[1]) * factor[duration[2]!]!) / 1000;
    return t.toFixed(9);
  }
  if (/^\d+(\.\d+)?$/.test(value)) return value;
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) return value;
  return (parsed / 1000).toFixed(9);
}

/** Prints a container's logs. */
export async function runLogs(ctx: CliContext, o: LogsOptions): Promise<number> {
  const info = await inspectContainer(ctx.client, o.container);
  const stream = await containerLogs(ctx.client, o.container, {
    follow: o.follow,
    timestamps: o.timestamps,
    tail: o.tail || 'all',
    since: toApiTimestamp(o.since, ctx.now()),
    until: toApiTimestamp(o.until, ctx.now()),
    details: o.details,
  });
  await pumpOutput(stream, Buffer.alloc(0), info.Config.Tty, ctx.stdio.stdout, ctx.stdio.stderr);
  return 0;
}

/** The `logs` spec. */
export const logsCommand: CommandSpec = {
  name: 'logs',
  usage: '[OPTIONS] CONTAINER',
  description: 'Fetch the logs of a container',
  flags: [
    boolFlag('details', undefined, 'Show extra details provided to logs'),
    boolFlag('follow', 'f', 'Follow log output'),
    stringFlag('since', undefined, 'Show logs since timestamp or relative'),
    stringFlag('tail', 'n', 'Number of lines to show from the end of the logs'),
    boolFlag('timestamps', 't', 'Show timestamps'),
    stringFlag('until', undefined, 'Show logs before a timestamp or relative'),
  ],
  minArgs: 1,
  maxArgs: 1,
  run: (ctx, f, args) =>
    runLogs(ctx, {
      container: args[0]!, follow: f.bool('follow'), timestamps: f.bool('timestamps'), tail: f.string('tail', 'all'),
      since: f.string('since'), until: f.string('until'), details: f.bool('details'),
    }),
};
