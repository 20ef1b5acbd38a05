import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { privateModeRules, tightenPrivateModes } from './private-modes.js';

const modeOf = (p: string) => statSync(p).mode & 0o7777;

let scratch = '';
let n = 0;
before(() => (scratch = mkdtempSync(path.join(os.tmpdir(), 'wharf-modes-'))));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `fn` with a directory of its own in the scratch directory. */
async function inScratch(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = path.join(scratch, String(n++));
  mkdirSync(dir);
  await fn(dir);
}

test('new roots are made private, their missing parents with the usual 0755', async () => {
  await inScratch(async (dir) => {
    const data = path.join(dir, 'new/parent/data');
    const exec = path.join(dir, 'run');
    await tightenPrivateModes(privateModeRules(data, exec));
    assert.equal(modeOf(path.join(dir, 'new/parent')), 0o755);
    assert.equal(modeOf(data), 0o710);
    assert.equal(modeOf(path.join(data, 'containers')), 0o710);
    assert.equal(modeOf(path.join(data, 'image')), 0o700);
    assert.equal(modeOf(path.join(data, 'volumes')), 0o701);
    assert.equal(modeOf(exec), 0o700);
    for (const sub of ['exits', 'socks', 'runc', 'exec']) assert.equal(modeOf(path.join(exec, sub)), 0o700, sub);
    assert.deepEqual(await tightenPrivateModes(privateModeRules(data, exec)), [], 'nothing left to change');
  });
});

test('an open data root of an older wharfd is closed: roots, container directories, records', async () => {
  await inScratch(async (dir) => {
    const data = path.join(dir, 'data');
    const exec = path.join(dir, 'run');
    const id = 'a'.repeat(64);
    const ctr = path.join(data, 'containers', id);
    const run = path.join(exec, 'containers', id);
    for (const d of [path.join(ctr, 'rootfs/usr/bin'), path.join(run, 'links'), path.join(data, 'volumes/v/_data'), path.join(data, 'image/images')]) {
      mkdirSync(d, { recursive: true, mode: 0o755 });
    }
    const files: Record<string, number> = {
      [path.join(ctr, 'config.v2.json')]: 0o600, [path.join(ctr, 'ctr.log')]: 0o600, [path.join(run, 'config.json')]: 0o600,
      [path.join(data, 'image/repositories.json')]: 0o600, [path.join(data, 'image/images/abc.json')]: 0o600,
      [path.join(data, 'volumes/v/volume.json')]: 0o600,
      // Bound into the container, or content of its rootfs: kept as they are.
      [path.join(run, 'hosts')]: 0o644, [path.join(run, 'links/db.env')]: 0o644, [path.join(ctr, 'rootfs/usr/bin/tool')]: 0o4755,
    };
    for (const f of Object.keys(files)) writeFileSync(f, '{}', { mode: 0o644 });
    chmodSync(path.join(ctr, 'rootfs/usr/bin/tool'), 0o4755);
    symlinkSync('/proc/self/fd/0', path.join(run, '.gate'));
    const changed = await tightenPrivateModes(privateModeRules(data, exec));
    assert.ok(changed.includes(data) && changed.includes(ctr) && changed.includes(run));
    assert.equal(modeOf(data), 0o710);
    assert.equal(modeOf(ctr), 0o710);
    assert.equal(modeOf(run), 0o710);
    for (const [f, mode] of Object.entries(files)) assert.equal(modeOf(f), mode, f);
    assert.equal(modeOf(path.join(ctr, 'rootfs')), 0o755, 'a rootfs is not walked');
    assert.equal(modeOf(path.join(data, 'volumes/v/_data')), 0o755, "a volume's data keeps its mode");
    assert.ok(lstatSync(path.join(run, '.gate')).isSymbolicLink());
  });
});

test('a symbolic link where a record is expected is not followed', async () => {
  await inScratch(async (dir) => {
    const data = path.join(dir, 'data');
    const target = path.join(dir, 'elsewhere');
    writeFileSync(target, 'x', { mode: 0o644 });
    chmodSync(target, 0o644);
    mkdirSync(path.join(data, 'image'), { recursive: true });
    symlinkSync(target, path.join(data, 'image/repositories.json'));
    await tightenPrivateModes(privateModeRules(data, path.join(dir, 'run')));
    assert.equal(modeOf(target), 0o644);
  });
});
