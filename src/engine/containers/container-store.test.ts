import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ContainerRecord } from './container-record.js';
import { ContainerStore } from './container-store.js';

const record = (id: string, name: string) => ({ id, name, links: [] }) as unknown as ContainerRecord;

test('a record saved after its removal stays removed, in memory and on disk', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-store-'));
  try {
    const store = new ContainerStore(root);
    const web = record('a'.repeat(64), '/web');
    await store.save(web);
    assert.equal(store.byName('web'), web);
    await store.delete(web.id);
    await store.save(web); // a late save by a task that read the record before
    assert.equal(store.get(web.id), undefined);
    assert.equal(store.byName('web'), undefined);
    assert.equal(existsSync(path.join(root, web.id)), false);
    const reloaded = new ContainerStore(root);
    await reloaded.load();
    assert.deepEqual(reloaded.all(), []);
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
});
