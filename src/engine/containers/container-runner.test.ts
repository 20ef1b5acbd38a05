import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeSignal, runcMessage } from './container-runner.js';

test('runcMessage keeps the message of runc log lines', () => {
  assert.equal(
    runcMessage('time="2026-11-22T11:05:24Z" level=error msg="runc create failed: unable to start container process: exec: \\"x\\": executable file not found in $PATH"\n'),
    'runc create failed: unable to start container process: exec: "x": executable file not found in $PATH',
  );
  assert.equal(runcMessage('plain failure\n'), 'plain failure');
});

test('nodeSignal takes the signal forms runc takes and refuses unknown ones', () => {
  assert.equal(nodeSignal('KILL'), 'SIGKILL');
  assert.equal(nodeSignal('SIGTERM'), 'SIGTERM');
  assert.equal(nodeSignal('hup'), 'SIGHUP');
  assert.equal(nodeSignal('9'), 9);
  assert.equal(nodeSignal('0'), undefined);
  assert.equal(nodeSignal('65'), undefined);
  assert.equal(nodeSignal('NOPE'), undefined);
});
