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

test('saves of one record close together leave the latest state on disk', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-store-'));
  try {
    const store = new ContainerStore(root);
    const rec = { ...record('b'.repeat(64), '/db'), state: { Status: 'created' } } as unknown as ContainerRecord;
    const saves: Promise<void>[] = [];
    for (const status of ['running', 'paused', 'running', 'exited']) {
      rec.state = { ...rec.state, Status: status } as ContainerRecord['state'];
      saves.push(store.save(rec));
    }
    await Promise.all(saves);
    const onDisk = JSON.parse(await fs.readFile(path.join(root, rec.id, 'config.v2.json'), 'utf8')) as ContainerRecord;
    assert.equal(onDisk.state.Status, 'exited');
    const pending = store.save(rec);
    await store.delete(rec.id); // waits for the write in flight, then removes everything
    await pending;
    assert.equal(existsSync(path.join(root, rec.id)), false);
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
});

test('a record written ahead lands on disk without changing the live one, and a later save wins', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-store-'));
  try {
    const store = new ContainerStore(root);
    const live = { ...record('b'.repeat(64), '/db'), step: 'created' } as ContainerRecord & { step: string };
    await store.save(live);
    const ahead = { ...live, step: 'running' };
    await store.saveAhead(ahead);
    assert.equal(store.get(live.id), live, 'the live record stays in memory');
    assert.equal(live.step, 'created');
    assert.ok(store.wroteLast(live.id, ahead));
    const onDisk = async () => {
      const again = new ContainerStore(root);
      await again.load();
      return (again.get(live.id) as typeof live | undefined)?.step;
    };
    assert.equal(await onDisk(), 'running');
    // A save queued after the write ahead is the last word, and wroteLast says so.
    live.step = 'renamed';
    await store.save(live);
    assert.equal(store.wroteLast(live.id, ahead), false);
    assert.equal(await onDisk(), 'renamed');
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
});
