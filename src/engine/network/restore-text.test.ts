import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toRestoreText } from './bridge-rules.js';
import { buildPublishRules } from './port-rules.js';

test('a range of published ports becomes one iptables-restore file', () => {
  const rules = [8000, 8001].flatMap((p) =>
    buildPublishRules('wharf0', { protocol: 'tcp', hostPort: p, containerIp: '172.17.0.2', containerPort: p }, false),
  );
  assert.equal(
    toRestoreText(rules, '-A'),
    '*nat\n' +
      '-A WHARF0-DNAT -p tcp -m tcp --dport 8000 -j DNAT --to-destination 172.17.0.2:8000\n' +
      '-A WHARF0-DNAT -p tcp -m tcp --dport 8001 -j DNAT --to-destination 172.17.0.2:8001\n' +
      'COMMIT\n',
  );
  assert.match(toRestoreText(rules, '-D'), /^\*nat\n-D WHARF0-DNAT -p tcp/);
});
