/**
 * `POST /build` for the classic builder (`DOCKER_BUILDKIT=0 docker build`, docker-compose).
 * The body is the build context as a tar (maybe gzip); it is extracted into a temporary
 * directory with the safe extractor, then the build runs and its messages stream back as
 * chunked JSON. Errors before the first message get a normal error status, as with dockerd.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { invalidParameter, notImplemented } from '../../errors.js';
import type { BuildOptions, BuildResult } from '../../engine/build/build-types.js';
import type { BuildMessage, EmitFn } from '../../engine/build/build-output.js';
import { extractTar } from '../../oci/tar/index.js';
import { queryBool, startJsonStream } from '../respond.js';
import type { HttpContext, Route } from '../route.js';

/** What the build route needs from the daemon. */
export interface BuildBackend {
  /** Runs the build (engine `build()` bound to the real deps). */
  build(opts: BuildOptions, emit: EmitFn): Promise<BuildResult | undefined>;
  /** A directory where temporary build contexts are extracted (on the data root). */
  contextTempRoot: string;
}

/** Reads the build options from the query string (context directory filled in later). */
export function readBuildQuery(query: URLSearchParams): Omit<BuildOptions, 'contextDir'> {
  if (query.get('remote')) throw notImplemented('remote build contexts are not supported by this daemon; send the context as a tar');
  if (query.get('version') === '2') {
    throw notImplemented('BuildKit is not supported by this daemon; build with DOCKER_BUILDKIT=0');
  }
  let buildArgs: Record<string, string | null> = {};
  const rawArgs = query.get('buildargs');
  if (rawArgs) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawArgs);
    } catch (err) {
      throw invalidParameter(`error reading build args: ${(err as Error).message}`, err);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw invalidParameter('error reading build args: expected a JSON object');
    }
    buildArgs = Object.fromEntries(
      Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, v === null ? null : String(v)]),
    );
  }
  const rm = query.get('rm');
  return {
    dockerfileName: query.get('dockerfile') || 'Dockerfile',
    tags: query.getAll('t').filter((t) => t !== ''),
    buildArgs,
    noCache: queryBool(query.get('nocache')),
    quiet: queryBool(query.get('q')),
    forceRm: queryBool(query.get('forcerm')),
    rm: rm === null || rm === '' ? true : queryBool(rm),
  };
}

/** The request body as a plain tar stream (gzip is undone; bzip2 and xz are refused). */
export async function openContextStream(body: AsyncIterable<Buffer>): Promise<Readable> {
  const it = body[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < 6 && !done) {
    const next = await it.next();
    if (next.done) done = true;
    else {
      head.push(next.value);
      size += next.value.length;
    }
  }
  const first = Buffer.concat(head);
  async function* all(): AsyncGenerator<Buffer> {
    if (first.length > 0) yield first;
    if (done) return;
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
  }
  const stream = Readable.from(all());
  if (first[0] === 0x1f && first[1] === 0x8b) return stream.pipe(createGunzip());
  if (first.subarray(0, 3).toString('latin1') === 'BZh' || first.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) {
    throw invalidParameter('unsupported build context compression: send a plain or gzip-compressed tar');
  }
  return stream;
}

/** Engine API routes of the builder. */
export function buildRoutes(backend: BuildBackend): Route[] {
  const handler = async (ctx: HttpContext): Promise<void> => {
    let options: Omit<BuildOptions, 'contextDir'>;
    try {
      options = readBuildQuery(ctx.query);
    } catch (err) {
      ctx.req.resume(); // let the client finish sending the context before it reads the error
      throw err;
    }
    await fs.mkdir(backend.contextTempRoot, { recursive: true });
    const contextDir = await fs.mkdtemp(path.join(backend.contextTempRoot, 'context-'));
    const removeContext = () => fs.rm(contextDir, { recursive: true, force: true }).catch(() => undefined);
    let write: ((obj: BuildMessage) => void) | undefined;
    try {
      try {
        await extractTar(await openContextStream(ctx.req), contextDir);
      } catch (err) {
        ctx.req.resume();
        throw err;
      }
      const emit: EmitFn = (message) => {
        write ??= startJsonStream(ctx.res);
        write(message);
      };
      await backend.build({ ...options, contextDir }, emit);
      await removeContext();
      if (!write) startJsonStream(ctx.res);
      ctx.res.end();
    } finally {
      await removeContext();
    }
  };
  return [{ method: 'POST', path: '/build', handler }];
}
