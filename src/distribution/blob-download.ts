/**
 * Downloads one blob to a file and verifies it against its digest (and the descriptor's size)
 * before anyone may use it: a registry that sends other bytes gets dockerd's error
 * (`filesystem layer verification failed for digest …`) and the file is removed.
 *
 * Resumable (beyond Docker): bytes already in the file from a download that was cut off (a
 * dropped connection, a killed daemon) are kept, hashed again, and the rest is asked for with an
 * HTTP `Range`; a registry that answers with the whole blob (200) starts the file over.
 */
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import { sha256Digest } from '../oci/digest.js';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { invalidParameter } from '../errors.js';
import type { Descriptor } from './manifest.js';
import { blobError } from './registry-errors.js';
import { readBody, type RegistrySession } from './registry-session.js';

/** Reports bytes received so far (counting resumed ones), now and then and at the end. */
export type OnBytes = (current: number, total: number) => void;

const REPORT_EVERY = 512 * 1024;

/** Hashes the bytes a cut download left in `file`; 0 when there is none (or it is too long). */
async function resumePoint(file: string, desc: Descriptor, hash: Hash): Promise<number> {
  const st = await fs.stat(file).catch(() => undefined);
  if (!st || st.size === 0 || st.size > desc.size) {
    if (st) await fs.rm(file, { force: true });
    return 0;
  }
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return st.size;
}

/** Fetches `desc` into `file`, continuing what is there; resolves once the bytes are verified. */
export async function downloadBlob(session: RegistrySession, desc: Descriptor, file: string, onBytes: OnBytes, signal?: AbortSignal): Promise<void> {
  let hash = createHash('sha256');
  let received = await resumePoint(file, desc, hash);
  if (received < desc.size) {
    let res = await session.get(`blobs/${desc.digest}`, undefined, signal, received ? { Range: `bytes=${received}-` } : {});
    if (res.status === 416) {
      res.body.resume();
      await fs.rm(file, { force: true });
      [hash, received] = [createHash('sha256'), 0];
      res = await session.get(`blobs/${desc.digest}`, undefined, signal);
    }
    const range = /^bytes (\d+)-/.exec(String(res.headers['content-range'] ?? ''));
    if (res.status === 206 && Number(range?.[1]) === received) {
      // continue after the bytes we have
    } else if (res.status === 200) {
      [hash, received] = [createHash('sha256'), 0];
    } else {
      throw blobError(res.status, (await readBody(res, 1 << 20)).toString('utf8'), desc.digest);
    }
    let reported = received;
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
    await pipeline(res.body, count, createWriteStream(file, { flags: received ? 'a' : 'w' }), ...(signal ? [{ signal }] : []));
  }
  if (received !== desc.size || 'sha256:' + hash.digest('hex') !== desc.digest) {
    await fs.rm(file, { force: true });
    throw invalidParameter(`filesystem layer verification failed for digest ${desc.digest}`);
  }
  onBytes(received, desc.size);
}

/** Fetches a small blob (an image config) into memory and verifies it. */
export async function fetchBlobBytes(session: RegistrySession, desc: Descriptor, signal?: AbortSignal): Promise<Buffer> {
  const res = await session.get(`blobs/${desc.digest}`, undefined, signal);
  if (res.status !== 200) throw blobError(res.status, (await readBody(res, 1 << 20)).toString('utf8'), desc.digest);
  const bytes = await readBody(res, 16 << 20);
  if (sha256Digest(bytes) !== desc.digest) {
    throw invalidParameter(`failed to verify image config: content does not match digest ${desc.digest}`);
  }
  return bytes;
}
