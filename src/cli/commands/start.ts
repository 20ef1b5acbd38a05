/**
 * `wharf start`: start containers; with `-a` attach to one first (and `-i` its stdin), stream its
 * output and exit with its exit code (read from inspect once the stream ends).
 */
import { attachContainer, inspectContainer, startContainer } from '../../client/containers.js';
import { StatusError, type CliContext } from '../cli-io.js';
import { boolFlag, stringFlag, type CommandSpec } from '../command.js';
import { canEnterRawMode, enterRawMode, pumpInput, pumpOutput } from '../container-stream.js';
import { describeError, forEachTarget } from './for-each-target.js';

/** Options of `wharf start`. */
export interface StartOptions {
  containers: string[];
  attach: boolean;
  interactive: boolean;
}

/** Starts one container attached; returns its exit code. */
async function startAttached(ctx: CliContext, name: string, interactive: boolean): Promise<number> {
  const info = await inspectContainer(ctx.client, name);
  const tty = info.Config.Tty;
  const withStdin = interactive && info.Config.OpenStdin;
  const stream = await attachContainer(ctx.client, info.Id, { stdin: withStdin, stdout: true, stderr: true });
  const fold = tty && withStdin && canEnterRawMode(ctx.stdio.stdin) && Boolean(ctx.stdio.stdout.isTTY);
  const restore = tty && withStdin ? enterRawMode(ctx.stdio.stdin) : () => undefined;
  const pump = withStdin ? pumpInput(ctx.stdio.stdin, stream.socket) : undefined;
  if (!withStdin) stream.socket.end();
  try {
    const output = pumpOutput(stream.socket, stream.head, tty, ctx.stdio.stdout, ctx.stdio.stderr, fold);
    try {
      await startContainer(ctx.client, info.Id);
    } catch (e) {
      stream.socket.destroy();
      throw new StatusError(1, `${describeError(e)}\nError: failed to start containers: ${name}`);
    }
    await output;
  } finally {
    pump?.stop();
    restore();
  }
  const after = await inspectContainer(ctx.client, info.Id);
  return after.State.ExitCode;
}

/** Starts the containers. */
export async function runStart(ctx: CliContext, o: StartOptions): Promise<number> {
  if (o.attach || o.interactive) {
    if (o.containers.length > 1) {
      throw new StatusError(1, 'Error: you cannot start and attach multiple containers at once');
    }
    return startAttached(ctx, o.containers[0]!, o.interactive);
  }
  return forEachTarget(
    ctx,
    o.containers,
    (c) => startContainer(ctx.client, c),
    (failed) => `Error: failed to start containers: ${failed.join(', ')}`,
  );
}

/** The `start` spec. */
export const startCommand: CommandSpec = {
  name: 'start',
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Start one or more stopped containers',
  flags: [
    boolFlag('attach', 'a', "Attach STDOUT/STDERR and forward signals"),
    stringFlag('detach-keys', undefined, 'Override the key sequence for detaching a container'),
    boolFlag('interactive', 'i', "Attach container's STDIN"),
  ],
  minArgs: 1,
  run: (ctx, f, args) =>
    runStart(ctx, { containers: args, attach: f.bool('attach'), interactive: f.bool('interactive') }),
};
