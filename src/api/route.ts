/**
 * The shape of an Engine API route. Each routes/<resource>.ts file exports a function that takes
 * the small backend interface it needs and returns its routes; server.ts wires them together.
 *
 * Handlers throw EngineErrors; only http-status.ts turns kinds into HTTP statuses.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

export interface RequestContext {
  req: IncomingMessage;
  /** Path parameters, e.g. `{ id: 'cf-web' }` for `/containers/:id/json`. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The API version the client asked for ('1.41' when unversioned). */
  apiVersion: string;
  /** Reads the whole request body. */
  body(): Promise<Buffer>;
  /** Reads and parses a JSON body; an empty body yields `fallback`. Malformed JSON is InvalidParameter. */
  json<T>(fallback?: T): Promise<T>;
}

export interface HttpContext extends RequestContext {
  res: ServerResponse;
}

/** A request that asked for `Upgrade: tcp` (attach, exec start): the handler owns the socket. */
export interface UpgradeContext extends RequestContext {
  socket: Duplex;
  /** Bytes that arrived after the request head (part of the body or of the stream). */
  head: Buffer;
}

export interface Route {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  /** Path without the version prefix; `:name` segments are parameters, a final `*name` takes the rest. */
  path: string;
  handler: (ctx: HttpContext) => Promise<void>;
  /** When the client sends `Upgrade: tcp`, this handler runs instead of `handler`. */
  upgrade?: (ctx: UpgradeContext) => Promise<void>;
}
