import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPredefinedNetworks } from './predefined-networks.js';

test('host and none keep the ids they were given; a damaged file gets new ones', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-nets-'));
  try {
    let n = 0;
    const id = () => String(++n).repeat(64).slice(0, 64);
    const now = () => new Date('2026-11-30T07:00:00Z');
    const first = await loadPredefinedNetworks(dir, id, now);
    assert.deepEqual(first, { host: { id: '1'.repeat(64), created: '2026-11-30T07:00:00.000Z' }, none: { id: '2'.repeat(64), created: '2026-11-30T07:00:00.000Z' } });
    assert.deepEqual(await loadPredefinedNetworks(dir, id, now), first, 'read back, not made again');
    await fs.writeFile(path.join(dir, 'predefined-networks.json'), JSON.stringify({ host: { id: 'not-hex', created: 'x' }, none: first.none }));
    const repaired = await loadPredefinedNetworks(dir, id, now);
    assert.equal(repaired.host.id, '3'.repeat(64));
    assert.deepEqual(repaired.none, first.none);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
