import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAddrJson, parseRouteJson } from './bridge-link.js';

test('parseRouteJson keeps destinations and devices, drops default', () => {
  const text =
    '[{"dst":"default","gateway":"192.0.2.1","dev":"eth0","flags":[]},' +
    '{"dst":"192.0.2.0/24","dev":"eth0","protocol":"kernel","scope":"link","prefsrc":"192.0.2.2","flags":[]},' +
    '{"dst":"10.9.9.9","gateway":"192.0.2.1","flags":[]}]\n';
  assert.deepEqual(parseRouteJson(text), [{ cidr: '192.0.2.0/24', dev: 'eth0' }, { cidr: '10.9.9.9' }]);
  assert.deepEqual(parseRouteJson(''), []);
});

test('parseAddrJson lists IPv4 addresses with their prefix and link', () => {
  const text =
    '[{"ifindex":4,"ifname":"eth0","addr_info":[{"family":"inet","local":"192.0.2.2","prefixlen":24,"broadcast":"192.0.2.255"}]},' +
    '{"ifindex":5,"ifname":"wharf0","addr_info":[{"family":"inet","local":"172.17.0.1","prefixlen":16},' +
    '{"family":"inet6","local":"fe80::1","prefixlen":64}]},{"ifindex":6,"ifname":"empty0","addr_info":[]}]';
  assert.deepEqual(parseAddrJson(text), [
    { cidr: '192.0.2.2/24', dev: 'eth0' },
    { cidr: '172.17.0.1/16', dev: 'wharf0' },
  ]);
});
