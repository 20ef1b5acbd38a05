import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseReference, parseReference } from './reference.js';

test('normalises like Docker', () => {
  assert.equal(normaliseReference('busybox'), 'busybox:latest');
  assert.equal(normaliseReference('docker.io/library/busybox:1.35'), 'busybox:1.35');
  assert.equal(normaliseReference('localhost:5000/team/app:v2'), 'localhost:5000/team/app:v2');
  assert.equal(normaliseReference('cf-portex'), 'cf-portex:latest');
  assert.deepEqual(parseReference('a/b@sha256:' + 'a'.repeat(64)), { repo: 'a/b', tag: 'latest', digest: 'sha256:' + 'a'.repeat(64) });
});

test('rejects bad references', () => {
  assert.throws(() => parseReference('UPPER'), /must be lowercase/);
  assert.throws(() => parseReference('a:b:c'), /invalid reference format/);
  assert.throws(() => parseReference(''), /invalid reference format/);
  assert.throws(() => parseReference('x'.repeat(300)), /invalid reference format/);
});
