import { test } from 'node:test';
import assert from 'node:assert/strict';
import { staleDnatRules } from './stale-dnat.js';

test('only the DNAT rules of the chain that lead to an address no running container has', () => {
  const lines = [
    '-N WHARF0-DNAT',
    '-A WHARF0-DNAT -d 127.0.0.1/32 -p tcp -m tcp --dport 32768 -j DNAT --to-destination 172.17.0.2:80',
    '-A WHARF0-DNAT -p udp -m udp --dport 53 -j DNAT --to-destination 172.17.0.3:53',
    '-A OTHER-DNAT -p tcp -m tcp --dport 1 -j DNAT --to-destination 172.17.0.9:1',
    '-A WHARF0-DNAT -j RETURN',
  ];
  assert.deepEqual(staleDnatRules(lines, 'WHARF0-DNAT', new Set(['172.17.0.2'])), [
    ['-p', 'udp', '-m', 'udp', '--dport', '53', '-j', 'DNAT', '--to-destination', '172.17.0.3:53'],
  ]);
  assert.deepEqual(staleDnatRules(lines, 'WHARF0-DNAT', new Set(['172.17.0.2', '172.17.0.3'])), []);
});
