/**
 * `wharf exec`: inspect the container, create an exec, start it (hijacked unless `-d`), stream,
 * then read the exec's exit code.
 */
import {
  createExec, inspectContainer, inspectExec, resizeExec, startExecAttached, startExecDetached,
} from '../../client/containers.js';
import { StatusError, type CliContext } from '../cli-io.js';
import { boolFlag, listFlag, stringFlag, type CommandSpec } from '../command.js';
import { canEnterRawMode, enterRawMode, pumpInput, pumpOutput, terminalSize } from '../container-stream.js';
import { resolveEnv } from '../create-body.js';

/** Options of `wharf exec`. */
export interface ExecOptions {
  container: string;
  command: string[];
  interactive: boolean;
  tty: boolean;
  detach: boolean;
  env: string[];
  workdir: string;
  user: string;
  privileged: boolean;
}

/** Builds the exec create body exactly as the docker CLI sends it. */
export function buildExecBody(o: ExecOptions, env: string[]): Record<string, unknown> {
  return {
    User: o.user,
    Privileged: o.privileged,
    Tty: o.tty,
    AttachStdin: o.interactive && !o.detach,
    AttachStderr: !o.detach,
    AttachStdout: !o.detach,
    Detach: o.detach,
    DetachKeys: '',
    Env: env.length ? env : null,
    WorkingDir: o.workdir,
    Cmd: o.command,
  };
}

/** Runs a command in a running container and returns its exit code. */
export async function runExec(ctx: CliContext, o: ExecOptions): Promise<number> {
  await inspectContainer(ctx.client, o.container);
  const env = resolveEnv([], o.env, (k) => ctx.env[k]);
  const { Id: execId } = await createExec(ctx.client, o.container, buildExecBody(o, env));
  if (o.detach) {
    await startExecDetached(ctx.client, execId, o.tty);
    return 0;
  }
  const stream = await startExecAttached(ctx.client, execId, o.tty);
  const fold = o.tty && o.interactive && canEnterRawMode(ctx.stdio.stdin) && Boolean(ctx.stdio.stdout.isTTY);
  const restore = o.tty && o.interactive ? enterRawMode(ctx.stdio.stdin) : () => undefined;
  const pump = o.interactive ? pumpInput(ctx.stdio.stdin, stream.socket) : undefined;
  if (!o.interactive) stream.socket.end();
  const unhook: (() => void)[] = [];
  if (o.tty) {
    const resize = () => {
      const s = terminalSize(ctx.stdio.stdout);
      if (s) resizeExec(ctx.client, execId, s[0], s[1]).catch(() => undefined);
    };
    resize();
    unhook.push(ctx.hooks.onSignal('SIGWINCH', resize));
  }
  try {
    await pumpOutput(stream.socket, stream.head, o.tty, ctx.stdio.stdout, ctx.stdio.stderr, fold);
  } finally {
    pump?.stop();
    restore();
    unhook.forEach((u) => u());
  }
  const result = await inspectExec(ctx.client, execId);
  return result.ExitCode ?? 0;
}

/** The `exec` spec. */
export const execCommand: CommandSpec = {
  name: 'exec',
  usage: '[OPTIONS] CONTAINER COMMAND [ARG...]',
  description: 'Execute a command in a running container',
  flags: [
    boolFlag('detach', 'd', 'Detached mode: run command in the background'),
    stringFlag('detach-keys', undefined, 'Override the key sequence for detaching a container'),
    listFlag('env', 'e', 'Set environment variables'),
    boolFlag('interactive', 'i', 'Keep STDIN open even if not attached'),
    boolFlag('privileged', undefined, 'Give extended privileges to the command'),
    boolFlag('tty', 't', 'Allocate a pseudo-TTY'),
    stringFlag('user', 'u', 'Username or UID (format: "<name|uid>[:<group|gid>]")'),
    stringFlag('workdir', 'w', 'Working directory inside the container'),
  ],
  interspersed: false,
  minArgs: 2,
  run: (ctx, f, args) => {
    const [container, ...command] = args;
    if (!container) throw new StatusError(1, 'container name cannot be empty');
    return runExec(ctx, {
      container, command, interactive: f.bool('interactive'), tty: f.bool('tty'), detach: f.bool('detach'),
      env: f.list('env'), workdir: f.string('workdir'), user: f.string('user'), privileged: f.bool('privileged'),
    });
  },
};
