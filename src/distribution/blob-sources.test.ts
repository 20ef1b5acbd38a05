import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BlobSources } from './blob-sources.js';

test('blob sources: newest first, one entry per blob and repository, kept across restarts, dropped on demand', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'blob-sources-'));
  try {
    const file = path.join(dir, 'sources.json');
    const a = new BlobSources(file);
    const src = { digest: 'sha256:aa', size: 3, mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', registry: '127.0.0.1:5000' };
    await a.add('sha256:d1', { ...src, repo: 'one' });
    await a.add('sha256:d1', { ...src, repo: 'two' });
    await a.add('sha256:d1', { ...src, repo: 'one' });
    assert.deepEqual((await a.of('sha256:d1')).map((s) => s.repo), ['one', 'two']);
    const b = new BlobSources(file);
    assert.deepEqual((await b.of('sha256:d1')).map((s) => s.repo), ['one', 'two']);
    await b.drop('sha256:d1', { ...src, repo: 'one' });
    assert.deepEqual((await new BlobSources(file).of('sha256:d1')).map((s) => s.repo), ['two']);
    assert.deepEqual(await b.of('sha256:none'), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
