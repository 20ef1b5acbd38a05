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
