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

/**
 * Go's wording of a Node system error (`ENOSPC: no space left on device, write` becomes
 * `write /path: no space left on device`, as dockerd's os.PathError reads); undefined for any
 * other value. Docker's messages end with the strerror text, which scripts match.
 */
export function goSystemMessage(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException | null;
  if (!(e instanceof Error) || typeof e.code !== 'string' || typeof e.syscall !== 'string' || typeof e.errno !== 'number') return undefined;
  const head = `${e.code}: `;
  const tail = e.message.lastIndexOf(`, ${e.syscall}`);
  if (!e.message.startsWith(head) || tail < head.length) return undefined;
  const text = e.message.slice(head.length, tail);
  const dest = (e as { dest?: unknown }).dest;
  return `${[e.syscall, e.path, typeof dest === 'string' ? dest : undefined].filter(Boolean).join(' ')}: ${text}`;
}

/** The message of any thrown value (a Node system error in Go's wording, see goSystemMessage). */
export function messageOf(err: unknown): string {
  return goSystemMessage(err) ?? (err instanceof Error ? err.message : String(err));
}
