/**
 * Moving images in and out as tar archives: `import` (a rootfs tar, file or `-`), `load`
 * (a `docker save` archive), `save` (to `-o FILE` or stdout), and `commit` (a container).
 */
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { commitContainer, importImage, loadImages, saveImages } from '../../client/images.js';
import { StatusError, type CliContext } from '../cli-io.js';
import { boolFlag, listFlag, stringFlag, type CommandSpec } from '../command.js';
import { displayJsonMessages, JsonMessageError } from '../format/json-message.js';
import { splitReference } from './images.js';

async function showMessages(ctx: CliContext, stream: NodeJS.ReadableStream): Promise<void> {
  try {
    await displayJsonMessages(stream, ctx.stdio.stdout);
  } catch (e) {
    if (e instanceof JsonMessageError) throw new StatusError(1, e.message);
    throw e;
  }
}

function openInput(ctx: CliContext, path: string): Readable {
  if (path === '-' || path === '') return ctx.stdio.stdin as unknown as Readable;
  if (!existsSync(path)) throw new StatusError(1, `open ${path}: no such file or directory`);
  return createReadStream(path);
}

/** `wharf import FILE|- [REPOSITORY[:TAG]]`. */
export async function runImport(
  ctx: CliContext,
  o: { source: string; reference?: string; changes: string[]; message: string },
): Promise<number> {
  const { repo, tag } = o.reference ? splitReference(o.reference) : { repo: '', tag: '' };
  const body = openInput(ctx, o.source);
  const res = await importImage(ctx.client, body, { repo, tag, message: o.message, changes: o.changes });
  await showMessages(ctx, res);
  return 0;
}

/** `wharf load [-i FILE] [-q]`. */
export async function runLoad(ctx: CliContext, o: { input: string; quiet: boolean }): Promise<number> {
  if (!o.input && ctx.stdio.stdin.isTTY) {
    throw new StatusError(1, 'requested load from stdin, but stdin is empty');
  }
  const res = await loadImages(ctx.client, openInput(ctx, o.input), o.quiet);
  if ((res.headers['content-type'] ?? '').includes('application/json')) await showMessages(ctx, res);
  else await pipeline(res, ctx.stdio.stdout, { end: false });
  return 0;
}

/** `wharf save [-o FILE] IMAGE...`. */
export async function runSave(ctx: CliContext, o: { images: string[]; output: string }): Promise<number> {
  if (!o.output && ctx.stdio.stdout.isTTY) {
    throw new StatusError(1, 'cowardly refusing to save to a terminal. Use the -o flag or redirect');
  }
  const res = await saveImages(ctx.client, o.images);
  if (o.output) await pipeline(res, createWriteStream(o.output));
  else await pipeline(res, ctx.stdio.stdout, { end: false });
  return 0;
}

/** `wharf commit CONTAINER [REPOSITORY[:TAG]]`. */
export async function runCommit(
  ctx: CliContext,
  o: { container: string; reference?: string; changes: string[]; message: string; author: string; pause: boolean },
): Promise<number> {
  const { repo, tag } = o.reference ? splitReference(o.reference) : { repo: '', tag: '' };
  const res = await commitContainer(ctx.client, {
    container: o.container, repo, tag, comment: o.message, author: o.author, pause: o.pause, changes: o.changes,
  });
  ctx.stdio.stdout.write(`${res.Id}\n`);
  return 0;
}

/** The archive verb specs. */
export const imageTransferCommands: CommandSpec[] = [
  {
    name: 'import', usage: '[OPTIONS] file|URL|- [REPOSITORY[:TAG]]',
    description: 'Import the contents from a tarball to create a filesystem image',
    flags: [listFlag('change', 'c', 'Apply Dockerfile instruction to the created image'), stringFlag('message', 'm', 'Set commit message for imported image'), stringFlag('platform', undefined, 'Set platform if server is multi-platform capable')],
    minArgs: 1, maxArgs: 2,
    run: (ctx, f, args) =>
      runImport(ctx, { source: args[0]!, reference: args[1], changes: f.list('change'), message: f.string('message') }),
  },
  {
    name: 'load', usage: '[OPTIONS]', description: 'Load an image from a tar archive or STDIN',
    flags: [stringFlag('input', 'i', 'Read from tar archive file, instead of STDIN'), boolFlag('quiet', 'q', 'Suppress the load output')],
    maxArgs: 0,
    run: (ctx, f) => runLoad(ctx, { input: f.string('input'), quiet: f.bool('quiet') }),
  },
  {
    name: 'save', usage: '[OPTIONS] IMAGE [IMAGE...]', description: 'Save one or more images to a tar archive (streamed to STDOUT by default)',
    flags: [stringFlag('output', 'o', 'Write to a file, instead of STDOUT')],
    minArgs: 1,
    run: (ctx, f, args) => runSave(ctx, { images: args, output: f.string('output') }),
  },
  {
    name: 'commit', usage: "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]", description: "Create a new image from a container's changes",
    flags: [
      stringFlag('author', 'a', 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")'),
      listFlag('change', 'c', 'Apply Dockerfile instruction to the created image'),
      stringFlag('message', 'm', 'Commit message'),
      { long: 'pause', short: 'p', type: 'bool', description: 'Pause container during commit (default true)' },
    ],
    minArgs: 1, maxArgs: 2,
    run: (ctx, f, args) =>
      runCommit(ctx, {
        container: args[0]!, reference: args[1], changes: f.list('change'), message: f.string('message'),
        author: f.string('author'), pause: f.changed('pause') ? f.bool('pause') : true,
      }),
  },
];
