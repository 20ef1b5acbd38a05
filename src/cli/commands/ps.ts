/**
 * `wharf ps`: list containers as docker's table, `-q` ids, or a `--format` template.
 */
import { listContainers } from '../../client/containers.js';
import type { CliContext } from '../cli-io.js';
import { boolFlag, intFlag, listFlag, stringFlag, type CommandSpec } from '../command.js';
import { ContainerContext, PS_HEADERS, PS_TABLE_FORMAT } from '../format/container-context.js';
import { renderList } from '../format/list-format.js';
import { parseFilters } from './filters.js';

/** Options of `wharf ps`. */
export interface PsOptions {
  all: boolean;
  last: number;
  latest: boolean;
  quiet: boolean;
  noTrunc: boolean;
  size: boolean;
  filters: string[];
  format: string;
}

/** Lists containers and prints them. */
export async function runPs(ctx: CliContext, o: PsOptions): Promise<number> {
  const limit = o.latest && o.last === -1 ? 1 : o.last;
  let format = o.format;
  if (o.quiet) format = '{{.ID}}';
  else if (!format || format === 'table') format = PS_TABLE_FORMAT + (o.size ? '\t{{.Size}}' : '');
  const list = await listContainers(ctx.client, {
    all: o.all,
    limit,
    size: o.size || /\.Size\b/.test(format),
    filters: parseFilters(o.filters),
  });
  const now = ctx.now();
  const rows = list.map((c) => new ContainerContext(c, !o.noTrunc, now));
  ctx.stdio.stdout.write(renderList(format, rows, PS_HEADERS));
  return 0;
}

/** The `ps` spec. */
export const psCommand: CommandSpec = {
  name: 'ps',
  usage: '[OPTIONS]',
  description: 'List containers',
  flags: [
    boolFlag('all', 'a', 'Show all containers (default shows just running)'),
    listFlag('filter', 'f', 'Filter output based on conditions provided', 'filter'),
    stringFlag('format', undefined, 'Format output using a custom template'),
    intFlag('last', 'n', 'Show n last created containers (includes all states)'),
    boolFlag('latest', 'l', 'Show the latest created container (includes all states)'),
    boolFlag('no-trunc', undefined, "Don't truncate output"),
    boolFlag('quiet', 'q', 'Only display container IDs'),
    boolFlag('size', 's', 'Display total file sizes'),
  ],
  maxArgs: 0,
  run: (ctx, f) =>
    runPs(ctx, {
      all: f.bool('all'), last: f.int('last', -1), latest: f.bool('latest'), quiet: f.bool('quiet'),
      noTrunc: f.bool('no-trunc'), size: f.bool('size'), filters: f.list('filter'), format: f.string('format'),
    }),
};
