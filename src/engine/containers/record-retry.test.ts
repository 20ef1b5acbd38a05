import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecordRetry } from './record-retry.js';
import type { ContainerRecord } from './container-record.js';

test('a failed save never throws, is logged, and is tried again with the record as it is then', async () => {
  const rec = { id: 'a', state: { Status: 'exited' } } as unknown as ContainerRecord;
  const saved: string[] = [];
  let full = true;
  const store = {
    get: (id: string) => (id === 'a' ? rec : undefined),
    save: async (r: ContainerRecord) => {
      if (full) throw new Error('write /x: no space left on device');
      saved.push(r.state.Status);
    },
  };
  const log: string[] = [];
  const retry = new RecordRetry(store, (l) => log.push(l), 20);
  await retry.save(rec);
  assert.equal(retry.pending('a'), true);
  assert.match(log[0]!, /record of container a not saved, retrying in 20 ms: write \/x: no space left on device/);
  rec.state.Status = 'restarting';
  full = false;
  await new Promise((r) => setTimeout(r, 60));
  assert.deepEqual(saved, ['restarting']);
  assert.equal(retry.pending('a'), false);
});

test('a retry stops when the container is gone, or when the daemon stops', async () => {
  let calls = 0;
  const failing = { get: () => undefined, save: async () => { calls++; throw new Error('full'); } };
  const retry = new RecordRetry(failing, () => {}, 10);
  await retry.save({ id: 'gone' } as unknown as ContainerRecord);
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(calls, 1, 'no record any more: no retry');
  const again = new RecordRetry({ ...failing, get: () => ({ id: 'b' }) as unknown as ContainerRecord }, () => {}, 10);
  await again.save({ id: 'b' } as unknown as ContainerRecord);
  again.stop();
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(calls, 2);
});
