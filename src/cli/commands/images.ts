/**
 * Image verbs: `images`, `rmi`, `tag`, `history`.
 */
import { imageHistory, listImages, removeImage, tagImage } from '../../client/images.js';
import { StatusError, type CliContext } from '../cli-io.js';
import { boolFlag, listFlag, stringFlag, type CommandSpec } from '../command.js';
import {
  HISTORY_HEADERS, HISTORY_TABLE_FORMAT, HistoryContext, IMAGES_HEADERS, IMAGES_TABLE_FORMAT, imageRows,
} from '../format/image-context.js';
import { renderList } from '../format/list-format.js';
import { parseFilters } from './filters.js';
import { forEachTarget } from './for-each-target.js';

/** Options of `wharf images`. */
export interface ImagesOptions {
  repository?: string;
  all: boolean;
  quiet: boolean;
  noTrunc: boolean;
  digests: boolean;
  filters: string[];
  format: string;
}

/** Lists images. */
export async function runImages(ctx: CliContext, o: ImagesOptions): Promise<number> {
  const filters = parseFilters(o.filters);
  if (o.repository) (filters['reference'] ??= {})[o.repository] = true;
  const list = await listImages(ctx.client, { all: o.all, filters });
  const now = ctx.now();
  let format = o.format;
  if (o.quiet) format = '{{.ID}}';
  else if (!format || format === 'table') {
    format = o.digests
      ? 'table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}'
      : IMAGES_TABLE_FORMAT;
  }
  const rows = list.flatMap((img) => imageRows(img, !o.noTrunc, now));
  ctx.stdio.stdout.write(renderList(format, rows, IMAGES_HEADERS));
  return 0;
}

/** Shows the history of an image. */
export async function runHistory(
  ctx: CliContext,
  o: { image: string; noTrunc: boolean; quiet: boolean; human: boolean; format: string },
): Promise<number> {
  const items = await imageHistory(ctx.client, o.image);
  const format = o.quiet ? '{{.ID}}' : !o.format || o.format === 'table' ? HISTORY_TABLE_FORMAT : o.format;
  const now = ctx.now();
  const rows = items.map((h) => new HistoryContext(h, !o.noTrunc, o.human, now));
  ctx.stdio.stdout.write(renderList(format, rows, HISTORY_HEADERS));
  return 0;
}

/** Removes images and prints `Untagged:` / `Deleted:` lines. */
export function runRmi(ctx: CliContext, o: { images: string[]; force: boolean; noPrune: boolean }): Promise<number> {
  return forEachTarget(ctx, o.images, async (img) => {
    const res = await removeImage(ctx.client, img, { force: o.force, noPrune: o.noPrune });
    return res.map((r) => (r.Untagged ? `Untagged: ${r.Untagged}` : `Deleted: ${r.Deleted}`)).join('\n');
  });
}

/** Splits `repo[:tag]` (a colon after the last slash is the tag). */
export function splitReference(ref: string): { repo: string; tag: string } {
  const at = ref.indexOf('@');
  const base = at >= 0 ? ref.slice(0, at) : ref;
  const colon = base.lastIndexOf(':');
  if (colon > base.lastIndexOf('/')) return { repo: base.slice(0, colon), tag: base.slice(colon + 1) };
  return { repo: base, tag: '' };
}

/** Tags an image. */
export async function runTag(ctx: CliContext, o: { source: string; target: string }): Promise<number> {
  const { repo, tag } = splitReference(o.target);
  if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(repo)) {
    throw new StatusError(1, `Error parsing reference: "${o.target}" is not a valid repository/tag: invalid reference format`);
  }
  await tagImage(ctx.client, o.source, repo, tag || 'latest');
  return 0;
}

/** The image verb specs. */
export const imageCommands: CommandSpec[] = [
  {
    name: 'images', usage: '[OPTIONS] [REPOSITORY[:TAG]]', description: 'List images',
    flags: [
      boolFlag('all', 'a', 'Show all images (default hides intermediate images)'),
      boolFlag('digests', undefined, 'Show digests'),
      listFlag('filter', 'f', 'Filter output based on conditions provided', 'filter'),
      stringFlag('format', undefined, 'Format output using a custom template'),
      boolFlag('no-trunc', undefined, "Don't truncate output"),
      boolFlag('quiet', 'q', 'Only show image IDs'),
    ],
    maxArgs: 1,
    run: (ctx, f, args) =>
      runImages(ctx, {
        repository: args[0], all: f.bool('all'), quiet: f.bool('quiet'), noTrunc: f.bool('no-trunc'),
        digests: f.bool('digests'), filters: f.list('filter'), format: f.string('format'),
      }),
  },
  {
    name: 'history', usage: '[OPTIONS] IMAGE', description: 'Show the history of an image',
    flags: [
      stringFlag('format', undefined, 'Format output using a custom template'),
      { long: 'human', short: 'H', type: 'bool', description: 'Print sizes and dates in human readable format (default true)' },
      boolFlag('no-trunc', undefined, "Don't truncate output"),
      boolFlag('quiet', 'q', 'Only show image IDs'),
    ],
    minArgs: 1, maxArgs: 1,
    run: (ctx, f, args) =>
      runHistory(ctx, {
        image: args[0]!, noTrunc: f.bool('no-trunc'), quiet: f.bool('quiet'),
        human: f.changed('human') ? f.bool('human') : true, format: f.string('format'),
      }),
  },
  {
    name: 'rmi', usage: '[OPTIONS] IMAGE [IMAGE...]', description: 'Remove one or more images',
    flags: [boolFlag('force', 'f', 'Force removal of the image'), boolFlag('no-prune', undefined, 'Do not delete untagged parents')],
    minArgs: 1,
    run: (ctx, f, args) => runRmi(ctx, { images: args, force: f.bool('force'), noPrune: f.bool('no-prune') }),
  },
  {
    name: 'tag', usage: 'SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]', description: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE',
    flags: [], minArgs: 2, maxArgs: 2,
    run: (ctx, _f, args) => runTag(ctx, { source: args[0]!, target: args[1]! }),
  },
];
