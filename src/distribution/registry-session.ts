/**
 * A conversation with one repository of one registry: the `/v2/` ping on the first endpoint that
 * answers (https, then http for insecure registries), the `WWW-Authenticate` challenge, Bearer
 * tokens (anonymous or with Basic credentials, cached until they expire) or Basic auth, and
 * GETs of manifests and blobs with redirects followed (credentials only to the same host).
 */
import type { Readable } from 'node:stream';
import { EngineError, systemError } from '../errors.js';
import { basicAuthorization, parseChallenges, parseTokenAnswer, type AuthChallenge, type RegistryCredentials } from './auth-challenge.js';
import type { HttpRequest, HttpResponse, HttpTransport } from './http-transport.js';
import { isInsecureRegistry, registryEndpoints, type RegistryEndpoint } from './registry-policy.js';

/** Tokens shared by every session of a daemon: key = realm, service, scope and user. */
export class TokenCache {
  private readonly tokens = new Map<string, { token: string; expiresAtMs: number }>();

  /** A cached token still valid at `nowMs`. */
  get(key: string, nowMs: number): string | undefined {
    const t = this.tokens.get(key);
    if (t && t.expiresAtMs > nowMs) return t.token;
    this.tokens.delete(key);
    return undefined;
  }

  set(key: string, token: string, expiresAtMs: number): void {
    this.tokens.set(key, { token, expiresAtMs });
  }
}

/** What every session needs from the daemon. */
export interface RegistryDeps {
  transport: HttpTransport;
  tokens: TokenCache;
  now: () => number;
  /** `--insecure-registry` values. */
  insecureRegistries: string[];
}

/** Reads a whole (small) body as text. */
export async function readBody(res: HttpResponse, limit = 8 << 20): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of res.body) {
    size += (c as Buffer).length;
    if (size > limit) {
      res.body.destroy();
      throw systemError(`response of more than ${limit} bytes`);
    }
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

export class RegistrySession {
  private endpoint?: RegistryEndpoint;
  private challenges: AuthChallenge[] = [];

  constructor(
    private readonly deps: RegistryDeps,
    readonly domain: string,
    readonly path: string,
    private readonly creds: RegistryCredentials | undefined,
    /** The token scopes asked for: a pull needs this repository's `pull`, a push `push,pull` (and `pull` of a mount's source). */
    private readonly scopes: string[] = [`repository:${path}:pull`],
  ) {}

  /** Pings `/v2/` on the endpoints in turn; the last failure is the error when none answers. */
  async connect(signal?: AbortSignal): Promise<void> {
    const host = this.domain.replace(/:\d+$/, '');
    const insecure = isInsecureRegistry(this.domain, await this.deps.transport.resolve(host), this.deps.insecureRegistries);
    let last: unknown;
    for (const ep of registryEndpoints(this.domain, insecure)) {
      try {
        const res = await this.deps.transport.request({ method: 'GET', url: new URL('/v2/', ep.base), insecureTls: ep.insecureTls, ...(signal ? { signal } : {}) });
        res.body.resume();
        this.endpoint = ep;
        const www = res.headers['www-authenticate'];
        this.challenges = res.status === 401 && www ? parseChallenges(Array.isArray(www) ? www : [www]) : [];
        return;
      } catch (err) {
        if ((err as Error).name === 'AbortError') throw err;
        last = err;
      }
    }
    throw last;
  }

  /** The `Authorization` value for this repository's pull scope, fetching a token when needed. */
  private async authorization(what: string, signal?: AbortSignal): Promise<string | undefined> {
    const bearer = this.challenges.find((c) => c.scheme === 'bearer');
    if (bearer?.params.realm) {
      if (this.creds?.registryToken) return `Bearer ${this.creds.registryToken}`;
      const key = [bearer.params.realm, bearer.params.service ?? '', ...this.scopes, this.creds?.username ?? ''].join('\n');
      const cached = this.deps.tokens.get(key, this.deps.now());
      if (cached) return `Bearer ${cached}`;
      const url = new URL(bearer.params.realm);
      if (bearer.params.service) url.searchParams.set('service', bearer.params.service);
      for (const scope of this.scopes) url.searchParams.append('scope', scope);
      const basic = this.creds ? basicAuthorization(this.creds) : undefined;
      const res = await this.deps.transport.request({ method: 'GET', url, insecureTls: this.endpoint?.insecureTls ?? false, headers: basic ? { Authorization: basic } : {}, ...(signal ? { signal } : {}) });
      const body = (await readBody(res)).toString('utf8');
      if (res.status !== 200) {
        throw new EngineError(res.status === 401 ? 'Unauthorized' : 'System', `Get "${url.href}": ${res.status === 401 ? 'unauthorized: incorrect username or password' : `unexpected status ${res.status}`}`);
      }
      const t = parseTokenAnswer(body, this.deps.now());
      this.deps.tokens.set(key, t.token, t.expiresAtMs);
      return `Bearer ${t.token}`;
    }
    if (this.challenges.some((c) => c.scheme === 'basic')) {
      const basic = this.creds ? basicAuthorization(this.creds) : undefined;
      if (!basic) throw systemError(what ? `${what}: no basic auth credentials` : 'no basic auth credentials');
      return basic;
    }
    return undefined;
  }

  /** The endpoint that answered the ping (`http://127.0.0.1:5000/`), once connected. */
  get base(): URL | undefined {
    return this.endpoint?.base;
  }

  /**
   * One request of a push below `/v2/<repository>/` (or to a path from the root, or to an absolute upload `Location`), with
   * this session's authorization; a missing Basic credential is dockerd's plain `no basic auth
   * credentials`. Redirects are not followed.
   */
  async send(method: HttpRequest['method'], where: string | URL, headers: Record<string, string> = {}, body?: HttpRequest['body'], signal?: AbortSignal): Promise<HttpResponse> {
    if (!this.endpoint) await this.connect(signal);
    const ep = this.endpoint!;
    const url = typeof where !== 'string' ? where : new URL(where.startsWith('/') ? where : `/v2/${this.path}/${where}`, ep.base);
    const auth = await this.authorization('', signal);
    const sameHost = url.host === ep.base.host;
    return this.deps.transport.request({
      method, url, headers: { ...headers, ...(auth && sameHost ? { Authorization: auth } : {}) },
      insecureTls: sameHost ? ep.insecureTls : false, ...(body ? { body } : {}), ...(signal ? { signal } : {}),
    });
  }

  /** GET of a path below `/v2/<repository>/` (with `extra` headers such as `Range`), following up to 10 redirects. */
  async get(sub: string, accept: string | undefined, signal?: AbortSignal, extra: Record<string, string> = {}): Promise<HttpResponse> {
    if (!this.endpoint) await this.connect(signal);
    const ep = this.endpoint!;
    let url = new URL(`/v2/${this.path}/${sub}`, ep.base);
    // dockerd asks for a manifest by tag with a HEAD first: its errors name that request.
    const verb = /^manifests\/(?!sha256:)/.test(sub) ? 'Head' : 'Get';
    const auth = await this.authorization(`${verb} "${url.href}"`, signal);
    for (let hop = 0; hop < 10; hop++) {
      const sameHost = url.host === ep.base.host;
      const headers: Record<string, string> = { ...extra, ...(accept ? { Accept: accept } : {}), ...(auth && sameHost ? { Authorization: auth } : {}) };
      const res = await this.deps.transport.request({ method: 'GET', url, headers, insecureTls: sameHost ? ep.insecureTls : false, ...(signal ? { signal } : {}) });
      const location = res.headers.location;
      if (res.status >= 300 && res.status < 400 && location) {
        res.body.resume();
        url = new URL(location, url);
        continue;
      }
      return res;
    }
    throw systemError(`Get "${url.href}": stopped after 10 redirects`);
  }
}

/** A body stream plus its declared length, for blob downloads. */
export interface BlobStream {
  body: Readable;
  length: number | undefined;
}
