/**
 * Registry error bodies (`{"errors":[{code,message,detail}]}`, the distribution spec's table)
 * turned into dockerd's messages (pure): `manifest for X not found: manifest unknown: manifest
 * unknown`, `pull access denied for X, repository does not exist or may require 'docker login'`.
 */
import { EngineError, type ErrorKind } from '../errors.js';

/** The first error of a registry's error body, if it has one. */
export function registryErrorOf(body: string): { code: string; message: string } | undefined {
  try {
    const raw = JSON.parse(body) as { errors?: { code?: unknown; message?: unknown }[] };
    const e = Array.isArray(raw.errors) ? raw.errors[0] : undefined;
    if (e && typeof e.code === 'string') return { code: e.code, message: typeof e.message === 'string' ? e.message : '' };
  } catch {
    // not an error body
  }
  return undefined;
}

/** `manifest unknown: manifest unknown`: the code as Go's errcode prints it, then the message. */
export function errcodeText(e: { code: string; message: string }): string {
  const code = e.code.toLowerCase().replace(/_/g, ' ');
  return e.message ? `${code}: ${e.message}` : code;
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' };

/**
 * The error of a failed manifest request, worded as dockerd 20.10 words a failed pull:
 * `name` is the familiar repository, `ref` the familiar reference that was asked for.
 */
export function manifestError(status: number, body: string, names: { name: string; ref: string }): EngineError {
  const e = registryErrorOf(body);
  const make = (kind: ErrorKind, message: string) => new EngineError(kind, message);
  if (!e) {
    if (status === 401) return make('NotFound', `pull access denied for ${names.name}, repository does not exist or may require 'docker login'`);
    return make('System', `received unexpected HTTP status: ${status} ${STATUS_TEXT[status] ?? ''}`.trim());
  }
  switch (e.code) {
    case 'MANIFEST_UNKNOWN': return make('NotFound', `manifest for ${names.ref} not found: ${errcodeText(e)}`);
    case 'NAME_UNKNOWN': return make('NotFound', `repository ${names.name} not found: ${errcodeText(e)}`);
    case 'DENIED': case 'UNAUTHORIZED':
      return make('NotFound', `pull access denied for ${names.name}, repository does not exist or may require 'docker login': ${errcodeText(e)}`);
    case 'TOOMANYREQUESTS': return make('Unavailable', errcodeText(e));
    default: return make('System', errcodeText(e));
  }
}

/** The error of a failed blob request. */
export function blobError(status: number, body: string, digest: string): EngineError {
  const e = registryErrorOf(body);
  if (e) return new EngineError(e.code === 'BLOB_UNKNOWN' ? 'NotFound' : 'System', `error pulling ${digest}: ${errcodeText(e)}`);
  return new EngineError('System', `error pulling ${digest}: received unexpected HTTP status: ${status} ${STATUS_TEXT[status] ?? ''}`.trim());
}

/** The error of a failed push request (a blob upload, a mount, the manifest), in dockerd's words. */
export function pushError(status: number, body: string): EngineError {
  const e = registryErrorOf(body);
  if (e) return new EngineError(e.code === 'DENIED' || e.code === 'UNAUTHORIZED' ? 'Forbidden' : 'System', errcodeText(e));
  // As the distribution client: a 401 without an error body (a HEAD) is errcode UNAUTHORIZED.
  if (status === 401) return new EngineError('Unauthorized', 'unauthorized: authentication required');
  return new EngineError('System', `received unexpected HTTP status: ${status} ${STATUS_TEXT[status] ?? ''}`.trim());
}
