import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planExecRoot } from './volatile-exec-root.js';

test('an exec root already on a tmpfs is kept as it is, whatever it holds', () => {
  assert.equal(planExecRoot(true, []), 'keep');
  assert.equal(planExecRoot(true, ['runc', 'exits']), 'keep');
});

test('a new or empty exec root on disk gets a tmpfs; one holding state is left alone', () => {
  assert.equal(planExecRoot(false, []), 'mount');
  assert.equal(planExecRoot(false, ['runc']), 'in-use');
  assert.equal(planExecRoot(false, ['gate.sock', 'containers']), 'in-use');
});
