/**
 * The blob side of a push: `HEAD` to see whether a repository has a blob, a cross-repository
 * mount (`POST …/blobs/uploads/?mount=<digest>&from=<repo>`), a monolithic upload (`POST
 * …/blobs/uploads/`, then `PUT <location>?digest=` with the whole blob), and the gzip of a
 * layer's tar into a file with its digest (zlib's output is the same for the same tar, so a
 * layer compressed again has the same digest).
 */
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pushError } from './registry-errors.js';
import { readBody, type RegistrySession } from './registry-session.js';

/** True when the session's repository has the blob. */
export async function blobExists(session: RegistrySession, digest: string, signal?: AbortSignal): Promise<boolean> {
  const res = await session.send('HEAD', `blobs/${digest}`, {}, undefined, signal);
  res.body.resume();
  if (res.status === 200) return true;
  if (res.status === 404) return false;
  throw pushError(res.status, '');
}

/** Asks the registry to mount a blob from repository `from`; false when it starts an upload instead. */
export async function mountBlob(session: RegistrySession, digest: string, from: string, signal?: AbortSignal): Promise<boolean> {
  const q = new URLSearchParams({ mount: digest, from });
  const res = await session.send('POST', `blobs/uploads/?${q}`, { 'Content-Length': '0' }, undefined, signal);
  const body = (await readBody(res)).toString('utf8');
  if (res.status === 201) return true;
  if (res.status !== 202) throw pushError(res.status, body);
  // The registry opened an upload instead: cancel it, as dockerd does.
  const location = res.headers.location;
  if (location && session.base) {
    const del = await session.send('DELETE', new URL(location, session.base), {}, undefined, signal).catch(() => undefined);
    del?.body.resume();
  }
  return false;
}

/** Uploads the file as blob `digest` in one `PUT`; `progress` is told the bytes sent. */
export async function uploadBlob(
  session: RegistrySession, file: string, digest: string, size: number, progress: (sent: number) => void, signal?: AbortSignal,
): Promise<void> {
  const start = await session.send('POST', 'blobs/uploads/', { 'Content-Length': '0' }, undefined, signal);
  const startBody = (await readBody(start)).toString('utf8');
  const location = start.headers.location;
  if (start.status !== 202 || !location || !session.base) throw pushError(start.status, startBody);
  const url = new URL(location, session.base);
  url.searchParams.set('digest', digest);
  let sent = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      sent += chunk.length;
      progress(sent);
      done(null, chunk);
    },
  });
  const body: Readable = createReadStream(file).pipe(count);
  const res = await session.send('PUT', url, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) }, body, signal);
  const text = (await readBody(res)).toString('utf8');
  if (res.status !== 201) throw pushError(res.status, text);
}

/** Uploads small bytes (an image config) unless the repository has them. */
export async function uploadBytes(session: RegistrySession, bytes: Buffer, digest: string, tmpFile: string, signal?: AbortSignal): Promise<void> {
  if (await blobExists(session, digest, signal)) return;
  await fs.writeFile(tmpFile, bytes);
  await uploadBlob(session, tmpFile, digest, bytes.length, () => {}, signal);
}

/** Gzips a layer tar into `out`; returns the compressed digest and size. */
export async function gzipLayer(tar: string, out: string, signal?: AbortSignal): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(createReadStream(tar), createGzip(), tap, createWriteStream(out), signal ? { signal } : {});
  return { digest: 'sha256:' + hash.digest('hex'), size };
}
