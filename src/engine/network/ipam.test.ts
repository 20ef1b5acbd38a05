import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddressAllocator, macAddressFor } from './ipam.js';
import { parseIpv4, tryParseCidr } from './ipv4.js';

const make = (subnet: string, gateway: string) => new AddressAllocator(tryParseCidr(subnet)!.cidr, parseIpv4(gateway));

test('allocates forward from the gateway and does not reuse a released address at once', () => {
  const a = make('172.17.0.0/16', '172.17.0.1');
  assert.equal(a.allocate('a'), '172.17.0.2');
  assert.equal(a.allocate('b'), '172.17.0.3');
  assert.equal(a.allocate('a'), '172.17.0.2', 'same owner keeps its address');
  assert.equal(a.release('a'), '172.17.0.2');
  assert.equal(a.release('a'), undefined);
  assert.equal(a.allocate('c'), '172.17.0.4');
  assert.equal(a.addressOf('c'), '172.17.0.4');
  assert.equal(a.addressOf('a'), undefined);
});

test('wraps around, skipping network, broadcast, gateway and taken addresses', () => {
  const a = make('10.0.0.0/29', '10.0.0.1'); // usable: .2 .. .6
  assert.deepEqual(['a', 'b', 'c', 'd', 'e'].map((o) => a.allocate(o)), ['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
  assert.throws(() => a.allocate('f'), /no available IPv4 addresses/);
  a.release('c');
  a.release('b');
  assert.equal(a.allocate('f'), '10.0.0.3');
  assert.equal(a.allocate('g'), '10.0.0.4');
});

test('a gateway in the middle of the range is skipped', () => {
  const a = new AddressAllocator(tryParseCidr('10.0.0.0/29')!.cidr, parseIpv4('10.0.0.4'));
  assert.deepEqual(['a', 'b', 'c', 'd', 'e'].map((o) => a.allocate(o)), ['10.0.0.5', '10.0.0.6', '10.0.0.1', '10.0.0.2', '10.0.0.3']);
});

test('preferred addresses and reservations', () => {
  const a = make('172.17.0.0/16', '172.17.0.1');
  a.reserve('running1', '172.17.0.2');
  a.reserve('running2', '172.17.0.9');
  assert.equal(a.allocate('x'), '172.17.0.3');
  assert.equal(a.allocate('y', '172.17.0.50'), '172.17.0.50');
  assert.equal(a.allocate('z'), '172.17.0.51');
  assert.throws(() => a.allocate('w', '172.17.0.9'), /Address already in use/);
  assert.throws(() => a.reserve('w', '172.17.0.2'), /Address already in use/);
  assert.throws(() => a.reserve('w', '172.17.0.1'), /network, broadcast or gateway/);
  assert.throws(() => a.reserve('w', '172.17.255.255'), /network, broadcast or gateway/);
  assert.throws(() => a.reserve('w', '172.18.0.2'), /not in the bridge subnet 172.17.0.0\/16/);
  assert.equal(a.addressOf('y'), '172.17.0.50');
});

test("MAC addresses follow Docker's 02:42 + address bytes", () => {
  assert.equal(macAddressFor('172.17.0.2'), '02:42:ac:11:00:02');
  assert.equal(macAddressFor('10.255.1.200'), '02:42:0a:ff:01:c8');
});
