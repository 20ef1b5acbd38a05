import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError } from '../../errors.js';
import { deviceMappings, parseDeviceCgroupRule, parseSecurityOpt, securityRecordDefaults, validateSecurityConfig } from './security-options.js';

const fails = (fn: () => unknown, kind: string, message: string) =>
  assert.throws(fn, (e: unknown) => e instanceof EngineError && e.kind === kind && e.message === message);

test('SecurityOpt as dockerd 20.10 reads it', () => {
  assert.deepEqual(parseSecurityOpt(null), { noNewPrivileges: false, seccomp: 'default' });
  for (const on of ['no-new-privileges', 'no-new-privileges:true', 'no-new-privileges=true', 'no-new-privileges=1', 'no-new-privileges=T']) {
    assert.equal(parseSecurityOpt([on]).noNewPrivileges, true, on);
  }
  assert.equal(parseSecurityOpt(['no-new-privileges', 'no-new-privileges=false']).noNewPrivileges, false);
  assert.equal(parseSecurityOpt(['seccomp=unconfined']).seccomp, 'unconfined');
  assert.equal(parseSecurityOpt(['seccomp={"defaultAction":"SCMP_ACT_ALLOW"}']).seccomp, '{"defaultAction":"SCMP_ACT_ALLOW"}');
  // no AppArmor or SELinux on the host: accepted and ignored, as dockerd does
  assert.deepEqual(parseSecurityOpt(['apparmor=foo', 'label=disable', 'label=type:x', 'disable']), { noNewPrivileges: false, seccomp: 'default' });
});

test('unknown security options get dockerd\'s wording, as a 400', () => {
  fails(() => parseSecurityOpt(['foo']), 'InvalidParameter', 'invalid --security-opt 1: "foo"');
  fails(() => parseSecurityOpt(['foo=bar']), 'InvalidParameter', 'invalid --security-opt 2: "foo=bar"');
  fails(() => parseSecurityOpt(['no-new-privileges=maybe']), 'InvalidParameter', 'invalid --security-opt 2: "no-new-privileges=maybe"');
  fails(() => parseSecurityOpt(['systempaths=unconfined']), 'InvalidParameter', 'invalid --security-opt 2: "systempaths=unconfined"');
});

test('create refuses unknown capabilities (400, naming the field) and bad device modes', () => {
  fails(() => validateSecurityConfig({ CapAdd: ['FOO'] }), 'InvalidParameter', 'invalid CapAdd: unknown capability: "CAP_FOO"');
  fails(() => validateSecurityConfig({ CapDrop: ['foo'] }), 'InvalidParameter', 'invalid CapDrop: unknown capability: "CAP_FOO"');
  fails(() => validateSecurityConfig({ SecurityOpt: ['x'] }), 'InvalidParameter', 'invalid --security-opt 1: "x"');
  fails(() => validateSecurityConfig({ Devices: [{ PathOnHost: '/dev/null', PathInContainer: '/x', CgroupPermissions: 'rwz' }] }), 'InvalidParameter', 'bad mode specified: rwz');
  fails(() => validateSecurityConfig({ Devices: [{ PathOnHost: '/dev/null', PathInContainer: '/x', CgroupPermissions: 'rr' }] }), 'InvalidParameter', 'bad mode specified: rr');
  fails(() => validateSecurityConfig({ Devices: [{ PathOnHost: '/dev/null', PathInContainer: 'x', CgroupPermissions: 'r' }] }), 'InvalidParameter', 'x is not an absolute path');
  validateSecurityConfig({ CapAdd: ['all', 'net_admin'], CapDrop: ['CAP_CHOWN'], SecurityOpt: ['no-new-privileges'], DeviceCgroupRules: ['c 1:3 mr'] });
});

test('a device without a path in the container keeps its host path', () => {
  assert.deepEqual(deviceMappings({ Devices: [{ PathOnHost: '/dev/null', PathInContainer: '', CgroupPermissions: 'mrw' }] }), [
    { PathOnHost: '/dev/null', PathInContainer: '/dev/null', CgroupPermissions: 'mrw' },
  ]);
});

test('devices-cgroup rules, with * for any number, and dockerd\'s error', () => {
  assert.deepEqual(parseDeviceCgroupRule('c 1:3 mr'), { allow: true, type: 'c', major: 1, minor: 3, access: 'mr' });
  assert.deepEqual(parseDeviceCgroupRule('a *:* rwm'), { allow: true, type: 'a', access: 'rwm' });
  assert.deepEqual(parseDeviceCgroupRule('b 8:* r'), { allow: true, type: 'b', major: 8, access: 'r' });
  for (const bad of ['x 1:3 mr', 'c 1:3', 'c 1:3 rwmx', 'c1:3 r']) {
    fails(() => parseDeviceCgroupRule(bad), 'InvalidParameter', `invalid device cgroup rule format: '${bad}'`);
  }
});

test('what dockerd 20.10 writes into a new HostConfig: default system paths, label=disable when privileged', () => {
  const d = securityRecordDefaults({});
  assert.deepEqual(d.MaskedPaths, ['/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware']);
  assert.deepEqual(d.ReadonlyPaths, ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger']);
  assert.equal(d.SecurityOpt, undefined);
  assert.deepEqual(securityRecordDefaults({ MaskedPaths: [], ReadonlyPaths: [], SecurityOpt: [] }), {});
  assert.deepEqual(securityRecordDefaults({ Privileged: true }), { SecurityOpt: ['label=disable'] });
  assert.deepEqual(securityRecordDefaults({ Privileged: true, SecurityOpt: ['no-new-privileges'] }), { SecurityOpt: ['no-new-privileges', 'label=disable'] });
  assert.deepEqual(securityRecordDefaults({ Privileged: true, SecurityOpt: ['label=type:x'] }), {});
});
