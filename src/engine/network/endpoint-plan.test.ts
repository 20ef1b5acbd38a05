import { test } from 'node:test';
import assert from 'node:assert/strict';
import { netnsNameFor, netnsPathFor, planBridgeRemoval, planBridgeSetup, planEndpoint, planNoneEndpoint, vethNameFrom } from './endpoint-plan.js';

const id = '0123456789abcdef'.repeat(4);

test('namespace and veth names', () => {
  assert.equal(netnsNameFor('wharf0', id), 'wharf0-0123456789ab');
  assert.equal(netnsPathFor('wharf0-0123456789ab'), '/run/netns/wharf0-0123456789ab');
  assert.throws(() => netnsNameFor('wharf0', '../etc'), /invalid container id/);
  assert.equal(vethNameFrom('ABCDEF0123'), 'vethabcdef0');
  assert.equal(vethNameFrom('abcdef0').length, 11);
  assert.throws(() => vethNameFrom('abc'), /7 hex/);
});

test('bridge setup batch (golden): new bridge', () => {
  assert.deepEqual(planBridgeSetup({ bridge: 'wharf0', exists: false, currentAddresses: [], gatewayCidr: '172.18.0.1/16' }), [
    'link add name wharf0 type bridge',
    'address add 172.18.0.1/16 brd + dev wharf0',
    'link set wharf0 up',
  ]);
});

test('bridge setup batch (golden): existing bridge, right and stale addresses', () => {
  assert.deepEqual(planBridgeSetup({ bridge: 'wharf0', exists: true, currentAddresses: ['172.18.0.1/16'], gatewayCidr: '172.18.0.1/16' }), [
    'link set wharf0 up',
  ]);
  assert.deepEqual(planBridgeSetup({ bridge: 'wharf0', exists: true, currentAddresses: ['10.1.0.1/24'], gatewayCidr: '172.18.0.1/16' }), [
    'address del 10.1.0.1/24 dev wharf0',
    'address add 172.18.0.1/16 brd + dev wharf0',
    'link set wharf0 up',
  ]);
  assert.deepEqual(planBridgeRemoval('wharf0'), ['link delete wharf0 type bridge']);
});

test('endpoint batches (golden)', () => {
  const plan = planEndpoint({
    bridge: 'wharf0',
    netns: 'wharf0-0123456789ab',
    hostVeth: 'veth1a2b3c4',
    ipAddress: '172.18.0.2',
    prefixLen: 16,
    gateway: '172.18.0.1',
    macAddress: '02:42:ac:12:00:02',
  });
  assert.deepEqual(plan, {
    hostBatch: [
      'link add veth1a2b3c4 type veth peer name eth0 address 02:42:ac:12:00:02 netns wharf0-0123456789ab',
      'link set veth1a2b3c4 master wharf0 up',
      'link set dev veth1a2b3c4 type bridge_slave hairpin on',
    ],
    innerBatch: ['link set lo up', 'address add 172.18.0.2/16 brd + dev eth0', 'link set eth0 up', 'route add default via 172.18.0.1 dev eth0'],
  });
  assert.deepEqual(planNoneEndpoint(), ['link set lo up']);
});
