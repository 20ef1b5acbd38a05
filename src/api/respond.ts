/** Small helpers to answer a request the way dockerd does. */
import type { ServerResponse } from 'node:http';

/** Sends a JSON body with the given status. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body) + '\n';
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** 204 No Content. */
export function sendNoContent(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}

/** Starts a chunked JSON message stream (build, load, import, events). */
export function startJsonStream(res: ServerResponse): (obj: unknown) => void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  return (obj: unknown) => {
    if (!res.writableEnded) res.write(JSON.stringify(obj) + '\r\n');
  };
}

/** Parses a query boolean the way dockerd does: false only for '', 0, no, false, none. */
export function queryBool(value: string | null | undefined): boolean {
  if (value === null || value === undefined) return false;
  return !['', '0', 'no', 'false', 'none'].includes(value.toLowerCase());
}
