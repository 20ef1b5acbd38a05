import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BuildArgs } from './build-args.js';
import { computeCacheKey, createFileBuildCache } from './build-cache.js';
import { normalizeBuildTag } from './build-tags.js';

test('build args: declared ones are visible, meta values reach `ARG name` in a stage, ENV wins', () => {
  const args = new BuildArgs({ V: '2', NOVAL: null, HTTP_PROXY: 'p', EXTRA: 'x' });
  args.addMetaArg('BASE', 'busybox');
  args.resetStage();
  assert.deepEqual([...args.allAllowed()], [['HTTP_PROXY', 'p']]);
  args.addArg('BASE', undefined);
  args.addArg('V', '1');
  args.addArg('NOVAL', undefined);
  assert.deepEqual(args.filterAllowed(['V=env']), ['BASE=busybox', 'HTTP_PROXY=p']);
  assert.deepEqual(args.filterAllowed([]), ['BASE=busybox', 'HTTP_PROXY=p', 'V=2']);
  assert.deepEqual(args.unusedOptions(), ['EXTRA']);
  assert.equal(args.isReferencedOrNotBuiltin('HTTP_PROXY'), false);
});

test('build tags are normalized like Docker does', () => {
  assert.deepEqual(['web', 'cf-t:v1', 'docker.io/library/busybox', 'localhost:5000/a/b:x'].map(normalizeBuildTag),
    ['web:latest', 'cf-t:v1', 'busybox:latest', 'localhost:5000/a/b:x']);
  assert.throws(() => normalizeBuildTag('a@sha256:00'), { message: 'build tag cannot contain a digest' });
  assert.throws(() => normalizeBuildTag('bad tag'), { message: 'invalid reference format' });
});

test('the file cache persists entries and survives a reopen', async (t) => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-cache-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'builder', 'cache.json');
  const key = computeCacheKey({ parentId: 'sha256:a', step: 'ENV A=1', config: '{}', content: '' });
  assert.match(key, /^[0-9a-f]{64}$/);
  assert.notEqual(key, computeCacheKey({ parentId: 'sha256:b', step: 'ENV A=1', config: '{}', content: '' }));
  const cache = createFileBuildCache(file);
  await Promise.all([cache.put(key, 'sha256:img'), cache.put('other', 'sha256:x')]);
  const reopened = createFileBuildCache(file);
  assert.equal(await reopened.get(key), 'sha256:img');
  assert.equal(await reopened.get('other'), 'sha256:x');
  assert.equal(await reopened.get('missing'), undefined);
  await fs.writeFile(file, 'not json');
  assert.equal(await createFileBuildCache(file).get(key), undefined);
});
