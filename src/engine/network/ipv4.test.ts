import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containsAddress, formatCidr, formatIpv4, lastAddressOf, maskOf, overlaps, parseIpv4, tryParseCidr, tryParseIpv4 } from './ipv4.js';

test('parses and formats dotted quads', () => {
  assert.equal(parseIpv4('172.17.0.1'), 0xac110001);
  assert.equal(formatIpv4(0xac110001), '172.17.0.1');
  assert.equal(formatIpv4(0xffffffff), '255.255.255.255');
  assert.equal(tryParseIpv4('256.0.0.1'), undefined);
  assert.equal(tryParseIpv4('1.2.3'), undefined);
  assert.equal(tryParseIpv4('01.2.3.4'), undefined);
  assert.throws(() => parseIpv4('x'), /invalid IPv4 address: x/);
});

test('parses CIDRs into address and network', () => {
  assert.deepEqual(tryParseCidr('10.99.0.5/24'), { address: parseIpv4('10.99.0.5'), cidr: { base: parseIpv4('10.99.0.0'), prefixLen: 24 } });
  assert.deepEqual(tryParseCidr('10.0.0.7'), { address: parseIpv4('10.0.0.7'), cidr: { base: parseIpv4('10.0.0.7'), prefixLen: 32 } });
  assert.equal(tryParseCidr('10.0.0.0/33'), undefined);
  assert.equal(tryParseCidr('10.0.0.0/'), undefined);
  assert.equal(tryParseCidr('10.0.0.0/8/1'), undefined);
  assert.equal(formatCidr({ base: parseIpv4('192.168.16.0'), prefixLen: 20 }), '192.168.16.0/20');
});

test('masks, last address, containment and overlap', () => {
  assert.equal(maskOf(0), 0);
  assert.equal(maskOf(16), 0xffff0000);
  assert.equal(maskOf(32), 0xffffffff);
  const net = tryParseCidr('172.17.0.0/16')!.cidr;
  assert.equal(formatIpv4(lastAddressOf(net)), '172.17.255.255');
  assert.equal(containsAddress(net, parseIpv4('172.17.3.4')), true);
  assert.equal(containsAddress(net, parseIpv4('172.18.0.1')), false);
  assert.equal(overlaps(net, tryParseCidr('172.16.0.0/12')!.cidr), true);
  assert.equal(overlaps(net, tryParseCidr('172.17.200.0/24')!.cidr), true);
  assert.equal(overlaps(net, tryParseCidr('172.18.0.0/16')!.cidr), false);
});
