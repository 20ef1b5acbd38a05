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
import { safePathFilter, ociToOverlay } from './entry-filters.js';

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

async function runTarExtract(source: Readable, dest: string, filter: EntryFilter): Promise<void> {
  await fs.mkdir(dest, { recursive: true });
  const tar = spawn('tar', ['-C', dest, '--numeric-owner', '--no-same-owner', '--xattrs', '--xattrs-include=trusted.*', '-xpf', '-'], {
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
  await runTarExtract(src, dest, safePathFilter());
}

/** Unpacks a layer into `dest` in overlay form; returns its diff_id and uncompressed size. */
export async function unpackLayer(input: Readable, dest: string): Promise<{ diffId: string; size: number }> {
  const tap = new DigestTap();
  const src = input.pipe(maybeGunzip()).pipe(tap);
  await runTarExtract(src, dest, safePathFilter(ociToOverlay));
  return { diffId: tap.digest(), size: tap.size };
}
