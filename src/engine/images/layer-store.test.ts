import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { INIT_LAYER, LayerStore } from './layer-store.js';

test('every container gets the shared init layer on top: the mount points runc needs, nothing else', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-layers-'));
  try {
    const store = new LayerStore(root);
    await store.init();
    const init = path.join(root, INIT_LAYER);
    const entries = async (d: string) => (await fs.readdir(path.join(init, d))).sort();
    assert.deepEqual(await entries('.'), ['dev', 'etc', 'proc', 'sys']);
    assert.deepEqual(await entries('etc'), ['hostname', 'hosts', 'resolv.conf']);
    for (const f of ['etc/hosts', 'etc/hostname', 'etc/resolv.conf']) {
      const st = await fs.stat(path.join(init, f));
      assert.ok(st.isFile() && st.size === 0 && (st.mode & 0o777) === 0o644, f);
    }
    assert.deepEqual(await store.mountSpec([]), { cwd: root, lowerdirs: [INIT_LAYER] });

    // Whatever got into it is put right at the next start of the daemon.
    await fs.writeFile(path.join(init, 'etc/hosts'), 'stale');
    await fs.rm(path.join(init, 'proc'), { recursive: true });
    await fs.writeFile(path.join(init, 'proc'), 'not a directory');
    await new LayerStore(root).init();
    assert.equal((await fs.stat(path.join(init, 'etc/hosts'))).size, 0);
    assert.ok((await fs.stat(path.join(init, 'proc'))).isDirectory());
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
});
