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
