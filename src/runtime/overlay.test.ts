import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overlayData, overlayMountArgv } from './overlay.js';

const m = { cwd: '/store/layers', lowerdirs: ['l/b', 'l/a'], upperdir: '/c/diff', workdir: '/c/work', target: '/c/merged' };

test('overlay option string: lowers top first, then upper and work', () => {
  assert.equal(overlayData(m), 'lowerdir=l/b:l/a,upperdir=/c/diff,workdir=/c/work');
});

test('mount(8) argv carries the same option string', () => {
  assert.deepEqual(overlayMountArgv(m), ['mount', '-t', 'overlay', 'overlay', '-o', 'lowerdir=l/b:l/a,upperdir=/c/diff,workdir=/c/work', '/c/merged']);
});
