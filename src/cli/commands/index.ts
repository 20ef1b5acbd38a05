/**
 * The table of `wharf` verbs, and the `image`/`container` management-command aliases.
 */
import type { CommandSpec } from '../command.js';
import { attachCommand } from './attach.js';
import { buildCommand } from './build.js';
import { createCommand } from './create.js';
import { execCommand } from './exec.js';
import { imageTransferCommands } from './image-transfer.js';
import { imageCommands } from './images.js';
import { imageInspectCommand, inspectCommand } from './inspect.js';
import { lifecycleCommands } from './lifecycle.js';
import { logsCommand } from './logs.js';
import { portCommand } from './port.js';
import { psCommand } from './ps.js';
import { pullCommand } from './pull.js';
import { registryCommands } from './registry.js';
import { rmCommand } from './rm.js';
import { runCommand } from './run.js';
import { startCommand } from './start.js';
import { systemCommands } from './system.js';
import { topCommand } from './top.js';
import { volumeCommands } from './volume.js';
import { networkCommands } from './network.js';

/** Every top-level verb, in help order. */
export function listCommands(): CommandSpec[] {
  return [
    runCommand, createCommand, startCommand, ...lifecycleCommands, rmCommand, topCommand, psCommand,
    inspectCommand, logsCommand, attachCommand, execCommand, portCommand, ...imageCommands,
    ...imageTransferCommands, pullCommand, ...registryCommands, buildCommand, ...systemCommands,
  ].sort((a, b) => a.name.localeCompare(b.name));
}

const IMAGE_ALIASES: Record<string, string> = {
  ls: 'images', list: 'images', rm: 'rmi', remove: 'rmi', history: 'history', tag: 'tag', import: 'import',
  load: 'load', save: 'save', build: 'build', pull: 'pull', push: 'push',
};

/**
 * Resolves `image X` / `container X` to a verb spec (renamed so messages say `wharf image ls`);
 * undefined when the pair is unknown.
 */
export function resolveManagementCommand(group: string, sub: string | undefined): CommandSpec | undefined {
  if (!sub) return undefined;
  if (group === 'volume') return volumeCommands.find((c) => c.name === `volume ${sub}` || (sub === 'list' && c.name === 'volume ls') || (sub === 'remove' && c.name === 'volume rm'));
  if (group === 'network') return networkCommands.find((c) => c.name === `network ${sub}` || (sub === 'list' && c.name === 'network ls') || (sub === 'remove' && c.name === 'network rm'));
  const commands = listCommands();
  let target: CommandSpec | undefined;
  if (group === 'image') {
    if (sub === 'inspect') return imageInspectCommand;
    target = commands.find((c) => c.name === IMAGE_ALIASES[sub]);
  } else if (group === 'container') {
    const name = sub === 'ls' || sub === 'list' ? 'ps' : sub === 'remove' ? 'rm' : sub;
    target = commands.find((c) => c.name === name && !['images', 'rmi', 'history', 'tag', 'import', 'load', 'save', 'build', 'version', 'info'].includes(c.name));
  }
  return target ? { ...target, name: `${group} ${sub}` } : undefined;
}
