import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isWithin, resolveInRoot } from './scoped-path.js';

test('symlinks resolve with the root as /, and .. never climbs out', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'wharf-scoped-'));
  try {
    mkdirSync(path.join(root, 'usr/lib'), { recursive: true });
    symlinkSync('/../../../../etc', path.join(root, 'escape'));
    symlinkSync('usr/lib', path.join(root, 'lib'));
    assert.equal(await resolveInRoot(root, '/escape/passwd'), path.join(root, 'etc/passwd'));
    assert.equal(await resolveInRoot(root, 'lib/x'), path.join(root, 'usr/lib/x'));
    assert.equal(await resolveInRoot(root, '/../../tmp'), path.join(root, 'tmp'));
    assert.equal(await resolveInRoot(root, '/escape', false), path.join(root, 'escape'));
    assert.equal(isWithin(root, path.join(root, 'a/b')), true);
    assert.equal(isWithin(root, path.dirname(root)), false);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
