import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { removeStaleTemps } from './stale-temps.js';
import { isAtomicTemp, writeFileAtomic } from './atomic-file.js';

test('the temporaries of cut atomic writes go; records, and files in container layers, stay', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'wharf-temps-'));
  try {
    const ctr = path.join(root, 'containers', 'a'.repeat(64));
    mkdirSync(path.join(ctr, 'upper'), { recursive: true });
    mkdirSync(path.join(root, 'image', 'images'), { recursive: true });
    await writeFileAtomic(path.join(ctr, 'config.v2.json'), '{}');
    const cut = ['.config.v2.json.0123456789ab.tmp'];
    writeFileSync(path.join(ctr, cut[0]!), '{');
    writeFileSync(path.join(ctr, 'upper', '.config.v2.json.0123456789ab.tmp'), 'user data');
    writeFileSync(path.join(root, 'image', '.repositories.json.ba9876543210.tmp'), '{');
    writeFileSync(path.join(root, 'image', 'images', '.x.json.aaaaaaaaaaaa.tmp'), '{');
    writeFileSync(path.join(root, 'image', '.not-a-temp.tmp'), 'kept');
    const removed = await removeStaleTemps(root);
    assert.equal(removed.length, 3);
    assert.deepEqual(readdirSync(ctr).sort(), ['config.v2.json', 'upper']);
    assert.deepEqual(readdirSync(path.join(ctr, 'upper')), ['.config.v2.json.0123456789ab.tmp']);
    assert.deepEqual(readdirSync(path.join(root, 'image')).sort(), ['.not-a-temp.tmp', 'images']);
    assert.equal(isAtomicTemp('.config.v2.json.0123456789ab.tmp'), true);
    assert.equal(isAtomicTemp('config.v2.json'), false);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
