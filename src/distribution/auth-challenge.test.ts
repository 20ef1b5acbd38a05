import { test } from 'node:test';
import assert from 'node:assert/strict';
import { basicAuthorization, decodeRegistryAuth, parseChallenges, parseTokenAnswer } from './auth-challenge.js';

test('parses Bearer and Basic challenges', () => {
  assert.deepEqual(parseChallenges(['Bearer realm="https://auth.example/token",service="registry.example",scope="repository:library/busybox:pull"']), [
    { scheme: 'bearer', params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:library/busybox:pull' } },
  ]);
  assert.deepEqual(parseChallenges(['Basic realm="cf \\"registry\\""', 'Bearer realm=x']), [
    { scheme: 'basic', params: { realm: 'cf "registry"' } },
    { scheme: 'bearer', params: { realm: 'x' } },
  ]);
  assert.deepEqual(parseChallenges(['Basic realm="a", Bearer realm="b",service="s"']), [
    { scheme: 'basic', params: { realm: 'a' } },
    { scheme: 'bearer', params: { realm: 'b', service: 's' } },
  ]);
});

test('reads token answers with their lifetime', () => {
  assert.deepEqual(parseTokenAnswer('{"token":"t","expires_in":300}', 1000), { token: 't', expiresAtMs: 301_000 });
  assert.deepEqual(parseTokenAnswer('{"access_token":"a"}', 0), { token: 'a', expiresAtMs: 60_000 });
  assert.deepEqual(parseTokenAnswer('{"token":"t","expires_in":10,"issued_at":"1970-01-01T00:00:10Z"}', 0), { token: 't', expiresAtMs: 70_000 });
  assert.throws(() => parseTokenAnswer('{}', 0), /did not include a token/);
});

test('decodes X-Registry-Auth as the docker CLI sends it', () => {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  assert.equal(decodeRegistryAuth('e30='), undefined);
  assert.equal(decodeRegistryAuth(undefined), undefined);
  assert.equal(decodeRegistryAuth('!!'), undefined);
  assert.deepEqual(decodeRegistryAuth(enc({ username: 'u', password: 'p?>', serveraddress: 'h' })), { username: 'u', password: 'p?>' });
  assert.deepEqual(decodeRegistryAuth(enc({ auth: Buffer.from('me:se:cret').toString('base64') })), { username: 'me', password: 'se:cret' });
  assert.equal(basicAuthorization({ username: 'u', password: 'p' }), 'Basic dTpw');
});
