import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkInsecureRegistry, inCidr, isInsecureRegistry, registryEndpoints, registryInfo } from './registry-policy.js';

test('127.0.0.0/8 is insecure by default, on resolved addresses too', () => {
  assert.equal(isInsecureRegistry('127.0.0.1:5000', [], []), true);
  assert.equal(isInsecureRegistry('127.8.9.1', [], []), true);
  assert.equal(isInsecureRegistry('reg.test:5000', ['127.0.0.1'], []), true);
  assert.equal(isInsecureRegistry('reg.test:5000', ['10.0.0.1'], []), false);
  assert.equal(isInsecureRegistry('10.0.0.1:5000', ['10.0.0.1'], []), false);
  assert.equal(isInsecureRegistry('[::1]:5000', ['::1'], []), false);
});

test('--insecure-registry takes CIDRs and host:port names', () => {
  assert.equal(isInsecureRegistry('10.1.2.3:5000', [], ['10.0.0.0/8']), true);
  assert.equal(isInsecureRegistry('reg.test:5000', ['10.0.0.1'], ['reg.test:5000']), true);
  assert.equal(isInsecureRegistry('reg.test:5001', ['10.0.0.1'], ['reg.test:5000']), false);
  assert.equal(inCidr('192.168.1.7', '192.168.0.0/16'), true);
  assert.equal(inCidr('192.169.1.7', '192.168.0.0/16'), false);
  assert.throws(() => checkInsecureRegistry('http://reg:5000'), /should not contain '::\/\/'|should not contain/);
});

test('insecure registries try https without verification, then http', () => {
  assert.deepEqual(registryEndpoints('127.0.0.1:5000', true).map((e) => [e.base.href, e.insecureTls]), [['https://127.0.0.1:5000/', true], ['http://127.0.0.1:5000/', true]]);
  assert.deepEqual(registryEndpoints('docker.io', false).map((e) => [e.base.href, e.insecureTls]), [['https://registry-1.docker.io/', false]]);
});

test('RegistryConfig of /info lists the insecure CIDRs and names', () => {
  const info = registryInfo(['10.0.0.0/8', 'reg.test:5000']) as { InsecureRegistryCIDRs: string[]; IndexConfigs: Record<string, { Secure: boolean }> };
  assert.deepEqual(info.InsecureRegistryCIDRs, ['10.0.0.0/8', '127.0.0.0/8']);
  assert.equal(info.IndexConfigs['reg.test:5000']!.Secure, false);
  assert.equal(info.IndexConfigs['docker.io']!.Secure, true);
});
