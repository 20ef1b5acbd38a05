import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExitWatcher } from './exit-watcher.js';

test('exit files are reported; discard removes only one old enough', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-exits-'));
  const seen: string[] = [];
  const w = new ExitWatcher(dir, (id) => seen.push(id), 60_000);
  try {
    await fs.writeFile(path.join(dir, 'a'.repeat(64)), '137');
    await w.start();
    assert.deepEqual(seen, ['a'.repeat(64)]);
    const file = path.join(dir, 'a'.repeat(64));
    assert.equal(await w.discard('a'.repeat(64), 10_000), false, 'too fresh: kept');
    assert.ok(existsSync(file));
    assert.equal(await w.discard('a'.repeat(64), 10_000, Date.now() + 11_000), true);
    assert.ok(!existsSync(file));
    assert.equal(await w.discard('b'.repeat(64), 0), false, 'a missing file is fine');
  } finally {
    w.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
});
