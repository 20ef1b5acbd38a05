/**
 * `wharf run`: create, attach (hijacked, unless detached), wait, start, stream, and exit with the
 * container's status, as the docker CLI does (docker-api-trace.md §2).
 */
import { ApiError } from '../../client/api-error.js';
import {
  attachContainer, killContainer, resizeContainer, startContainer, waitContainer, type WaitResult,
} from '../../client/containers.js';
import type { HijackedStream } from '../../client/engine-client.js';
import { StatusError, type CliContext } from '../cli-io.js';
import { boolFlag, stringFlag, type CommandSpec } from '../command.js';
import { canEnterRawMode, enterRawMode, pumpInput, pumpOutput, terminalSize } from '../container-stream.js';
import type { ContainerCreateOptions } from '../create-body.js';
import type { FlagDef } from '../flags.js';
import { containerCreateFlags, createFromOptions, readCreateOptions } from './create.js';

/** Docker's exit status for a failed start: 126 not executable, 127 not found, else 125. */
export function startFailureStatus(message: string): number {
  if (/executable file not found|no such file or directory|system cannot find the file specified/.test(message)) {
    return 127;
  }
  if (/permission denied|is a directory/.test(message)) return 126;
  return 125;
}

/** Options of `wharf run` beyond the create options. */
export interface RunExtraOptions {
  sigProxy: boolean;
}

/** Streams stdin/stdout for an attached run and returns the container's exit status. */
async function runAttached(
  ctx: CliContext,
  id: string,
  o: ContainerCreateOptions,
  extra: RunExtraOptions,
): Promise<number> {
  const attach = new Set(o.attach.map((s) => s.toLowerCase()));
  const useDefault = attach.size === 0;
  const wantStdin = attach.has('stdin') || (useDefault && o.interactive);
  const stream: HijackedStream = await attachContainer(ctx.client, id, {
    stdin: wantStdin,
    stdout: useDefault || attach.has('stdout'),
    stderr: useDefault || attach.has('stderr'),
  });
  const waitBody = await waitContainer(ctx.client, id, o.autoRemove ? 'removed' : 'next-exit');
  const fold = o.tty && wantStdin && canEnterRawMode(ctx.stdio.stdin) && Boolean(ctx.stdio.stdout.isTTY);
  const restore = o.tty && wantStdin ? enterRawMode(ctx.stdio.stdin) : () => undefined;
  const cleanups: (() => void)[] = [restore];
  try {
    const output = pumpOutput(stream.socket, stream.head, o.tty, ctx.stdio.stdout, ctx.stdio.stderr, fold);
    if (wantStdin) {
      const pump = pumpInput(ctx.stdio.stdin, stream.socket);
      cleanups.push(() => pump.stop());
    } else {
      stream.socket.end();
    }
    try {
      await startContainer(ctx.client, id);
    } catch (e) {
      stream.socket.destroy();
      if (e instanceof ApiError) {
        throw new StatusError(
          startFailureStatus(e.message),
          `wharf: Error response from daemon: ${e.message}\n\nRun 'wharf run --help' for more information`,
        );
      }
      throw e;
    }
    if (o.tty) {
      const size = terminalSize(ctx.stdio.stdout);
      if (size) {
        const resize = () => {
          const s = terminalSize(ctx.stdio.stdout);
          if (s) resizeContainer(ctx.client, id, s[0], s[1]).catch(() => undefined);
        };
        resize();
        cleanups.push(ctx.hooks.onSignal('SIGWINCH', resize));
      }
    } else if (extra.sigProxy) {
      for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2']) {
        cleanups.push(ctx.hooks.onSignal(sig, () => void killContainer(ctx.client, id, sig).catch(() => undefined)));
      }
    }
    await output;
    const result: WaitResult = await waitBody();
    if (result.Error?.Message) ctx.stdio.stderr.write(`wharf: ${result.Error.Message}\n`);
    return result.StatusCode;
  } finally {
    for (const c of cleanups.reverse()) c();
  }
}

/** Runs a container (the whole `wharf run` flow). */
export async function runRun(
  ctx: CliContext,
  o: ContainerCreateOptions,
  env: string[],
  extra: RunExtraOptions,
): Promise<number> {
  if (o.detach && o.autoRemove === false && o.attach.length > 0) {
    throw new StatusError(125, 'wharf: conflicting options: cannot specify both --attach and --detach');
  }
  let id: string;
  try {
    id = await createFromOptions(ctx, o, env);
  } catch (e) {
    if (e instanceof ApiError) {
      throw new StatusError(125, `wharf: Error response from daemon: ${e.message}\n\nRun 'wharf run --help' for more information`);
    }
    throw e;
  }
  if (o.detach) {
    try {
      await startContainer(ctx.client, id);
    } catch (e) {
      if (e instanceof ApiError) {
        throw new StatusError(
          startFailureStatus(e.message),
          `wharf: Error response from daemon: ${e.message}\n\nRun 'wharf run --help' for more information`,
        );
      }
      throw e;
    }
    ctx.stdio.stdout.write(`${id}\n`);
    return 0;
  }
  return runAttached(ctx, id, o, extra);
}

/** The `run` spec. */
export const runCommand: CommandSpec = {
  name: 'run',
  usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  description: 'Create and run a new container from an image',
  flags: ([
    ...containerCreateFlags,
    boolFlag('detach', 'd', 'Run container in background and print container ID'),
    stringFlag('detach-keys', undefined, 'Override the key sequence for detaching a container'),
    { long: 'sig-proxy', type: 'bool', description: 'Proxy received signals to the process (default true)' },
  ] as FlagDef[]).sort((a, b) => a.long.localeCompare(b.long)),
  interspersed: false,
  minArgs: 1,
  daemonErrorStatus: 125,
  run: async (ctx, f, args) => {
    const { options, env } = readCreateOptions(ctx, f, args, f.bool('detach'));
    const sigProxy = f.changed('sig-proxy') ? f.bool('sig-proxy') : true;
    return runRun(ctx, options, env, { sigProxy });
  },
};
