/** The only place that maps error kinds to HTTP statuses (as dockerd's httpstatus does). */
import { findEngineError, type ErrorKind } from '../errors.js';

const STATUS: Record<ErrorKind, number> = {
  NotFound: 404,
  InvalidParameter: 400,
  Conflict: 409,
  Unauthorized: 401,
  Forbidden: 403,
  NotModified: 304,
  NotImplemented: 501,
  Unavailable: 503,
  TooLarge: 413,
  System: 500,
};

/** Status code for any thrown value; unknown errors are 500. */
export function statusOf(err: unknown): number {
  const e = findEngineError(err);
  return e ? STATUS[e.kind] : 500;
}
