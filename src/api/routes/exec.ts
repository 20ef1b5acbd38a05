/** Engine API routes for exec sessions. */
import type { Route } from '../route.js';
import { sendJson } from '../respond.js';
import { writeUpgradeHead } from '../server.js';
import type { ExecService, ExecConfig } from '../../engine/containers/exec-service.js';

export function execRoutes(execs: ExecService): Route[] {
  return [
    {
      method: 'POST', path: '/containers/:id/exec',
      handler: async (c) => sendJson(c.res, 201, execs.create(c.params.id!, await c.json<ExecConfig>())),
    },
    { method: 'GET', path: '/exec/:id/json', handler: async (c) => sendJson(c.res, 200, execs.inspect(c.params.id!)) },
    {
      method: 'POST', path: '/exec/:id/resize',
      handler: async (c) => {
        c.res.writeHead(200, { 'Content-Length': 0 });
        c.res.end();
      },
    },
    {
      method: 'POST', path: '/exec/:id/start',
      handler: async (c) => {
        const body = await c.json<{ Detach?: boolean; Tty?: boolean }>({});
        await execs.start(c.params.id!, { detach: true });
        void body;
        c.res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 0 });
        c.res.end();
      },
      upgrade: async (c) => {
        const body = await c.json<{ Detach?: boolean; Tty?: boolean }>({});
        await execs.start(c.params.id!, { detach: !!body.Detach }, {
          socket: c.socket,
          head: Buffer.alloc(0),
          onReady: () => writeUpgradeHead(c.socket, !!body.Tty),
        });
        if (body.Detach) c.socket.end();
      },
    },
  ];
}
