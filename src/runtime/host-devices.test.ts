import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deviceAt, gatherDevices, hostDevices, NotADeviceError } from './host-devices.js';

test('a device node: type, major, minor, mode and owner', () => {
  assert.deepEqual(deviceAt('/dev/null'), { path: '/dev/null', type: 'c', major: 1, minor: 3, fileMode: 0o666, uid: 0, gid: 0 });
  assert.throws(() => deviceAt('/dev/../etc/passwd'), new NotADeviceError('not a device node'));
  assert.throws(() => deviceAt('/dev/wharf-no-such-device'), new NotADeviceError('no such file or directory'));
});

test('--device follows a symbolic link and takes every node below a directory', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wharf-dev-'));
  try {
    symlinkSync('/dev/zero', path.join(dir, 'z'));
    assert.deepEqual(gatherDevices(path.join(dir, 'z')).devices.map((d) => [d.path, d.major, d.minor]), [['/dev/zero', 1, 5]]);
    mkdirSync(path.join(dir, 'sub'));
    symlinkSync('/dev/null', path.join(dir, 'sub', 'n')); // a link below a directory is no node
    writeFileSync(path.join(dir, 'file'), '');
    assert.throws(() => gatherDevices(dir), new NotADeviceError('not a device node'));
    const found = gatherDevices('/dev');
    assert.ok(found.devices.some((d) => d.path === '/dev/null'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the host\'s devices for --privileged leave out /dev/pts and the console', () => {
  const all = hostDevices();
  assert.ok(all.some((d) => d.path === '/dev/null'));
  assert.ok(!all.some((d) => d.path.startsWith('/dev/pts/') || d.path === '/dev/console'));
});
