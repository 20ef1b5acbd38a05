import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planBindings, portsView, listPortsView, parsePortKey } from './port-plan.js';
import { PortAllocator } from './port-allocator.js';

test('planBindings: explicit, ranges, ip, udp and publish-all', () => {
  assert.deepEqual(
    planBindings(['80/tcp', '443/tcp', '53/udp'], {
      '80/tcp': [{ HostIp: '', HostPort: '8080' }, { HostIp: '127.0.0.1', HostPort: '' }],
      '53/udp': [{ HostIp: '0.0.0.0', HostPort: '5353' }],
      '9000/tcp': [{ HostIp: '', HostPort: '9000-9010' }],
    }, true),
    [
      { proto: 'udp', containerPort: 53, hostIp: '', hostPortLo: 5353, hostPortHi: 5353 },
      { proto: 'tcp', containerPort: 80, hostIp: '', hostPortLo: 8080, hostPortHi: 8080 },
      { proto: 'tcp', containerPort: 80, hostIp: '127.0.0.1', hostPortLo: 0, hostPortHi: 0 },
      { proto: 'tcp', containerPort: 443, hostIp: '', hostPortLo: 0, hostPortHi: 0 },
      { proto: 'tcp', containerPort: 9000, hostIp: '', hostPortLo: 9000, hostPortHi: 9010 },
    ],
  );
  assert.deepEqual(planBindings(['80/tcp'], {}, false), []);
});

test('bad specs are refused', () => {
  assert.throws(() => parsePortKey('99999/tcp'), /invalid port specification: "99999\/tcp"/);
  assert.throws(() => parsePortKey('80/foo'), /invalid port specification/);
  assert.throws(() => planBindings([], { '80/tcp': [{ HostIp: '', HostPort: 'abc' }] }, false), /invalid port specification: "abc"/);
  assert.throws(() => planBindings([], { '80/tcp': [{ HostIp: '', HostPort: '90-80' }] }, false), /invalid port specification/);
});

test('views: Ports map with null for unpublished, list entries', () => {
  const active = [{ proto: 'tcp' as const, containerPort: 80, hostIp: '', hostPort: 28080 }];
  assert.deepEqual(portsView(['80/tcp', '81/tcp'], active), { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '28080' }], '81/tcp': null });
  assert.deepEqual(listPortsView(['80/tcp', '81/tcp'], active), [
    { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 28080, Type: 'tcp' },
    { PrivatePort: 81, Type: 'tcp' },
  ]);
});

test('allocator: conflicts name the holder; wildcard overlaps every address', () => {
  const a = new PortAllocator([40000, 40002]);
  const names = (id: string) => ({ c1: 'web', c2: 'db' })[id] ?? id;
  a.allocate('c1', [{ proto: 'tcp', containerPort: 80, hostIp: '', hostPortLo: 8080, hostPortHi: 8080 }], [], names);
  assert.throws(
    () => a.allocate('c2', [{ proto: 'tcp', containerPort: 80, hostIp: '127.0.0.1', hostPortLo: 8080, hostPortHi: 8080 }], [], names),
    { message: 'Bind for 127.0.0.1:8080 failed: port is already allocated (held by container web)' },
  );
  // udp on the same number is free
  assert.deepEqual(a.allocate('c2', [{ proto: 'udp', containerPort: 53, hostIp: '', hostPortLo: 8080, hostPortHi: 8080 }], [], names), [
    { proto: 'udp', containerPort: 53, hostIp: '', hostPort: 8080 },
  ]);
});

test('allocator: auto ports come from the range, prefer the previous port, fail cleanly when full', () => {
  const a = new PortAllocator([40000, 40001]);
  const auto = { proto: 'tcp' as const, containerPort: 80, hostIp: '', hostPortLo: 0, hostPortHi: 0 };
  const first = a.allocate('c1', [auto], [], String);
  assert.equal(first[0]!.hostPort, 40000);
  a.release('c1');
  assert.equal(a.allocate('c2', [auto], [], String)[0]!.hostPort, 40001);
  assert.equal(a.allocate('c1', [auto], first, String)[0]!.hostPort, 40000);
  assert.throws(() => a.allocate('c3', [auto, auto], [], String), /no free port/);
  a.release('c2');
  // nothing was kept from the failed attempt
  assert.equal(a.holder('', 40001, 'tcp'), undefined);
});
