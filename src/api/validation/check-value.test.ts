import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeValue, SchemaMismatch } from './check-value.js';
import { containerCreateBody, execCreateBody, volumeCreateBody } from './engine-types.js';
import { parseJsonBody } from './json-body.js';

const create = (body: unknown) => decodeValue(containerCreateBody, body) as Record<string, unknown>;
const mismatch = (body: unknown, message: string) =>
  assert.throws(() => create(body), (err: unknown) => err instanceof SchemaMismatch && err.message === message);

test('a well-typed create body comes back as it was', () => {
  const body = {
    Image: 'busybox', Cmd: ['sleep', '1'], Env: ['A=1'], Labels: { a: 'b' }, ExposedPorts: { '80/tcp': {} }, Tty: true,
    HostConfig: { Memory: 10485760, PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] }, Binds: ['/a:/b'], RestartPolicy: { Name: 'no', MaximumRetryCount: 0 } },
    NetworkingConfig: { EndpointsConfig: { default: {} } },
  };
  assert.deepEqual(create(body), body);
});

test('each finding gets a 400 message that names the field and the type', () => {
  mismatch({ Image: 'b', Labels: { a: { b: 1 } } }, 'Labels["a"] must be a string, got an object');
  mismatch({ Image: 'b', HostConfig: { Memory: 'lots' } }, 'HostConfig.Memory must be an integer, got string "lots"');
  mismatch({ Image: 123 }, 'Image must be a string, got number 123');
  mismatch({ Image: 'b', HostConfig: 'x' }, 'HostConfig must be an object, got string "x"');
  mismatch({ Image: 'b', ExposedPorts: ['80/tcp'] }, 'ExposedPorts must be an object, got a list');
  mismatch({ Image: 'b', ExposedPorts: { '80/tcp': 1 } }, 'ExposedPorts["80/tcp"] must be an object, got number 1');
  mismatch({ Image: 'b', HostConfig: { Memory: 1.5 } }, 'HostConfig.Memory must be an integer, got number 1.5');
  mismatch({ Image: 'b', HostConfig: { Memory: 1e30 } }, 'HostConfig.Memory must be an integer of magnitude below 2^63, got number 1e+30');
  mismatch({ Image: 'b', HostConfig: { MemorySwap: -(2 ** 63) } }, 'HostConfig.MemorySwap must be an integer of magnitude below 2^63, got number -9223372036854776000');
  mismatch({ Image: 'b', HostConfig: { IOMaximumIOps: 2 ** 64 } }, 'HostConfig.IOMaximumIOps must be an integer from 0 to below 2^64, got number 18446744073709552000');
  mismatch({ Image: 'b', HostConfig: { IOMaximumIOps: 1.5 } }, 'HostConfig.IOMaximumIOps must be an integer, got number 1.5');
  mismatch({ Image: 'b', HostConfig: { BlkioWeight: 70000 } }, 'HostConfig.BlkioWeight must be an integer from 0 to 65535, got number 70000');
  mismatch({ Image: 'b', Env: ['A=1', 2] }, 'Env[1] must be a string, got number 2');
  mismatch({ Image: 'b', Cmd: [true] }, 'Cmd[0] must be a string, got boolean true');
  mismatch({ Image: 'b', Tty: 'yes' }, 'Tty must be a boolean, got string "yes"');
  mismatch({ Image: 'b', HostConfig: { PortBindings: { '80/tcp': [{ HostPort: 80 }] } } }, 'HostConfig.PortBindings["80/tcp"][0].HostPort must be a string, got number 80');
  mismatch({ Image: 'b', HostConfig: { Mounts: [{ TmpfsOptions: { Mode: -1 } }] } }, 'HostConfig.Mounts[0].TmpfsOptions.Mode must be an integer from 0 to 4294967295, got number -1');
  mismatch({ Image: 'b', Healthcheck: { Test: 'CMD' } }, 'Healthcheck.Test must be a list, got string "CMD"');
  mismatch({ Image: 'b', HostConfig: { CapAdd: [1] } }, 'HostConfig.CapAdd[0] must be a string, got number 1');
  mismatch({ Image: 'b', StopTimeout: '5' }, 'StopTimeout must be an integer, got string "5"');
  mismatch([1, 2], 'body must be an object, got a list');
});

test('the largest integers that print back as Go reads them are accepted', () => {
  assert.deepEqual(create({ Image: 'b', HostConfig: { Memory: 2 ** 63 - 1024, MemorySwap: -(2 ** 63) + 1024 } }), {
    Image: 'b', HostConfig: { Memory: 9223372036854774784, MemorySwap: -9223372036854774784 },
  });
  // As JSON they print as numbers inside Go's int64.
  assert.equal(JSON.stringify(2 ** 63 - 1024), '9223372036854775000');
  assert.ok(BigInt(JSON.stringify(2 ** 63 - 1024)) <= 2n ** 63n - 1n);
});

test('null is accepted where Go accepts it: kept for pointers, lists and maps, zero otherwise', () => {
  assert.equal(decodeValue(containerCreateBody, null), null);
  assert.deepEqual(create({ Image: 'b', Cmd: null, Labels: null, HostConfig: null, StopTimeout: null }), { Image: 'b', Cmd: null, Labels: null, HostConfig: null, StopTimeout: null });
  assert.deepEqual(create({ Image: 'b', Tty: null, Hostname: null, HostConfig: { Memory: null, RestartPolicy: null } }), {
    Image: 'b', Tty: false, Hostname: '', HostConfig: { Memory: 0, RestartPolicy: {} },
  });
  assert.deepEqual(create({ Image: 'b', Env: ['A=1', null], Labels: { a: null } }), { Image: 'b', Env: ['A=1', ''], Labels: { a: '' } });
  assert.deepEqual(create({ Image: 'b', HostConfig: { PortBindings: { '80/tcp': [null] } } }), { Image: 'b', HostConfig: { PortBindings: { '80/tcp': [{}] } } });
});

test('unknown fields are dropped, names match without regard to case, a strslice takes one string', () => {
  assert.deepEqual(create({ image: 'b', Bogus: { deep: [1] }, hostconfig: { memory: 7000000, Nope: 1 } }), { Image: 'b', HostConfig: { Memory: 7000000 } });
  assert.deepEqual(create({ Image: 'b', Cmd: 'true', Entrypoint: 'sh' }), { Image: 'b', Cmd: ['true'], Entrypoint: ['sh'] });
});

test('a __proto__ key of a map stays a key and touches no prototype', () => {
  const out = create(JSON.parse('{"Image":"b","Labels":{"__proto__":"x"},"ExposedPorts":{"__proto__":{"polluted":1}}}'));
  assert.equal(Object.getOwnPropertyDescriptor(out.Labels, '__proto__')?.value, 'x');
  assert.equal(Object.getPrototypeOf(out.ExposedPorts), Object.prototype);
  assert.equal(JSON.stringify(out.ExposedPorts), '{"__proto__":{}}');
});

test('exec Cmd is a plain list; volume bodies are typed', () => {
  assert.throws(() => decodeValue(execCreateBody, { Cmd: 'ls' }), { message: 'Cmd must be a list, got string "ls"' });
  assert.throws(() => decodeValue(volumeCreateBody, { Name: 'v', DriverOpts: { size: 5 } }), { message: 'DriverOpts["size"] must be a string, got number 5' });
  assert.deepEqual(decodeValue(volumeCreateBody, { Name: 'v', Labels: { a: 'b' } }), { Name: 'v', Labels: { a: 'b' } });
});

test('parseJsonBody: syntax, depth and type errors are InvalidParameter "invalid JSON: ..."', () => {
  assert.throws(() => parseJsonBody('{"Image":', containerCreateBody), (e: Error & { kind?: string }) => e.kind === 'InvalidParameter' && e.message.startsWith('invalid JSON: '));
  assert.throws(() => parseJsonBody('['.repeat(200000) + ']'.repeat(200000), containerCreateBody), {
    message: 'invalid JSON: nested deeper than 100 levels',
  });
  assert.throws(() => parseJsonBody('{"Image":"b","HostConfig":{"Memory":"lots"}}', containerCreateBody), {
    message: 'invalid JSON: HostConfig.Memory must be an integer, got string "lots"',
  });
  // Brackets inside strings do not count, nor do escaped quotes end a string.
  assert.deepEqual(parseJsonBody(JSON.stringify({ Image: '[[[[\\"{{{{'.repeat(50) }), containerCreateBody), { Image: '[[[[\\"{{{{'.repeat(50) });
});

test('a full docker run body, every field of it, decodes to itself: the schema drops none', () => {
  const body: unknown = JSON.parse(readFileSync(new URL('../../../../test/fixtures/docker-run-create-body.json', import.meta.url), 'utf8'));
  assert.deepEqual(decodeValue(containerCreateBody, body), body);
});
