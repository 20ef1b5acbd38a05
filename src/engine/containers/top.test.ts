import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterPsOutput } from './top.js';
import { exitCodeForStartError } from './start-error.js';

test('keeps only the container pids and joins the command column', () => {
  const ps = 'UID PID PPID C STIME TTY TIME CMD\nroot 1 0 0 10:00 ? 00:00:01 /sbin/init\nroot 42 40 0 10:01 ? 00:00:00 sleep 600\n';
  assert.deepEqual(filterPsOutput(ps, [42]), {
    Titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'],
    Processes: [['root', '42', '40', '0', '10:01', '?', '00:00:00', 'sleep 600']],
  });
});

test('start error exit codes', () => {
  assert.equal(exitCodeForStartError('exec: "/no/such": stat /no/such: no such file or directory'), 127);
  assert.equal(exitCodeForStartError('exec: "/etc": permission denied'), 126);
  assert.equal(exitCodeForStartError('something else'), 128);
});
