import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Network } from '../../client/networks.js';
import { renderNetworkList, renderNetworkPrune } from './network-format.js';

const net = (Name: string, Driver: string, Id: string, Created = '2026-11-30T07:05:19.433027562Z'): Network =>
  ({ Name, Driver, Id, Created, Scope: 'local', EnableIPv6: false, Internal: false, Labels: {} });
const nets = [net('none', 'null', 'c'.repeat(64)), net('bridge', 'bridge', 'a'.repeat(64), '2026-11-30T09:00:00.000Z'), net('host', 'host', 'b'.repeat(64))];

test('network ls: docker\'s table, sorted by name, ids cut to 12', () => {
  assert.equal(
    renderNetworkList(nets, { format: '', quiet: false, noTrunc: false }),
    'NETWORK ID     NAME      DRIVER    SCOPE\n' +
      `${'a'.repeat(12)}   bridge    bridge    local\n` +
      `${'b'.repeat(12)}   host      host      local\n` +
      `${'c'.repeat(12)}   none      null      local\n`,
  );
  assert.equal(renderNetworkList(nets, { format: '', quiet: true, noTrunc: true }), ['a', 'b', 'c'].map((c) => c.repeat(64) + '\n').join(''));
});

test('network ls --format: the fields docker offers; CreatedAt as Go prints a UTC time', () => {
  assert.equal(
    renderNetworkList(nets.slice(0, 2), { format: '{{.Name}} {{.IPv6}} {{.Internal}} {{.CreatedAt}}', quiet: false, noTrunc: false }),
    'bridge false false 2026-11-30 09:00:00 +0000 UTC\nnone false false 2026-11-30 07:05:19.433027562 +0000 UTC\n',
  );
  assert.equal(renderNetworkPrune(null), '');
  assert.equal(renderNetworkPrune(['x']), 'Deleted Networks:\nx\n\n');
});
