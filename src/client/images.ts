/**
 * Image endpoints of the Engine API (plus build and commit), one function per endpoint.
 */
import type http from 'node:http';
import type { Readable } from 'node:stream';
import type { EngineClient } from './engine-client.js';

/** `GET /images/json` element. */
export interface ImageSummary {
  Id: string;
  ParentId: string;
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  Created: number;
  Size: number;
  SharedSize?: number;
  VirtualSize?: number;
  Labels: Record<string, string> | null;
  Containers: number;
}

/** `GET /images/{name}/history` element. */
export interface HistoryItem {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
}

const enc = encodeURIComponent;

/** GET /images/json?all=&filters= */
export function listImages(
  c: EngineClient,
  opts: { all?: boolean; filters?: Record<string, Record<string, boolean>> },
): Promise<ImageSummary[]> {
  const filters = opts.filters && Object.keys(opts.filters).length ? JSON.stringify(opts.filters) : undefined;
  return c.json<ImageSummary[]>('GET', '/images/json', { query: { all: opts.all ? 1 : undefined, filters } });
}

/** GET /images/{name}/json */
export function inspectImage(c: EngineClient, name: string): Promise<Record<string, unknown>> {
  return c.json<Record<string, unknown>>('GET', `/images/${name.split('/').map(enc).join('/')}/json`);
}

/** GET /images/{name}/history */
export function imageHistory(c: EngineClient, name: string): Promise<HistoryItem[]> {
  return c.json<HistoryItem[]>('GET', `/images/${name.split('/').map(enc).join('/')}/history`);
}

/** POST /images/{name}/tag?repo=&tag= */
export async function tagImage(c: EngineClient, source: string, repo: string, tag: string): Promise<void> {
  await c.request('POST', `/images/${source.split('/').map(enc).join('/')}/tag`, {
    query: { repo, tag: tag || undefined },
  });
}

/** DELETE /images/{name}?force=&noprune= */
export function removeImage(c: EngineClient, name: string, opts: { force?: boolean; noPrune?: boolean }) {
  return c.json<{ Untagged?: string; Deleted?: string }[]>('DELETE', `/images/${name.split('/').map(enc).join('/')}`, {
    query: { force: opts.force ? 1 : undefined, noprune: opts.noPrune ? 1 : undefined },
  });
}

/** POST /images/create?fromSrc=-&repo=&tag=&message=&changes= with the tar as body. */
export function importImage(
  c: EngineClient,
  body: Readable,
  opts: { repo?: string; tag?: string; message?: string; changes: string[]; fromSrc?: string },
): Promise<http.IncomingMessage> {
  const query: Record<string, string | undefined> = {
    fromSrc: opts.fromSrc ?? '-',
    repo: opts.repo,
    tag: opts.tag,
    message: opts.message,
  };
  // `changes` repeats; encodeQuery takes one value per key, so fold the repeats into the path.
  const extra = opts.changes.map((ch) => `&changes=${enc(ch)}`).join('');
  return c.stream('POST', `/images/create?${new URLSearchParams(clean(query)).toString()}${extra}`, {
    body: opts.fromSrc && opts.fromSrc !== '-' ? undefined : body,
    headers: { 'Content-Type': 'application/x-tar' },
  });
}

function clean(q: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(q).sort()) if (q[k] !== undefined && q[k] !== '') out[k] = q[k]!;
  return out;
}

/** POST /images/load?quiet= */
export function loadImages(c: EngineClient, body: Readable, quiet: boolean): Promise<http.IncomingMessage> {
  return c.stream('POST', '/images/load', {
    query: { quiet: quiet ? 1 : 0 },
    body,
    headers: { 'Content-Type': 'application/x-tar' },
  });
}

/** GET /images/get?names=a&names=b : the tar stream. */
export function saveImages(c: EngineClient, names: string[]): Promise<http.IncomingMessage> {
  const q = names.map((n) => `names=${enc(n)}`).join('&');
  return c.stream('GET', `/images/get?${q}`);
}

/** POST /build with a tar context; query as the classic docker CLI sends it. */
export function buildImage(c: EngineClient, context: Readable, query: string): Promise<http.IncomingMessage> {
  return c.stream('POST', `/build${query}`, {
    body: context,
    headers: { 'Content-Type': 'application/x-tar', 'X-Registry-Config': 'e30=' },
  });
}

/** POST /commit?container=&repo=&tag=&comment=&author=&pause=&changes= */
export function commitContainer(
  c: EngineClient,
  opts: { container: string; repo?: string; tag?: string; comment?: string; author?: string; pause: boolean; changes: string[] },
): Promise<{ Id: string }> {
  const query = clean({
    author: opts.author,
    comment: opts.comment,
    container: opts.container,
    pause: opts.pause ? '1' : '0',
    repo: opts.repo,
    tag: opts.tag,
  });
  const extra = opts.changes.map((ch) => `&changes=${enc(ch)}`).join('');
  return c.json<{ Id: string }>('POST', `/commit?${new URLSearchParams(query).toString()}${extra}`, { body: {} });
}

/** POST /images/create?fromImage=&tag=&platform= (a pull); the progress stream. */
export function pullImage(c: EngineClient, opts: { fromImage: string; tag?: string; platform?: string; registryAuth?: string }): Promise<http.IncomingMessage> {
  const query = clean({ fromImage: opts.fromImage, tag: opts.tag, platform: opts.platform });
  return c.stream('POST', `/images/create?${new URLSearchParams(query).toString()}`, {
    ...(opts.registryAuth ? { headers: { 'X-Registry-Auth': opts.registryAuth } } : {}),
  });
}

/** POST /images/{name}/push?tag= (a push); the progress stream. */
export function pushImage(c: EngineClient, opts: { name: string; tag?: string; registryAuth: string }): Promise<http.IncomingMessage> {
  const query = clean({ tag: opts.tag });
  return c.stream('POST', `/images/${opts.name}/push?${new URLSearchParams(query).toString()}`, { headers: { 'X-Registry-Auth': opts.registryAuth } });
}

/** POST /auth (a login check by the daemon). */
export function loginRegistry(c: EngineClient, body: { username: string; password: string; serveraddress: string }): Promise<{ Status: string; IdentityToken?: string }> {
  return c.json('POST', '/auth', { body });
}
