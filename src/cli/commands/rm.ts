/**
 * `wharf rm`: remove containers (`-f` force, `-v` anonymous volumes, `-l/--link` a link name).
 */
import { removeContainer } from '../../client/containers.js';
import type { CliContext } from '../cli-io.js';
import { boolFlag, type CommandSpec } from '../command.js';
import { forEachTarget } from './for-each-target.js';

/** Options of `wharf rm`. */
export interface RmOptions {
  containers: string[];
  force: boolean;
  volumes: boolean;
  link: boolean;
}

/** Removes each container (or link) and prints what was given. */
export function runRm(ctx: CliContext, o: RmOptions): Promise<number> {
  return forEachTarget(ctx, o.containers, async (c) => {
    const name = c.trim().replace(/^\/+/, '');
    if (!name) throw new Error('Container name cannot be empty');
    await removeContainer(ctx.client, o.link ? c : name, { force: o.force, volumes: o.volumes, link: o.link });
    return c;
  });
}

/** The `rm` spec. */
export const rmCommand: CommandSpec = {
  name: 'rm',
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Remove one or more containers',
  flags: [
    boolFlag('force', 'f', 'Force the removal of a running container (uses SIGKILL)'),
    boolFlag('link', 'l', 'Remove the specified link'),
    boolFlag('volumes', 'v', 'Remove anonymous volumes associated with the container'),
  ],
  minArgs: 1,
  run: (ctx, f, args) =>
    runRm(ctx, { containers: args, force: f.bool('force'), volumes: f.bool('volumes'), link: f.bool('link') }),
};
