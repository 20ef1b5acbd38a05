/** The Engine API on the wire: version negotiation, headers, malformed bodies. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { TestDaemon } from './daemon-harness.js';

const d = new TestDaemon();
before(() => d.start());
after(() => d.stop());

function request(method: string, path: string, body?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: d.sock, method, path, headers: body ? { 'Content-Type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('HEAD /_ping carries the version headers', async () => {
  const r = await request('HEAD', '/_ping');
  assert.equal(r.status, 200);
  assert.equal(r.headers['api-version'], '1.41');
  assert.equal(r.headers['ostype'], 'linux');
  assert.equal((await request('GET', '/_ping')).text, 'OK');
});

test('versions out of range are refused with Docker wording', async () => {
  const hi = await request('GET', '/v1.99/version');
  assert.equal(hi.status, 400);
  assert.equal(JSON.parse(hi.text).message, 'client version 1.99 is too new. Maximum supported API version is 1.41');
  const lo = await request('GET', '/v1.11/version');
  assert.equal(lo.status, 400);
  assert.match(lo.text, /client version 1.11 is too old. Minimum supported API version is 1.12/);
  assert.equal(JSON.parse((await request('GET', '/v1.41/version')).text).ApiVersion, '1.41');
});

test('malformed JSON, bad names and unknown containers get clear errors', async () => {
  const bad = await request('POST', '/v1.41/containers/create', '{"Image": "busybox",');
  assert.equal(bad.status, 400);
  assert.match(JSON.parse(bad.text).message, /invalid JSON/);
  const arr = await request('POST', '/v1.41/containers/create', '[1,2]');
  assert.equal(arr.status, 400);
  const badName = await request('POST', `/v1.41/containers/create?name=-${'a'.repeat(5000)}`, '{"Image":"busybox"}');
  assert.equal(badName.status, 400);
  const missing = await request('GET', '/v1.41/containers/nosuch/json');
  assert.equal(missing.status, 404);
  assert.equal(JSON.parse(missing.text).message, 'No such container: nosuch');
  const badFilter = await request('GET', '/v1.41/containers/json?filters=%7Bbad');
  assert.equal(badFilter.status, 400);
  assert.equal((await request('GET', '/v1.41/nowhere')).status, 404);
});

test('events: since/until replay the kept events and end, as docker events --since --until expects', async () => {
  d.importBusybox();
  const t0 = Date.now() / 1000;
  const none = await request('GET', `/v1.41/events?since=${t0.toFixed(3)}&until=${(Date.now() / 1000).toFixed(3)}&filters=${encodeURIComponent('{"container":["api-events"]}')}`);
  assert.equal(none.status, 200);
  assert.equal(none.text, ''); // returned at once: nothing happened yet
  const made = await request('POST', '/v1.41/containers/create?name=api-events', JSON.stringify({ Image: 'busybox:latest', Cmd: ['true'] }));
  assert.equal(made.status, 201, made.text);
  const removed = await request('DELETE', '/v1.41/containers/api-events');
  assert.equal(removed.status, 204, removed.text);
  const until = (Date.now() / 1000 + 0.001).toFixed(3);
  const past = await request('GET', `/v1.41/events?since=${t0.toFixed(3)}&until=${until}&filters=${encodeURIComponent('{"container":["api-events"]}')}`);
  const lines = past.text.trim().split('\n').map((l) => JSON.parse(l) as { Type: string; Action: string; Actor: { Attributes: { name: string } } });
  assert.deepEqual(lines.map((e) => [e.Type, e.Action, e.Actor.Attributes.name]), [['container', 'create', 'api-events'], ['container', 'destroy', 'api-events']]);
  const bad = await request('GET', `/v1.41/events?since=${until}&until=${t0.toFixed(3)}`);
  assert.equal(bad.status, 400);
  assert.match(JSON.parse(bad.text).message, /^since time \(.*\) cannot be after until time \(.*\)$/);
});

test('a container removed right after its create goes cleanly (its conmon was still starting)', async () => {
  d.importBusybox();
  for (let i = 0; i < 15; i++) {
    const made = await request('POST', `/v1.41/containers/create?name=api-quick${i}`, JSON.stringify({ Image: 'busybox:latest', Cmd: ['true'] }));
    assert.equal(made.status, 201, made.text);
    const gone = await request('DELETE', `/v1.41/containers/api-quick${i}`);
    assert.equal(gone.status, 204, gone.text);
  }
});
