import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCidr, formatIpv4, tryParseCidr } from './ipv4.js';
import { type SubnetChoiceInput, chooseBridgeSubnet, defaultSubnetPool, parseBip, pickSubnet } from './subnet-pool.js';

const cidr = (t: string) => tryParseCidr(t)!.cidr;
const show = (s: { subnet: { base: number; prefixLen: number }; gateway: number }) => `${formatCidr(s.subnet)} gw ${formatIpv4(s.gateway)}`;

test("the default pool is Docker's: 172.17-31/16 then 192.168.x.0/20", () => {
  const pool = defaultSubnetPool().map(formatCidr);
  assert.equal(pool.length, 31);
  assert.deepEqual(pool.slice(0, 3), ['172.17.0.0/16', '172.18.0.0/16', '172.19.0.0/16']);
  assert.equal(pool[14], '172.31.0.0/16');
  assert.deepEqual(pool.slice(15, 17), ['192.168.0.0/20', '192.168.16.0/20']);
  assert.equal(pool[30], '192.168.240.0/20');
});

test('pickSubnet skips networks that overlap routes', () => {
  const pool = defaultSubnetPool();
  assert.equal(formatCidr(pickSubnet(pool, [])!), '172.17.0.0/16');
  assert.equal(formatCidr(pickSubnet(pool, [cidr('172.17.0.0/16')])!), '172.18.0.0/16');
  assert.equal(formatCidr(pickSubnet(pool, [cidr('172.17.5.0/24'), cidr('172.18.0.1/32')])!), '172.19.0.0/16');
  assert.equal(formatCidr(pickSubnet(pool, [cidr('172.16.0.0/12'), cidr('192.168.0.0/24')])!), '192.168.16.0/20');
  assert.equal(pickSubnet(pool, [cidr('172.16.0.0/12'), cidr('192.168.0.0/16')]), undefined);
});

test('parseBip takes the address as gateway and its network as subnet', () => {
  assert.equal(show(parseBip('10.99.0.5/24')), '10.99.0.0/24 gw 10.99.0.5');
  assert.throws(() => parseBip('10.99.0.0/24'), /network or broadcast/);
  assert.throws(() => parseBip('10.99.0.255/24'), /network or broadcast/);
  assert.throws(() => parseBip('10.99.0.1'), /expected an address with a prefix length/);
  assert.throws(() => parseBip('10.99.0.1/31'), /\/30 or shorter/);
});

const base: SubnetChoiceInput = { bridge: 'wharf0', bridgeAddresses: [], routes: [], pool: defaultSubnetPool() };

test('chooseBridgeSubnet: first free pool entry, ignoring default routes and our own bridge', () => {
  const routes = [
    { cidr: 'default', dev: 'eth0' },
    { cidr: '172.17.0.0/16', dev: 'docker0' },
    { cidr: '172.18.0.0/16', dev: 'wharf0' },
  ];
  assert.equal(show(chooseBridgeSubnet({ ...base, routes })), '172.18.0.0/16 gw 172.18.0.1');
});

test('chooseBridgeSubnet: --bip wins', () => {
  assert.equal(show(chooseBridgeSubnet({ ...base, bip: '10.88.0.1/16' })), '10.88.0.0/16 gw 10.88.0.1');
});

test('chooseBridgeSubnet: the persisted subnet is reused while free or carried by the bridge', () => {
  const persisted = { subnet: '172.20.0.0/16', gateway: '172.20.0.1' };
  assert.equal(show(chooseBridgeSubnet({ ...base, persisted })), '172.20.0.0/16 gw 172.20.0.1');
  const clash = [{ cidr: '172.20.0.0/16', dev: 'other0' }];
  assert.equal(show(chooseBridgeSubnet({ ...base, persisted, routes: clash })), '172.17.0.0/16 gw 172.17.0.1');
  assert.equal(
    show(chooseBridgeSubnet({ ...base, persisted, routes: clash, bridgeAddresses: ['172.20.0.1/16'] })),
    '172.20.0.0/16 gw 172.20.0.1',
  );
});

test('chooseBridgeSubnet: an address already on the bridge is kept when free', () => {
  assert.equal(show(chooseBridgeSubnet({ ...base, bridgeAddresses: ['10.5.0.1/24'] })), '10.5.0.0/24 gw 10.5.0.1');
  const taken = [{ cidr: '10.5.0.0/16', dev: 'eth1' }];
  assert.equal(show(chooseBridgeSubnet({ ...base, bridgeAddresses: ['10.5.0.1/24'], routes: taken })), '172.17.0.0/16 gw 172.17.0.1');
});

test('chooseBridgeSubnet: a full pool is an error with Docker wording', () => {
  const routes = [{ cidr: '172.16.0.0/12' }, { cidr: '192.168.0.0/16' }];
  assert.throws(() => chooseBridgeSubnet({ ...base, routes }), /could not find an available, non-overlapping IPv4 address pool/);
});
