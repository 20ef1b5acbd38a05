/**
 * `POST /images/create?fromImage=&tag=&platform=`: a pull with dockerd's JSON progress stream.
 * As dockerd, a failure before the first progress message is a plain HTTP error (400 for a bad
 * reference, 404 for an unknown manifest); once the stream has begun it ends with an error
 * message. The client hanging up cancels the pull.
 */
import { messageOf } from '../../errors.js';
import type { HttpContext } from '../route.js';
import { startJsonStream } from '../respond.js';
import { decodeRegistryAuth } from '../../distribution/auth-challenge.js';
import { pullReference } from '../../distribution/reference.js';
import { errorMessage, type ProgressMessage } from '../../distribution/pull-progress.js';
import type { PullRequest } from '../../distribution/image-puller.js';

/** What the pull route needs. */
export interface PullBackend {
  pull(req: PullRequest): Promise<void>;
}

/** Serves a pull request (the caller has seen `fromImage`). */
export async function servePull(c: HttpContext, backend: PullBackend): Promise<void> {
  const ref = pullReference(c.query.get('fromImage') ?? '', c.query.get('tag') ?? '');
  const header = c.req.headers['x-registry-auth'];
  const creds = decodeRegistryAuth(Array.isArray(header) ? header[0] : header);
  const abort = new AbortController();
  c.res.on('close', () => {
    if (!c.res.writableFinished) abort.abort();
  });
  let send: ((m: ProgressMessage) => void) | undefined;
  const emit = (m: ProgressMessage) => {
    send ??= startJsonStream(c.res);
    send(m);
  };
  try {
    await backend.pull({ ref, ...(c.query.get('platform') ? { platform: c.query.get('platform')! } : {}), ...(creds ? { creds } : {}), send: emit, signal: abort.signal });
  } catch (err) {
    if (!send) throw err;
    send(errorMessage(messageOf(err)));
  }
  c.res.end();
}
