import { test } from 'node:test';
import assert from 'node:assert/strict';
import { killResumes, nodeSignal, normaliseSignal, signalNumber } from './signals.js';

test('normaliseSignal gives runc its forms', () => {
  assert.equal(normaliseSignal('SIGTERM'), 'TERM');
  assert.equal(normaliseSignal(' kill '), 'KILL');
  assert.equal(normaliseSignal('15'), '15');
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

test('signalNumber: names and numbers alike', () => {
  assert.equal(signalNumber('SIGKILL'), 9);
  assert.equal(signalNumber('term'), 15);
  assert.equal(signalNumber('15'), 15);
  assert.equal(signalNumber('NOPE'), undefined);
});

test('killing a paused container resumes it as Docker 20.10 does', () => {
  assert.equal(killResumes(false, undefined, 'KILL'), false);
  assert.equal(killResumes(true, undefined, 'KILL'), true);
  assert.equal(killResumes(true, undefined, 'HUP'), true); // no stop signal of its own
  assert.equal(killResumes(true, 'SIGUSR1', 'KILL'), true);
  assert.equal(killResumes(true, 'SIGUSR1', '10'), true); // its stop signal, by number
  assert.equal(killResumes(true, 'SIGUSR1', 'HUP'), false);
});
