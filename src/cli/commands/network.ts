/**
 * `wharf network ls|inspect|rm|prune` (Docker's). Wharf has the predefined networks only, so
 * `create`, `connect` and `disconnect` reach the daemon and get its explanation.
 */
import { listNetworks, pruneNetworks, removeNetwork } from '../../client/networks.js';
import type { CliStdio } from '../cli-io.js';
import { boolFlag, listFlag, stringFlag, type CommandSpec } from '../command.js';
import { parseFilters } from './filters.js';
import { forEachTarget } from './for-each-target.js';
import { runInspect } from './inspect.js';
import { runCommandGroup } from './command-group.js';
import { askConfirmation } from './volume.js';
import { renderNetworkList, renderNetworkPrune } from './network-format.js';

const PRUNE_WARNING = 'WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] ';

const ls: CommandSpec = {
  name: 'network ls', usage: '[OPTIONS]', description: 'List networks',
  flags: [
    listFlag('filter', 'f', "Provide filter values (e.g. 'driver=bridge')"), stringFlag('format', undefined, 'Format output using a custom template'),
    boolFlag('no-trunc', undefined, 'Do not truncate the output'), boolFlag('quiet', 'q', 'Only display network IDs'),
  ],
  maxArgs: 0,
  run: async (ctx, f) => {
    const nets = await listNetworks(ctx.client, parseFilters(f.list('filter')));
    ctx.stdio.stdout.write(renderNetworkList(nets, { format: f.string('format'), quiet: f.bool('quiet'), noTrunc: f.bool('no-trunc') }));
    return 0;
  },
};

const inspect: CommandSpec = {
  name: 'network inspect', usage: '[OPTIONS] NETWORK [NETWORK...]', description: 'Display detailed information on one or more networks',
  flags: [stringFlag('format', 'f', 'Format output using a custom template'), boolFlag('verbose', 'v', 'Verbose output for diagnostics')],
  minArgs: 1,
  run: (ctx, f, args) => runInspect(ctx, { names: args, format: f.string('format'), type: 'network', size: false }),
};

const rm: CommandSpec = {
  name: 'network rm', usage: '[OPTIONS] NETWORK [NETWORK...]', description: 'Remove one or more networks',
  flags: [boolFlag('force', 'f', 'Do not error if the network does not exist')],
  minArgs: 1,
  run: (ctx, _f, args) => forEachTarget(ctx, args, (name) => removeNetwork(ctx.client, name)),
};

const prune: CommandSpec = {
  name: 'network prune', usage: '[OPTIONS]', description: 'Remove all unused networks',
  flags: [listFlag('filter', undefined, "Provide filter values (e.g. 'until=<timestamp>')"), boolFlag('force', 'f', 'Do not prompt for confirmation')],
  maxArgs: 0,
  run: async (ctx, f) => {
    if (!f.bool('force') && !(await askConfirmation(ctx, PRUNE_WARNING))) return 0;
    const res = await pruneNetworks(ctx.client, parseFilters(f.list('filter')));
    ctx.stdio.stdout.write(renderNetworkPrune(res.NetworksDeleted));
    return 0;
  },
};

/** The `network` sub-commands. */
export const networkCommands: CommandSpec[] = [ls, inspect, rm, prune];

/** `wharf network` without a known sub-command. */
export function runNetworkGroup(stdio: CliStdio, rest: readonly string[]): number {
  return runCommandGroup(stdio, rest, 'network', 'Manage networks', networkCommands);
}
