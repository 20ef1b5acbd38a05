/** Engine API routes for the daemon itself: _ping, version, info, events. */
import os from 'node:os';
import type { Route } from '../route.js';
import { sendJson } from '../respond.js';
import { API_VERSION, MIN_API_VERSION } from '../router.js';
import type { EventBus } from '../../engine/events/event-bus.js';

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
        c.res.writeHead(200, { 'Content-Type': 'application/json' });
        c.res.flushHeaders();
        const unsubscribe = b.events.subscribe((e) => c.res.write(JSON.stringify(e) + '\n'), c.query.get('filters'));
        c.res.on('close', unsubscribe);
        await new Promise<void>((r) => c.res.on('close', () => r()));
      },
    },
  ];
}
