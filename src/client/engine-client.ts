/**
 * HTTP/1.1 transport to the Engine API over a unix socket: version negotiation (`HEAD /_ping`),
 * plain requests, streamed responses, and hijacked (`Upgrade: tcp`) connections for attach and
 * exec. Every request gets its own connection, so a wait and a start can run side by side.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { ApiError, ConnectError, messageFromBody } from './api-error.js';
import { socketPathOf } from './docker-host.js';

/** Query values: undefined/false-y entries are left out by the callers that want that. */
export type QueryValue = string | number | boolean | undefined;

/** Options for one request. */
export interface RequestOptions {
  query?: Record<string, QueryValue>;
  /** A JSON body (serialised), a Buffer, or a stream sent chunked. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** A fully read response. */
export interface EngineResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A hijacked connection: the raw socket plus any bytes that arrived with the 101. */
export interface HijackedStream {
  socket: Socket;
  head: Buffer;
}

/** The API version this client speaks at most. */
export const MAX_API_VERSION = '1.41';

/** Encodes a query string with sorted keys, like Go's url.Values.Encode. */
export function encodeQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const keys = Object.keys(query)
    .filter((k) => query[k] !== undefined)
    .sort();
  if (keys.length === 0) return '';
  return '?' + keys.map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(String(query[k]))}`).join('&');
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** A client bound to one daemon address. */
export class EngineClient {
  private readonly socketPath: string;
  private version: string | undefined;

  constructor(
    readonly host: string,
    private readonly userAgent = 'Wharf-Client/0.1.0 (linux)',
  ) {
    this.socketPath = socketPathOf(host);
  }

  /** The negotiated API version (after `negotiate`). */
  get apiVersion(): string {
    return this.version ?? MAX_API_VERSION;
  }

  /** `HEAD /_ping`: adopts the daemon's `Api-Version` when it is not newer than ours. */
  async negotiate(): Promise<string> {
    if (this.version) return this.version;
    const res = await this.send('HEAD', '/_ping', {});
    const header = res.headers['api-version'];
    const server = typeof header === 'string' && /^\d+\.\d+$/.test(header) ? header : MAX_API_VERSION;
    this.version = compareVersions(server, MAX_API_VERSION) < 0 ? server : MAX_API_VERSION;
    return this.version;
  }

  /** Sends a request on the versioned path and reads the whole answer; throws ApiError on >= 400. */
  async request(method: string, path: string, opts: RequestOptions = {}): Promise<EngineResponse> {
    await this.negotiate();
    const res = await this.send(method, this.versioned(path), opts);
    if (res.status >= 400) throw new ApiError(res.status, messageFromBody(res.body));
    return res;
  }

  /** Like `request`, parsing the body as JSON. */
  async json<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.request(method, path, opts);
    return (res.body.length ? JSON.parse(res.body.toString('utf8')) : null) as T;
  }

  /** Sends a request and returns the response as a stream once its headers arrive. */
  async stream(method: string, path: string, opts: RequestOptions = {}): Promise<http.IncomingMessage> {
    await this.negotiate();
    const res = await this.open(method, this.versioned(path), opts);
    if ((res.statusCode ?? 500) >= 400) {
      const body = await readAll(res);
      throw new ApiError(res.statusCode ?? 500, messageFromBody(body));
    }
    return res;
  }

  /** Sends an `Upgrade: tcp` request and returns the hijacked socket after `101`. */
  async hijack(method: string, path: string, opts: RequestOptions = {}): Promise<HijackedStream> {
    await this.negotiate();
    const headers = { Connection: 'Upgrade', Upgrade: 'tcp', ...opts.headers };
    return new Promise((resolve, reject) => {
      const req = this.makeRequest(method, this.versioned(path), { ...opts, headers }, reject);
      req.on('upgrade', (_res, socket: Socket, head: Buffer) => resolve({ socket, head }));
      req.on('response', (res) => {
        readAll(res).then((body) => {
          if ((res.statusCode ?? 500) >= 400) reject(new ApiError(res.statusCode ?? 500, messageFromBody(body)));
          else reject(new Error(`expected 101 Switching Protocols, got ${res.statusCode}`));
        }, reject);
      });
      this.writeBody(req, opts.body);
    });
  }

  private versioned(path: string): string {
    return `/v${this.apiVersion}${path}`;
  }

  private async send(method: string, path: string, opts: RequestOptions): Promise<EngineResponse> {
    const res = await this.open(method, path, opts);
    const body = await readAll(res);
    return { status: res.statusCode ?? 500, headers: res.headers, body };
  }

  private open(method: string, path: string, opts: RequestOptions): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = this.makeRequest(method, path, opts, reject);
      req.on('response', resolve);
      this.writeBody(req, opts.body);
    });
  }

  private makeRequest(
    method: string,
    path: string,
    opts: RequestOptions,
    reject: (e: unknown) => void,
  ): http.ClientRequest {
    const headers: Record<string, string> = { 'User-Agent': this.userAgent, ...opts.headers };
    const body = opts.body;
    if (body !== undefined && !(body instanceof Readable) && !Buffer.isBuffer(body)) {
      headers['Content-Type'] ??= 'application/json';
    }
    const req = http.request({
      socketPath: this.socketPath,
      host: 'api.moby.localhost',
      method,
      path: path + encodeQuery(opts.query),
      headers,
      agent: false,
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (['ENOENT', 'ECONNREFUSED', 'EACCES', 'ENOTSOCK'].includes(err.code ?? '')) {
        reject(new ConnectError(this.host, { cause: err }));
      } else reject(err);
    });
    return req;
  }

  private writeBody(req: http.ClientRequest, body: unknown): void {
    if (body === undefined) {
      req.end();
    } else if (body instanceof Readable) {
      body.pipe(req);
    } else if (Buffer.isBuffer(body)) {
      req.setHeader('Content-Length', body.length);
      req.end(body);
    } else {
      const data = Buffer.from(JSON.stringify(body));
      req.setHeader('Content-Length', data.length);
      req.end(data);
    }
  }
}

/** Reads a stream to the end. */
export function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer | string) => chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c)));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
