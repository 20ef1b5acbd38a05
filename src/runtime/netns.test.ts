import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ipBatchArgv, netnsAddArgv, netnsDeleteArgv } from './netns.js';
import { iptablesArgv } from './iptables.js';

test('ip and iptables argv (golden)', () => {
  assert.deepEqual(netnsAddArgv('wharf0-0123456789ab'), ['ip', 'netns', 'add', 'wharf0-0123456789ab']);
  assert.deepEqual(netnsDeleteArgv('wharf0-0123456789ab'), ['ip', 'netns', 'delete', 'wharf0-0123456789ab']);
  assert.deepEqual(ipBatchArgv(), ['ip', '-batch', '-']);
  assert.deepEqual(ipBatchArgv('wharf0-0123456789ab'), ['ip', '-n', 'wharf0-0123456789ab', '-batch', '-']);
  assert.deepEqual(iptablesArgv(['-t', 'nat', '-N', 'WHARF0-DNAT']), ['iptables', '-w', '-t', 'nat', '-N', 'WHARF0-DNAT']);
});

test('namespace names cannot escape /run/netns', () => {
  assert.throws(() => netnsAddArgv('../x'), /invalid network namespace name/);
  assert.throws(() => netnsDeleteArgv('..'), /invalid network namespace name/);
  assert.throws(() => ipBatchArgv('a b'), /invalid network namespace name/);
});
