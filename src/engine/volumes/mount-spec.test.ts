import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBind, parseApiMount, anonymousVolume, parseVolumesFrom, validateVolumeName } from './mount-spec.js';

test('the three -v forms', () => {
  assert.deepEqual(parseBind('/host/dir:/MountPoint'), { type: 'bind', name: '', source: '/host/dir', destination: '/MountPoint', rw: true, mode: '', copyData: false, propagation: 'rprivate' });
  assert.deepEqual(parseBind('/h/f.txt:/f.txt:ro'), { type: 'bind', name: '', source: '/h/f.txt', destination: '/f.txt', rw: false, mode: 'ro', copyData: false, propagation: 'rprivate' });
  assert.deepEqual(parseBind('data:/var/lib/db:rw,nocopy'), { type: 'volume', name: 'data', source: '', destination: '/var/lib/db', rw: true, mode: 'rw,nocopy', copyData: false, propagation: '' });
  assert.deepEqual(anonymousVolume('/data/'), { type: 'volume', name: '', source: '', destination: '/data', rw: true, mode: '', copyData: true, propagation: '' });
});

test('bad specs get Docker wording', () => {
  assert.throws(() => parseBind('/a'), /invalid volume specification: '\/a'/);
  assert.throws(() => parseBind('/a:rel'), /mount path must be absolute/);
  assert.throws(() => parseBind('/a:/b:bogus'), /invalid mode: bogus/);
  assert.throws(() => parseBind('/a:/'), /destination can't be '\/'/);
  assert.throws(() => validateVolumeName('-x'), /includes invalid characters for a local volume name/);
  assert.throws(() => parseApiMount({ Type: 'tmpfs', Target: '/x' }), /not supported/);
  assert.throws(() => parseVolumesFrom('c:xx'), /invalid mode for volumes-from/);
});

test('--mount and --volumes-from', () => {
  assert.equal(parseApiMount({ Type: 'volume', Source: 'v1', Target: '/d', VolumeOptions: { NoCopy: true } }).copyData, false);
  assert.equal(parseApiMount({ Type: 'bind', Source: '/h', Target: '/d', ReadOnly: true }).rw, false);
  assert.deepEqual(parseVolumesFrom('cf-datavol'), { container: 'cf-datavol', mode: '' });
  assert.deepEqual(parseVolumesFrom('abc:ro'), { container: 'abc', mode: 'ro' });
});
