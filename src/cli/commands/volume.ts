/**
 * `wharf volume create|ls|inspect|rm|prune` (Docker's), and `wharf volume audit` (Wharf's):
 * volumes and stray directories that no container uses, with size, age and creator.
 */
import { auditVolumes, createVolume, inspectVolumeRaw, listVolumes, pruneVolumes, removeVolume, type AuditEntry, type Volume } from '../../client/volumes.js';
import { StatusError, type CliContext } from '../cli-io.js';
import { boolFlag, listFlag, stringFlag, type CommandSpec } from '../command.js';
import { humanDuration, humanSize } from '../format/human-units.js';
import { indentJson } from '../format/json-indent.js';
import { renderList } from '../format/list-format.js';
import { compileTemplate } from './inspect.js';
import { parseFilters } from './filters.js';
import { forEachTarget } from './for-each-target.js';

const VOLUME_HEADERS = { Driver: 'DRIVER', Name: 'VOLUME NAME', Mountpoint: 'MOUNTPOINT', Scope: 'SCOPE' };
const AUDIT_HEADERS = { Kind: 'KIND', Name: 'NAME', Size: 'SIZE', Age: 'AGE', CreatedBy: 'CREATED BY', Path: 'PATH' };

function keyValues(list: string[]): Record<string, string> {
  return Object.fromEntries(list.map((kv) => [kv.split('=')[0]!, kv.includes('=') ? kv.slice(kv.indexOf('=') + 1) : '']));
}

/** Rows of the `volume ls` table (pure). */
export function renderVolumeList(volumes: Volume[], format: string, quiet: boolean): string {
  const f = quiet ? '{{.Name}}' : !format || format === 'table' ? 'table {{.Driver}}\t{{.Name}}' : format;
  return renderList(f, volumes.map((v) => ({ ...v, Labels: v.Labels ?? {} })), VOLUME_HEADERS);
}

/** Rows of the `volume audit` table (pure). */
export function renderAudit(entries: AuditEntry[], format: string): string {
  const rows = entries.map((e) => ({
    ...e, Size: humanSize(e.Size), Age: humanDuration(e.AgeSeconds * 1000), CreatedBy: e.Container ? `${e.CreatedBy} (container ${e.Container.slice(0, 12)})` : e.CreatedBy,
  }));
  return renderList(!format || format === 'table' ? 'table {{.Kind}}\t{{.Name}}\t{{.Size}}\t{{.Age}}\t{{.CreatedBy}}' : format, rows, AUDIT_HEADERS);
}

/** Reads one answer to a yes/no question from stdin. */
async function confirm(ctx: CliContext, question: string): Promise<boolean> {
  ctx.stdio.stdout.write(question);
  const answer = await new Promise<string>((resolve) => {
    let buf = '';
    const onData = (d: Buffer | string) => {
      buf += d.toString();
      if (buf.includes('\n')) done();
    };
    const done = () => {
      ctx.stdio.stdin.removeListener('data', onData);
      ctx.stdio.stdin.removeListener('end', done);
      ctx.stdio.stdin.pause();
      resolve(buf.split('\n')[0]!.trim());
    };
    ctx.stdio.stdin.on('data', onData);
    ctx.stdio.stdin.on('end', done);
    ctx.stdio.stdin.resume();
  });
  return /^y(es)?$/i.test(answer);
}

const create: CommandSpec = {
  name: 'volume create', usage: '[OPTIONS] [VOLUME]', description: 'Create a volume',
  flags: [stringFlag('driver', 'd', 'Specify volume driver name'), listFlag('label', undefined, 'Set metadata for a volume'), listFlag('opt', 'o', 'Set driver specific options'), stringFlag('name')],
  maxArgs: 1,
  run: async (ctx, f, args) => {
    const name = args[0] ?? (f.string('name') || undefined);
    const v = await createVolume(ctx.client, {
      ...(name ? { Name: name } : {}), Driver: f.string('driver') || 'local',
      Labels: keyValues(f.list('label')), DriverOpts: keyValues(f.list('opt')),
    });
    ctx.stdio.stdout.write(`${v.Name}\n`);
    return 0;
  },
};

const ls: CommandSpec = {
  name: 'volume ls', usage: '[OPTIONS]', description: 'List volumes',
  flags: [boolFlag('quiet', 'q', 'Only display volume names'), listFlag('filter', 'f', 'Provide filter values'), stringFlag('format')],
  maxArgs: 0,
  run: async (ctx, f) => {
    const volumes = await listVolumes(ctx.client, parseFilters(f.list('filter')));
    volumes.sort((a, b) => a.Name.localeCompare(b.Name));
    ctx.stdio.stdout.write(renderVolumeList(volumes, f.string('format'), f.bool('quiet')));
    return 0;
  },
};

const inspect: CommandSpec = {
  name: 'volume inspect', usage: '[OPTIONS] VOLUME [VOLUME...]', description: 'Display detailed information on one or more volumes',
  flags: [stringFlag('format', 'f', 'Format the output using the given Go template')],
  minArgs: 1,
  run: async (ctx, f, args) => {
    const tmpl = f.string('format') ? compileTemplate(f.string('format')) : undefined;
    const raws: string[] = [];
    const errors: string[] = [];
    let out = '';
    for (const name of args) {
      try {
        const raw = await inspectVolumeRaw(ctx.client, name);
        if (tmpl) out += tmpl.execute(JSON.parse(raw)) + '\n';
        else raws.push(raw);
      } catch (e) {
        errors.push(`Error response from daemon: ${(e as Error).message}`);
      }
    }
    ctx.stdio.stdout.write(tmpl ? out : indentJson(`[${raws.join(',')}]`) + '\n');
    if (errors.length) throw new StatusError(1, errors.join('\n'));
    return 0;
  },
};

const rm: CommandSpec = {
  name: 'volume rm', usage: '[OPTIONS] VOLUME [VOLUME...]', description: 'Remove one or more volumes',
  flags: [boolFlag('force', 'f', 'Force the removal of one or more volumes')],
  minArgs: 1,
  run: (ctx, f, args) => forEachTarget(ctx, args, async (name) => removeVolume(ctx.client, name, f.bool('force'))),
};

const prune: CommandSpec = {
  name: 'volume prune', usage: '[OPTIONS]', description: 'Remove all unused local volumes',
  flags: [boolFlag('force', 'f', 'Do not prompt for confirmation'), boolFlag('all', 'a', 'Remove all unused volumes, not just anonymous ones'), listFlag('filter')],
  maxArgs: 0,
  run: async (ctx, f) => {
    const all = f.bool('all');
    const warning = all
      ? 'WARNING! This will remove all local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] '
      : 'WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ';
    if (!f.bool('force') && !(await confirm(ctx, warning))) return 0;
    const res = await pruneVolumes(ctx.client, all);
    let out = '';
    if (res.VolumesDeleted?.length) out += `Deleted Volumes:\n${res.VolumesDeleted.join('\n')}\n\n`;
    out += `Total reclaimed space: ${humanSize(res.SpaceReclaimed)}\n`;
    ctx.stdio.stdout.write(out);
    return 0;
  },
};

const audit: CommandSpec = {
  name: 'volume audit', usage: '[OPTIONS]',
  description: 'List volumes and data directories that no container uses (Wharf)',
  flags: [boolFlag('prune', undefined, 'Remove what the audit lists'), boolFlag('force', 'f', 'Do not prompt for confirmation'), stringFlag('format')],
  maxArgs: 0,
  run: async (ctx, f) => {
    const found = await auditVolumes(ctx.client, false);
    ctx.stdio.stdout.write(renderAudit(found, f.string('format')));
    if (!f.bool('prune') || found.length === 0) return 0;
    if (!f.bool('force') && !(await confirm(ctx, `WARNING! This will remove the ${found.length} item(s) listed above.\nAre you sure you want to continue? [y/N] `))) return 0;
    const removed = await auditVolumes(ctx.client, true);
    ctx.stdio.stdout.write(`Removed:\n${removed.map((e) => `${e.Kind} ${e.Name}`).join('\n')}\n`);
    return 0;
  },
};

/** The `volume` sub-commands. */
export const volumeCommands: CommandSpec[] = [create, ls, inspect, rm, prune, audit];
