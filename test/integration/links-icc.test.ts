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

test('link edge cases as Docker 20.10 handles them', () => {
  d.docker(['run', '-d', '--name', 'edge-a', '--expose', '80', 'busybox:latest', 'sleep', '60']);
  d.docker(['run', '-d', '--name', 'edge-b', '--expose', '81', 'busybox:latest', 'sleep', '60']);
  const idA = d.docker(['inspect', '-f', '{{.Id}}', 'edge-a']).stdout.trim();
  // two sources under one alias: the first wins
  assert.match(d.docker(['run', '--rm', '--link', 'edge-a:x', '--link', 'edge-b:x', 'busybox:latest', 'sh', '-c', 'env | grep ^X_PORT=']).stdout, /:80\n$/);
  // one source under two aliases; an alias with dots and dashes; a link by id prefix
  const out = d.docker(['run', '--rm', '--link', 'edge-a:one', '--link', 'edge-a:two', '--link', `${idA.slice(0, 12)}:my.db-1`, 'busybox:latest', 'sh', '-c', 'grep -E "one|two|my.db-1" /etc/hosts | cut -f2']).stdout;
  assert.deepEqual(out.split('\n').filter(Boolean).sort(), [`my.db-1 ${idA.slice(0, 12)} edge-a`, `one ${idA.slice(0, 12)} edge-a`, `two ${idA.slice(0, 12)} edge-a`]);
  d.docker(['run', '-d', '--name', 'edge-r', '--link', 'edge-a:one', '--link', 'edge-a:two', 'busybox:latest', 'sleep', '60']);
  assert.equal(d.docker(['inspect', '-f', '{{json .HostConfig.Links}}', 'edge-r']).stdout.trim(), '["/edge-a:/edge-r/one","/edge-a:/edge-r/two"]');
  assert.equal(d.docker(['rm', '--link', '/edge-r/one']).code, 0);
  assert.equal(d.docker(['inspect', '-f', '{{json .HostConfig.Links}}', 'edge-r']).stdout.trim(), '["/edge-a:/edge-r/two"]');
  assert.match(d.docker(['rm', '--link', '/edge-r/nosuch']).stderr, /No such container: edge-r\/nosuch/);
  assert.match(d.docker(['rm', '--link', 'edge-a']).stderr, /Conflict, cannot remove the default link name of the container/);
  // a link survives a restart of the recipient
  d.docker(['restart', '-t', '0', 'edge-r']);
  assert.match(d.docker(['exec', 'edge-r', 'cat', '/etc/hosts']).stdout, /\ttwo [0-9a-f]{12} edge-a\n/);
  d.docker(['rm', '-f', 'edge-a', 'edge-b', 'edge-r']);
});
