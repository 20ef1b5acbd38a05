/**
 * The simple lifecycle verbs that only call one endpoint per container: stop, kill, restart,
 * pause, unpause, rename, wait. Each parses into a typed options object and calls a function.
 */
import {
  killContainer, pauseContainer, renameContainer, restartContainer, stopContainer, waitContainer,
} from '../../client/containers.js';
import type { CliContext } from '../cli-io.js';
import { intFlag, stringFlag, type CommandSpec } from '../command.js';
import { forEachTarget } from './for-each-target.js';

/** Options of `wharf stop` / `wharf restart`. */
export interface StopOptions {
  containers: string[];
  timeout?: number;
  signal?: string;
}

/** Stops each container (`POST /containers/{id}/stop?t=`). */
export function runStop(ctx: CliContext, o: StopOptions): Promise<number> {
  return forEachTarget(ctx, o.containers, (c) => stopContainer(ctx.client, c, o.timeout));
}

/** Restarts each container. */
export function runRestart(ctx: CliContext, o: StopOptions): Promise<number> {
  return forEachTarget(ctx, o.containers, (c) => restartContainer(ctx.client, c, o.timeout));
}

/** Sends a signal to each container. */
export function runKill(ctx: CliContext, o: { containers: string[]; signal: string }): Promise<number> {
  return forEachTarget(ctx, o.containers, (c) => killContainer(ctx.client, c, o.signal));
}

/** Pauses or unpauses each container. */
export function runPause(ctx: CliContext, o: { containers: string[]; pause: boolean }): Promise<number> {
  return forEachTarget(ctx, o.containers, (c) => pauseContainer(ctx.client, c, o.pause));
}

/** Waits for each container to stop and prints its exit code. */
export function runWait(ctx: CliContext, o: { containers: string[] }): Promise<number> {
  return forEachTarget(ctx, o.containers, async (c) => {
    const result = await (await waitContainer(ctx.client, c))();
    return String(result.StatusCode);
  });
}

const timeFlag = intFlag('time', 't', 'Seconds to wait before killing the container');
const timeoutOf = (flags: { int(l: string): number | undefined }) => flags.int('time');

/** The lifecycle command specs. */
export const lifecycleCommands: CommandSpec[] = [
  {
    name: 'stop', usage: '[OPTIONS] CONTAINER [CONTAINER...]', description: 'Stop one or more running containers',
    flags: [timeFlag, stringFlag('signal', 's', 'Signal to send to the container')], minArgs: 1,
    run: (ctx, f, args) => runStop(ctx, { containers: args, timeout: timeoutOf(f) }),
  },
  {
    name: 'restart', usage: '[OPTIONS] CONTAINER [CONTAINER...]', description: 'Restart one or more containers',
    flags: [timeFlag, stringFlag('signal', 's', 'Signal to send to the container')], minArgs: 1,
    run: (ctx, f, args) => runRestart(ctx, { containers: args, timeout: timeoutOf(f) }),
  },
  {
    name: 'kill', usage: '[OPTIONS] CONTAINER [CONTAINER...]', description: 'Kill one or more running containers',
    flags: [stringFlag('signal', 's', 'Signal to send to the container')], minArgs: 1,
    run: (ctx, f, args) => runKill(ctx, { containers: args, signal: f.string('signal') }),
  },
  {
    name: 'pause', usage: 'CONTAINER [CONTAINER...]', description: 'Pause all processes within one or more containers',
    flags: [], minArgs: 1,
    run: (ctx, _f, args) => runPause(ctx, { containers: args, pause: true }),
  },
  {
    name: 'unpause', usage: 'CONTAINER [CONTAINER...]', description: 'Unpause all processes within one or more containers',
    flags: [], minArgs: 1,
    run: (ctx, _f, args) => runPause(ctx, { containers: args, pause: false }),
  },
  {
    name: 'wait', usage: 'CONTAINER [CONTAINER...]', description: 'Block until one or more containers stop, then print their exit codes',
    flags: [], minArgs: 1,
    run: (ctx, _f, args) => runWait(ctx, { containers: args }),
  },
  {
    name: 'rename', usage: 'CONTAINER NEW_NAME', description: 'Rename a container', flags: [], minArgs: 2, maxArgs: 2,
    run: async (ctx, _f, args) => {
      const [from, to] = args as [string, string];
      if (!to.trim()) throw new Error('Neither old nor new names may be empty');
      await renameContainer(ctx.client, from, to);
      return 0;
    },
  },
];
