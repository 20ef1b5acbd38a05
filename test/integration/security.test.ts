/**
 * Isolation with real containers: Docker's default seccomp profile, capabilities, --privileged,
 * --device, --device-cgroup-rule and --security-opt, through the docker CLI and the wharf CLI.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestDaemon, REPO } from './daemon-harness.js';

const d = new TestDaemon();
const files = mkdtempSync(path.join(tmpdir(), 'wharf-sec-'));
before(async () => {
  await d.start();
  d.importBusybox();
});
after(async () => {
  await d.stop();
  rmSync(files, { recursive: true, force: true });
});

const run = (...args: string[]) => d.docker(['run', '--rm', ...args]);
const status = (out: string, field: string) => new RegExp(`^${field}:\\s*(\\S+)`, 'm').exec(out)?.[1];

function wharf(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(REPO, 'dist/src/bin/wharf.js'), ...args], {
    env: { ...process.env, WHARF_HOST: `unix://${d.sock}`, DOCKER_HOST: '' }, encoding: 'utf8',
  });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

test('the default profile refuses unshare; seccomp=unconfined lifts it only as far as the capabilities go', () => {
  const refused = run('busybox', 'unshare', '-Urm', 'true');
  assert.equal(refused.code, 1);
  assert.equal(refused.stderr, 'unshare: unshare(0x10020000): Operation not permitted\n');
  assert.equal(status(run('busybox', 'cat', '/proc/self/status').stdout, 'Seccomp'), '2');
  // a bridge in a new user and network namespace: refused by the profile, possible without it
  const bridge = ['sh', '-c', 'unshare -Urn ip link add b0 type bridge && echo made'];
  assert.notEqual(run('busybox', ...bridge).code, 0);
  assert.equal(run('--security-opt', 'seccomp=unconfined', 'busybox', ...bridge).stdout, 'made\n');
  assert.equal(run('--security-opt', 'seccomp=unconfined', 'busybox', 'unshare', '-Urm', 'true').code, 0);
  // a mount namespace of its own needs CAP_SYS_ADMIN, which the default set lacks ...
  const ownMountNs = run('--security-opt', 'seccomp=unconfined', 'busybox', 'unshare', '-m', 'true');
  assert.equal(ownMountNs.stderr, 'unshare: unshare(0x20000): Operation not permitted\n');
  // ... and with it the default profile lets unshare and mount through
  assert.equal(run('--cap-add', 'SYS_ADMIN', 'busybox', 'unshare', '-m', 'true').code, 0);
});

test('a seccomp profile from a file (the CLI sends its content) is applied', () => {
  const profile = path.join(files, 'no-mkdir.json');
  writeFileSync(profile, JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO' }] }, null, 2));
  const r = run('--security-opt', `seccomp=${profile}`, 'busybox', 'mkdir', '/made');
  assert.equal(r.stderr, "mkdir: can't create directory '/made': Operation not permitted\n");
  const w = wharf(['run', '--rm', '--security-opt', `seccomp=${profile}`, 'busybox', 'mkdir', '/made']);
  assert.equal(w.stderr, r.stderr);
  assert.equal(run('busybox', 'mkdir', '/made').code, 0);
});

test('--cap-drop ALL leaves no capability, in the container and in its execs; exec --privileged gets them all', () => {
  assert.equal(status(run('--cap-drop', 'ALL', 'busybox', 'cat', '/proc/self/status').stdout, 'CapEff'), '0000000000000000');
  assert.equal(status(wharf(['run', '--rm', '--cap-drop', 'all', 'busybox', 'cat', '/proc/self/status']).stdout ?? '', 'CapEff'), '0000000000000000');
  assert.equal(d.docker(['run', '-d', '--name', 'nocaps', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges', 'busybox', 'sleep', '60']).code, 0);
  const exec = d.docker(['exec', 'nocaps', 'cat', '/proc/self/status']).stdout;
  assert.equal(status(exec, 'CapEff'), '0000000000000000');
  assert.equal(status(exec, 'CapBnd'), '0000000000000000');
  assert.equal(status(exec, 'NoNewPrivs'), '1');
  assert.equal(status(exec, 'Seccomp'), '2');
  const priv = d.docker(['exec', '--privileged', 'nocaps', 'cat', '/proc/self/status']).stdout;
  assert.equal(status(priv, 'CapEff'), status(run('--privileged', 'busybox', 'cat', '/proc/self/status').stdout, 'CapEff'));
  assert.equal(status(priv, 'Seccomp'), '2', 'the container\'s filter stays on a privileged exec');
  assert.equal(status(priv, 'CapInh'), '0000000000000000', 'no inheritable capabilities (Docker 20.10.14 on)');
  d.docker(['rm', '-f', 'nocaps']);
});

test('--cap-add NET_ADMIN lets ip link add work where it failed before', () => {
  const cmd = ['ip', 'link', 'add', 'b0', 'type', 'bridge'];
  assert.equal(run('busybox', ...cmd).stderr, 'ip: RTNETLINK answers: Operation not permitted\n');
  assert.equal(run('--cap-add', 'net_admin', 'busybox', ...cmd).code, 0);
  assert.equal(run('--cap-drop', 'ALL', '--cap-add', 'CAP_NET_ADMIN', 'busybox', ...cmd).code, 0);
  const unknown = run('--cap-add', 'foo', 'busybox', 'true');
  assert.equal(unknown.code, 125);
  assert.match(unknown.stderr, /^docker: Error response from daemon: invalid CapAdd: unknown capability: "CAP_FOO"/);
});

test('--device makes the node with its numbers, writable, and a cgroup rule; a non-device is refused', () => {
  const r = run('--device', '/dev/null:/dev/xnull', 'busybox', 'sh', '-c', 'ls -l /dev/xnull && echo hi > /dev/xnull && echo written');
  assert.match(r.stdout, /^crw-rw-rw-\s+1 0\s+0\s+1,\s+3 .* \/dev\/xnull\nwritten\n$/);
  const w = wharf(['run', '--rm', '--device', '/dev/zero:/dev/xzero:r', 'busybox', 'ls', '-l', '/dev/xzero']);
  assert.match(w.stdout, /^crw-rw-rw-\s+1 0\s+0\s+1,\s+5 .* \/dev\/xzero\n$/);
  const dir = run('--device', '/dev/net:/dev/xnet', 'busybox', 'ls', '-l', '/dev/xnet/tun');
  assert.match(dir.stdout, /^c[rw-]{9}\s+1 0\s+0\s+10,\s+200 .* \/dev\/xnet\/tun\n$/, 'a directory gives each device node below it');
  const bad = run('--device', '/dev/../etc/passwd:/x', 'busybox', 'true');
  assert.equal(bad.code, 125);
  assert.match(bad.stderr, /^docker: Error response from daemon: error gathering device information while adding custom device "\/dev\/..\/etc\/passwd": not a device node\n/);
});

test('--device-cgroup-rule reaches the devices cgroup; a malformed one is refused at create with a 400', () => {
  const list = run('--device-cgroup-rule', 'c 42:* rmw', 'busybox', 'cat', '/sys/fs/cgroup/devices/devices.list');
  assert.match(list.stdout, /^c 42:\* rwm$/m);
  const created = d.docker(['create', 'busybox', 'true']).stdout.trim();
  assert.match(created, /^[0-9a-f]{64}$/);
  d.docker(['rm', created]);
  const res = spawnSync('curl', ['-s', '-w', '\n%{http_code}', '--unix-socket', d.sock, '-H', 'Content-Type: application/json', '-d',
    JSON.stringify({ Image: 'busybox', Cmd: ['true'], HostConfig: { DeviceCgroupRules: ['x 1:3 mr'] } }), 'http://x/v1.41/containers/create'], { encoding: 'utf8' });
  assert.equal(res.stdout, '{"message":"invalid device cgroup rule format: \'x 1:3 mr\'"}\n\n400');
});

test('--privileged: every capability the host has, the host\'s devices, no seccomp, /sys read-write', () => {
  const hostOnly = readdirSync('/dev').map((n) => `/dev/${n}`)
    .find((p) => statSync(p).isCharacterDevice() && !['/dev/null', '/dev/zero', '/dev/full', '/dev/random', '/dev/urandom', '/dev/tty', '/dev/console', '/dev/ptmx'].includes(p));
  assert.ok(hostOnly, 'the host has a device beyond the default ones');
  const out = run('--privileged', 'busybox', 'sh', '-c', `cat /proc/self/status; ls ${hostOnly}; grep ' /sys ' /proc/mounts; head -1 /proc/timer_list`).stdout;
  const hostBnd = BigInt('0x' + status(spawnSync('cat', ['/proc/self/status'], { encoding: 'utf8' }).stdout, 'CapBnd'));
  assert.equal(BigInt('0x' + status(out, 'CapEff')), hostBnd & ((1n << 38n) - 1n), 'every capability Docker 20.10 knows that the host grants');
  assert.equal(status(out, 'Seccomp'), '0');
  assert.match(out, new RegExp(`^${hostOnly}$`, 'm'));
  assert.match(out, /^sysfs \/sys sysfs rw,/m);
  assert.match(out, /^Timer List Version/m, '/proc/timer_list is not masked');
  assert.equal(run('busybox', 'head', '-1', '/proc/timer_list').stdout, '', 'masked without --privileged');
  assert.doesNotMatch(run('busybox', 'ls', hostOnly).stdout, new RegExp(hostOnly));
});

test('no-new-privileges in each form Docker takes', () => {
  for (const opt of ['no-new-privileges', 'no-new-privileges:true', 'no-new-privileges=true']) {
    assert.equal(status(run('--security-opt', opt, 'busybox', 'cat', '/proc/self/status').stdout, 'NoNewPrivs'), '1', opt);
  }
  assert.equal(status(run('--security-opt', 'no-new-privileges=false', 'busybox', 'cat', '/proc/self/status').stdout, 'NoNewPrivs'), '0');
  assert.match(run('--security-opt', 'no-new-privileges=maybe', 'busybox', 'true').stderr, /Error response from daemon: invalid --security-opt 2: "no-new-privileges=maybe"/);
  assert.equal(run('--security-opt', 'apparmor=unconfined', '--security-opt', 'label=disable', 'busybox', 'true').code, 0);
});

test('system paths: Docker\'s masked and read-only paths in HostConfig; systempaths=unconfined lifts them', () => {
  const id = d.docker(['create', 'busybox', 'true']).stdout.trim();
  assert.equal(d.docker(['inspect', id, '--format', '{{json .HostConfig.MaskedPaths}} {{json .HostConfig.ReadonlyPaths}} {{json .HostConfig.SecurityOpt}}']).stdout,
    '["/proc/asound","/proc/acpi","/proc/kcore","/proc/keys","/proc/latency_stats","/proc/timer_list","/proc/timer_stats","/proc/sched_debug","/proc/scsi","/sys/firmware"] ["/proc/bus","/proc/fs","/proc/irq","/proc/sys","/proc/sysrq-trigger"] null\n');
  const priv = d.docker(['create', '--privileged', 'busybox', 'true']).stdout.trim();
  assert.equal(d.docker(['inspect', priv, '--format', '{{json .HostConfig.MaskedPaths}} {{json .HostConfig.SecurityOpt}}']).stdout, 'null ["label=disable"]\n');
  d.docker(['rm', id, priv]);
  const probe = ['sh', '-c', 'head -1 /proc/timer_list; grep " /proc/sys " /proc/mounts | cut -d" " -f4 | cut -d, -f1'];
  assert.equal(run('busybox', ...probe).stdout, 'ro\n');
  assert.match(run('--security-opt', 'systempaths=unconfined', 'busybox', ...probe).stdout, /^Timer List Version.*\n$/);
  assert.match(wharf(['run', '--rm', '--security-opt', 'systempaths=unconfined', 'busybox', ...probe]).stdout, /^Timer List Version.*\n$/);
});

test('/info shows the default seccomp profile', () => {
  assert.equal(d.docker(['info', '--format', '{{json .SecurityOptions}}']).stdout, '["name=seccomp,profile=default"]\n');
});
