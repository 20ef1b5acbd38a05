import { test } from 'node:test';
import assert from 'node:assert/strict';
import { digestReferencesToDrop, isDigestReference, referenceKey, repositoryOf } from './image-references.js';

const D = 'sha256:' + 'c'.repeat(64);

test('keys tags and digest references', () => {
  assert.equal(referenceKey('busybox'), 'busybox:latest');
  assert.equal(referenceKey(`127.0.0.1:5000/cf-hello@${D}`), `127.0.0.1:5000/cf-hello@${D}`);
  assert.equal(referenceKey(`127.0.0.1:5000/cf-hello:1.0@${D}`), `127.0.0.1:5000/cf-hello@${D}`);
  assert.equal(isDigestReference(`a@${D}`), true);
  assert.equal(repositoryOf('127.0.0.1:5000/a:1'), '127.0.0.1:5000/a');
  assert.equal(repositoryOf(`127.0.0.1:5000/a@${D}`), '127.0.0.1:5000/a');
});

test('drops the digest references of a repository with its last tag', () => {
  const refs = { 'r:1': 'i', [`r@${D}`]: 'i', 'other:1': 'i', [`other@${D}`]: 'i' };
  const { 'r:1': _gone, ...after } = refs;
  void _gone;
  assert.deepEqual(digestReferencesToDrop(after, 'i', 'r:1'), [`r@${D}`]);
  assert.deepEqual(digestReferencesToDrop({ ...after, 'r:2': 'i' }, 'i', 'r:1'), []);
  assert.deepEqual(digestReferencesToDrop(after, 'i', `r@${D}`), []);
});
