/**
 * The Engine API HTTP server: version negotiation, routing, error bodies and the hijacked
 * (`Upgrade: tcp`) requests of attach and exec. Listening is done by bin/; this builds the server.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { URL } from 'node:url';
import { messageOf, invalidParameter, notFound } from '../errors.js';
import { statusOf } from './http-status.js';
import { Router, splitVersion, compareVersions, API_VERSION, MIN_API_VERSION } from './router.js';
import type { RequestContext, Route } from './route.js';

export const SERVER_HEADER = 'Wharf/0.1.0 (linux)';

/** Headers dockerd puts on every normal response. */
export function commonHeaders(): Record<string, string> {
  return { 'Api-Version': API_VERSION, 'Docker-Experimental': 'false', Ostype: 'linux', Server: SERVER_HEADER };
}

export interface ServerOptions {
  routes: Route[];
  /** Called for failures the server answered with a 5xx, for the daemon's log. */
  log?: (line: string) => void;
}

function readBody(req: IncomingMessage, head?: Buffer): () => Promise<Buffer> {
  let cached: Promise<Buffer> | undefined;
  return () => {
    cached ??= new Promise((resolve, reject) => {
      const chunks: Buffer[] = head && head.length ? [head] : [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
    return cached;
  };
}

/** For upgraded requests the body (exec start's JSON) sits in `head` and the raw socket. */
function readUpgradeBody(req: IncomingMessage, socket: Duplex, head: Buffer): () => Promise<Buffer> {
  let cached: Promise<Buffer> | undefined;
  const want = Number(req.headers['content-length'] ?? 0);
  return () => {
    cached ??= new Promise((resolve) => {
      let got = head;
      if (got.length >= want) {
        if (got.length > want) socket.unshift(got.subarray(want));
        return resolve(got.subarray(0, want));
      }
      const onData = (c: Buffer) => {
        got = Buffer.concat([got, c]);
        if (got.length >= want) {
          socket.off('data', onData);
          socket.pause();
          if (got.length > want) socket.unshift(got.subarray(want));
          resolve(got.subarray(0, want));
        }
      };
      socket.on('data', onData);
      socket.once('end', () => resolve(got));
    });
    return cached;
  };
}

function makeContext(req: IncomingMessage, body: () => Promise<Buffer>): RequestContext & { path: string } {
  const url = new URL(req.url ?? '/', 'http://wharf');
  const { version, path } = splitVersion(url.pathname);
  return {
    req,
    path,
    params: {},
    query: url.searchParams,
    apiVersion: version ?? API_VERSION,
    body,
    async json<T>(fallback?: T): Promise<T> {
      const buf = await body();
      if (buf.length === 0 || buf.toString().trim() === '') {
        if (fallback !== undefined) return fallback;
        throw invalidParameter('empty request body');
      }
      try {
        return JSON.parse(buf.toString()) as T;
      } catch (err) {
        throw invalidParameter(`invalid JSON: ${messageOf(err)}`, err);
      }
    },
  };
}

/** Checks the requested version; returns an error response description or undefined. */
function versionProblem(version: string): { status: number; text: string; json: boolean } | undefined {
  if (compareVersions(version, API_VERSION) > 0) {
    return {
      status: 400,
      json: true,
      text: `client version ${version} is too new. Maximum supported API version is ${API_VERSION}`,
    };
  }
  if (compareVersions(version, MIN_API_VERSION) < 0) {
    return {
      status: 400,
      json: false,
      text: `client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`,
    };
  }
  return undefined;
}

function sendError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify({ message }) + '\n';
  res.writeHead(status, { ...commonHeaders(), 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function writeRawError(socket: Duplex, status: number, message: string): void {
  const text = JSON.stringify({ message }) + '\n';
  const head =
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Error'}\r\n` +
    Object.entries(commonHeaders()).map(([k, v]) => `${k}: ${v}\r\n`).join('') +
    `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n`;
  socket.end(head + text);
}

/** Builds the HTTP server for the given routes (not yet listening). */
export function createApiServer(opts: ServerOptions): http.Server {
  const router = new Router(opts.routes);
  const log = opts.log ?? (() => {});
  const server = http.createServer({ requireHostHeader: false, keepAlive: true }, async (req, res) => {
    const ctx = makeContext(req, readBody(req));
    for (const [k, v] of Object.entries(commonHeaders())) res.setHeader(k, v);
    const problem = versionProblem(ctx.apiVersion);
    if (problem) {
      if (problem.json) return sendError(res, problem.status, problem.text);
      res.writeHead(problem.status, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(problem.text + '\n');
      return;
    }
    const match = router.match(req.method ?? 'GET', ctx.path);
    if (!match) {
      req.resume();
      return sendError(res, 404, `page not found`);
    }
    try {
      await match.route.handler({ ...ctx, params: match.params, res });
    } catch (err) {
      const status = statusOf(err);
      if (status >= 500) log(`${req.method} ${req.url}: ${messageOf(err)}`);
      sendError(res, status, messageOf(err));
    }
  });
  server.on('upgrade', async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    const ctx = makeContext(req, readUpgradeBody(req, socket, head));
    const match = router.match(req.method ?? 'GET', ctx.path);
    try {
      if (!match) throw notFound('page not found');
      if (!match.route.upgrade) throw invalidParameter('this endpoint cannot be upgraded');
      await match.route.upgrade({ ...ctx, params: match.params, socket, head });
    } catch (err) {
      const status = statusOf(err);
      if (status >= 500) log(`${req.method} ${req.url}: ${messageOf(err)}`);
      writeRawError(socket, status, messageOf(err));
    }
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  return server;
}

/** The 101 answer that turns a request into a raw stream. */
export function writeUpgradeHead(socket: Duplex, tty: boolean): void {
  socket.write(
    'HTTP/1.1 101 UPGRADED\r\n' +
      `Content-Type: application/vnd.docker.${tty ? 'raw-stream' : 'raw-stream'}\r\n` +
      'Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n',
  );
}
