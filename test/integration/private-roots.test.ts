/**
 * Issue 12, finding 1: the data root and the exec root are root's alone. A user of the host
 * (`nobody` here) can read no container's environment from its records or its runtime spec, list
 * no container, and run no setuid binary of a container's rootfs through its host path; a root
 * left open by an older wharfd is closed when wharfd starts. Containers still reach what is
 * bound into them as a non-root user.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { TestDaemon } from './daemon-harness.js';

const d = new TestDaemon();
const password = 'hunter2-' + randomBytes(6).toString('hex');
let id = '';

/**
 * Runs argv as nobody:nogroup without supplementary groups. Through env: setpriv keeps root's
 * capabilities up to its own execve, so the first path it runs is looked up as root would.
 */
function asNobody(argv: string[]): { out: string; code: number } {
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '/usr/bin/env', '--', ...argv], { encoding: 'utf8' });
  return { out: (r.stdout ?? '') + (r.stderr ?? ''), code: r.status ?? -1 };
}

const modeOf = (p: string) => statSync(p).mode & 0o777;

/** Every way in that the finding showed: each must fail for nobody. */
function assertClosedToNobody(): void {
  const record = path.join(d.dataRoot, 'containers', id, 'config.v2.json');
  const spec = path.join(d.execRoot, 'containers', id, 'config.json');
  for (const file of [record, spec]) {
    const r = asNobody(['cat', file]);
    assert.notEqual(r.code, 0, `nobody read ${file}`);
    assert.doesNotMatch(r.out, new RegExp(password));
  }
  const grep = asNobody(['sh', '-c', `grep -h DB_PASSWORD ${d.dataRoot}/containers/*/config.v2.json ${d.execRoot}/containers/*/config.json`]);
  assert.doesNotMatch(grep.out, new RegExp(password));
  for (const dir of [d.dataRoot, path.join(d.dataRoot, 'containers'), d.execRoot, path.join(d.execRoot, 'containers')]) {
    assert.notEqual(asNobody(['ls', dir]).code, 0, `nobody listed ${dir}`);
  }
  const suid = asNobody([path.join(d.dataRoot, 'containers', id, 'rootfs', 'suid-id'), '-u']);
  assert.notEqual(suid.code, 0, 'nobody ran the setuid binary of the rootfs');
  assert.doesNotMatch(suid.out, /^0$/m);
}

before(async () => {
  // mkdtemp made the harness directory 0700: open it, or nobody would be stopped there already.
  chmodSync(d.dir, 0o755);
  writeFileSync(path.join(d.dir, 'canary'), 'reachable\n', { mode: 0o644 });
  await d.start();
  d.importBusybox();
  const run = d.docker(['run', '-d', '--name', 'secret', '-e', `DB_PASSWORD=${password}`, 'busybox', 'sleep', '600']);
  assert.equal(run.code, 0, run.stderr);
  id = run.stdout.trim();
  // A setuid-root binary in the container's rootfs, put there through its host path.
  const suid = path.join(d.dataRoot, 'containers', id, 'rootfs', 'suid-id');
  copyFileSync('/usr/bin/id', suid);
  chmodSync(suid, 0o4755);
});

after(async () => {
  await d.stop();
});

test('the test can fail: nobody reaches the harness directory and runs a setuid binary there', () => {
  assert.equal(asNobody(['cat', path.join(d.dir, 'canary')]).out, 'reachable\n');
  const probe = path.join(d.dir, 'suid-probe');
  copyFileSync('/usr/bin/id', probe);
  chmodSync(probe, 0o4755);
  assert.equal(asNobody([probe, '-u']).out.trim(), '0');
});

test('nobody reads no record or spec, lists no container and runs no setuid binary of a rootfs', () => {
  assertClosedToNobody();
  assert.equal(modeOf(d.dataRoot), 0o710);
  assert.equal(modeOf(path.join(d.dataRoot, 'containers', id)), 0o710);
  assert.equal(modeOf(path.join(d.dataRoot, 'containers', id, 'config.v2.json')), 0o600);
  assert.equal(modeOf(d.execRoot), 0o700);
  assert.equal(modeOf(path.join(d.execRoot, 'containers', id, 'config.json')), 0o600);
  for (const rel of ['image/repositories.json', 'network/bridge-network.json']) assert.equal(modeOf(path.join(d.dataRoot, rel)), 0o600, rel);
});

test('a non-root user inside a container still reads what is bound into it and its image', () => {
  const vol = d.docker(['run', '--rm', '-v', 'pv:/data', 'busybox', 'sh', '-c', 'echo kept > /data/f && chmod 644 /data/f']);
  assert.equal(vol.code, 0, vol.stderr);
  const r = d.docker([
    'run', '--rm', '--user', '65534', '--link', 'secret:db', '-v', 'pv:/data', 'busybox', 'sh', '-c',
    'id -u && cat /etc/hosts /etc/resolv.conf /etc/hostname /run/wharf/links/db.env /data/f /bin/busybox > /tmp/all && grep -c DB_ENV_DB_PASSWORD /tmp/all && cat /data/f',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '65534\n1\nkept\n');
  const exec = d.docker(['exec', '-u', '65534', 'secret', 'sh', '-c', 'id -u && grep -c localhost /etc/hosts']);
  assert.equal(exec.code, 0, exec.stderr);
  assert.equal(exec.stdout, '65534\n2\n');
});

test('wharfd closes roots an older wharfd left open when it starts', async () => {
  await d.kill9();
  const opened: [string, number][] = [
    [d.dataRoot, 0o755], [path.join(d.dataRoot, 'containers'), 0o755], [path.join(d.dataRoot, 'containers', id), 0o755],
    [path.join(d.dataRoot, 'containers', id, 'config.v2.json'), 0o644], [path.join(d.dataRoot, 'image/repositories.json'), 0o644],
    [d.execRoot, 0o755], [path.join(d.execRoot, 'containers'), 0o755], [path.join(d.execRoot, 'containers', id), 0o755],
    [path.join(d.execRoot, 'containers', id, 'config.json'), 0o644],
  ];
  for (const [p, mode] of opened) chmodSync(p, mode);
  assert.match(asNobody(['cat', path.join(d.dataRoot, 'containers', id, 'config.v2.json')]).out, new RegExp(password), 'the old state is open');
  await d.start();
  for (const [p] of opened) assert.equal(modeOf(p) & 0o7, 0, `${p} is still open to others: ${modeOf(p).toString(8)}`);
  assert.equal(modeOf(d.dataRoot), 0o710);
  assert.equal(modeOf(d.execRoot), 0o700);
  assert.equal(modeOf(path.join(d.dataRoot, 'containers', id, 'config.v2.json')), 0o600);
  assert.equal(modeOf(path.join(d.execRoot, 'containers', id, 'config.json')), 0o600);
  assertClosedToNobody();
  assert.equal(d.docker(['exec', 'secret', 'true']).code, 0, 'the container kept running');
});
