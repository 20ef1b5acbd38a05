import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, statfsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureVolatileExecRoot, planExecRoot } from './volatile-exec-root.js';

test('an exec root already on a tmpfs is kept as it is, whatever it holds', () => {
  assert.equal(planExecRoot(true, []), 'keep');
  assert.equal(planExecRoot(true, ['runc', 'exits']), 'keep');
});

test('a new or empty exec root on disk gets a tmpfs; one holding state is left alone', () => {
  assert.equal(planExecRoot(false, []), 'mount');
  assert.equal(planExecRoot(false, ['runc']), 'in-use');
  assert.equal(planExecRoot(false, ['gate.sock', 'containers']), 'in-use');
});

test('ensureVolatileExecRoot mounts on a new directory, leaves one with state, and survives a refused mount', async (t) => {
  const base = mkdtempSync(path.join(os.tmpdir(), 'wharf-execroot-'));
  try {
    if (statfsSync(base).type === 0x01021994) return t.skip('the temporary directory is on a tmpfs already');
    const mounted: string[] = [];
    const lines: string[] = [];
    const fresh = path.join(base, 'new/run');
    await ensureVolatileExecRoot(fresh, (l) => lines.push(l), async (d) => mounted.push(d));
    assert.deepEqual(mounted, [fresh]);

    const used = path.join(base, 'used');
    mkdirSync(path.join(used, 'runc'), { recursive: true });
    await ensureVolatileExecRoot(used, (l) => lines.push(l), async (d) => mounted.push(d));
    assert.deepEqual(mounted, [fresh]);
    assert.match(lines.at(-1)!, /holds state of an earlier run: kept on disk/);

    const refused = path.join(base, 'refused');
    await ensureVolatileExecRoot(refused, (l) => lines.push(l), async () => {
      throw new Error('mount: permission denied');
    });
    assert.match(lines.at(-1)!, /could not mount a tmpfs \(mount: permission denied\); kept on disk/);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
