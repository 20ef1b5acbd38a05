import { test } from 'node:test';
import assert from 'node:assert/strict';
import { familiarString, parseNormalizedReference, pullReference } from './reference.js';

const D = 'sha256:' + 'ab'.repeat(32);

test('qualifies references as Docker does', () => {
  assert.deepEqual(parseNormalizedReference('busybox'), { domain: 'docker.io', path: 'library/busybox' });
  assert.deepEqual(parseNormalizedReference('user/app:1'), { domain: 'docker.io', path: 'user/app', tag: '1' });
  assert.deepEqual(parseNormalizedReference('127.0.0.1:5000/cf-hello:1.0'), { domain: '127.0.0.1:5000', path: 'cf-hello', tag: '1.0' });
  assert.deepEqual(parseNormalizedReference('localhost/a/b'), { domain: 'localhost', path: 'a/b' });
  assert.deepEqual(parseNormalizedReference(`h:1/r@${D}`), { domain: 'h:1', path: 'r', digest: D });
  assert.deepEqual(parseNormalizedReference(`h:1/r:t@${D}`), { domain: 'h:1', path: 'r', tag: 't', digest: D });
  assert.deepEqual(parseNormalizedReference('index.docker.io/library/busybox'), { domain: 'docker.io', path: 'library/busybox' });
});

test('shows references in the familiar form', () => {
  assert.equal(familiarString(pullReference('busybox', '')), 'busybox:latest');
  assert.equal(familiarString(pullReference('docker.io/user/app', 'v1')), 'user/app:v1');
  assert.equal(familiarString(pullReference('127.0.0.1:5000/cf-hello', '')), '127.0.0.1:5000/cf-hello:latest');
  assert.equal(familiarString(pullReference(`127.0.0.1:5000/cf-hello@${D}`, '')), `127.0.0.1:5000/cf-hello@${D}`);
  assert.equal(familiarString(pullReference('127.0.0.1:5000/cf-hello', D)), `127.0.0.1:5000/cf-hello@${D}`);
});

test('refuses bad references in Docker words', () => {
  assert.throws(() => parseNormalizedReference('127.0.0.1:5000/CF-Hello'), { message: 'invalid reference format: repository name must be lowercase' });
  assert.throws(() => parseNormalizedReference('127.0.0.1:5000/cf-hello:bad:tag'), { message: 'invalid reference format' });
  assert.throws(() => parseNormalizedReference('127.0.0.1:5000/cf-hello@sha256:abc'), { message: 'invalid reference format' });
  assert.throws(() => parseNormalizedReference('127.0.0.1:5000//cf-hello:1'), { message: 'invalid reference format' });
  assert.throws(() => parseNormalizedReference('a'.repeat(64)), /cannot specify 64-byte hexadecimal strings/);
  assert.throws(() => pullReference('127.0.0.1:5000/cf-hello', 'bad:tag'), { message: 'invalid tag format' });
  assert.throws(() => parseNormalizedReference('UPPER'), { message: 'invalid reference format: repository name must be lowercase' });
});
