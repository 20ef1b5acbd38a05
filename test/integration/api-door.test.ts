/**
 * Issue 12, finding 6: every bad request is refused at the door, and nothing that could break a
 * later list or inspect is stored. One test per finding, against a real wharfd and docker CLI.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestDaemon } from './daemon-harness.js';
import { rawRequest, messageOfAnswer, type RawAnswer } from './api-request.js';

const d = new TestDaemon();
before(async () => {
  await d.start();
  d.importBusybox();
});
after(() => d.stop());

const create = (body: unknown, name?: string) =>
  rawRequest(d.sock, 'POST', `/v1.41/containers/create${name ? `?name=${name}` : ''}`, typeof body === 'string' ? body : JSON.stringify(body));

function refused(a: RawAnswer, status: number, message: string | RegExp): void {
  assert.equal(a.reset, undefined, `connection reset: ${a.reset}`);
  assert.equal(a.status, status, a.text);
  if (typeof message === 'string') assert.equal(messageOfAnswer(a), message);
  else assert.match(messageOfAnswer(a), message);
}

function listStillWorks(): void {
  const ps = d.docker(['ps', '-a']);
  assert.equal(ps.code, 0, ps.stderr);
}

test('wrong types at create are 400s naming the field, and docker ps -a still works after them', async () => {
  const base = { Image: 'busybox', Cmd: ['true'] };
  refused(await create({ ...base, Labels: { a: { b: 1 } } }), 400, 'invalid JSON: Labels["a"] must be a string, got an object');
  refused(await create({ ...base, HostConfig: { Memory: 'lots' } }), 400, 'invalid JSON: HostConfig.Memory must be an integer, got string "lots"');
  refused(await create({ Image: 123 }), 400, 'invalid JSON: Image must be a string, got number 123');
  refused(await create({ ...base, HostConfig: 'x' }), 400, 'invalid JSON: HostConfig must be an object, got string "x"');
  refused(await create({ ...base, ExposedPorts: ['80/tcp'] }), 400, 'invalid JSON: ExposedPorts must be an object, got a list');
  refused(await create({ ...base, Env: 'A=1' }), 400, 'invalid JSON: Env must be a list, got string "A=1"');
  refused(await create({ ...base, HostConfig: { Ulimits: [{ Name: 'nofile', Soft: 'x' }] } }), 400, 'invalid JSON: HostConfig.Ulimits[0].Soft must be an integer, got string "x"');
  listStillWorks();
  // Null where Go takes it, unknown fields ignored: a normal create.
  const ok = await create({ ...base, Tty: null, Labels: { a: null }, HostConfig: { Memory: null, Bogus: { x: 1 } }, Unknown: [1] });
  assert.equal(ok.status, 201, ok.text);
  const id = (JSON.parse(ok.text) as { Id: string }).Id;
  const inspect = d.docker(['inspect', '--format', '{{json .Config.Labels}} {{.HostConfig.Memory}} {{.Config.Tty}}', id]);
  assert.equal(inspect.stdout.trim(), '{"a":""} 0 false', inspect.stderr);
  listStillWorks();
});

test('out-of-range values and bad port keys are refused at create with Docker words', async () => {
  const base = { Image: 'busybox', Cmd: ['true'] };
  refused(await create({ ...base, HostConfig: { Memory: -5 } }), 400, 'Minimum memory limit allowed is 6MB');
  refused(await create({ ...base, HostConfig: { PortBindings: { 'abc/tcp': [] } } }), 400, 'invalid port specification: "abc"');
  refused(await create({ ...base, HostConfig: { PortBindings: { '80/tcp': [{ HostPort: '99999' }] } } }), 400, 'invalid port specification: "99999"');
  refused(await create({ ...base, ExposedPorts: { 'abc/tcp': {} } }), 400, 'invalid port specification: "abc"');
  refused(await create({ ...base, Env: ['=1'] }), 400, 'invalid environment variable: =1');
  refused(await create({ ...base, HostConfig: { ShmSize: -5 } }), 400, 'SHM size can not be less than 0');
  const cli = d.docker(['create', '--memory', '1k', 'busybox', 'true']);
  assert.notEqual(cli.code, 0);
  assert.match(cli.stderr, /Minimum memory limit allowed is 6MB/);
  assert.equal(d.docker(['ps', '-aq', '--filter', 'status=created']).stdout.trim().split('\n').filter(Boolean).length, 1);
});

test('deep nesting is a 400, a large body a 413, a long target a 414, a large head a 431: never a reset', async () => {
  refused(await create('['.repeat(200000) + ']'.repeat(200000)), 400, 'invalid JSON: nested deeper than 100 levels');
  refused(await create(`{"Image":"busybox","Labels":${'{"a":'.repeat(200000)}1${'}'.repeat(200000)}}`), 400, 'invalid JSON: nested deeper than 100 levels');
  refused(await create(JSON.stringify({ Image: 'busybox', Cmd: ['true'], Pad: 'x'.repeat(5 * 1024 * 1024) })), 413, /request body too large/);
  refused(await rawRequest(d.sock, 'GET', `/v1.41/containers/json?filters=${'a'.repeat(70 * 1024)}`), 414, /request URI too long/);
  refused(await rawRequest(d.sock, 'GET', '/v1.41/containers/json', undefined, { headers: { 'X-Pad': 'p'.repeat(1100 * 1024) } }), 431, /header fields too large/);
  refused(await rawRequest(d.sock, 'GET', '/v1.41/containers/%E0%A4%A/json'), 404, 'No such container: %E0%A4%A');
  const deepFilter = encodeURIComponent(`{"label":${'['.repeat(5000)}${']'.repeat(5000)}}`);
  refused(await rawRequest(d.sock, 'GET', `/v1.41/containers/json?filters=${deepFilter}`), 400, 'error reading filter: nested deeper than 100 levels');
  // A 30 kB query string, past Node's default 16 kB head, is still served.
  const long = await rawRequest(d.sock, 'GET', `/v1.41/containers/json?all=1&x=${'a'.repeat(30 * 1024)}`);
  assert.equal(long.status, 200, long.text);
  listStillWorks();
});

test('exec, volume and build bodies and queries are checked too', async () => {
  const run = d.docker(['run', '-d', 'busybox', 'sleep', '60']);
  assert.equal(run.code, 0, run.stderr);
  const id = run.stdout.trim();
  refused(await rawRequest(d.sock, 'POST', `/v1.41/containers/${id}/exec`, JSON.stringify({ Cmd: 'ls' })), 400, 'invalid JSON: Cmd must be a list, got string "ls"');
  refused(await rawRequest(d.sock, 'POST', `/v1.41/containers/${id}/exec`, JSON.stringify({ Cmd: ['ls'], Env: [1] })), 400, 'invalid JSON: Env[0] must be a string, got number 1');
  refused(await rawRequest(d.sock, 'POST', '/v1.41/volumes/create', JSON.stringify({ Name: 'v1', Labels: { a: 1 } })), 400, 'invalid JSON: Labels["a"] must be a string, got number 1');
  refused(await rawRequest(d.sock, 'POST', '/v1.41/volumes/create', JSON.stringify({ Name: ['v'] })), 400, 'invalid JSON: Name must be a string, got a list');
  const tarBody = Buffer.alloc(1024);
  refused(
    await rawRequest(d.sock, 'POST', `/v1.41/build?buildargs=${encodeURIComponent('{"a":{"b":1}}')}`, tarBody, { contentType: 'application/x-tar' }),
    400, 'error reading build args: buildargs["a"] must be a string, got an object',
  );
  refused(await rawRequest(d.sock, 'POST', `/v1.41/commit?container=${id}&repo=door-commit`, JSON.stringify({ Labels: { a: 1 } })), 400, 'invalid JSON: Labels["a"] must be a string, got number 1');
  assert.equal((await rawRequest(d.sock, 'GET', '/v1.41/volumes')).status, 200);
  assert.equal(d.docker(['images', '-q', 'door-commit']).stdout, '', 'no image was committed');
  d.docker(['rm', '-f', id]);
});

test('--network container:<name> looks the container up at create: No such container', async () => {
  // 400, not Docker's 404 at start: a 404 at create makes the CLI pull the image.
  refused(await create({ Image: 'busybox', Cmd: ['true'], HostConfig: { NetworkMode: 'container:../../x' } }), 400, 'No such container: ../../x');
  const cli = d.docker(['run', '--network', 'container:../../x', 'busybox', 'true']);
  assert.notEqual(cli.code, 0);
  assert.match(cli.stderr, /No such container: \.\.\/\.\.\/x/);
  assert.doesNotMatch(cli.stderr, /pull/);
});

test('a 300-character name is accepted, runs, lists and inspects', async () => {
  const name = 'n' + 'x'.repeat(299);
  const run = d.docker(['run', '--name', name, 'busybox', 'echo', 'long']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'long\n');
  assert.ok(d.docker(['ps', '-a', '--format', '{{.Names}}']).stdout.split('\n').includes(name));
  assert.equal(d.docker(['inspect', '--format', '{{.Name}}', name]).stdout.trim(), '/' + name);
  assert.equal(d.docker(['rm', name]).code, 0);
});
