/**
 * Downloads one blob to a file and verifies it against its digest (and the descriptor's size)
 * before anyone may use it: a registry that sends other bytes gets dockerd's error
 * (`filesystem layer verification failed for digest …`) and the file is removed.
 */
import { createWriteStream, promises as fs } from 'node:fs';
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { invalidParameter } from '../errors.js';
import type { Descriptor } from './manifest.js';
import { blobError } from './registry-errors.js';
import { readBody, type RegistrySession } from './registry-session.js';

/** Reports bytes received so far, at most every `everyBytes` and at the end. */
export type OnBytes = (current: number, total: number) => void;

const REPORT_EVERY = 512 * 1024;

/** Fetches `desc` into `file`; resolves once the bytes are verified. */
export async function downloadBlob(session: RegistrySession, desc: Descriptor, file: string, onBytes: OnBytes, signal?: AbortSignal): Promise<void> {
  const res = await session.get(`blobs/${desc.digest}`, undefined, signal);
  if (res.status !== 200) throw blobError(res.status, (await readBody(res, 1 << 20)).toString('utf8'), desc.digest);
  const hash = createHash('sha256');
  let received = 0;
  let reported = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      received += chunk.length;
      if (received - reported >= REPORT_EVERY) {
        reported = received;
        onBytes(received, desc.size);
      }
      done(null, chunk);
    },
  });
  try {
    await pipeline(res.body, count, createWriteStream(file), ...(signal ? [{ signal }] : []));
    const got = 'sha256:' + hash.digest('hex');
    if (received !== desc.size || got !== desc.digest) throw invalidParameter(`filesystem layer verification failed for digest ${desc.digest}`);
    onBytes(received, desc.size);
  } catch (err) {
    res.body.destroy();
    await fs.rm(file, { force: true });
    throw err;
  }
}

/** Fetches a small blob (an image config) into memory and verifies it. */
export async function fetchBlobBytes(session: RegistrySession, desc: Descriptor, signal?: AbortSignal): Promise<Buffer> {
  const res = await session.get(`blobs/${desc.digest}`, undefined, signal);
  if (res.status !== 200) throw blobError(res.status, (await readBody(res, 1 << 20)).toString('utf8'), desc.digest);
  const bytes = await readBody(res, 16 << 20);
  if ('sha256:' + createHash('sha256').update(bytes).digest('hex') !== desc.digest) {
    throw invalidParameter(`failed to verify image config: content does not match digest ${desc.digest}`);
  }
  return bytes;
}
