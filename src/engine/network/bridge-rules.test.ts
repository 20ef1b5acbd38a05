import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildJumps, buildStaticRules, chainNamesFor, planChainInstall, planChainTeardown, validateBridgeName } from './bridge-rules.js';
import { buildPublishRules } from './port-rules.js';

const cfg = { bridge: 'wharf0', subnet: '172.18.0.0/16', icc: true, userlandProxy: true };

test('chain names derive from the bridge and stay within 28 characters', () => {
  assert.deepEqual(chainNamesFor('wharf0'), {
    forward: 'WHARF0-FORWARD',
    input: 'WHARF0-INPUT',
    postrouting: 'WHARF0-POSTROUTING',
    dnat: 'WHARF0-DNAT',
  });
  assert.equal(chainNamesFor('abcdefghijklmno').postrouting.length, 27);
  assert.throws(() => validateBridgeName('abcdefghijklmnop'), /invalid bridge name/);
  assert.throws(() => validateBridgeName('a b'), /invalid bridge name/);
  assert.throws(() => validateBridgeName('docker0'), /belongs to Docker/);
});

test('install plan (golden): icc on, userland proxy on', () => {
  assert.deepEqual(planChainInstall(cfg), {
    create: [
      ['-t', 'filter', '-N', 'WHARF0-FORWARD'],
      ['-t', 'filter', '-N', 'WHARF0-INPUT'],
      ['-t', 'nat', '-N', 'WHARF0-POSTROUTING'],
      ['-t', 'nat', '-N', 'WHARF0-DNAT'],
    ],
    flush: [
      ['-t', 'filter', '-F', 'WHARF0-FORWARD'],
      ['-t', 'filter', '-F', 'WHARF0-INPUT'],
      ['-t', 'nat', '-F', 'WHARF0-POSTROUTING'],
    ],
    append: [
      ['-t', 'filter', '-A', 'WHARF0-FORWARD', '-o', 'wharf0', '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'],
      ['-t', 'filter', '-A', 'WHARF0-FORWARD', '-i', 'wharf0', '!', '-o', 'wharf0', '-j', 'ACCEPT'],
      ['-t', 'filter', '-A', 'WHARF0-FORWARD', '-i', 'wharf0', '-o', 'wharf0', '-j', 'ACCEPT'],
      ['-t', 'filter', '-A', 'WHARF0-FORWARD', '-o', 'wharf0', '-m', 'conntrack', '--ctstate', 'DNAT', '-j', 'ACCEPT'],
      ['-t', 'filter', '-A', 'WHARF0-INPUT', '-i', 'wharf0', '-d', '127.0.0.0/8', '-m', 'conntrack', '!', '--ctstate', 'RELATED,ESTABLISHED,DNAT', '-j', 'DROP'],
      ['-t', 'nat', '-A', 'WHARF0-POSTROUTING', '-s', '172.18.0.0/16', '!', '-o', 'wharf0', '-j', 'MASQUERADE'],
    ],
    jumps: [
      { check: ['-t', 'filter', '-C', 'FORWARD', '-j', 'WHARF0-FORWARD'], add: ['-t', 'filter', '-A', 'FORWARD', '-j', 'WHARF0-FORWARD'] },
      { check: ['-t', 'filter', '-C', 'INPUT', '-j', 'WHARF0-INPUT'], add: ['-t', 'filter', '-A', 'INPUT', '-j', 'WHARF0-INPUT'] },
      { check: ['-t', 'nat', '-C', 'POSTROUTING', '-j', 'WHARF0-POSTROUTING'], add: ['-t', 'nat', '-A', 'POSTROUTING', '-j', 'WHARF0-POSTROUTING'] },
      {
        check: ['-t', 'nat', '-C', 'PREROUTING', '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'WHARF0-DNAT'],
        add: ['-t', 'nat', '-A', 'PREROUTING', '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'WHARF0-DNAT'],
      },
      {
        check: ['-t', 'nat', '-C', 'OUTPUT', '-m', 'addrtype', '--dst-type', 'LOCAL', '!', '-d', '127.0.0.0/8', '-j', 'WHARF0-DNAT'],
        add: ['-t', 'nat', '-A', 'OUTPUT', '-m', 'addrtype', '--dst-type', 'LOCAL', '!', '-d', '127.0.0.0/8', '-j', 'WHARF0-DNAT'],
      },
    ],
    staleJumps: [
      {
        check: ['-t', 'nat', '-C', 'OUTPUT', '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'WHARF0-DNAT'],
        remove: ['-t', 'nat', '-D', 'OUTPUT', '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'WHARF0-DNAT'],
      },
    ],
  });
});

test('icc off drops bridge-to-bridge traffic; no proxy adds loopback and hairpin MASQUERADE', () => {
  const rules = buildStaticRules({ ...cfg, icc: false, userlandProxy: false }).map((r) => `${r.table} ${r.chain} ${r.rule.join(' ')}`);
  assert.deepEqual(rules, [
    'filter WHARF0-FORWARD -o wharf0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    'filter WHARF0-FORWARD -i wharf0 ! -o wharf0 -j ACCEPT',
    'filter WHARF0-FORWARD -i wharf0 -o wharf0 -j DROP',
    'filter WHARF0-FORWARD -o wharf0 -m conntrack --ctstate DNAT -j ACCEPT',
    'filter WHARF0-INPUT -i wharf0 -d 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
    'nat WHARF0-POSTROUTING -s 172.18.0.0/16 ! -o wharf0 -j MASQUERADE',
    'nat WHARF0-POSTROUTING -o wharf0 -m addrtype --src-type LOCAL -j MASQUERADE',
    'nat WHARF0-POSTROUTING -s 172.18.0.0/16 -o wharf0 -m conntrack --ctstate DNAT -j MASQUERADE',
  ]);
  const output = buildJumps('wharf0', false).find((j) => j.chain === 'OUTPUT')!;
  assert.deepEqual(output.rule, ['-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'WHARF0-DNAT']);
});

test('teardown plan (golden) deletes every jump variant, then flushes and removes the chains', () => {
  assert.deepEqual(planChainTeardown('wharf1'), {
    deleteJumps: [
      ['-t', 'filter', '-D', 'FORWARD', '-j', 'WHARF1-FORWARD'],
      ['-t', 'filter', '-D', 'INPUT', '-j', 'WHARF1-INPUT'],
      ['-t', 'nat', '-D', 'POSTROUTING', '-j', 'WHARF1-POSTROUTING'],
      ['-t', 'nat', '-D', 'PREROUTING', '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'WHARF1-DNAT'],
      ['-t', 'nat', '-D', 'OUTPUT', '-m', 'addrtype', '--dst-type', 'LOCAL', '!', '-d', '127.0.0.0/8', '-j', 'WHARF1-DNAT'],
      ['-t', 'nat', '-D', 'OUTPUT', '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'WHARF1-DNAT'],
    ],
    flush: [
      ['-t', 'filter', '-F', 'WHARF1-FORWARD'],
      ['-t', 'filter', '-F', 'WHARF1-INPUT'],
      ['-t', 'nat', '-F', 'WHARF1-POSTROUTING'],
      ['-t', 'nat', '-F', 'WHARF1-DNAT'],
    ],
    remove: [
      ['-t', 'filter', '-X', 'WHARF1-FORWARD'],
      ['-t', 'filter', '-X', 'WHARF1-INPUT'],
      ['-t', 'nat', '-X', 'WHARF1-POSTROUTING'],
      ['-t', 'nat', '-X', 'WHARF1-DNAT'],
    ],
  });
});

test('publish rules (golden): any address with the proxy, one address without it', () => {
  const m = { protocol: 'tcp' as const, hostPort: 18080, containerIp: '172.18.0.2', containerPort: 80 };
  assert.deepEqual(buildPublishRules('wharf0', m, true), [
    {
      table: 'nat',
      chain: 'WHARF0-DNAT',
      rule: ['!', '-i', 'wharf0', '-p', 'tcp', '-m', 'tcp', '--dport', '18080', '-j', 'DNAT', '--to-destination', '172.18.0.2:80'],
    },
  ]);
  assert.deepEqual(buildPublishRules('wharf0', { ...m, protocol: 'udp', hostIp: '127.0.0.1' }, false)[0]!.rule, [
    '-d', '127.0.0.1/32', '-p', 'udp', '-m', 'udp', '--dport', '18080', '-j', 'DNAT', '--to-destination', '172.18.0.2:80',
  ]);
  assert.equal(buildPublishRules('wharf0', { ...m, hostIp: '0.0.0.0' }, false)[0]!.rule[0], '-p');
  assert.throws(() => buildPublishRules('wharf0', { ...m, hostPort: 0 }, true), /invalid port 0/);
  assert.throws(() => buildPublishRules('wharf0', { ...m, hostIp: '::1' }, true), /invalid host address/);
});
