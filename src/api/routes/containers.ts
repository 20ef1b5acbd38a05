/** Engine API routes for containers: lifecycle, inspect, list, logs, wait, attach. */
import type { ServerResponse } from 'node:http';
import { invalidParameter, isKind } from '../../errors.js';
import type { Route } from '../route.js';
import { sendJson, sendNoContent, queryBool } from '../respond.js';
import { writeUpgradeHead } from '../server.js';
import { frame } from '../stdcopy.js';
import type { ContainerService } from '../../engine/containers/container-service.js';
import type { ContainerQueries } from '../../engine/containers/container-queries.js';
import type { ContainerRunner } from '../../engine/containers/container-runner.js';
import { AttachSession } from '../../engine/containers/attach-hub.js';
import { parseFilters } from '../../engine/containers/list-filter.js';
import { parseK8sLog, parseTimeBound } from '../../engine/containers/log-format.js';
import { tailLog } from '../../engine/containers/log-tail.js';
import type { CreateBody } from '../../engine/containers/create-request.js';
import type { WaitCondition } from '../../engine/containers/waiters.js';

export interface ContainerBackend {
  service: ContainerService;
  queries: ContainerQueries;
  runner: ContainerRunner;
}

function intQuery(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw invalidParameter(`invalid value for ${key}: ${v}`);
  return n;
}

/** 204 when the operation ran, 304 when there was nothing to do (already started or stopped). */
async function answerLifecycle(res: ServerResponse, op: () => Promise<void>): Promise<void> {
  try {
    await op();
  } catch (err) {
    if (!isKind(err, 'NotModified')) throw err;
    res.writeHead(304);
    res.end();
    return;
  }
  sendNoContent(res);
}

export function containerRoutes(b: ContainerBackend): Route[] {
  const { service, queries } = b;
  return [
    {
      method: 'GET', path: '/containers/json',
      handler: async (c) => {
        const limit = intQuery(c.query, 'limit') ?? (queryBool(c.query.get('latest')) ? 1 : 0);
        sendJson(c.res, 200, queries.list({ all: queryBool(c.query.get('all')), limit: limit < 0 ? 0 : limit, filters: parseFilters(c.query.get('filters')) }));
      },
    },
    {
      method: 'POST', path: '/containers/create',
      handler: async (c) => {
        const body = await c.json<CreateBody>();
        sendJson(c.res, 201, await service.create(c.query.get('name') || undefined, body));
      },
    },
    { method: 'GET', path: '/containers/:id/json', handler: async (c) => sendJson(c.res, 200, queries.inspect(c.params.id!)) },
    {
      method: 'POST', path: '/containers/:id/start',
      handler: (c) => answerLifecycle(c.res, () => service.start(c.params.id!)),
    },
    ...(['stop', 'restart'] as const).map((verb): Route => ({
      method: 'POST', path: `/containers/:id/${verb}`,
      handler: (c) => {
        const t = intQuery(c.query, 't');
        return answerLifecycle(c.res, () => (verb === 'stop' ? service.stop(c.params.id!, t) : service.restart(c.params.id!, t)));
      },
    })),
    {
      method: 'POST', path: '/containers/:id/kill',
      handler: async (c) => {
        await service.kill(c.params.id!, c.query.get('signal') || 'KILL');
        sendNoContent(c.res);
      },
    },
    { method: 'POST', path: '/containers/:id/pause', handler: async (c) => (await service.pause(c.params.id!), sendNoContent(c.res)) },
    { method: 'POST', path: '/containers/:id/unpause', handler: async (c) => (await service.unpause(c.params.id!), sendNoContent(c.res)) },
    {
      method: 'POST', path: '/containers/:id/rename',
      handler: async (c) => (await service.rename(c.params.id!, c.query.get('name') ?? ''), sendNoContent(c.res)),
    },
    {
      method: 'POST', path: '/containers/:id/resize',
      handler: async (c) => {
        const rec = service.store.require(c.params.id!);
        await b.runner.resize(rec.id, intQuery(c.query, 'h') ?? 0, intQuery(c.query, 'w') ?? 0);
        c.res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': 0 });
        c.res.end();
      },
    },
    {
      method: 'DELETE', path: '/containers/*id',
      handler: async (c) => {
        await service.remove(c.params.id!, {
          force: queryBool(c.query.get('force')), volumes: queryBool(c.query.get('v')), link: queryBool(c.query.get('link')),
        });
        sendNoContent(c.res);
      },
    },
    {
      method: 'POST', path: '/containers/:id/wait',
      handler: async (c) => {
        const cond = (c.query.get('condition') || 'not-running') as WaitCondition;
        if (!['not-running', 'next-exit', 'removed'].includes(cond)) throw invalidParameter(`invalid condition: ${cond}`);
        const abort = new AbortController();
        service.store.require(c.params.id!); // a 404 must come before the headers
        const resultP = service.wait(c.params.id!, cond, abort.signal);
        c.res.writeHead(200, { 'Content-Type': 'application/json' });
        c.res.flushHeaders();
        c.res.on('close', () => abort.abort());
        const result = await resultP;
        c.res.end(JSON.stringify(result) + '\n');
      },
    },
    {
      method: 'GET', path: '/containers/:id/top',
      handler: async (c) => sendJson(c.res, 200, await queries.top(c.params.id!, c.query.get('ps_args') ?? '')),
    },
    {
      method: 'GET', path: '/containers/:id/logs',
      handler: async (c) => {
        const rec = service.store.require(c.params.id!);
        const stdout = queryBool(c.query.get('stdout'));
        const stderr = queryBool(c.query.get('stderr'));
        if (!stdout && !stderr) throw invalidParameter('Bad parameters: you must choose at least one stream');
        const tailQ = c.query.get('tail');
        const tail = !tailQ || tailQ === 'all' ? 'all' : Number.isInteger(Number(tailQ)) ? Number(tailQ) : 'all';
        const timestamps = queryBool(c.query.get('timestamps'));
        c.res.writeHead(200);
        c.res.flushHeaders();
        const abort = new AbortController();
        c.res.on('close', () => abort.abort());
        await tailLog(b.runner.logPath(rec.id), {
          since: parseTimeBound(c.query.get('since')),
          until: parseTimeBound(c.query.get('until')),
          tail: tail as number | 'all',
          follow: queryBool(c.query.get('follow')),
          isRunning: () => !!service.store.get(rec.id)?.state.Running,
          signal: abort.signal,
          onRecord: (r) => {
            if ((r.stream === 'stdout' && !stdout) || (r.stream === 'stderr' && !stderr)) return;
            const payload = Buffer.from(timestamps ? `${r.time} ${r.data}` : r.data);
            c.res.write(rec.config.Tty ? payload : frame(r.stream === 'stdout' ? 1 : 2, payload));
          },
        });
        c.res.end();
      },
    },
    {
      method: 'POST', path: '/containers/:id/attach',
      handler: async () => {
        throw invalidParameter('attach needs an upgraded connection (Upgrade: tcp)');
      },
      upgrade: async (c) => {
        const rec = service.store.require(c.params.id!);
        const opts = {
          stdin: queryBool(c.query.get('stdin')) && rec.config.OpenStdin,
          stdout: queryBool(c.query.get('stdout')),
          stderr: queryBool(c.query.get('stderr')),
          tty: rec.config.Tty,
        };
        writeUpgradeHead(c.socket, rec.config.Tty);
        const session = new AttachSession(c.socket, opts, c.head);
        if (queryBool(c.query.get('logs'))) {
          const fs = await import('node:fs/promises');
          const text = await fs.readFile(b.runner.logPath(rec.id), 'utf8').catch(() => '');
          for (const r of parseK8sLog(text)) session.send(r.stream, Buffer.from(r.data));
        }
        if (!queryBool(c.query.get('stream'))) return session.finish();
        if (rec.state.Running) await session.connect(b.runner.attachSocketPath(rec.id)).catch(() => session.finish());
        else service.hub.addPending(rec.id, session);
      },
    },
  ];
}
