/**
 * Overlay mounts on the real host (needs root): mounting twice mounts once, the mount is seen by
 * its own device number, and unmounting leaves a plain directory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isMounted, mountOverlay, unmountOverlay } from '../../src/runtime/overlay.js';

const skip = process.getuid?.() !== 0 ? 'needs root' : false;

async function mountCount(target: string): Promise<number> {
  const info = await fs.readFile('/proc/self/mountinfo', 'utf8');
  return info.split('\n').filter((line) => line.split(' ')[4] === target).length;
}

test('overlay: one mount however often it is asked for, seen by its device, gone after unmount', { skip }, async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-ovl-'));
  const target = path.join(dir, 'merged');
  try {
    await fs.mkdir(path.join(dir, 'lower'));
    await fs.writeFile(path.join(dir, 'lower', 'hello'), 'from the layer\n');
    const m = { cwd: dir, lowerdirs: ['lower'], upperdir: path.join(dir, 'upper'), workdir: path.join(dir, 'work'), target };
    assert.equal(isMounted(target), false); // does not exist yet
    await mountOverlay(m);
    await mountOverlay(m);
    assert.equal(isMounted(target), true);
    assert.equal(await mountCount(target), 1);
    assert.equal(await fs.readFile(path.join(target, 'hello'), 'utf8'), 'from the layer\n');
    await unmountOverlay(target);
    await unmountOverlay(target);
    assert.equal(isMounted(target), false);
    assert.equal(await mountCount(target), 0);
  } finally {
    await unmountOverlay(target).catch(() => {});
    await fs.rm(dir, { recursive: true, force: true });
  }
});
