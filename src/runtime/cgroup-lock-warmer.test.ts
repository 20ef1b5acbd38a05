import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CgroupLockWarmer, daemonCgroupProcsFile, ownCgroupProcsFile } from './cgroup-lock-warmer.js';

const HYBRID_MOUNTS = [
  '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct',
  '39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids',
  '40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd',
  '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
].join('\n');

test('the own cgroup.procs: the unified hierarchy first, then the first v1 one that is mounted', () => {
  const cgroup = '9:name=systemd:/system.slice/wharfd.service\n8:pids:/system.slice/wharfd.service\n1:cpu,cpuacct:/x\n0::/system.slice/wharfd.service\n';
  assert.equal(ownCgroupProcsFile(cgroup, HYBRID_MOUNTS), '/sys/fs/cgroup/unified/system.slice/wharfd.service/cgroup.procs');
  // Without the unified mount: the first v1 line whose controllers are all on one mount.
  const v1Only = HYBRID_MOUNTS.split('\n').filter((l) => !l.includes('cgroup2')).join('\n');
  assert.equal(ownCgroupProcsFile(cgroup, v1Only), '/sys/fs/cgroup/systemd/system.slice/wharfd.service/cgroup.procs');
  assert.equal(ownCgroupProcsFile('4:memory:/a\n1:cpu,cpuacct:/x\n', v1Only), '/sys/fs/cgroup/cpu,cpuacct/x/cgroup.procs');
});

test('pure v2, a mount of a sub-tree (inside a container), escaped mount points, nothing mounted', () => {
  const v2 = '25 1 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate';
  assert.equal(ownCgroupProcsFile('0::/\n', v2), '/sys/fs/cgroup/cgroup.procs');
  const sub = '25 1 0:26 /docker/abc /sys/fs/cgroup rw - cgroup2 cgroup2 rw';
  assert.equal(ownCgroupProcsFile('0::/docker/abc\n', sub), '/sys/fs/cgroup/cgroup.procs');
  assert.equal(ownCgroupProcsFile('0::/docker/abc/inner\n', sub), '/sys/fs/cgroup/inner/cgroup.procs');
  assert.equal(ownCgroupProcsFile('0::/elsewhere\n', sub), undefined); // not under the mount's root
  const spaced = '25 1 0:26 / /mnt/my\\040cgroups rw - cgroup2 cgroup2 rw';
  assert.equal(ownCgroupProcsFile('0::/a\n', spaced), '/mnt/my cgroups/a/cgroup.procs');
  assert.equal(ownCgroupProcsFile('0::/a\n', '31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw'), undefined);
  assert.equal(ownCgroupProcsFile('', HYBRID_MOUNTS), undefined);
  assert.equal(ownCgroupProcsFile('garbage\n7:pids\n', HYBRID_MOUNTS), undefined);
});

test('pokes during a write fold into one more write; a refused write ends the warming, a dead helper does not', async () => {
  const finishers: ((outcome: 'ok' | 'EROFS' | 'helper died') => void)[] = [];
  const failure = (outcome: string) => Object.assign(new Error(outcome), outcome.startsWith('E') ? { code: outcome } : {});
  const warmer = new CgroupLockWarmer(
    () => new Promise<void>((resolve, reject) => finishers.push((outcome) => (outcome === 'ok' ? resolve() : reject(failure(outcome))))),
  );
  const settle = () => new Promise((r) => setImmediate(r));
  warmer.poke();
  warmer.poke();
  warmer.poke();
  assert.equal(finishers.length, 1);
  finishers[0]!('ok');
  await settle();
  assert.equal(finishers.length, 2); // the folded pokes: one more write
  finishers[1]!('ok');
  await settle();
  assert.equal(finishers.length, 2); // nothing was poked meanwhile
  warmer.poke();
  finishers[2]!('helper died');
  await settle();
  warmer.poke(); // a helper that died is started again: warming goes on
  assert.equal(finishers.length, 4);
  finishers[3]!('EROFS');
  await settle();
  warmer.poke();
  assert.equal(finishers.length, 4); // no more writes once the kernel refused one
});

test('WHARF_CGROUP_WARM_FILE names the file to write instead (none: no warming)', (t) => {
  const saved = process.env.WHARF_CGROUP_WARM_FILE;
  t.after(() => {
    if (saved === undefined) delete process.env.WHARF_CGROUP_WARM_FILE;
    else process.env.WHARF_CGROUP_WARM_FILE = saved;
  });
  process.env.WHARF_CGROUP_WARM_FILE = '/tmp/model/warm';
  assert.equal(daemonCgroupProcsFile(), '/tmp/model/warm');
  process.env.WHARF_CGROUP_WARM_FILE = 'none';
  assert.equal(daemonCgroupProcsFile(), undefined);
  delete process.env.WHARF_CGROUP_WARM_FILE;
  // Without it: this process's own file, which exists wherever a cgroup hierarchy is mounted.
  const own = daemonCgroupProcsFile();
  if (/ - cgroup2? /.test(readFileSync('/proc/self/mountinfo', 'utf8'))) assert.ok(own && existsSync(own), String(own));
  else assert.equal(own, undefined);
});
