/**
 * A created container's conmon waits for the start only so long: one never started (a data
 * volume container, say) is sent off and leaves no process behind.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestDaemon, conmonsOf, until } from './daemon-harness.js';

process.env.WHARF_CONMON_WAIT_MS = '700';
const d = new TestDaemon();

before(async () => {
  await d.start();
  d.importBusybox();
});

after(async () => {
  await d.stop();
});

test('a conmon started at create goes once it has waited long enough; a later start still works', async () => {
  const id = d.docker(['create', '-v', '/data', '--name', 'it-data', 'busybox:latest', 'sh', '-c', 'echo late start']).stdout.trim();
  assert.ok(await until(() => conmonsOf(id).length === 1), 'conmon started at create');
  assert.ok(await until(() => conmonsOf(id).length === 0, 5000), 'and sent off after its wait');
  assert.equal(d.docker(['start', '-a', 'it-data']).stdout, 'late start\n');
  d.docker(['rm', '-v', 'it-data']);
});
