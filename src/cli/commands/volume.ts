/**
 * `wharf volume create|ls|inspect|rm|prune` (Docker's), and `wharf volume audit` (Wharf's):
 * volumes and stray directories that no container uses, with size, age and creator.
 * Each verb parses its flags into an options object, then calls a plain function.
 */
import { auditVolumes, createVolume, listVolumes, pruneVolumes, removeVolume } from '../../client/volumes.js';
import type { CliContext, CliStdio } from '../cli-io.js';
import { boolFlag, listFlag, stringFlag, type CommandSpec } from '../command.js';
import { parseFilters } from './filters.js';
import { forEachTarget } from './for-each-target.js';
import { runInspect } from './inspect.js';
import { runCommandGroup } from './command-group.js';
import { parseKeyValues, renderAudit, renderAuditRemoved, renderPruneReport, renderVolumeList } from './volume-format.js';

/** Options of `volume create`. */
export interface VolumeCreateOptions {
  name?: string;
  driver: string;
  labels: Record<string, string>;
  driverOpts: Record<string, string>;
}

/** Options of `volume ls`. */
export interface VolumeListOptions {
  quiet: boolean;
  filters: Record<string, Record<string, boolean>>;
  format: string;
}

/** Options of `volume prune`. */
export interface VolumePruneOptions {
  force: boolean;
  all: boolean;
  filters: Record<string, Record<string, boolean>>;
}

/** Options of `volume audit`. */
export interface VolumeAuditOptions {
  prune: boolean;
  force: boolean;
  format: string;
}

const PRUNE_WARNING_ANONYMOUS =
  'WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ';
const PRUNE_WARNING_ALL =
  'WARNING! This will remove all local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ';

/** Asks a yes/no question on stdout and reads one line of stdin; only "y" or "Y" is a yes (as docker). */
export async function askConfirmation(ctx: CliContext, question: string): Promise<boolean> {
  ctx.stdio.stdout.write(question);
  const stdin = ctx.stdio.stdin;
  const answer = await new Promise<string>((resolve) => {
    let buf = '';
    const finish = () => {
      stdin.removeListener('data', onData);
      stdin.removeListener('end', finish);
      stdin.removeListener('error', finish);
      stdin.pause();
      resolve(buf.split('\n')[0]!.trim());
    };
    const onData = (d: Buffer | string) => {
      buf += d.toString();
      if (buf.includes('\n')) finish();
    };
    stdin.on('data', onData);
    stdin.on('end', finish);
    stdin.on('error', finish);
    stdin.resume();
  });
  return answer === 'y' || answer === 'Y';
}

/** `volume create`: prints the new volume's name. */
export async function runVolumeCreate(ctx: CliContext, o: VolumeCreateOptions): Promise<number> {
  const v = await createVolume(ctx.client, {
    ...(o.name ? { Name: o.name } : {}), Driver: o.driver, Labels: o.labels, DriverOpts: o.driverOpts,
  });
  ctx.stdio.stdout.write(`${v.Name}\n`);
  return 0;
}

/** `volume ls`: docker's table, names only, or a custom format. */
export async function runVolumeList(ctx: CliContext, o: VolumeListOptions): Promise<number> {
  const volumes = await listVolumes(ctx.client, o.filters);
  ctx.stdio.stdout.write(renderVolumeList(volumes, o.format, o.quiet));
  return 0;
}

/** `volume prune`: asks unless forced, then prints what the daemon deleted. */
export async function runVolumePrune(ctx: CliContext, o: VolumePruneOptions): Promise<number> {
  const filters = o.all ? { ...o.filters, all: { true: true } } : o.filters;
  if (!o.force && !(await askConfirmation(ctx, o.all ? PRUNE_WARNING_ALL : PRUNE_WARNING_ANONYMOUS))) return 0;
  const res = await pruneVolumes(ctx.client, filters);
  ctx.stdio.stdout.write(renderPruneReport(res.VolumesDeleted, res.SpaceReclaimed));
  return 0;
}

/** `volume audit`: lists what no container uses; with `prune`, asks unless forced and removes it. */
export async function runVolumeAudit(ctx: CliContext, o: VolumeAuditOptions): Promise<number> {
  const found = await auditVolumes(ctx.client, false);
  ctx.stdio.stdout.write(renderAudit(found, o.format));
  if (!o.prune || found.length === 0) return 0;
  const question =
    `WARNING! This will remove the ${found.length} ${found.length === 1 ? 'item' : 'items'} listed above.\n` +
    'Are you sure you want to continue? [y/N] ';
  if (!o.force && !(await askConfirmation(ctx, question))) return 0;
  const removed = await auditVolumes(ctx.client, true);
  ctx.stdio.stdout.write(renderAuditRemoved(removed));
  return 0;
}

const create: CommandSpec = {
  name: 'volume create', usage: '[OPTIONS] [VOLUME]', description: 'Create a volume',
  flags: [
    stringFlag('driver', 'd', 'Specify volume driver name'), listFlag('label', undefined, 'Set metadata for a volume'),
    listFlag('opt', 'o', 'Set driver specific options'), stringFlag('name', undefined, 'Specify volume name'),
  ],
  maxArgs: 1,
  run: (ctx, f, args) =>
    runVolumeCreate(ctx, {
      name: args[0] ?? (f.string('name') || undefined), driver: f.string('driver') || 'local',
      labels: parseKeyValues(f.list('label')), driverOpts: parseKeyValues(f.list('opt')),
    }),
};

const ls: CommandSpec = {
  name: 'volume ls', usage: '[OPTIONS]', description: 'List volumes',
  flags: [
    boolFlag('quiet', 'q', 'Only display volume names'), listFlag('filter', 'f', "Provide filter values (e.g. 'dangling=true')"),
    stringFlag('format', undefined, 'Format output using a custom template'),
  ],
  maxArgs: 0,
  run: (ctx, f) => runVolumeList(ctx, { quiet: f.bool('quiet'), filters: parseFilters(f.list('filter')), format: f.string('format') }),
};

const inspect: CommandSpec = {
  name: 'volume inspect', usage: '[OPTIONS] VOLUME [VOLUME...]', description: 'Display detailed information on one or more volumes',
  flags: [stringFlag('format', 'f', 'Format output using a custom template')],
  minArgs: 1,
  run: (ctx, f, args) => runInspect(ctx, { names: args, format: f.string('format'), type: 'volume', size: false }),
};

const rm: CommandSpec = {
  name: 'volume rm', usage: '[OPTIONS] VOLUME [VOLUME...]', description: 'Remove one or more volumes',
  flags: [boolFlag('force', 'f', 'Force the removal of one or more volumes')],
  minArgs: 1,
  run: (ctx, f, args) => forEachTarget(ctx, args, (name) => removeVolume(ctx.client, name, f.bool('force'))),
};

const prune: CommandSpec = {
  name: 'volume prune', usage: '[OPTIONS]', description: 'Remove unused local volumes',
  flags: [
    boolFlag('all', 'a', 'Remove all unused volumes, not just anonymous ones'),
    listFlag('filter', undefined, "Provide filter values (e.g. 'label=<label>')"), boolFlag('force', 'f', 'Do not prompt for confirmation'),
  ],
  maxArgs: 0,
  run: (ctx, f) => runVolumePrune(ctx, { force: f.bool('force'), all: f.bool('all'), filters: parseFilters(f.list('filter')) }),
};

const audit: CommandSpec = {
  name: 'volume audit', usage: '[OPTIONS]',
  description: 'List volumes and data directories that no container uses (Wharf)',
  flags: [
    boolFlag('prune', undefined, 'Remove what the audit lists'), boolFlag('force', 'f', 'Do not prompt for confirmation'),
    stringFlag('format', undefined, 'Format output using a custom template'),
  ],
  maxArgs: 0,
  run: (ctx, f) => runVolumeAudit(ctx, { prune: f.bool('prune'), force: f.bool('force'), format: f.string('format') }),
};

/** The `volume` sub-commands. */
export const volumeCommands: CommandSpec[] = [create, ls, inspect, rm, prune, audit];

/** `wharf volume` without a known sub-command. */
export function runVolumeGroup(stdio: CliStdio, rest: readonly string[]): number {
  return runCommandGroup(stdio, rest, 'volume', 'Manage volumes', volumeCommands);
}
