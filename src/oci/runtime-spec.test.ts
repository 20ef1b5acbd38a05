import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRuntimeSpec, type SpecInput } from './runtime-spec.js';

const input = (over: Partial<SpecInput> = {}): SpecInput => ({
  args: ['sleep', '600'], env: ['PATH=/bin'], cwd: '/', user: { uid: 0, gid: 0 }, terminal: false, hostname: 'h',
  netnsPath: '/run/netns/x', hostNetwork: false, cgroupsPath: '/wharf/abc',
  rootfs: '/var/lib/wharf/containers/abc/rootfs',
  etcFiles: { hosts: '/run/wharf/containers/abc/hosts', hostname: '/run/wharf/containers/abc/hostname', resolvConf: '/run/wharf/containers/abc/resolv.conf' },
  ...over,
});

type Spec = { root: { path: string; readonly: boolean }; mounts: { destination: string; source: string; options: string[] }[] };

test('the bundle lives apart from the rootfs: root.path is the absolute rootfs', () => {
  const spec = buildRuntimeSpec(input()) as Spec;
  assert.deepEqual(spec.root, { path: '/var/lib/wharf/containers/abc/rootfs', readonly: false });
  assert.equal((buildRuntimeSpec(input({ readonlyRootfs: true })) as Spec).root.readonly, true);
});

test('the /etc files of the run are bound read-write over the image\'s, last, as Docker orders them', () => {
  const spec = buildRuntimeSpec(input({ liveLinksDir: '/run/wharf/containers/abc/links' })) as Spec;
  const tail = spec.mounts.slice(-4).map((m) => [m.destination, m.source]);
  assert.deepEqual(tail, [
    ['/run/wharf/links', '/run/wharf/containers/abc/links'],
    ['/etc/resolv.conf', '/run/wharf/containers/abc/resolv.conf'],
    ['/etc/hostname', '/run/wharf/containers/abc/hostname'],
    ['/etc/hosts', '/run/wharf/containers/abc/hosts'],
  ]);
  assert.ok(spec.mounts.find((m) => m.destination === '/run/wharf/links')!.options.includes('ro'));
});

type FullSpec = Spec & {
  process: { capabilities: Record<string, string[]>; noNewPrivileges: boolean };
  mounts: { destination: string; options: string[] }[];
  linux: { maskedPaths?: string[]; readonlyPaths?: string[]; devices?: unknown[]; seccomp?: unknown; resources: { devices: unknown[] } };
};

test('security: capabilities in bounding, effective and permitted; no-new-privileges; seccomp; devices', () => {
  const dev = { path: '/dev/xnull', type: 'c' as const, major: 1, minor: 3, fileMode: 0o666, uid: 0, gid: 0 };
  const seccomp = { defaultAction: 'SCMP_ACT_ERRNO', syscalls: [] };
  const spec = buildRuntimeSpec(input({ security: {
    caps: ['CAP_CHOWN'], noNewPrivileges: true, seccomp, privileged: false, devices: [dev],
    deviceRules: [{ allow: true, type: 'c', major: 1, minor: 3, access: 'rw' }],
  } })) as FullSpec;
  assert.deepEqual(spec.process.capabilities, { bounding: ['CAP_CHOWN'], effective: ['CAP_CHOWN'], permitted: ['CAP_CHOWN'] });
  assert.equal(spec.process.noNewPrivileges, true);
  assert.equal(spec.linux.seccomp, seccomp);
  assert.deepEqual(spec.linux.devices, [dev]);
  assert.deepEqual(spec.linux.resources.devices.at(-1), { allow: true, type: 'c', major: 1, minor: 3, access: 'rw' });
  assert.ok(spec.linux.maskedPaths?.includes('/proc/kcore'));
  assert.ok(spec.mounts.find((m) => m.destination === '/sys')!.options.includes('ro'));
});

test('privileged: no masked or read-only paths, /sys and the cgroup mount read-write', () => {
  const spec = buildRuntimeSpec(input({ security: { caps: [], noNewPrivileges: false, privileged: true, devices: [], deviceRules: [{ allow: true, access: 'rwm' }] } })) as FullSpec;
  assert.equal(spec.linux.maskedPaths, undefined);
  assert.equal(spec.linux.readonlyPaths, undefined);
  assert.equal(spec.linux.seccomp, undefined);
  assert.deepEqual(spec.mounts.find((m) => m.destination === '/sys')!.options, ['nosuid', 'noexec', 'nodev']);
  assert.deepEqual(spec.mounts.find((m) => m.destination === '/sys/fs/cgroup')!.options, ['nosuid', 'noexec', 'nodev', 'relatime']);
  assert.deepEqual(spec.linux.resources.devices.at(-1), { allow: true, access: 'rwm' });
});

test('masked and read-only paths given with the security part replace Docker\'s', () => {
  const spec = buildRuntimeSpec(input({ security: { caps: [], noNewPrivileges: false, privileged: false, devices: [], deviceRules: [], maskedPaths: [], readonlyPaths: ['/proc/sys'] } })) as FullSpec;
  assert.deepEqual([spec.linux.maskedPaths, spec.linux.readonlyPaths], [[], ['/proc/sys']]);
});
