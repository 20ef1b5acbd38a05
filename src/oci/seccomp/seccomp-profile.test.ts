import { test } from 'node:test';
import assert from 'node:assert/strict';
import golden from './dockerd-20.10.24-seccomp.golden.json' with { type: 'json' };
import {
  DEFAULT_PROFILE, DefaultSeccompCache, goArchOf, parseKernelVersion, translateSeccomp, SeccompProfileError, type SeccompProfile,
} from './seccomp-profile.js';
import { DEFAULT_CAPS } from '../capabilities.js';

// What dockerd 20.10.24 wrote into config.json on this kind of machine (x86_64, kernel >= 4.8),
// for the default set, --cap-drop ALL, --cap-add SYS_ADMIN and every capability it knows but
// CAP_SYS_RESOURCE (which the test machine's bounding set lacks).
const machine = { goArch: 'amd64', kernel: [6, 1] as [number, number] };

for (const [name, want] of Object.entries(golden)) {
  test(`the default profile translates as dockerd 20.10.24's for the ${name} capability set`, () => {
    assert.deepEqual(translateSeccomp(DEFAULT_PROFILE, { ...machine, caps: new Set(want.caps) }), want.seccomp);
  });
}

test('x86_64 gets its sub-architectures X86 and X32 from the archMap', () => {
  const out = translateSeccomp(DEFAULT_PROFILE, { ...machine, caps: new Set(DEFAULT_CAPS) });
  assert.deepEqual(out.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
  assert.deepEqual(translateSeccomp(DEFAULT_PROFILE, { goArch: 'arm64', kernel: [6, 1], caps: new Set() }).architectures, ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
});

test('a sub-architecture the kernel cannot run is left out, and only the architecture list changes', () => {
  const full = translateSeccomp(DEFAULT_PROFILE, { ...machine, caps: new Set(DEFAULT_CAPS) });
  const out = translateSeccomp(DEFAULT_PROFILE, { ...machine, caps: new Set(DEFAULT_CAPS), missingSubArches: new Set(['SCMP_ARCH_X32']) });
  assert.deepEqual(out.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86']);
  assert.deepEqual(out.syscalls, full.syscalls);
});

test('includes.caps needs every capability; excludes.caps drops the rule when any is granted', () => {
  const profile: SeccompProfile = {
    defaultAction: 'SCMP_ACT_ERRNO',
    syscalls: [
      { names: ['a'], action: 'SCMP_ACT_ALLOW', includes: { caps: ['CAP_X', 'CAP_Y'] } },
      { names: ['b'], action: 'SCMP_ACT_ERRNO', errnoRet: 38, excludes: { caps: ['CAP_X'] } },
      { name: 'c', action: 'SCMP_ACT_ALLOW', includes: { minKernel: '4.8' }, comment: 'dropped' },
      { names: ['d'], action: 'SCMP_ACT_ALLOW', includes: { arches: ['s390x'] } },
      { names: ['e'], action: 'SCMP_ACT_ALLOW', excludes: { arches: ['amd64'] } },
    ],
  };
  const names = (caps: string[], kernel: [number, number] = [6, 1]) =>
    translateSeccomp(profile, { goArch: 'amd64', kernel, caps: new Set(caps) }).syscalls.map((s) => s.names.join());
  assert.deepEqual(names(['CAP_X']), ['c']);
  assert.deepEqual(names(['CAP_X', 'CAP_Y']), ['a', 'c']);
  assert.deepEqual(names([]), ['b', 'c']);
  assert.deepEqual(names([], [4, 4]), ['b']);
  assert.deepEqual(translateSeccomp(profile, { goArch: 'amd64', kernel: [6, 1], caps: new Set() }).syscalls[0], { names: ['b'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 });
});

test('a profile with both architectures and archMap, or name and names, is refused in dockerd\'s words', () => {
  const t = { goArch: 'amd64', kernel: [6, 1] as [number, number], caps: new Set<string>() };
  assert.throws(() => translateSeccomp({ defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_X86'], archMap: [{ architecture: 'SCMP_ARCH_X86_64', subArchitectures: null }] }, t),
    new SeccompProfileError("'architectures' and 'archMap' were specified in the seccomp profile, use either 'architectures' or 'archMap'"));
  assert.throws(() => translateSeccomp({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ name: 'a', names: ['b'], action: 'SCMP_ACT_ALLOW' }] }, t), /use either 'name' or 'names'/);
  assert.deepEqual(translateSeccomp({ defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_X86'] }, t), { defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_X86'], syscalls: [] });
});

test('the cache translates once per capability set, whatever the order of the set', () => {
  const cache = new DefaultSeccompCache(machine);
  const a = cache.forCaps(['CAP_CHOWN', 'CAP_SYS_ADMIN']);
  assert.equal(cache.forCaps(['CAP_SYS_ADMIN', 'CAP_CHOWN']), a);
  assert.notEqual(cache.forCaps(['CAP_CHOWN']), a);
});

test('Node architecture and kernel release parsing', () => {
  assert.equal(goArchOf('x64'), 'amd64');
  assert.deepEqual(parseKernelVersion('6.18.44-fc-v1300'), [6, 18]);
  assert.deepEqual(parseKernelVersion('4.8'), [4, 8]);
});
