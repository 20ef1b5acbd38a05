/**
 * Errors the client reports: a daemon answer with a non-2xx status, and a daemon that cannot be
 * reached. The CLI prints the first as `Error response from daemon: <message>`.
 */

/** The daemon answered with an error status; `message` is the body's `message` (or its text). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** The socket could not be reached (ENOENT, ECONNREFUSED, EACCES...). */
export class ConnectError extends Error {
  override readonly name = 'ConnectError';
  constructor(
    readonly host: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot connect to the Wharf daemon at ${host}. Is the wharf daemon running?`, options);
  }
}

/** Extracts the error message from a daemon error body (JSON `{"message"}` or plain text). */
export function messageFromBody(body: Buffer): string {
  const text = body.toString('utf8');
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (parsed && typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: the daemon sent text/plain
  }
  return text.trim();
}
