import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderLiveLink, liveLinkFileBase } from './live-link.js';

test('live link files carry the link variables and a JSON twin', () => {
  const files = renderLiveLink(
    { alias: 'db', name: 'cf-db', id: 'abc', ip: '172.17.0.2', ports: ['5432/tcp'], env: ['DB_PORT=tcp://172.17.0.2:5432', 'DB_NAME=/web/db'] },
    '2026-11-22T10:00:00.000Z',
  );
  assert.equal(files.env, 'DB_PORT=tcp://172.17.0.2:5432\nDB_NAME=/web/db\n');
  assert.deepEqual(JSON.parse(files.json), {
    alias: 'db', name: 'cf-db', id: 'abc', ip: '172.17.0.2', ports: ['5432/tcp'],
    env: ['DB_PORT=tcp://172.17.0.2:5432', 'DB_NAME=/web/db'], updatedAt: '2026-11-22T10:00:00.000Z',
  });
  assert.equal(liveLinkFileBase('my.db-1'), 'my.db-1');
  assert.equal(liveLinkFileBase('a/b'), 'a_b');
});
