/**
 * `wharf attach`: wait (no condition), inspect, attach; stream until the container exits and
 * exit with the status from the wait.
 */
import { attachContainer, inspectContainer, killContainer, waitContainer } from '../../client/containers.js';
import { StatusError, type CliContext } from '../cli-io.js';
import { boolFlag, stringFlag, type CommandSpec } from '../command.js';
import { canEnterRawMode, enterRawMode, pumpInput, pumpOutput } from '../container-stream.js';

/** Options of `wharf attach`. */
export interface AttachOptions {
  container: string;
  noStdin: boolean;
  sigProxy: boolean;
}

/** Attaches to a running container. */
export async function runAttach(ctx: CliContext, o: AttachOptions): Promise<number> {
  const waitBody = await waitContainer(ctx.client, o.container);
  const info = await inspectContainer(ctx.client, o.container);
  if (!info.State.Running) throw new StatusError(1, 'You cannot attach to a stopped container, start it first');
  if (info.State.Paused) throw new StatusError(1, 'You cannot attach to a paused container, unpause it first');
  const tty = info.Config.Tty;
  const withStdin = !o.noStdin && info.Config.OpenStdin;
  const stream = await attachContainer(ctx.client, o.container, { stdin: withStdin, stdout: true, stderr: true });
  const fold = tty && withStdin && canEnterRawMode(ctx.stdio.stdin) && Boolean(ctx.stdio.stdout.isTTY);
  const restore = tty && withStdin ? enterRawMode(ctx.stdio.stdin) : () => undefined;
  const pump = withStdin ? pumpInput(ctx.stdio.stdin, stream.socket) : undefined;
  const unhook: (() => void)[] = [];
  if (o.sigProxy && !tty) {
    for (const sig of ['SIGINT', 'SIGTERM']) {
      unhook.push(ctx.hooks.onSignal(sig, () => void killContainer(ctx.client, info.Id, sig).catch(() => undefined)));
    }
  }
  try {
    await pumpOutput(stream.socket, stream.head, tty, ctx.stdio.stdout, ctx.stdio.stderr, fold);
  } finally {
    pump?.stop();
    restore();
    unhook.forEach((u) => u());
  }
  const result = await waitBody();
  return result.StatusCode;
}

/** The `attach` spec. */
export const attachCommand: CommandSpec = {
  name: 'attach',
  usage: '[OPTIONS] CONTAINER',
  description: "Attach local standard input, output, and error streams to a running container",
  flags: [
    stringFlag('detach-keys', undefined, 'Override the key sequence for detaching a container'),
    boolFlag('no-stdin', undefined, 'Do not attach STDIN'),
    { long: 'sig-proxy', type: 'bool', description: 'Proxy all received signals to the process (default true)' },
  ],
  minArgs: 1,
  maxArgs: 1,
  run: (ctx, f, args) =>
    runAttach(ctx, {
      container: args[0]!,
      noStdin: f.bool('no-stdin'),
      sigProxy: f.changed('sig-proxy') ? f.bool('sig-proxy') : true,
    }),
};
