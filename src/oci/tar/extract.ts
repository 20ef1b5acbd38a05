/**
 * Safe extraction of tar streams into a directory: the stream is vetted (and for layers,
 * translated to overlay whiteouts) by TarRewriter, then GNU tar writes the files, devices and
 * xattrs that Node cannot create itself.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import { PassThrough, Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promises as fs } from 'node:fs';
import { invalidParameter, systemError, findEngineError } from '../../errors.js';
import { TarRewriter, type EntryFilter } from './tar-rewriter.js';
import { safePathFilter, createOciToOverlay } from './entry-filters.js';
import { uniquePathFilter } from './entry-checks.js';

/** Passes a stream through, gunzipping it when it starts with the gzip magic. */
export function maybeGunzip(): Transform {
  let decided = false;
  let gunzip: Transform | undefined;
  const out = new Transform({
    transform(chunk: Buffer, _e, done: TransformCallback) {
      if (!decided) {
        decided = true;
        if (chunk[0] === 0x1f && chunk[1] === 0x8b) {
          gunzip = createGunzip();
          gunzip.on('data', (d) => out.push(d));
          gunzip.on('error', (e) => out.destroy(e));
        }
      }
      if (gunzip) gunzip.write(chunk, () => done());
      else done(null, chunk);
    },
    flush(done) {
      if (!gunzip) return done();
      gunzip.once('end', () => done());
      gunzip.end();
    },
  });
  return out;
}

/** Counts bytes and hashes them as they pass (the digest of the uncompressed tar = diff_id). */
export class DigestTap extends Transform {
  private readonly hash = createHash('sha256');
  size = 0;

  override _transform(chunk: Buffer, _e: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    done(null, chunk);
  }

  digest(): string {
    return 'sha256:' + this.hash.digest('hex');
  }
}

/**
 * GNU tar argv for extracting a vetted archive from stdin. Layers keep their owners (as root,
 * tar restores the archive's uid/gid), overlay xattrs and file capabilities; plain archives
 * (build contexts, docker-archives) are written as owned by the caller.
 */
export function extractArgv(dest: string, keepOwners: boolean): string[] {
  return [
    'tar', '-C', dest, '--numeric-owner', keepOwners ? '--same-owner' : '--no-same-owner', '--xattrs',
    '--xattrs-include=trusted.*', ...(keepOwners ? ['--xattrs-include=security.capability'] : []), '-xpf', '-',
  ];
}

async function runTarExtract(source: Readable, dest: string, filter: EntryFilter, keepOwners: boolean): Promise<void> {
  await fs.mkdir(dest, { recursive: true });
  const [cmd, ...args] = extractArgv(dest, keepOwners);
  const tar = spawn(cmd!, args, {
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  tar.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number>((resolve) => tar.on('close', (code) => resolve(code ?? 1)));
  try {
    await pipeline(source, new TarRewriter(filter), tar.stdin);
  } catch (err) {
    tar.kill();
    await exited;
    const e = findEngineError(err);
    if (e) throw e;
    throw invalidParameter(`invalid tar archive: ${(err as Error).message}`, err);
  }
  const code = await exited;
  if (code !== 0) throw systemError(`tar extraction failed: ${stderr.trim()}`);
}

/** Extracts a plain (optionally gzipped) tar safely into `dest` (build contexts, archives). */
export async function extractTar(input: Readable, dest: string): Promise<void> {
  const src = new PassThrough();
  input.pipe(maybeGunzip()).pipe(src);
  await runTarExtract(src, dest, safePathFilter(uniquePathFilter('archive')), false);
}

/** Layer size as Docker reports it: regular file sizes plus symlink target lengths. */
export function countLayerSize(next: EntryFilter, add: (n: number) => void): EntryFilter {
  return (e) => {
    if (e.type === '0') add(e.sparse ? e.sparse.realSize : e.size);
    else if (e.type === '2') add(Buffer.byteLength(e.linkname));
    return next(e);
  };
}

/**
 * Unpacks a layer into `dest` in overlay form; returns its diff_id (sha256 of the uncompressed
 * tar) and its size as Docker counts it (file contents and symlink targets, not tar bytes).
 */
export async function unpackLayer(input: Readable, dest: string): Promise<{ diffId: string; size: number }> {
  const tap = new DigestTap();
  const src = input.pipe(maybeGunzip()).pipe(tap);
  let size = 0;
  await runTarExtract(src, dest, safePathFilter(uniquePathFilter('layer', countLayerSize(createOciToOverlay(), (n) => (size += n)))), true);
  return { diffId: tap.digest(), size };
}
