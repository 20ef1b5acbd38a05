/**
 * The registry client's one adapter to the network: single HTTP(S) requests with Node's http and
 * https (no redirects followed here), name resolution, and Go's wording of connection failures,
 * because docker users and scripts read dockerd's (`dial tcp …: connect: connection refused`).
 */
import http from 'node:http';
import https from 'node:https';
import { lookup } from 'node:dns/promises';
import type { Readable } from 'node:stream';
import { systemError } from '../errors.js';

/** A response whose body is still to be read (or destroyed). */
export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Readable;
}

/** One request. `insecureTls` skips certificate checks (dockerd's insecure registries). */
export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: URL;
  headers?: Record<string, string>;
  /** What a push sends: bytes, or a stream whose length is in the headers. */
  body?: Buffer | Readable;
  insecureTls?: boolean;
  signal?: AbortSignal;
}

/** What the registry client needs from the network. */
export interface HttpTransport {
  request(req: HttpRequest): Promise<HttpResponse>;
  /** The addresses a host name resolves to (an IP literal resolves to itself). */
  resolve(host: string): Promise<string[]>;
}

const TIMEOUT_MS = 30_000;

/** Go's text of a failed request: `Get "URL": <what happened>`. */
export function goRequestError(method: string, url: URL, err: NodeJS.ErrnoException): string {
  const verb = method[0] + method.slice(1).toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const addr = `${url.hostname}:${port}`;
  let what: string;
  switch (err.code) {
    case 'ECONNREFUSED': what = `dial tcp ${addr}: connect: connection refused`; break;
    case 'ECONNRESET': what = `read tcp ${addr}: read: connection reset by peer`; break;
    case 'EHOSTUNREACH': what = `dial tcp ${addr}: connect: no route to host`; break;
    case 'ENOTFOUND': case 'EAI_AGAIN': what = `dial tcp: lookup ${url.hostname}: no such host`; break;
    case 'ETIMEDOUT': what = `dial tcp ${addr}: i/o timeout`; break;
    case 'EPROTO': case 'ERR_SSL_WRONG_VERSION_NUMBER': what = 'http: server gave HTTP response to HTTPS client'; break;
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE': case 'SELF_SIGNED_CERT_IN_CHAIN': case 'DEPTH_ZERO_SELF_SIGNED_CERT': case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      what = 'x509: certificate signed by unknown authority'; break;
    default: what = err.message;
  }
  return `${verb} "${url.href}": ${what}`;
}

/** The transport of a running wharfd. */
export function nodeHttpTransport(): HttpTransport {
  return {
    request: (req) =>
      new Promise<HttpResponse>((resolve, reject) => {
        const mod = req.url.protocol === 'https:' ? https : http;
        const r = mod.request(req.url, {
          method: req.method,
          headers: { 'User-Agent': 'wharf/0.1 (docker 20.10 compatible)', ...req.headers },
          ...(req.url.protocol === 'https:' ? { rejectUnauthorized: !req.insecureTls } : {}),
          ...(req.signal ? { signal: req.signal } : {}),
          timeout: TIMEOUT_MS,
        });
        r.on('response', (res) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res }));
        r.on('timeout', () => r.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
        r.on('error', (err: NodeJS.ErrnoException) => {
          if (err.name === 'AbortError') return reject(err);
          reject(systemError(goRequestError(req.method, req.url, err), err));
        });
        const body = req.body;
        if (Buffer.isBuffer(body)) r.end(body);
        else if (body) body.on('error', (err: Error) => r.destroy(err)).pipe(r);
        else r.end();
      }),
    resolve: async (host) => {
      const bare = host.replace(/^\[|\]$/g, '');
      try {
        return (await lookup(bare, { all: true })).map((a) => a.address);
      } catch {
        return [];
      }
    },
  };
}
