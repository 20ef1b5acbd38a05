/** --icc=false: containers are isolated except a link recipient reaching its source's exposed ports. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestDaemon } from './daemon-harness.js';

const d = new TestDaemon(['--icc=false']);
before(async () => {
  await d.start();
  d.importBusybox();
});
after(() => d.stop());

const talk = (from: string[], ip: string, port: number) =>
  d.docker(['run', '--rm', ...from, 'busybox:latest', 'sh', '-c', `echo | timeout 3 nc ${ip} ${port}`]).stdout.trim();

test('only the linked recipient reaches the exposed port', () => {
  d.docker(['run', '-d', '--name', 'icc-src', '--expose', '80', 'busybox:latest', 'sh', '-c', 'nc -ll -p 80 -e echo exposed & nc -ll -p 8080 -e echo hidden & wait']);
  const ip = d.docker(['inspect', '-f', '{{.NetworkSettings.IPAddress}}', 'icc-src']).stdout.trim();
  assert.equal(talk(['--link', 'icc-src:src'], ip, 80), 'exposed');
  assert.equal(talk(['--link', 'icc-src:src'], ip, 8080), '');
  assert.equal(talk([], ip, 80), '');
  d.docker(['rm', '-f', 'icc-src']);
});

test('live links: /run/wharf/links/<alias>.env follows the source to its new address', async () => {
  d.docker(['run', '-d', '--name', 'live-src', '--expose', '5432', '-e', 'PG=9.3', 'busybox:latest', 'sleep', '60']);
  d.docker(['run', '-d', '--name', 'live-rcp', '--link', 'live-src:db', 'busybox:latest', 'sleep', '60']);
  const before = d.docker(['inspect', '-f', '{{.NetworkSettings.IPAddress}}', 'live-src']).stdout.trim();
  assert.match(d.docker(['exec', 'live-rcp', 'cat', '/run/wharf/links/db.env']).stdout, new RegExp(`^DB_PORT=tcp://${before.replace(/\./g, '\\.')}:5432\n`));
  d.docker(['run', '-d', '--name', 'live-filler', 'busybox:latest', 'sleep', '60']);
  d.docker(['restart', '-t', '0', 'live-src']);
  const after = d.docker(['inspect', '-f', '{{.NetworkSettings.IPAddress}}', 'live-src']).stdout.trim();
  assert.notEqual(after, before);
  const json = JSON.parse(d.docker(['exec', 'live-rcp', 'cat', '/run/wharf/links/db.json']).stdout);
  assert.equal(json.ip, after);
  assert.ok(json.env.includes('DB_ENV_PG=9.3'));
  // the process environment stays as Docker leaves it
  assert.match(d.docker(['exec', 'live-rcp', 'cat', '/proc/1/environ']).stdout, new RegExp(`DB_PORT=tcp://${before.replace(/\./g, '\\.')}:5432`));
  d.docker(['rm', '-f', 'live-src', 'live-rcp', 'live-filler']);
});
