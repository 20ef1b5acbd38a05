/** Engine API routes for the daemon itself: _ping, version, info, events. */
import os from 'node:os';
import type { Route } from '../route.js';
import { sendJson } from '../respond.js';
import { API_VERSION, MIN_API_VERSION } from '../router.js';
import type { EventBus } from '../../engine/events/event-bus.js';
import { invalidParameter } from '../../errors.js';

/** A `since`/`until` query value (unix seconds, maybe fractional) in nanoseconds; 0 when absent. */
export function timeBound(value: string | null, name: string): number {
  if (value === null || value === '') return 0;
  if (!/^\d+(\.\d+)?$/.test(value)) throw invalidParameter(`invalid value for ${name}: ${value}`);
  return Number(value) * 1e9;
}

export const WHARF_VERSION = '0.1.0';

export interface SystemBackend {
  info: () => Record<string, unknown>;
  events: EventBus;
}

export function systemRoutes(b: SystemBackend): Route[] {
  const ping: Route['handler'] = async (c) => {
    c.res.writeHead(200, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-cache, no-store, must-revalidate',
      Pragma: 'no-cache',
      'Content-Length': c.req.method === 'HEAD' ? 0 : 2,
    });
    c.res.end(c.req.method === 'HEAD' ? undefined : 'OK');
  };
  return [
    { method: 'GET', path: '/_ping', handler: ping },
    { method: 'HEAD', path: '/_ping', handler: ping },
    {
      method: 'GET', path: '/version',
      handler: async (c) => {
        const kernel = os.release();
        sendJson(c.res, 200, {
          Platform: { Name: 'Wharf' },
          Components: [{ Name: 'Engine', Version: WHARF_VERSION, Details: { ApiVersion: API_VERSION, MinAPIVersion: MIN_API_VERSION, Os: 'linux', Arch: 'amd64', KernelVersion: kernel, Experimental: 'false', GitCommit: 'wharf', GoVersion: process.version, BuildTime: '' } }],
          Version: WHARF_VERSION, ApiVersion: API_VERSION, MinAPIVersion: MIN_API_VERSION, GitCommit: 'wharf',
          GoVersion: process.version, Os: 'linux', Arch: 'amd64', KernelVersion: kernel, BuildTime: '',
        });
      },
    },
    { method: 'GET', path: '/info', handler: async (c) => sendJson(c.res, 200, b.info()) },
    {
      method: 'GET', path: '/events',
      handler: async (c) => {
        // Docker's bounds: unix seconds with an optional fraction (the CLI turns `10m` into one).
        const since = timeBound(c.query.get('since'), 'since');
        const until = timeBound(c.query.get('until'), 'until');
        if (since && until && until < since) {
          throw invalidParameter(`since time (${c.query.get('since')}) cannot be after until time (${c.query.get('until')})`);
        }
        const filters = c.query.get('filters');
        c.res.writeHead(200, { 'Content-Type': 'application/json' });
        c.res.flushHeaders();
        const write = (e: unknown) => c.res.write(JSON.stringify(e) + '\n');
        const unsubscribe = b.events.subscribe(write, filters);
        for (const e of b.events.history(filters, since, until)) write(e);
        const wait = until ? until / 1e6 - Date.now() : Infinity;
        if (wait <= 0) {
          unsubscribe();
          c.res.end();
          return;
        }
        const timer = Number.isFinite(wait) ? setTimeout(() => c.res.end(), wait) : undefined;
        c.res.on('close', unsubscribe);
        await new Promise<void>((r) => c.res.on('close', () => r()));
        clearTimeout(timer);
      },
    },
  ];
}
