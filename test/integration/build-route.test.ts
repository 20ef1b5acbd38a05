/**
 * POST /build end to end over a unix socket: a real context tar (GNU tar, plain and gzip), the
 * real route, extractor and builder, with recording fake engine services instead of containers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createApiServer } from '../../src/api/server.js';
import { buildRoutes } from '../../src/api/routes/build.js';
import { build } from '../../src/engine/build/builder.js';
import { createFakeBuildDeps } from '../../src/engine/build/fake-build-deps.js';

interface Reply {
  status: number;
  type: string | undefined;
  body: string;
}

function post(socketPath: string, url: string, body: Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, path: url, method: 'POST', headers: { 'Content-Type': 'application/x-tar' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'], body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const messages = (body: string) => body.split('\r\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

test('POST /build streams the classic builder output', async (t) => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-build-route-'));
  t.after(() => fs.rm(root, { recursive: true, force: true }));
  const ctxDir = path.join(root, 'ctx');
  await fs.mkdir(ctxDir);
  await fs.writeFile(path.join(ctxDir, 'Dockerfile'), 'FROM busybox:latest\nCOPY start.sh /start.sh\nENTRYPOINT ["/bin/sh", "/start.sh"]\n');
  await fs.writeFile(path.join(ctxDir, 'start.sh'), 'echo hi\n');
  const tar = execFileSync('tar', ['-C', ctxDir, '-cf', '-', '.']);

  const deps = createFakeBuildDeps({ 'busybox:latest': { Cmd: ['sh'] } });
  t.after(() => deps.cleanup());
  const server = createApiServer({
    routes: buildRoutes({ build: (opts, emit) => build(opts, deps, emit), contextTempRoot: path.join(root, 'tmp') }),
  });
  const socketPath = path.join(root, 'api.sock');
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const ok = await post(socketPath, '/v1.41/build?dockerfile=Dockerfile&forcerm=1&t=cf-apache2&version=1', tar);
  assert.equal(ok.status, 200);
  assert.equal(ok.type, 'application/json');
  const streams = messages(ok.body).map((m) => m.stream ?? JSON.stringify(m));
  assert.deepEqual(streams.filter((x) => String(x).startsWith('Step ')), [
    'Step 1/3 : FROM busybox:latest', 'Step 2/3 : COPY start.sh /start.sh', 'Step 3/3 : ENTRYPOINT ["/bin/sh", "/start.sh"]',
  ]);
  assert.equal(streams.at(-1), 'Successfully tagged cf-apache2:latest\n');
  assert.deepEqual(await fs.readdir(path.join(root, 'tmp')), [], 'the context directory is removed');

  const quiet = await post(socketPath, '/v1.41/build?q=1&t=cf-apache2', gzipSync(tar));
  assert.equal(quiet.status, 200);
  assert.deepEqual(messages(quiet.body).map((m) => m.stream), [`${deps.tags.get('cf-apache2:latest')}\n`]);

  await fs.writeFile(path.join(ctxDir, 'Dockerfile'), 'FROM busybox:latest\nFOO bar\n');
  const bad = await post(socketPath, '/v1.41/build?t=x', execFileSync('tar', ['-C', ctxDir, '-cf', '-', 'Dockerfile']));
  assert.deepEqual([bad.status, JSON.parse(bad.body)], [400, { message: 'dockerfile parse error line 2: unknown instruction: FOO' }]);

  const remote = await post(socketPath, '/v1.41/build?remote=https://example.com/repo.git', Buffer.alloc(0));
  assert.equal(remote.status, 501);
  const args = await post(socketPath, '/v1.41/build?buildargs=notjson', tar);
  assert.equal(args.status, 400);
  assert.match(JSON.parse(args.body).message, /^error reading build args: /);
});
