/**
 * Container endpoints of the Engine API, one function per endpoint. Paths take what the user
 * typed (name, id or id prefix); the daemon resolves it.
 */
import type http from 'node:http';
import type { EngineClient, HijackedStream } from './engine-client.js';

/** `GET /containers/json` element (the fields the CLI reads). */
export interface ContainerSummary {
  Id: string;
  Names: string[] | null;
  Image: string;
  ImageID?: string;
  Command: string;
  Created: number;
  Ports: { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }[] | null;
  Labels: Record<string, string> | null;
  State: string;
  Status: string;
  SizeRw?: number;
  SizeRootFs?: number;
  Mounts?: { Name?: string; Source?: string; Destination?: string }[] | null;
  NetworkSettings?: { Networks?: Record<string, unknown> | null } | null;
  [key: string]: unknown;
}

/** `GET /containers/{id}/json`, loosely typed: the CLI reads a few fields and templates the rest. */
export type ContainerInspect = Record<string, unknown> & {
  Id: string;
  Name: string;
  State: { Status: string; Running: boolean; Paused?: boolean; ExitCode: number; [k: string]: unknown };
  Config: { Tty: boolean; OpenStdin: boolean; [k: string]: unknown };
  NetworkSettings?: { Ports?: Record<string, { HostIp: string; HostPort: string }[] | null> | null };
};

/** `POST /containers/{id}/wait` answer. */
export interface WaitResult {
  StatusCode: number;
  Error?: { Message: string } | null;
}

const enc = encodeURIComponent;

/** POST /containers/create?name= */
export function createContainer(c: EngineClient, body: unknown, name?: string) {
  return c.json<{ Id: string; Warnings: string[] | null }>('POST', '/containers/create', {
    query: { name: name || undefined },
    body,
  });
}

/** POST /containers/{id}/start */
export async function startContainer(c: EngineClient, id: string): Promise<void> {
  await c.request('POST', `/containers/${enc(id)}/start`);
}

/** POST /containers/{id}/stop?t= */
export async function stopContainer(c: EngineClient, id: string, timeout?: number): Promise<void> {
  await c.request('POST', `/containers/${enc(id)}/stop`, { query: { t: timeout } });
}

/** POST /containers/{id}/restart?t= */
export async function restartContainer(c: EngineClient, id: string, timeout?: number): Promise<void> {
  await c.request('POST', `/containers/${enc(id)}/restart`, { query: { t: timeout } });
}

/** POST /containers/{id}/kill?signal= */
export async function killContainer(c: EngineClient, id: string, signal?: string): Promise<void> {
  await c.request('POST', `/containers/${enc(id)}/kill`, { query: { signal: signal || undefined } });
}

/** POST /containers/{id}/pause or /unpause */
export async function pauseContainer(c: EngineClient, id: string, pause: boolean): Promise<void> {
  await c.request('POST', `/containers/${enc(id)}/${pause ? 'pause' : 'unpause'}`);
}

/** POST /containers/{id}/rename?name= */
export async function renameContainer(c: EngineClient, id: string, name: string): Promise<void> {
  await c.request('POST', `/containers/${enc(id)}/rename`, { query: { name } });
}

/** DELETE /containers/{id}?v=&force=&link= (a link name keeps its inner slash). */
export async function removeContainer(
  c: EngineClient,
  id: string,
  opts: { volumes?: boolean; force?: boolean; link?: boolean },
): Promise<void> {
  const path = opts.link ? id.replace(/^\//, '').split('/').map(enc).join('/') : enc(id);
  await c.request('DELETE', `/containers/${path}`, {
    query: { v: opts.volumes ? 1 : undefined, force: opts.force ? 1 : undefined, link: opts.link ? 1 : undefined },
  });
}

/** POST /containers/{id}/wait?condition= : resolves when the condition is met. */
export async function waitContainer(c: EngineClient, id: string, condition?: string): Promise<() => Promise<WaitResult>> {
  const res = await c.stream('POST', `/containers/${enc(id)}/wait`, { query: { condition } });
  const body = readJsonBody<WaitResult>(res);
  return () => body;
}

function readJsonBody<T>(res: http.IncomingMessage): Promise<T> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (d: Buffer) => chunks.push(d));
    res.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as T);
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
    res.on('error', reject);
  });
}

/** GET /containers/json?all=&limit=&filters=&size= */
export function listContainers(
  c: EngineClient,
  opts: { all?: boolean; limit?: number; size?: boolean; filters?: Record<string, Record<string, boolean>> },
): Promise<ContainerSummary[]> {
  const filters = opts.filters && Object.keys(opts.filters).length ? JSON.stringify(opts.filters) : undefined;
  return c.json<ContainerSummary[]>('GET', '/containers/json', {
    query: {
      all: opts.all ? 1 : undefined,
      limit: opts.limit && opts.limit > 0 ? opts.limit : undefined,
      size: opts.size ? 1 : undefined,
      filters,
    },
  });
}

/** GET /containers/{id}/json */
export function inspectContainer(c: EngineClient, id: string): Promise<ContainerInspect> {
  return c.json<ContainerInspect>('GET', `/containers/${enc(id)}/json`);
}

/** GET /containers/{id}/top?ps_args= */
export function topContainer(c: EngineClient, id: string, psArgs?: string) {
  return c.json<{ Titles: string[]; Processes: string[][] }>('GET', `/containers/${enc(id)}/top`, {
    query: { ps_args: psArgs || undefined },
  });
}

/** GET /containers/{id}/logs as a stream (frames unless the container has a TTY). */
export function containerLogs(
  c: EngineClient,
  id: string,
  opts: { follow?: boolean; timestamps?: boolean; tail?: string; since?: string; until?: string; details?: boolean },
): Promise<http.IncomingMessage> {
  return c.stream('GET', `/containers/${enc(id)}/logs`, {
    query: {
      stdout: 1,
      stderr: 1,
      follow: opts.follow ? 1 : undefined,
      timestamps: opts.timestamps ? 1 : undefined,
      tail: opts.tail ?? 'all',
      since: opts.since || undefined,
      until: opts.until || undefined,
      details: opts.details ? 1 : undefined,
    },
  });
}

/** POST /containers/{id}/attach with `Upgrade: tcp`. */
export function attachContainer(
  c: EngineClient,
  id: string,
  opts: { stdin: boolean; stdout: boolean; stderr: boolean; logs?: boolean; detachKeys?: string },
): Promise<HijackedStream> {
  return c.hijack('POST', `/containers/${enc(id)}/attach`, {
    query: {
      stream: 1,
      stdin: opts.stdin ? 1 : undefined,
      stdout: opts.stdout ? 1 : undefined,
      stderr: opts.stderr ? 1 : undefined,
      logs: opts.logs ? 1 : undefined,
      detachKeys: opts.detachKeys,
    },
    headers: { 'Content-Type': 'text/plain' },
  });
}

/** POST /containers/{id}/resize?h=&w= (errors are ignored by callers: resize is best effort). */
export async function resizeContainer(c: EngineClient, id: string, height: number, width: number): Promise<void> {
  await c.request('POST', `/containers/${enc(id)}/resize`, { query: { h: height, w: width } });
}

/** POST /containers/{id}/exec */
export function createExec(c: EngineClient, id: string, body: unknown) {
  return c.json<{ Id: string }>('POST', `/containers/${enc(id)}/exec`, { body });
}

/** POST /exec/{id}/start: hijacked unless detached. */
export function startExecAttached(c: EngineClient, execId: string, tty: boolean): Promise<HijackedStream> {
  return c.hijack('POST', `/exec/${enc(execId)}/start`, {
    body: { Detach: false, Tty: tty },
    headers: { 'Content-Type': 'application/json' },
  });
}

/** POST /exec/{id}/start with Detach: true. */
export async function startExecDetached(c: EngineClient, execId: string, tty: boolean): Promise<void> {
  await c.request('POST', `/exec/${enc(execId)}/start`, { body: { Detach: true, Tty: tty } });
}

/** GET /exec/{id}/json */
export function inspectExec(c: EngineClient, execId: string) {
  return c.json<{ ExitCode: number | null; Running: boolean; ContainerID?: string }>('GET', `/exec/${enc(execId)}/json`);
}

/** POST /exec/{id}/resize?h=&w= */
export async function resizeExec(c: EngineClient, execId: string, height: number, width: number): Promise<void> {
  await c.request('POST', `/exec/${enc(execId)}/resize`, { query: { h: height, w: width } });
}
