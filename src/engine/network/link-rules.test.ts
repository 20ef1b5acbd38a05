import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLinkRules } from './link-rules.js';

test('link exceptions as golden argv', () => {
  assert.deepEqual(buildLinkRules('wharf0', { recipientIp: '172.17.0.3', sourceIp: '172.17.0.2', ports: [{ proto: 'tcp', port: 5432 }] }), [
    { table: 'filter', chain: 'WHARF0-FORWARD', rule: ['-i', 'wharf0', '-o', 'wharf0', '-s', '172.17.0.3', '-d', '172.17.0.2', '-p', 'tcp', '-m', 'tcp', '--dport', '5432', '-j', 'ACCEPT'] },
    { table: 'filter', chain: 'WHARF0-FORWARD', rule: ['-i', 'wharf0', '-o', 'wharf0', '-s', '172.17.0.2', '-d', '172.17.0.3', '-p', 'tcp', '-m', 'tcp', '--sport', '5432', '-j', 'ACCEPT'] },
  ]);
});
