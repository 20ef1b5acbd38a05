/**
 * Real containers through the real docker CLI: lifecycle, exit codes, logs, exec, limits,
 * network modes, and survival of a daemon killed with SIGKILL.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { TestDaemon, conmonsOf, until } from './daemon-harness.js';

/**
 * Starts an exec over a raw socket the way a slow client can: the request head, a pause, then the
 * body in its own packet, then stdin and a half-close. Resolves with the raw stream after the 101.
 */
function rawExecStart(sock: string, execId: string, stdin: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ Detach: false, Tty: false });
    const c = net.createConnection(sock);
    let got = Buffer.alloc(0);
    c.on('data', (d: Buffer) => (got = Buffer.concat([got, d])));
    c.on('error', reject);
    c.on('close', () => {
      const text = got.toString('latin1');
      resolve(text.slice(text.indexOf('\r\n\r\n') + 4));
    });
    c.on('connect', () => {
      c.write(`POST /v1.41/exec/${execId}/start HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
      setTimeout(() => {
        c.write(body);
        setTimeout(() => c.end(stdin), 50);
      }, 50);
    });
  });
}

const d = new TestDaemon();

/** A JSON request straight to the daemon's socket (POST when a body is given). */
function fetchJson(sock: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const c = net.createConnection(sock);
    let got = '';
    c.on('data', (b: Buffer) => (got += b.toString()));
    c.on('error', reject);
    c.on('end', () => {
      const text = got.slice(got.indexOf('\r\n\r\n') + 4);
      try {
        resolve(JSON.parse(text) as Record<string, unknown>);
      } catch (err) {
        reject(new Error(`${path}: ${got}: ${String(err)}`));
      }
    });
    c.on('connect', () => {
      const head = data === undefined
        ? `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`
        : `POST ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(data)}\r\n\r\n${data}`;
      c.write(head);
    });
  });
}
before(async () => {
  await d.start();
  d.importBusybox();
});
after(async () => {
  await d.stop();
});

test('run --rm prints output and returns the exit code', () => {
  const r = d.docker(['run', '--rm', 'busybox:latest', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
  assert.equal(r.stdout, 'out\n');
  assert.equal(r.stderr, 'err\n');
  assert.equal(r.code, 3);
  assert.equal(d.docker(['ps', '-aq']).stdout, '');
});

test('126 and 127 for commands that cannot run', () => {
  assert.equal(d.docker(['run', '--rm', 'busybox:latest', '/etc']).code, 126);
  const r = d.docker(['run', '--rm', 'busybox:latest', '/no/such/binary']);
  assert.equal(r.code, 127);
  assert.match(r.stderr, /no such file or directory/);
});

test('a taken name gets Docker\'s conflict error', () => {
  const id = d.docker(['run', '-d', '--name', 'it-web', 'busybox:latest', 'sleep', '60']).stdout.trim();
  const r = d.docker(['create', '--name', 'it-web', 'busybox:latest', 'true']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`Conflict. The container name "/it-web" is already in use by container "${id}"`));
  assert.equal(d.docker(['rm', '-f', 'it-web']).code, 0);
});

test('stop, start, restart, pause, rename, top, logs', () => {
  d.docker(['run', '-d', '--name', 'it-life', 'busybox:latest', 'sh', '-c', 'trap "exit 7" TERM; echo started; while true; do sleep 0.1; done']);
  assert.match(d.docker(['top', 'it-life']).stdout, /PID/);
  assert.equal(d.docker(['pause', 'it-life']).code, 0);
  assert.equal(d.docker(['inspect', '-f', '{{.State.Status}}', 'it-life']).stdout.trim(), 'paused');
  assert.equal(d.docker(['unpause', 'it-life']).code, 0);
  assert.equal(d.docker(['stop', '-t', '5', 'it-life']).code, 0);
  assert.equal(d.docker(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'it-life']).stdout.trim(), 'exited 7');
  assert.equal(d.docker(['start', 'it-life']).code, 0);
  assert.equal(d.docker(['restart', '-t', '1', 'it-life']).code, 0);
  assert.equal(d.docker(['rename', 'it-life', 'it-life2']).code, 0);
  assert.equal(d.docker(['logs', 'it-life2']).stdout, 'started\nstarted\nstarted\n');
  assert.equal(d.docker(['logs', '--tail', '1', 'it-life2']).stdout, 'started\n');
  assert.equal(d.docker(['rm', '-f', 'it-life2']).code, 0);
});

test('exec stdin that follows a body sent in its own packet reaches the process', async () => {
  d.docker(['run', '-d', '--name', 'it-exec-raw', 'busybox:latest', 'sleep', '60']);
  const create = await fetchJson(d.sock, '/v1.41/containers/it-exec-raw/exec', { AttachStdin: true, AttachStdout: true, AttachStderr: true, Cmd: ['sh', '-c', 'cat; exit 4'] });
  const stream = await rawExecStart(d.sock, create.Id as string, 'late stdin\n');
  // One stdout frame: stream 1, size 11, the text.
  assert.equal(stream, '\x01\x00\x00\x00\x00\x00\x00\x0blate stdin\n');
  const inspect = await fetchJson(d.sock, `/v1.41/exec/${create.Id as string}/json`);
  assert.equal(inspect.ExitCode, 4);
  d.docker(['rm', '-f', 'it-exec-raw']);
});

test('a working directory behind a symlink out of the rootfs is made inside the rootfs', () => {
  const outside = `/tmp/wharf-escape-${process.pid}`;
  const ctx = mkdtempSync(path.join(os.tmpdir(), 'wharf-wd-'));
  try {
    writeFileSync(path.join(ctx, 'Dockerfile'), `FROM busybox:latest\nRUN ln -s /../../../../../../..${outside} /w\n`);
    assert.equal(d.docker(['build', '-q', '-t', 'it-wd-escape', ctx]).code, 0);
    const r = d.docker(['run', '--rm', '-w', '/w/sub', 'it-wd-escape', 'pwd']);
    assert.equal(r.stdout, `${outside}/sub\n`, r.stderr); // the physical path, inside the container
    assert.equal(existsSync(outside), false, 'the host got a directory');
  } finally {
    rmSync(ctx, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
    d.docker(['rmi', 'it-wd-escape']);
  }
});

test('kill of a paused container resumes it so the signal lands, as Docker does', () => {
  d.docker(['run', '-d', '--name', 'it-pkill', 'busybox:latest', 'sleep', '60']);
  assert.equal(d.docker(['pause', 'it-pkill']).code, 0);
  const t0 = Date.now();
  assert.equal(d.docker(['kill', 'it-pkill']).code, 0);
  assert.ok(Date.now() - t0 < 5000, 'kill waited for a frozen process');
  assert.equal(d.docker(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}} {{.State.Paused}}', 'it-pkill']).stdout.trim(), 'exited 137 false');
  d.docker(['rm', '-f', 'it-pkill']);
});

test('kill, stop, restart and rm -f log the events Docker 20.10 logs', async () => {
  const since = (Date.now() / 1000).toFixed(3);
  d.docker(['run', '-d', '--name', 'it-events', 'busybox:latest', 'sleep', '60']);
  d.docker(['kill', '-s', 'HUP', 'it-events']);
  d.docker(['restart', '-t', '1', 'it-events']);
  d.docker(['stop', '-t', '1', 'it-events']);
  d.docker(['start', 'it-events']);
  d.docker(['rm', '-f', 'it-events']);
  await new Promise((r) => setTimeout(r, 200));
  const until = (Date.now() / 1000).toFixed(3);
  const r = d.docker(['events', '--since', since, '--until', until, '--filter', 'container=it-events', '--format', '{{.Action}}{{with .Actor.Attributes.signal}} {{.}}{{end}}']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), [
    'create', 'start', 'kill 1',
    'kill 15', 'kill 9', 'die', 'stop', 'start', 'restart',
    'kill 15', 'kill 9', 'die', 'stop',
    'start', 'kill 9', 'die', 'destroy',
  ]);
});

test('network connect and disconnect are logged as Docker 20.10 logs them, under the network\'s id', async () => {
  const since = (Date.now() / 1000).toFixed(3);
  const idOf = (name: string) => d.docker(['network', 'inspect', '-f', '{{.Id}}', name]).stdout.trim();
  const bridge = idOf('bridge');
  const none = idOf('none');
  const c1 = d.docker(['run', '-d', '--name', 'it-net1', 'busybox:latest', 'sleep', '60']).stdout.trim();
  const c2 = d.docker(['run', '--rm', '--network', 'none', '--name', 'it-net2', 'busybox:latest', 'true']).code;
  assert.equal(c2, 0);
  assert.equal(d.docker(['network', 'inspect', '-f', '{{range $id, $c := .Containers}}{{$id}} {{$c.Name}}{{end}}', 'bridge']).stdout.trim(), `${c1} it-net1`);
  d.docker(['rm', '-f', 'it-net1']);
  await new Promise((r) => setTimeout(r, 200));
  const until = (Date.now() / 1000).toFixed(3);
  const r = d.docker(['events', '--since', since, '--until', until, '--format', '{{.Type}} {{.Action}} {{.Actor.ID}} {{.Actor.Attributes.name}} {{.Actor.Attributes.type}} {{.Actor.Attributes.container}}']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => l.replaceAll(' <no value>', '').trim());
  const ofNet1 = lines.filter((l) => l.includes('it-net1') || l.endsWith(c1)).map((l) => l.replace(c1, 'C1'));
  assert.deepEqual(ofNet1, [
    'container create C1 it-net1',
    `network connect ${bridge} bridge bridge C1`,
    'container start C1 it-net1',
    'container kill C1 it-net1',
    'container die C1 it-net1',
    `network disconnect ${bridge} bridge bridge C1`,
    'container destroy C1 it-net1',
  ]);
  const ofNet2 = lines.filter((l) => l.startsWith('network') && l.includes(none)).map((l) => l.split(' ').slice(0, 5).join(' '));
  assert.deepEqual(ofNet2, [`network connect ${none} none null`, `network disconnect ${none} none null`]);
});

test('volumes log create, mount, unmount and destroy as Docker 20.10 does (binds log nothing)', async () => {
  const since = (Date.now() / 1000).toFixed(3);
  const id = d.docker(['run', '-d', '--name', 'it-volev', '-v', 'it-volev:/data', '-v', '/tmp:/hosttmp:ro', 'busybox:latest', 'sleep', '60']).stdout.trim();
  d.docker(['stop', '-t', '1', 'it-volev']);
  d.docker(['rm', '-v', 'it-volev']);
  d.docker(['volume', 'rm', 'it-volev']);
  await new Promise((r) => setTimeout(r, 200));
  const r = d.docker(['events', '--since', since, '--until', (Date.now() / 1000).toFixed(3), '--filter', 'type=volume', '--format', '{{.Action}} {{.Actor.ID}} {{json .Actor.Attributes}}']);
  assert.deepEqual(r.stdout.trim().split('\n'), [
    'create it-volev {"driver":"local"}',
    `mount it-volev {"container":"${id}","destination":"/data","driver":"local","propagation":"","read/write":"true"}`,
    `unmount it-volev {"container":"${id}","driver":"local"}`,
    'destroy it-volev {"driver":"local"}',
  ]);
});

test('exec with stdin, and inspect shows Docker\'s shape', () => {
  d.docker(['run', '-d', '--name', 'it-exec', '-e', 'A=1', 'busybox:latest', 'sleep', '60']);
  const r = d.docker(['exec', '-i', 'it-exec', 'sh', '-c', 'cat; echo $A; exit 5'], 'piped\n');
  assert.equal(r.stdout, 'piped\n1\n');
  assert.equal(r.code, 5);
  const ins = JSON.parse(d.docker(['inspect', 'it-exec']).stdout)[0];
  assert.deepEqual(Object.keys(ins).slice(0, 5), ['Id', 'Created', 'Path', 'Args', 'State']);
  assert.equal(ins.Name, '/it-exec');
  assert.equal(ins.Config.Hostname, ins.Id.slice(0, 12));
  assert.match(ins.NetworkSettings.IPAddress, /^\d+\.\d+\.\d+\.\d+$/);
  assert.equal(ins.NetworkSettings.MacAddress, '02:42:' + ins.NetworkSettings.IPAddress.split('.').map((x: string) => Number(x).toString(16).padStart(2, '0')).join(':'));
  d.docker(['rm', '-f', 'it-exec']);
});

test('limits land in the cgroup', () => {
  const id = d.docker(['run', '-d', '-m', '64m', '--cpus', '0.5', '--pids-limit', '50', 'busybox:latest', 'sleep', '60']).stdout.trim();
  assert.equal(readFileSync(`/sys/fs/cgroup/memory/wharf/${id}/memory.limit_in_bytes`, 'utf8').trim(), String(64 * 1024 * 1024));
  assert.equal(readFileSync(`/sys/fs/cgroup/pids/wharf/${id}/pids.max`, 'utf8').trim(), '50');
  assert.equal(readFileSync(`/sys/fs/cgroup/cpu/wharf/${id}/cpu.cfs_quota_us`, 'utf8').trim(), '50000');
  d.docker(['rm', '-f', id]);
});

test('network none has only loopback; host shares the host namespace', () => {
  const none = d.docker(['run', '--rm', '--network', 'none', 'busybox:latest', 'ip', '-o', 'link']).stdout;
  assert.match(none, /lo:/);
  assert.doesNotMatch(none, /eth0/);
  const host = d.docker(['run', '--rm', '--network', 'host', 'busybox:latest', 'ip', '-o', 'link']).stdout;
  assert.match(host, new RegExp(d.bridge));
});

test('restart policy on-failure restarts up to the maximum', async () => {
  d.docker(['run', '-d', '--name', 'it-rp', '--restart', 'on-failure:2', 'busybox:latest', 'sh', '-c', 'exit 1']);
  for (let i = 0; i < 50; i++) {
    const s = d.docker(['inspect', '-f', '{{.RestartCount}} {{.State.Status}}', 'it-rp']).stdout.trim();
    if (s === '2 exited') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(d.docker(['inspect', '-f', '{{.RestartCount}} {{.State.Status}}', 'it-rp']).stdout.trim(), '2 exited');
  d.docker(['rm', '-f', 'it-rp']);
});

test('containers outlive kill -9 of wharfd; a new wharfd finds them and their exit codes', async () => {
  d.docker(['run', '-d', '--name', 'it-live', 'busybox:latest', 'sh', '-c', 'echo before; sleep 60']);
  d.docker(['run', '-d', '--name', 'it-ends', 'busybox:latest', 'sh', '-c', 'sleep 1; echo done; exit 9']);
  // The record on disk is written ahead of `runc create`, without the pids: the new daemon reads
  // them back from runc and conmon, so the container looks exactly as it did.
  const facts = ['inspect', '-f', '{{.State.Pid}} {{.State.StartedAt}} {{.NetworkSettings.IPAddress}}', 'it-live'];
  const before = d.docker(facts).stdout.trim();
  assert.match(before, /^[1-9]\d* \S+ \d+\.\d+\.\d+\.\d+$/);
  // The exec root (a new directory) is on a tmpfs, mounted by wharfd unless the test directory
  // was on one already, and that tmpfs outlives the daemon.
  const execRootFs = () => spawnSync('findmnt', ['-n', '-o', 'FSTYPE,TARGET,ID', '-T', d.execRoot], { encoding: 'utf8' }).stdout.trim();
  const fsBefore = execRootFs();
  assert.match(fsBefore, /^tmpfs +\S+ +\d+$/);
  if (statfsSync(d.dir).type !== 0x01021994) assert.equal(fsBefore.split(/ +/)[1], d.execRoot);
  await d.kill9();
  await new Promise((r) => setTimeout(r, 1800));
  await d.start();
  assert.equal(execRootFs(), fsBefore);
  assert.equal(d.docker(['inspect', '-f', '{{.State.Status}}', 'it-live']).stdout.trim(), 'running');
  assert.equal(d.docker(facts).stdout.trim(), before);
  assert.equal(d.docker(['logs', 'it-live']).stdout, 'before\n');
  assert.equal(d.docker(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'it-ends']).stdout.trim(), 'exited 9');
  assert.equal(d.docker(['logs', 'it-ends']).stdout, 'done\n');
  assert.equal(d.docker(['exec', 'it-live', 'echo', 'ok']).stdout, 'ok\n');
  d.docker(['rm', '-f', 'it-live', 'it-ends']);
});

test('a created container\'s conmon waits for its start, and goes with a removal or the daemon', async () => {
  const id = d.docker(['create', '--name', 'it-early', 'busybox:latest', 'sh', '-c', 'echo started']).stdout.trim();
  assert.ok(await until(() => conmonsOf(id).length === 1), 'conmon started at create');
  d.docker(['rm', 'it-early']);
  assert.ok(await until(() => conmonsOf(id).length === 0), 'removal sends it away');

  // A daemon killed between create and start takes the waiting conmon's gate with it; the new
  // daemon starts the container with a conmon of its own.
  const id2 = d.docker(['create', '--name', 'it-early2', 'busybox:latest', 'sh', '-c', 'echo started']).stdout.trim();
  assert.ok(await until(() => conmonsOf(id2).length === 1));
  await d.kill9();
  assert.ok(await until(() => conmonsOf(id2).length === 0), 'its gate closed with the daemon');
  await d.start();
  assert.equal(d.docker(['start', '-a', 'it-early2']).stdout, 'started\n');
  d.docker(['rm', 'it-early2']);
});

test('bad input gets clear errors', () => {
  // Long names are fine (as in Docker); a bad character is not, however long the name.
  assert.match(d.docker(['run', '--name', 'x'.repeat(300) + '!', 'busybox:latest', 'true']).stderr, /Invalid container name/);
  assert.match(d.docker(['run', '--name', '-bad', 'busybox:latest', 'true']).stderr, /Invalid container name/);
  assert.match(d.docker(['run', '--rm', '--pull', 'never', 'cf-doesnotexist']).stderr, /No such image: cf-doesnotexist:latest/);
  assert.match(d.docker(['inspect', 'nosuch']).stderr, /No such object: nosuch/);
});

test('runtime state whose record is gone (a removal cut short by a crash) is cleaned up at start', async () => {
  const id = d.docker(['run', '-d', '--name', 'it-orphan', 'busybox:latest', 'sleep', '60']).stdout.trim();
  const pid = Number(d.docker(['inspect', '-f', '{{.State.Pid}}', id]).stdout.trim());
  await d.kill9();
  // What `rm` leaves when the daemon dies right after deleting the record (it unmounts the
  // rootfs first): here the container even still runs.
  spawnSync('umount', ['-l', path.join(d.dataRoot, 'containers', id, 'rootfs')]);
  rmSync(path.join(d.dataRoot, 'containers', id), { recursive: true, force: true });
  await d.start();
  assert.equal(d.docker(['ps', '-aq', '--filter', 'name=it-orphan']).stdout, '');
  let gone = false;
  for (let i = 0; i < 50 && !gone; i++) {
    gone = !existsSync(`/proc/${pid}`) && !existsSync(path.join(d.execRoot, 'containers', id));
    if (!gone) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(gone, 'the orphan kept running or kept its runtime directory');
  assert.equal(existsSync(`/run/netns/${d.bridge}-${id.slice(0, 12)}`), false);
});

test('a container whose record cannot be read is left alone at start, not cleaned up', async () => {
  const id = d.docker(['run', '-d', '--name', 'it-unreadable', 'busybox:latest', 'sleep', '60']).stdout.trim();
  const pid = Number(d.docker(['inspect', '-f', '{{.State.Pid}}', id]).stdout.trim());
  const file = path.join(d.dataRoot, 'containers', id, 'config.v2.json');
  const good = readFileSync(file);
  await d.kill9();
  writeFileSync(file, '{ not json');
  await d.start();
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(existsSync(`/proc/${pid}`), true, 'the container was killed');
  assert.equal(existsSync(path.join(d.execRoot, 'containers', id)), true);
  await d.kill9();
  writeFileSync(file, good);
  await d.start();
  assert.equal(d.docker(['rm', '-f', id]).code, 0);
});

test('restart policy always applies to a container that died while wharfd was down', async () => {
  const id = d.docker(['run', '-d', '--name', 'it-always', '--restart', 'always', 'busybox:latest', 'sleep', '60']).stdout.trim();
  const pid = Number(d.docker(['inspect', '-f', '{{.State.Pid}}', id]).stdout.trim());
  await d.kill9();
  process.kill(pid, 'SIGKILL');
  await new Promise((r) => setTimeout(r, 500));
  await d.start();
  let state = '';
  for (let i = 0; i < 50; i++) {
    state = d.docker(['inspect', '-f', '{{.State.Status}} {{.RestartCount}}', id]).stdout.trim();
    if (state === 'running 1') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(state, 'running 1');
  assert.notEqual(Number(d.docker(['inspect', '-f', '{{.State.Pid}}', id]).stdout.trim()), pid);
  d.docker(['rm', '-f', id]);
});
