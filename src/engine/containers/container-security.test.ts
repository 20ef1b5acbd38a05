import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError } from '../../errors.js';
import { DEFAULT_CAPS, KNOWN_CAPS } from '../../oci/capabilities.js';
import type { SpecDevice } from '../../oci/runtime-spec.js';
import { ContainerSecurity } from './container-security.js';

const nullDev: SpecDevice = { path: '/dev/null', type: 'c', major: 1, minor: 3, fileMode: 0o666, uid: 0, gid: 0 };
const sndDevs: SpecDevice[] = [
  { path: '/dev/snd/controlC0', type: 'c', major: 116, minor: 0, fileMode: 0o660, uid: 0, gid: 29 },
  { path: '/dev/snd/timer', type: 'c', major: 116, minor: 33, fileMode: 0o660, uid: 0, gid: 29 },
];
const host = {
  allowedCaps: new Set(KNOWN_CAPS.filter((c) => c !== 'CAP_SYS_RESOURCE')),
  target: { goArch: 'amd64', kernel: [6, 1] as [number, number] },
  gatherDevices(p: string) {
    if (p === '/dev/null') return { resolved: p, devices: [nullDev] };
    if (p === '/dev/snd') return { resolved: p, devices: sndDevs };
    throw new Error(p === '/dev/nonexist' ? 'no such file or directory' : 'not a device node');
  },
  hostDevices: () => [nullDev, ...sndDevs],
};
const names = (s: { seccomp?: { syscalls: { names: string[] }[] } }) => s.seccomp!.syscalls.flatMap((c) => c.names);

test('the default: Docker\'s capabilities and the default profile, nothing else', () => {
  const s = new ContainerSecurity(host).specFor({});
  assert.deepEqual(s.caps, DEFAULT_CAPS);
  assert.equal(s.noNewPrivileges, false);
  assert.equal(s.privileged, false);
  assert.deepEqual(s.devices, []);
  assert.deepEqual(s.deviceRules, []);
  assert.ok(!names(s).includes('unshare') && names(s).includes('chroot'));
});

test('the profile follows the capabilities: CAP_SYS_ADMIN allows unshare and mount', () => {
  const sec = new ContainerSecurity(host);
  assert.ok(names(sec.specFor({ CapAdd: ['sys_admin'] })).includes('unshare'));
  assert.ok(!names(sec.specFor({ CapDrop: ['ALL'] })).includes('chroot'));
  assert.deepEqual(sec.specFor({ CapDrop: 'ALL', CapAdd: 'chown' }).caps, ['CAP_CHOWN'], 'a lone string is a list of one (Docker\'s StrSlice)');
  assert.equal(sec.specFor({}).seccomp, sec.specFor({ SecurityOpt: ['no-new-privileges'] }).seccomp, 'translated once per capability set');
});

test('seccomp=unconfined and --privileged run without a filter; a profile given as JSON is translated', () => {
  const sec = new ContainerSecurity(host);
  assert.equal(sec.specFor({ SecurityOpt: ['seccomp=unconfined'] }).seccomp, undefined);
  const priv = sec.specFor({ Privileged: true, CapDrop: ['ALL'] });
  assert.equal(priv.seccomp, undefined);
  assert.deepEqual(priv.caps, [...host.allowedCaps]);
  assert.deepEqual(priv.devices, [nullDev, ...sndDevs]);
  assert.deepEqual(priv.deviceRules, [{ allow: true, access: 'rwm' }]);
  const custom = sec.specFor({ SecurityOpt: ['seccomp={"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO"}]}'] });
  assert.deepEqual(custom.seccomp, { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO' }] });
  assert.throws(() => sec.specFor({ SecurityOpt: ['seccomp=builtin'] }),
    (e: unknown) => e instanceof EngineError && e.kind === 'System' && e.message === "Decoding seccomp profile failed: invalid character 'b' looking for beginning of value");
});

test('--device: the node under its container path with a cgroup rule; a directory gives each node below it', () => {
  const s = new ContainerSecurity(host).specFor({
    Devices: [
      { PathOnHost: '/dev/null', PathInContainer: '/dev/xnull', CgroupPermissions: 'rw' },
      { PathOnHost: '/dev/snd', PathInContainer: '/dev/sound', CgroupPermissions: 'rwm' },
    ],
    DeviceCgroupRules: ['c 42:* rmw'],
  });
  assert.deepEqual(s.devices.map((d) => [d.path, d.major, d.minor, d.fileMode]), [
    ['/dev/xnull', 1, 3, 0o666], ['/dev/sound/controlC0', 116, 0, 0o660], ['/dev/sound/timer', 116, 33, 0o660],
  ]);
  assert.deepEqual(s.deviceRules, [
    { allow: true, type: 'c', major: 1, minor: 3, access: 'rw' },
    { allow: true, type: 'c', major: 116, minor: 0, access: 'rwm' },
    { allow: true, type: 'c', major: 116, minor: 33, access: 'rwm' },
    { allow: true, type: 'c', major: 42, access: 'rmw' },
  ]);
});

test('a path that is no device is refused at start in dockerd\'s words', () => {
  const sec = new ContainerSecurity(host);
  for (const [p, why] of [['/dev/../etc/passwd', 'not a device node'], ['/dev/nonexist', 'no such file or directory']]) {
    assert.throws(() => sec.specFor({ Devices: [{ PathOnHost: p!, PathInContainer: '/x', CgroupPermissions: 'rwm' }] }),
      (e: unknown) => e instanceof EngineError && e.kind === 'System' && e.message === `error gathering device information while adding custom device "${p}": ${why}`);
  }
});

test('MaskedPaths and ReadonlyPaths of the HostConfig replace the defaults (systempaths=unconfined sends them empty)', () => {
  const sec = new ContainerSecurity(host);
  const s = sec.specFor({ MaskedPaths: [], ReadonlyPaths: ['/proc/sys'] });
  assert.deepEqual([s.maskedPaths, s.readonlyPaths], [[], ['/proc/sys']]);
  const old = sec.specFor({});
  assert.deepEqual([old.maskedPaths, old.readonlyPaths], [undefined, undefined], 'a record without them keeps the defaults');
});
