import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runcMessage } from './conmon-launcher.js';

test('runcMessage keeps the message of runc log lines', () => {
  assert.equal(
    runcMessage('time="2026-11-22T11:05:24Z" level=error msg="runc create failed: unable to start container process: exec: \\"x\\": executable file not found in $PATH"\n'),
    'runc create failed: unable to start container process: exec: "x": executable file not found in $PATH',
  );
  assert.equal(runcMessage('plain failure\n'), 'plain failure');
});
