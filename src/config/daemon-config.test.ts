import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDaemonArgs, DEFAULT_CONFIG } from './daemon-config.js';

test('defaults', () => {
  assert.deepEqual(parseDaemonArgs([]), DEFAULT_CONFIG);
});

test('dockerd flag names', () => {
  const c = parseDaemonArgs(['-H', 'unix:///tmp/w.sock', '--data-root=/tmp/d', '--exec-root', '/tmp/e', '-b', 'wt0', '--bip', '10.9.0.1/24', '--icc=false', '--iptables=true', '-p', '/tmp/p']);
  assert.deepEqual(c.hosts, ['unix:///tmp/w.sock']);
  assert.equal(c.dataRoot, '/tmp/d');
  assert.equal(c.execRoot, '/tmp/e');
  assert.equal(c.bridge, 'wt0');
  assert.equal(c.bip, '10.9.0.1/24');
  assert.equal(c.icc, false);
  assert.equal(c.pidfile, '/tmp/p');
});

test('bad flags', () => {
  assert.throws(() => parseDaemonArgs(['--bogus']), /unknown flag: --bogus/);
  assert.throws(() => parseDaemonArgs(['--icc=maybe']), /invalid argument "maybe"/);
  assert.throws(() => parseDaemonArgs(['-H', 'tcp://0.0.0.0:2375']), /only unix/);
  assert.throws(() => parseDaemonArgs(['--data-root']), /flag needs an argument/);
});

test('registry flags', () => {
  const c = parseDaemonArgs(['--insecure-registry', '10.0.0.0/8', '--insecure-registry=reg.test:5000', '--max-concurrent-downloads', '5']);
  assert.deepEqual(c.insecureRegistries, ['10.0.0.0/8', 'reg.test:5000']);
  assert.equal(c.maxConcurrentDownloads, 5);
  assert.throws(() => parseDaemonArgs(['--insecure-registry', 'http://reg:5000']), /should not contain '::\/\/'|should not contain/);
  assert.throws(() => parseDaemonArgs(['--max-concurrent-downloads', '0']), /positive integer/);
});
