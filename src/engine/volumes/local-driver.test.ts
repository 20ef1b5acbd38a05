import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deviceMountArgv, hasDeviceOptions, mountPointsUnder } from './local-driver.js';
import { validateLocalOptions } from './volume-store.js';

test('device options of the local driver', () => {
  assert.equal(hasDeviceOptions(null), false);
  assert.equal(hasDeviceOptions({ type: 'tmpfs' }), false);
  assert.equal(hasDeviceOptions({ type: 'tmpfs', device: 'tmpfs' }), true);
  assert.deepEqual(deviceMountArgv({ type: 'tmpfs', device: 'tmpfs', o: 'size=2m' }, '/v/x/_data'), ['mount', '-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', '/v/x/_data']);
  assert.deepEqual(deviceMountArgv({ type: 'none', device: '/srv/d', o: 'bind' }, '/v/b/_data'), ['mount', '-t', 'none', '-o', 'bind', '/srv/d', '/v/b/_data']);
  assert.deepEqual(deviceMountArgv({ type: 'ext4', device: '/dev/sdb1' }, '/v/e/_data'), ['mount', '-t', 'ext4', '/dev/sdb1', '/v/e/_data']);
  validateLocalOptions('v', { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' });
  assert.throws(() => validateLocalOptions('v', { o: 'size=1m' }), { message: /^create v: missing required option: "(device|type)"$/ });
  assert.throws(() => validateLocalOptions('v', { size: '1' }), { message: 'create v: invalid option key: "size"' });
});

test('mount points at or under a directory, deepest first', () => {
  const info = [
    '22 1 254:0 / / rw - ext4 /dev/vda rw',
    '40 22 0:50 / /d/volumes/a/_data rw - tmpfs tmpfs rw',
    '41 22 0:51 / /d/volumes/a/_data/sub rw - tmpfs tmpfs rw',
    '42 22 0:52 / /d/volumes/ab rw - tmpfs tmpfs rw',
    '43 22 0:53 / /d/volumes/with\\040space rw - tmpfs tmpfs rw',
  ].join('\n');
  assert.deepEqual(mountPointsUnder(info, '/d/volumes/a'), ['/d/volumes/a/_data/sub', '/d/volumes/a/_data']);
  assert.deepEqual(mountPointsUnder(info, '/d/volumes/a/_data'), ['/d/volumes/a/_data/sub', '/d/volumes/a/_data']);
  assert.deepEqual(mountPointsUnder(info, '/d/volumes/with space'), ['/d/volumes/with space']);
  assert.deepEqual(mountPointsUnder(info, '/d/other'), []);
});
