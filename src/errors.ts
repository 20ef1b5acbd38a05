/**
 * The one error type shared by every layer of Wharf.
 *
 * An EngineError carries a `kind` (which the API layer alone maps to an HTTP status) and a
 * message worded as Docker words it, because clients and scripts parse those messages.
 * Adapter failures keep their evidence (command, exit code, stderr) in `cause`.
 */
export type ErrorKind =
  | 'NotFound'
  | 'InvalidParameter'
  | 'Conflict'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotModified'
  | 'NotImplemented'
  | 'Unavailable'
  | 'TooLarge'
  | 'System';

export class EngineError extends Error {
  override readonly name = 'EngineError';
  readonly kind: ErrorKind;

  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
}

/** Builders for the common kinds, so call sites read like the condition they report. */
export const notFound = (message: string, cause?: unknown) => new EngineError('NotFound', message, { cause });
export const invalidParameter = (message: string, cause?: unknown) =>
  new EngineError('InvalidParameter', message, { cause });
export const conflict = (message: string, cause?: unknown) => new EngineError('Conflict', message, { cause });
export const notImplemented = (message: string) => new EngineError('NotImplemented', message);
export const systemError = (message: string, cause?: unknown) => new EngineError('System', message, { cause });
export const notModified = (message = '') => new EngineError('NotModified', message);
/** A request body over the size the API reads into memory (HTTP 413). */
export const tooLarge = (message: string) => new EngineError('TooLarge', message);

/** Finds the first EngineError in a cause chain, or undefined. */
export function findEngineError(err: unknown): EngineError | undefined {
  let cur: unknown = err;
  for (let depth = 0; cur && depth < 16; depth++) {
    if (cur instanceof EngineError) return cur;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True when `err` (or anything in its cause chain) is an EngineError of `kind`. */
export function isKind(err: unknown, kind: ErrorKind): boolean {
  return findEngineError(err)?.kind === kind;
}

/** The message of any thrown value. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
