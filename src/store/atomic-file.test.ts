import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readJsonIfExists, writeFileAtomic, writeFileAtomicSync, writeJsonAtomic } from './atomic-file.js';

/** Runs `fn` with a new scratch directory, removed afterwards. */
async function inScratch(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wharf-atomic-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a new file is written whole, in a directory made for it, with no temporary file left', async () => {
  await inScratch(async (dir) => {
    const target = path.join(dir, 'a/b/record.json');
    await writeJsonAtomic(target, { name: 'ünïcode ✓', n: 1 });
    assert.deepEqual(await readJsonIfExists(target), { name: 'ünïcode ✓', n: 1 });
    assert.deepEqual(readdirSync(path.join(dir, 'a/b')), ['record.json']);
    assert.equal(statSync(target).mode & 0o777, 0o600, 'a record is root\'s alone');
    assert.equal(statSync(path.join(dir, 'a/b')).mode & 0o777, 0o710, 'its new directory too');
  });
});

test('a replacement swaps the content; bytes and modes are kept as given', async () => {
  await inScratch(async (dir) => {
    const target = path.join(dir, 'f');
    writeFileSync(target, 'old');
    const bytes = Buffer.alloc(200_000, 7);
    await writeFileAtomic(target, bytes, 0o640);
    assert.deepEqual(readFileSync(target), bytes);
    assert.equal(statSync(target).mode & 0o777, 0o640);
    writeFileAtomicSync(target, 'sync twin');
    assert.equal(readFileSync(target, 'utf8'), 'sync twin');
    assert.deepEqual(readdirSync(dir), ['f']);
  });
});

test('a failed rename leaves the old file as it was and no temporary file', async () => {
  await inScratch(async (dir) => {
    // The target is a non-empty directory: the rename over it fails.
    const target = path.join(dir, 'taken');
    writeFileSync(path.join(dir, 'keep'), 'x');
    await writeFileAtomic(path.join(target, 'inner'), 'inner');
    await assert.rejects(writeFileAtomic(target, 'new'));
    assert.deepEqual(readdirSync(dir).sort(), ['keep', 'taken']);
    assert.equal(readFileSync(path.join(target, 'inner'), 'utf8'), 'inner');
  });
});

test('readJsonIfExists: undefined for a missing file, an error for a broken one', async () => {
  await inScratch(async (dir) => {
    assert.equal(await readJsonIfExists(path.join(dir, 'none.json')), undefined);
    writeFileSync(path.join(dir, 'bad.json'), '{"half":');
    await assert.rejects(readJsonIfExists(path.join(dir, 'bad.json')), SyntaxError);
  });
});
