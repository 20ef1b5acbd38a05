import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shouldRestart, restartDelayMs } from './restart-policy.js';

const base = { exitCode: 1, restartCount: 0, manuallyStopped: false, stopping: false };

test('policies', () => {
  assert.equal(shouldRestart({ ...base, policy: { Name: 'no', MaximumRetryCount: 0 } }), false);
  assert.equal(shouldRestart({ ...base, policy: { Name: 'always', MaximumRetryCount: 0 } }), true);
  assert.equal(shouldRestart({ ...base, manuallyStopped: true, policy: { Name: 'always', MaximumRetryCount: 0 } }), false);
  assert.equal(shouldRestart({ ...base, exitCode: 0, policy: { Name: 'on-failure', MaximumRetryCount: 0 } }), false);
  assert.equal(shouldRestart({ ...base, restartCount: 2, policy: { Name: 'on-failure', MaximumRetryCount: 3 } }), true);
  assert.equal(shouldRestart({ ...base, restartCount: 3, policy: { Name: 'on-failure', MaximumRetryCount: 3 } }), false);
});

test('back-off doubles and caps', () => {
  assert.deepEqual([0, 1, 2].map(restartDelayMs), [100, 200, 400]);
  assert.equal(restartDelayMs(30), 60_000);
});
