import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDeviceCgroupRule, normalizeCapFlags, parseDeviceFlag, securityOptsForBody, splitSystemPaths } from './security-flags.js';
import { buildCreateBody, defaultCreateOptions } from './create-body.js';

test('capability flags as the docker CLI 28.2 sends them: normalised, sorted, unique, not trimmed', () => {
  assert.deepEqual(normalizeCapFlags(['net_admin', 'CAP_sys_admin', 'NET_ADMIN', 'all']), ['ALL', 'CAP_NET_ADMIN', 'CAP_SYS_ADMIN']);
  assert.deepEqual(normalizeCapFlags([' net_admin', 'chown']), ['CAP_ NET_ADMIN', 'CAP_CHOWN']);
});

test('--device forms, cleaning and the CLI\'s messages', () => {
  assert.deepEqual(parseDeviceFlag('/dev/null:/dev/x:rw'), { PathOnHost: '/dev/null', PathInContainer: '/dev/x', CgroupPermissions: 'rw' });
  assert.deepEqual(parseDeviceFlag('/dev/zero'), { PathOnHost: '/dev/zero', PathInContainer: '/dev/zero', CgroupPermissions: 'rwm' });
  assert.deepEqual(parseDeviceFlag('/dev/../null'), { PathOnHost: '/null', PathInContainer: '/null', CgroupPermissions: 'rwm' });
  assert.deepEqual(parseDeviceFlag('/dev/null:mr'), { PathOnHost: '/dev/null', PathInContainer: '/dev/null', CgroupPermissions: 'mr' });
  assert.deepEqual(parseDeviceFlag('/dev/../etc/passwd:/x'), { PathOnHost: '/dev/../etc/passwd', PathInContainer: '/x', CgroupPermissions: 'rwm' });
  assert.deepEqual(parseDeviceFlag('/dev/null:/dev/y/../z'), { PathOnHost: '/dev/null', PathInContainer: '/dev/z', CgroupPermissions: 'rwm' });
  assert.throws(() => parseDeviceFlag('/dev/null:/dev/x:rwz'), { message: 'bad mode specified: rwz' });
  assert.throws(() => parseDeviceFlag('/dev/null:/dev/x:'), { message: 'bad mode specified: ' });
  assert.throws(() => parseDeviceFlag('/dev/null:dev/x'), { message: 'dev/x is not an absolute path' });
  assert.throws(() => parseDeviceFlag('/dev/null:/dev/x:r:w'), { message: 'bad format for path: /dev/null:/dev/x:r:w' });
});

test('--device-cgroup-rule is checked as the CLI checks it', () => {
  assert.equal(checkDeviceCgroupRule('c 1:3 mr'), 'c 1:3 mr');
  assert.equal(checkDeviceCgroupRule('a *:* rwm'), 'a *:* rwm');
  assert.throws(() => checkDeviceCgroupRule('x'), { message: "invalid device cgroup format 'x'" });
});

test('--security-opt: a seccomp file goes as its compacted JSON; bad options in the CLI\'s words', () => {
  const files: Record<string, string> = { '/p.json': '{ "defaultAction" : "SCMP_ACT_ALLOW",\n  "syscalls": [ {"names": ["a b"], "action":"SCMP_ACT_ERRNO", "args": [{"index":0,"value":18446744073709551615,"op":"SCMP_CMP_EQ"}]} ] }' };
  const read = (p: string) => {
    if (files[p] === undefined) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    return files[p]!;
  };
  assert.deepEqual(securityOptsForBody(['seccomp=/p.json', 'no-new-privileges', 'seccomp=unconfined', 'apparmor=x', 'label:disable'], read), [
    'seccomp={"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["a b"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":18446744073709551615,"op":"SCMP_CMP_EQ"}]}]}',
    'no-new-privileges', 'seccomp=unconfined', 'apparmor=x', 'label:disable',
  ]);
  assert.throws(() => securityOptsForBody(['foo'], read), { message: 'Invalid --security-opt: "foo"' });
  assert.deepEqual(splitSystemPaths(['systempaths=unconfined', 'no-new-privileges']), { rest: ['no-new-privileges'], unconfinedPaths: true });
  assert.throws(() => securityOptsForBody(['seccomp='], read), { message: 'Invalid --security-opt: "seccomp="' });
  assert.throws(() => securityOptsForBody(['seccomp=/nonexist.json'], read), { message: 'opening seccomp profile (/nonexist.json) failed: open /nonexist.json: no such file or directory' });
});

test('the create body carries the security fields where the docker CLI puts them', () => {
  const o = { ...defaultCreateOptions('busybox'), capAdd: ['net_admin'], capDrop: ['all'], privileged: true, deviceCgroupRules: ['c 1:3 mr'], securityOpt: ['no-new-privileges'], unconfinedPaths: true };
  o.devices = [parseDeviceFlag('/dev/null:/dev/x')];
  const h = buildCreateBody(o, []).HostConfig as Record<string, unknown>;
  assert.deepEqual([h.CapAdd, h.CapDrop, h.Privileged, h.Devices, h.DeviceCgroupRules, h.SecurityOpt, h.MaskedPaths, h.ReadonlyPaths], [
    ['CAP_NET_ADMIN'], ['ALL'], true, [{ PathOnHost: '/dev/null', PathInContainer: '/dev/x', CgroupPermissions: 'rwm' }], ['c 1:3 mr'], ['no-new-privileges'], [], [],
  ]);
  const none = buildCreateBody(defaultCreateOptions('busybox'), []).HostConfig as Record<string, unknown>;
  assert.deepEqual([none.CapAdd, none.CapDrop, none.Privileged, none.Devices, none.DeviceCgroupRules, none.SecurityOpt, none.MaskedPaths], [null, null, false, [], null, null, null]);
});
