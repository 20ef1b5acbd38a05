/**
 * `POST /images/{name}/push?tag=` (a push with dockerd's JSON progress stream; a bad tag is a
 * plain HTTP error, anything later ends the stream with an error message; the client hanging up
 * cancels the push) and `POST /auth` (`docker login`: the credentials tried against the registry).
 */
import { messageOf, systemError } from '../../errors.js';
import type { Route } from '../route.js';
import { sendJson, startJsonStream } from '../respond.js';
import { decodeRegistryAuth } from '../../distribution/auth-challenge.js';
import { isValidTag, parseNormalizedReference } from '../../distribution/reference.js';
import { errorMessage } from '../../distribution/pull-progress.js';
import type { PushRequest } from '../../distribution/image-pusher.js';
import type { LoginBody } from '../../distribution/registry-login.js';

/** What the push and login routes need. */
export interface PushBackend {
  push(req: PushRequest): Promise<void>;
  login(body: LoginBody): Promise<{ IdentityToken: string; Status: string }>;
}

/** The push and login routes. */
export function pushRoutes(backend: PushBackend): Route[] {
  return [
    {
      method: 'POST', path: '/images/*name/push',
      handler: async (c) => {
        const named = parseNormalizedReference(c.params.name!);
        const tag = c.query.get('tag') ?? '';
        if (tag && !isValidTag(tag)) throw systemError('invalid tag format');
        const header = c.req.headers['x-registry-auth'];
        const creds = decodeRegistryAuth(Array.isArray(header) ? header[0] : header);
        const abort = new AbortController();
        c.res.on('close', () => {
          if (!c.res.writableFinished) abort.abort();
        });
        const send = startJsonStream(c.res);
        const wanted = tag || named.tag;
        try {
          await backend.push({ ref: { domain: named.domain, path: named.path, ...(wanted ? { tag: wanted } : {}) }, ...(creds ? { creds } : {}), send, signal: abort.signal });
        } catch (err) {
          send(errorMessage(messageOf(err)));
        }
        c.res.end();
      },
    },
    {
      method: 'POST', path: '/auth',
      handler: async (c) => sendJson(c.res, 200, await backend.login(await c.json<LoginBody>({}))),
    },
  ];
}
