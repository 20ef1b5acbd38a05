import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMountinfo } from './mountinfo.js';

test('mountinfo: fields, optional fields, escaped paths; partial lines skipped', () => {
  const text = [
    '22 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
    '30 22 0:40 /sub /srv/with\\040space rw shared:5 master:2 - tmpfs tmpfs rw,size=1k',
    '31 22 0:41 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct',
    '99 22 0:1 / /cut rw',
    '',
  ].join('\n');
  assert.deepEqual(parseMountinfo(text), [
    { root: '/', mountPoint: '/', optionalFields: [], fstype: 'ext4', superOptions: ['rw'] },
    { root: '/sub', mountPoint: '/srv/with space', optionalFields: ['shared:5', 'master:2'], fstype: 'tmpfs', superOptions: ['rw', 'size=1k'] },
    { root: '/', mountPoint: '/sys/fs/cgroup/cpu,cpuacct', optionalFields: [], fstype: 'cgroup', superOptions: ['rw', 'cpu', 'cpuacct'] },
  ]);
});
