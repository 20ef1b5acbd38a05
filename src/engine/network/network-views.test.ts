import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterNetworks, findNetwork, networkView, removalRefused, type NetworkFacts } from './network-views.js';

const nets: NetworkFacts[] = [
  { name: 'bridge', id: 'b'.repeat(64), created: '2026-11-30T09:00:00Z', subnet: '172.17.0.0/16', gateway: '172.17.0.1', bridgeName: 'wharf0', icc: false },
  { name: 'host', id: 'ab'.repeat(32), created: '2026-11-30T07:00:00Z' },
  { name: 'none', id: 'ac'.repeat(32), created: '2026-11-30T07:00:00Z' },
];

test('the bridge network looks as in Docker 20.10, with its containers', () => {
  const v = networkView(nets[0]!, [{ id: 'c'.repeat(64), name: 'web', endpointId: 'e'.repeat(64), macAddress: '02:42:ac:11:00:02', ipv4: '172.17.0.2/16' }]);
  assert.deepEqual(v, {
    Name: 'bridge', Id: 'b'.repeat(64), Created: '2026-11-30T09:00:00Z', Scope: 'local', Driver: 'bridge', EnableIPv6: false,
    IPAM: { Driver: 'default', Options: null, Config: [{ Subnet: '172.17.0.0/16', Gateway: '172.17.0.1' }] },
    Internal: false, Attachable: false, Ingress: false, ConfigFrom: { Network: '' }, ConfigOnly: false,
    Containers: { ['c'.repeat(64)]: { Name: 'web', EndpointID: 'e'.repeat(64), MacAddress: '02:42:ac:11:00:02', IPv4Address: '172.17.0.2/16', IPv6Address: '' } },
    Options: {
      'com.docker.network.bridge.default_bridge': 'true', 'com.docker.network.bridge.enable_icc': 'false',
      'com.docker.network.bridge.enable_ip_masquerade': 'true', 'com.docker.network.bridge.host_binding_ipv4': '0.0.0.0',
      'com.docker.network.bridge.name': 'wharf0', 'com.docker.network.driver.mtu': '1500',
    },
    Labels: {},
  });
});

test('host and none have no addresses and no options; none\'s driver is "null"; the list form has no containers', () => {
  const none = networkView(nets[2]!);
  assert.equal(none.Driver, 'null');
  assert.deepEqual(none.IPAM, { Driver: 'default', Options: null, Config: [] });
  assert.deepEqual(none.Options, {});
  assert.deepEqual(none.Containers, {});
  assert.equal(networkView(nets[1]!).Driver, 'host');
});

test('networks are found by id, name or unique id prefix, with Docker\'s errors', () => {
  assert.equal(findNetwork('host', nets).name, 'host');
  assert.equal(findNetwork('b'.repeat(64), nets).name, 'bridge');
  assert.equal(findNetwork('bbb', nets).name, 'bridge');
  assert.throws(() => findNetwork('a', nets), /network a is ambiguous \(2 matches found based on ID prefix\)/);
  assert.throws(() => findNetwork('nosuch', nets), (e: Error & { kind?: string }) => e.message === 'network nosuch not found' && e.kind === 'NotFound');
  assert.equal(removalRefused(nets[0]!).message, 'bridge is a pre-defined network and cannot be removed');
  assert.equal(removalRefused(nets[0]!).kind, 'Forbidden');
});

test('filters: name and id by substring, driver, type, scope; labels match nothing; unknown keys are refused', () => {
  const names = (f: Record<string, string[]>) => filterNetworks(nets, f).map((n) => n.name);
  assert.deepEqual(names({}), ['bridge', 'host', 'none']);
  assert.deepEqual(names({ name: ['o'] }), ['host', 'none']);
  assert.deepEqual(names({ driver: ['null'] }), ['none']);
  assert.deepEqual(names({ id: ['bbbb'] }), ['bridge']);
  assert.deepEqual(names({ type: ['custom'] }), []);
  assert.deepEqual(names({ type: ['builtin'], scope: ['local'] }), ['bridge', 'host', 'none']);
  assert.deepEqual(names({ label: ['a=b'] }), []);
  assert.deepEqual(names({ dangling: ['true'] }), []);
  assert.throws(() => filterNetworks(nets, { color: ['red'] }), /invalid filter 'color'/);
  assert.throws(() => filterNetworks(nets, { type: ['odd'] }), /invalid filter: 'type'='odd'/);
});
