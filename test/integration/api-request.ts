/**
 * A raw Engine API request over a test daemon's socket, for tests that send what no client
 * would: the status, the body and whether the connection was reset instead of answered.
 */
import http from 'node:http';

/** One answer, or `reset` when the connection broke before one came. */
export interface RawAnswer {
  status: number;
  text: string;
  reset?: string;
}

/** Sends `body` (a string or bytes; JSON unless `contentType` says otherwise) and reads the answer. */
export function rawRequest(
  sock: string,
  method: string,
  path: string,
  body?: string | Buffer,
  opts: { contentType?: string; headers?: Record<string, string> } = {},
): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (body !== undefined) headers['Content-Type'] = opts.contentType ?? 'application/json';
    const req = http.request({ socketPath: sock, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      res.on('error', (err) => resolve({ status: res.statusCode ?? 0, text: '', reset: err.message }));
    });
    req.on('error', (err) => resolve({ status: 0, text: '', reset: err.message }));
    req.end(body);
  });
}

/** The `message` of an error answer (or the raw text when it is not JSON). */
export function messageOfAnswer(a: RawAnswer): string {
  try {
    return (JSON.parse(a.text) as { message?: string }).message ?? a.text;
  } catch {
    return a.text;
  }
}
