/**
 * The Engine API HTTP server: version negotiation, routing, error bodies and the hijacked
 * (`Upgrade: tcp`) requests of attach and exec. Listening is done by bin/; this builds the server.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { URL } from 'node:url';
import { messageOf, invalidParameter, notFound, tooLarge } from '../errors.js';
import { MAX_JSON_BODY_BYTES, parseJsonBody } from './validation/json-body.js';
import { doorOf } from './validation/route-door.js';
import { checkQuery } from './validation/query-check.js';
import type { Schema } from './validation/schema.js';
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

/** Reads a JSON body; past `limit` bytes the rest is read and dropped, and the read fails with 413. */
function readBody(req: IncomingMessage, limit: number): () => Promise<Buffer> {
  let cached: Promise<Buffer> | undefined;
  return () => {
    cached ??= new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= limit) chunks.push(c);
      });
      req.on('end', () => (size > limit ? reject(bodyTooLarge(limit)) : resolve(Buffer.concat(chunks))));
      req.on('error', reject);
    });
    return cached;
  };
}

const bodyTooLarge = (limit: number) => tooLarge(`request body too large: a JSON body may have at most ${limit} bytes`);

/** For upgraded requests the body (exec start's JSON) sits in `head` and the raw socket. */
function readUpgradeBody(req: IncomingMessage, socket: Duplex, head: Buffer): () => Promise<Buffer> {
  let cached: Promise<Buffer> | undefined;
  const want = Number(req.headers['content-length'] ?? 0);
  return () => {
    if (want > MAX_JSON_BODY_BYTES) return Promise.reject(bodyTooLarge(MAX_JSON_BODY_BYTES));
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

/** The request target split into its parts; a target that is not a path is refused. */
function parseTarget(req: IncomingMessage): { url: URL; version: string | undefined; path: string } {
  const target = req.url ?? '/';
  let url: URL;
  try {
    url = new URL('http://wharf' + (target.startsWith('/') ? '' : '/') + target);
  } catch (err) {
    throw invalidParameter(`invalid request target: ${messageOf(err)}`, err);
  }
  return { url, ...splitVersion(url.pathname) };
}

function makeContext(req: IncomingMessage, url: URL, version: string | undefined, body: () => Promise<Buffer>, schema?: Schema): RequestContext {
  return {
    req,
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
      return parseJsonBody(buf.toString(), schema) as T;
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

/** The request head Node reads (request line and headers), as large as Go's net/http default. */
export const MAX_HEADER_BYTES = 1024 * 1024;

/** The longest request target answered; a longer one gets 414. */
export const MAX_URL_LENGTH = 64 * 1024;

const URI_TOO_LONG = `request URI too long: at most ${MAX_URL_LENGTH} bytes`;

/** Builds the HTTP server for the given routes (not yet listening). */
export function createApiServer(opts: ServerOptions): http.Server {
  const router = new Router(opts.routes);
  const log = opts.log ?? (() => {});
  const server = http.createServer({ requireHostHeader: false, keepAlive: true, maxHeaderSize: MAX_HEADER_BYTES }, async (req, res) => {
    for (const [k, v] of Object.entries(commonHeaders())) res.setHeader(k, v);
    if ((req.url ?? '').length > MAX_URL_LENGTH) {
      req.resume();
      return sendError(res, 414, URI_TOO_LONG);
    }
    try {
      const { url, version, path } = parseTarget(req);
      const match = router.match(req.method ?? 'GET', path);
      const door = match && doorOf(match.route);
      const ctx = makeContext(req, url, version, readBody(req, MAX_JSON_BODY_BYTES), door?.body);
      const problem = versionProblem(ctx.apiVersion);
      if (problem) {
        req.resume();
        if (problem.json) return sendError(res, problem.status, problem.text);
        res.writeHead(problem.status, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(problem.text + '\n');
        return;
      }
      if (!match) {
        req.resume();
        return sendError(res, 404, `page not found`);
      }
      if (door?.query) checkAtDoor(req, () => checkQuery(door.query!, ctx.query));
      await match.route.handler({ ...ctx, params: match.params, res });
    } catch (err) {
      const status = statusOf(err);
      if (status >= 500) log(`${req.method} ${req.url?.slice(0, 200)}: ${messageOf(err)}`);
      sendError(res, status, messageOf(err));
    }
  });
  server.on('upgrade', async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    if ((req.url ?? '').length > MAX_URL_LENGTH) return writeRawError(socket, 414, URI_TOO_LONG);
    try {
      const { url, version, path } = parseTarget(req);
      const match = router.match(req.method ?? 'GET', path);
      if (!match) throw notFound('page not found');
      if (!match.route.upgrade) throw invalidParameter('this endpoint cannot be upgraded');
      const ctx = makeContext(req, url, version, readUpgradeBody(req, socket, head), doorOf(match.route)?.body);
      await match.route.upgrade({ ...ctx, params: match.params, socket, head });
    } catch (err) {
      const status = statusOf(err);
      if (status >= 500) log(`${req.method} ${req.url?.slice(0, 200)}: ${messageOf(err)}`);
      writeRawError(socket, status, messageOf(err));
    }
  });
  // A request Node's parser refuses (a head over MAX_HEADER_BYTES, bad syntax) gets an answer
  // rather than a reset, as Node's own default handler gives.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || (err.code === 'ECONNRESET')) return socket.destroy();
    const overflow = err.code === 'HPE_HEADER_OVERFLOW';
    writeRawError(socket, overflow ? 431 : 400, overflow ? `request header fields too large: at most ${MAX_HEADER_BYTES} bytes` : `bad request: ${err.message}`);
  });
  return server;
}

/** Runs a door check before the body is read; on failure the body is drained first. */
function checkAtDoor(req: IncomingMessage, check: () => void): void {
  try {
    check();
  } catch (err) {
    req.resume();
    throw err;
  }
}

/** The 101 answer that turns a request into a raw stream. */
export function writeUpgradeHead(socket: Duplex, tty: boolean): void {
  socket.write(
    'HTTP/1.1 101 UPGRADED\r\n' +
      `Content-Type: application/vnd.docker.${tty ? 'raw-stream' : 'raw-stream'}\r\n` +
      'Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n',
  );
}
