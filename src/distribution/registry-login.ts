/**
 * `docker login` on the daemon's side (`POST /auth`): pings the registry, then asks `/v2/` again
 * with the credentials (Basic, or a Bearer token fetched with them), as dockerd's loginV2 does.
 * The credentials are not kept: the docker CLI stores them and sends them with each pull/push.
 */
import { invalidParameter, systemError } from '../errors.js';
import type { RegistryCredentials } from './auth-challenge.js';
import { parseNormalizedReference, DOCKER_HUB } from './reference.js';
import { RegistrySession, type RegistryDeps } from './registry-session.js';

/** The body of `POST /auth` (an AuthConfig). */
export interface LoginBody {
  username?: string;
  password?: string;
  serveraddress?: string;
}

const STATUS_TEXT: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' };

/** The registry host of `serveraddress` (`https://host:port/v1/` → `host:port`); Docker Hub when empty. */
export function loginDomain(address: string | undefined): string {
  const host = (address ?? '').replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
  if (!host || host === 'index.docker.io' || host === 'registry-1.docker.io') return DOCKER_HUB;
  // Checks the host the way a reference's domain is checked.
  parseNormalizedReference(`${host}/x`);
  return host;
}

/** Tries the credentials; returns dockerd's answer or throws its error. */
export async function login(deps: RegistryDeps, body: LoginBody, signal?: AbortSignal): Promise<{ IdentityToken: string; Status: string }> {
  if (!body || typeof body !== 'object') throw invalidParameter('invalid JSON body');
  const domain = loginDomain(body.serveraddress);
  const creds: RegistryCredentials = { ...(body.username ? { username: body.username } : {}), ...(body.password ? { password: body.password } : {}) };
  const session = new RegistrySession(deps, domain, '', creds, []);
  const res = await session.send('GET', '/v2/', {}, undefined, signal);
  res.body.resume();
  if (res.status !== 200) {
    const url = new URL('/v2/', session.base).href;
    throw systemError(`login attempt to ${url} failed with status: ${res.status} ${STATUS_TEXT[res.status] ?? ''}`.trim());
  }
  return { IdentityToken: '', Status: 'Login Succeeded' };
}
