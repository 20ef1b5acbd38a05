import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chainIdsOf, sha256Digest } from './digest.js';

test('sha256 digests and chain ids as the OCI image spec defines them', () => {
  assert.equal(sha256Digest(''), 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  const a = sha256Digest('a');
  const b = sha256Digest('b');
  assert.deepEqual(chainIdsOf([a, b]), [a, sha256Digest(`${a} ${b}`)]);
  assert.deepEqual(chainIdsOf([]), []);
});
