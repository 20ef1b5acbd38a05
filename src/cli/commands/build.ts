/**
 * `wharf build` with the classic builder: the context directory (or a Dockerfile on stdin) goes
 * as a tar body to `POST /build`; the JSON message stream is printed like the docker CLI's.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { buildImage } from '../../client/images.js';
import { encodeQuery, readAll } from '../../client/engine-client.js';
import { StatusError, type CliContext } from '../cli-io.js';
import { boolFlag, listFlag, stringFlag, type CommandSpec } from '../command.js';
import { collectDirectory, dockerignoreMatcher, writeTar } from '../context-tar.js';
import { humanSize } from '../format/human-units.js';
import { displayJsonMessages, JsonMessageError } from '../format/json-message.js';

/** Options of `wharf build`. */
export interface BuildOptions {
  context: string;
  tags: string[];
  file: string;
  buildArgs: string[];
  quiet: boolean;
  noCache: boolean;
  forceRm: boolean;
  rm: boolean;
  pull: boolean;
  labels: string[];
}

/** Builds the `/build` query string the way the docker CLI 28.2 does for the classic builder. */
export function buildQuery(o: BuildOptions, dockerfile: string, env: (k: string) => string | undefined): string {
  const buildArgs: Record<string, string | null> = {};
  for (const a of o.buildArgs) {
    const eq = a.indexOf('=');
    if (eq >= 0) buildArgs[a.slice(0, eq)] = a.slice(eq + 1);
    else buildArgs[a] = env(a) ?? null;
  }
  const labels: Record<string, string> = {};
  for (const l of o.labels) {
    const eq = l.indexOf('=');
    labels[eq < 0 ? l : l.slice(0, eq)] = eq < 0 ? '' : l.slice(eq + 1);
  }
  let q = encodeQuery({
    buildargs: Object.keys(buildArgs).length ? JSON.stringify(buildArgs) : undefined,
    dockerfile,
    forcerm: o.forceRm ? 1 : undefined,
    labels: Object.keys(labels).length ? JSON.stringify(labels) : undefined,
    nocache: o.noCache ? 1 : undefined,
    pull: o.pull ? 1 : undefined,
    q: o.quiet ? 1 : undefined,
    rm: o.rm ? undefined : 0,
    version: 1,
  });
  for (const t of o.tags) q += `&t=${encodeURIComponent(t)}`;
  return q;
}

async function contextTar(ctx: CliContext, o: BuildOptions): Promise<{ tar: Buffer; dockerfile: string }> {
  if (o.context === '-') {
    const dockerfile = await readAll(ctx.stdio.stdin);
    return {
      tar: writeTar([{ name: 'Dockerfile', type: 'file', mode: 0o600, data: dockerfile, mtime: ctx.now() / 1000 }]),
      dockerfile: 'Dockerfile',
    };
  }
  const root = resolve(o.context);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new StatusError(1, `unable to prepare context: path "${o.context}" not found`);
  }
  const file = o.file ? resolve(o.file) : join(root, 'Dockerfile');
  if (!existsSync(file)) {
    throw new StatusError(1, `unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat ${file}: no such file or directory`);
  }
  const rel = relative(root, file);
  if (rel.startsWith('..')) throw new StatusError(1, 'a Dockerfile outside the build context is not supported');
  const dockerfile = rel.split(sep).join('/');
  const ignorePath = join(root, '.dockerignore');
  const ignored = existsSync(ignorePath) ? dockerignoreMatcher(readFileSync(ignorePath, 'utf8')) : () => false;
  const keep = new Set([dockerfile, '.dockerignore']);
  const entries = collectDirectory(root, (r) => !keep.has(r) && ignored(r));
  return { tar: writeTar(entries), dockerfile };
}

/** Runs a classic build and prints its output; with `-q` only the image id. */
export async function runBuild(ctx: CliContext, o: BuildOptions): Promise<number> {
  const { tar, dockerfile } = await contextTar(ctx, o);
  // With -q the progress is kept back and only shown (on stderr) if the build fails.
  const held = new PassThrough();
  const heldChunks: Buffer[] = [];
  held.on('data', (c: Buffer) => heldChunks.push(c));
  const sink = o.quiet ? held : ctx.stdio.stdout;
  const contextLine = `Sending build context to Docker daemon  ${humanSize(tar.length, 4)}\r\r\n`;
  if (!o.quiet) ctx.stdio.stdout.write(contextLine);
  const res = await buildImage(ctx.client, Readable.from([tar]), buildQuery(o, dockerfile, (k) => ctx.env[k]));
  let imageId = '';
  try {
    await displayJsonMessages(res, sink, (aux) => {
      const id = (aux as { ID?: string })?.ID;
      if (id) imageId = id;
    });
  } catch (e) {
    if (o.quiet) ctx.stdio.stderr.write(contextLine + Buffer.concat(heldChunks).toString());
    if (e instanceof JsonMessageError) throw new StatusError(e.code, e.message);
    throw e;
  }
  // The daemon answers q=1 with the image id as the only stream text.
  if (o.quiet) ctx.stdio.stdout.write(Buffer.concat(heldChunks).toString() || (imageId ? `${imageId}\n` : ''));
  return 0;
}

/** The `build` spec. */
export const buildCommand: CommandSpec = {
  name: 'build',
  usage: '[OPTIONS] PATH | URL | -',
  description: 'Build an image from a Dockerfile',
  flags: [
    listFlag('build-arg', undefined, 'Set build-time variables'),
    stringFlag('file', 'f', "Name of the Dockerfile (Default is 'PATH/Dockerfile')"),
    boolFlag('force-rm', undefined, 'Always remove intermediate containers'),
    listFlag('label', undefined, 'Set metadata for an image'),
    boolFlag('no-cache', undefined, 'Do not use cache when building the image'),
    boolFlag('pull', undefined, 'Always attempt to pull a newer version of the image'),
    boolFlag('quiet', 'q', 'Suppress the build output and print image ID on success'),
    { long: 'rm', type: 'bool', description: 'Remove intermediate containers after a successful build (default true)' },
    listFlag('tag', 't', 'Name and optionally a tag in the "name:tag" format'),
  ],
  minArgs: 1,
  maxArgs: 1,
  run: (ctx, f, args) =>
    runBuild(ctx, {
      context: args[0]!, tags: f.list('tag'), file: f.string('file'), buildArgs: f.list('build-arg'),
      quiet: f.bool('quiet'), noCache: f.bool('no-cache'), forceRm: f.bool('force-rm'),
      rm: f.changed('rm') ? f.bool('rm') : true, pull: f.bool('pull'), labels: f.list('label'),
    }),
};
