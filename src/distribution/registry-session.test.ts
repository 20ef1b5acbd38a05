import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { systemError } from '../errors.js';
import type { HttpRequest, HttpResponse, HttpTransport } from './http-transport.js';
import { RegistrySession, TokenCache, readBody, type RegistryDeps } from './registry-session.js';
import { login, loginDomain } from './registry-login.js';

/** A transport answering from a table; it records every request. */
function fakeTransport(answer: (req: HttpRequest) => Partial<HttpResponse> & { text?: string }, addresses: string[] = ['127.0.0.1']) {
  const seen: HttpRequest[] = [];
  const transport: HttpTransport = {
    request: async (req) => {
      seen.push(req);
      const a = answer(req);
      return { status: a.status ?? 200, headers: a.headers ?? {}, body: Readable.from([Buffer.from(a.text ?? '')]) };
    },
    resolve: async () => addresses,
  };
  return { transport, seen };
}

const deps = (transport: HttpTransport, tokens = new TokenCache(), now = () => 1000): RegistryDeps => ({ transport, tokens, now, insecureRegistries: [] });

test('Bearer: an anonymous token for the pull scope, cached across sessions until it expires', async () => {
  const { transport, seen } = fakeTransport((req) => {
    if (req.url.pathname === '/v2/') return { status: 401, headers: { 'www-authenticate': 'Bearer realm="https://auth.test/token",service="reg.test"' } };
    if (req.url.host === 'auth.test') return { text: '{"token":"T1","expires_in":120}' };
    return { text: req.headers?.Authorization ?? 'none' };
  }, ['10.0.0.1']);
  const tokens = new TokenCache();
  let now = 1000;
  for (let i = 0; i < 2; i++) {
    const s = new RegistrySession(deps(transport, tokens, () => now), 'reg.test', 'team/app', undefined);
    assert.equal((await readBody(await s.get('manifests/1', 'x'))).toString(), 'Bearer T1');
  }
  const tokenRequests = seen.filter((r) => r.url.host === 'auth.test');
  assert.equal(tokenRequests.length, 1);
  assert.equal(tokenRequests[0]!.url.href, 'https://auth.test/token?service=reg.test&scope=repository%3Ateam%2Fapp%3Apull');
  assert.equal(tokenRequests[0]!.headers?.Authorization, undefined);
  assert.equal(seen[0]!.insecureTls, false, 'a registry outside 127.0.0.0/8 is verified');
  now += 121_000;
  await new RegistrySession(deps(transport, tokens, () => now), 'reg.test', 'team/app', undefined).get('manifests/1', 'x');
  assert.equal(seen.filter((r) => r.url.host === 'auth.test').length, 2, 'an expired token is fetched again');
});

test('Bearer with credentials sends them to the token server; Basic sends them to the registry', async () => {
  const { transport, seen } = fakeTransport((req) => {
    if (req.url.pathname === '/v2/') return { status: 401, headers: { 'www-authenticate': 'Bearer realm="http://auth.test/t"' } };
    if (req.url.host === 'auth.test') return { text: '{"access_token":"A"}' };
    return {};
  });
  await new RegistrySession(deps(transport), 'reg.test:5000', 'app', { username: 'u', password: 'p' }).get('blobs/sha256:x', undefined);
  assert.equal(seen.find((r) => r.url.host === 'auth.test')!.headers?.Authorization, 'Basic dTpw');
  assert.equal(seen.at(-1)!.headers?.Authorization, 'Bearer A');

  const basic = fakeTransport((req) => (req.url.pathname === '/v2/' ? { status: 401, headers: { 'www-authenticate': 'Basic realm="r"' } } : {}));
  await new RegistrySession(deps(basic.transport), '127.0.0.1:5000', 'app', { username: 'u', password: 'p' }).get('manifests/1', undefined);
  assert.equal(basic.seen.at(-1)!.headers?.Authorization, 'Basic dTpw');
  await assert.rejects(new RegistrySession(deps(basic.transport), '127.0.0.1:5000', 'app', undefined).get('manifests/1', undefined), {
    message: 'Head "https://127.0.0.1:5000/v2/app/manifests/1": no basic auth credentials',
  });
});

test('an insecure registry: https without verification, then http; the last failure is reported', async () => {
  const { transport, seen } = fakeTransport((req) => {
    if (req.url.protocol === 'https:') throw systemError(`Get "${req.url.href}": http: server gave HTTP response to HTTPS client`);
    return {};
  });
  const s = new RegistrySession(deps(transport), '127.0.0.1:5000', 'app', undefined);
  await s.connect();
  assert.deepEqual(seen.map((r) => [r.url.href, r.insecureTls]), [['https://127.0.0.1:5000/v2/', true], ['http://127.0.0.1:5000/v2/', true]]);
  const down = fakeTransport((req) => {
    throw systemError(`Get "${req.url.href}": refused`);
  });
  await assert.rejects(new RegistrySession(deps(down.transport), '127.0.0.1:5000', 'app', undefined).connect(), { message: 'Get "http://127.0.0.1:5000/v2/": refused' });
});

test('redirects are followed, credentials only to the same host', async () => {
  const { transport, seen } = fakeTransport((req) => {
    if (req.url.pathname === '/v2/') return { status: 401, headers: { 'www-authenticate': 'Basic realm="r"' } };
    if (req.url.host === 'cdn.test') return { text: 'blob' };
    return { status: 307, headers: { location: 'https://cdn.test/b' } };
  }, ['10.0.0.1']);
  const res = await new RegistrySession(deps(transport), 'reg.test', 'app', { username: 'u', password: 'p' }).get('blobs/sha256:x', undefined);
  assert.equal((await readBody(res)).toString(), 'blob');
  assert.equal(seen.at(-2)!.headers?.Authorization, 'Basic dTpw');
  assert.equal(seen.at(-1)!.headers?.Authorization, undefined);
});

test('a push session asks the token server for push,pull; a mount adds pull of the source repository', async () => {
  const { transport, seen } = fakeTransport((req) => {
    if (req.url.pathname === '/v2/') return { status: 401, headers: { 'www-authenticate': 'Bearer realm="https://auth.test/token",service="reg.test"' } };
    if (req.url.host === 'auth.test') return { text: '{"token":"P"}' };
    return { status: 201, text: req.headers?.Authorization ?? 'none' };
  }, ['10.0.0.1']);
  const s = new RegistrySession(deps(transport), 'reg.test', 'team/app', { username: 'u', password: 'p' }, ['repository:team/app:push,pull', 'repository:team/base:pull']);
  const res = await s.send('POST', 'blobs/uploads/?mount=sha256:x&from=team/base');
  assert.equal((await readBody(res)).toString(), 'Bearer P');
  const token = seen.find((r) => r.url.host === 'auth.test')!;
  assert.deepEqual(token.url.searchParams.getAll('scope'), ['repository:team/app:push,pull', 'repository:team/base:pull']);
  assert.equal(token.headers?.Authorization, 'Basic ' + Buffer.from('u:p').toString('base64'));
  assert.equal(seen.at(-1)!.method, 'POST');
});

test('login: a wrong Basic password is dockerd\'s "login attempt … failed"; no credentials for Basic is "no basic auth credentials"; Bearer gets a token', async () => {
  const basic = fakeTransport((req) => {
    const ok = req.headers?.Authorization === 'Basic ' + Buffer.from('u:right').toString('base64');
    return ok ? { status: 200 } : { status: 401, headers: { 'www-authenticate': 'Basic realm="r"' } };
  });
  await assert.rejects(login(deps(basic.transport), { username: 'u', password: 'wrong', serveraddress: '127.0.0.1:5000' }),
    { message: 'login attempt to https://127.0.0.1:5000/v2/ failed with status: 401 Unauthorized' }); // the fake answers on https
  await assert.rejects(login(deps(basic.transport), { serveraddress: '127.0.0.1:5000' }), { message: 'no basic auth credentials' });
  assert.deepEqual(await login(deps(basic.transport), { username: 'u', password: 'right', serveraddress: 'http://127.0.0.1:5000/' }), { IdentityToken: '', Status: 'Login Succeeded' });
  const bearer = fakeTransport((req) => {
    if (req.url.host === 'auth.test') return req.headers?.Authorization ? { text: '{"token":"L"}' } : { status: 401 };
    return req.headers?.Authorization === 'Bearer L' ? { status: 200 } : { status: 401, headers: { 'www-authenticate': 'Bearer realm="https://auth.test/token",service="reg.test"' } };
  }, ['10.0.0.1']);
  assert.equal((await login(deps(bearer.transport), { username: 'u', password: 'p', serveraddress: 'reg.test' })).Status, 'Login Succeeded');
  assert.equal(loginDomain(''), 'docker.io');
  assert.equal(loginDomain('https://index.docker.io/v1/'), 'docker.io');
});
