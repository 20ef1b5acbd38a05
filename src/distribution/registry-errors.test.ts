import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blobError, manifestError, pushError } from './registry-errors.js';

const body = (code: string, message: string) => JSON.stringify({ errors: [{ code, message, detail: {} }] });

test('words a failed manifest request as dockerd does', () => {
  const e = manifestError(404, body('MANIFEST_UNKNOWN', 'manifest unknown'), { name: '127.0.0.1:5000/cf-nosuch', ref: '127.0.0.1:5000/cf-nosuch:1' });
  assert.equal(e.message, 'manifest for 127.0.0.1:5000/cf-nosuch:1 not found: manifest unknown: manifest unknown');
  assert.equal(e.kind, 'NotFound');
  assert.equal(manifestError(401, body('UNAUTHORIZED', 'authentication required'), { name: 'r', ref: 'r:1' }).message,
    "pull access denied for r, repository does not exist or may require 'docker login': unauthorized: authentication required");
  assert.equal(manifestError(500, 'oops', { name: 'r', ref: 'r:1' }).message, 'received unexpected HTTP status: 500 Internal Server Error');
});

test('words a failed blob request', () => {
  assert.equal(blobError(404, body('BLOB_UNKNOWN', 'blob unknown to registry'), 'sha256:x').message, 'error pulling sha256:x: blob unknown: blob unknown to registry');
});

test('push errors: the registry\'s error body in errcode words; a bare 401 is unauthorized', () => {
  assert.equal(pushError(403, '{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}').message, 'denied: requested access to the resource is denied');
  assert.equal(pushError(401, '').message, 'unauthorized: authentication required');
  assert.equal(pushError(500, '').message, 'received unexpected HTTP status: 500 Internal Server Error');
});
