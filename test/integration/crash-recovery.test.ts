/**
 * What a restarted wharfd does about operations a crash cut short: a load's partial files, a
 * commit's pause, an exec session's directory, a removal cut after its record went, a container whose record says it is not running but that
 * still holds a mount, a namespace, a DNAT rule and processes, and the exit time of a container
 * that ended while the daemon was down.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DOCKER, TestDaemon, conmonsOf, until } from './daemon-harness.js';
import { allLeaks, publishArg, tempLeaks } from './leak-check.js';

const d = new TestDaemon();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ok(args: string[]): string {
  const r = d.docker(args);
  assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

before(async () => {
  await d.start();
  d.importBusybox();
});

after(async () => {
  await d.stop();
});

/** Bytes of the files under `dir`. */
function bytesUnder(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) n += statSync(path.join(e.parentPath, e.name)).size;
  }
  return n;
}

test('a load killed half-way leaves no partial archive or layer once the daemon is back', async () => {
  ok(['run', '--name', 'load-src', 'busybox:latest', 'dd', 'if=/dev/urandom', 'of=/big', 'bs=1M', 'count=40']);
  ok(['commit', 'load-src', 'loadme:1']);
  ok(['rm', 'load-src']);
  const tar = path.join(d.dir, 'loadme.tar');
  ok(['save', '-o', tar, 'loadme:1']);
  ok(['rmi', 'loadme:1']);
  const cli = spawn(DOCKER, ['load', '-i', tar], { env: { ...process.env, DOCKER_HOST: `unix://${d.sock}` }, stdio: 'ignore' });
  const ended = new Promise((r) => cli.on('close', r));
  const tmp = path.join(d.dataRoot, 'image', 'tmp');
  assert.ok(await until(() => existsSync(tmp) && bytesUnder(tmp) > 4 << 20, 10_000), 'the load did not get going');
  await d.kill9();
  await ended;
  assert.notDeepEqual(tempLeaks(d), [], 'the kill came after the load had finished');
  await d.start();
  assert.deepEqual(await allLeaks(d), []);
  assert.notEqual(d.docker(['image', 'inspect', 'loadme:1']).code, 0, 'a load cut short added its image');
  ok(['load', '-i', tar]);
  assert.equal(ok(['run', '--rm', 'loadme:1', 'wc', '-c', '/big']), '41943040 /big');
});

test('a commit of a running container killed half-way leaves it running, not paused', async () => {
  ok(['run', '-d', '--name', 'commit-live', 'busybox:latest', 'sh', '-c', 'dd if=/dev/urandom of=/big bs=1M count=40 && sleep 600']);
  assert.ok(await until(() => d.docker(['exec', 'commit-live', 'ls', '/proc/1']).code === 0 && d.docker(['top', 'commit-live']).stdout.includes('sleep'), 10_000));
  const cli = spawn(DOCKER, ['commit', 'commit-live', 'live-snap:1'], { env: { ...process.env, DOCKER_HOST: `unix://${d.sock}` }, stdio: 'ignore' });
  const ended = new Promise((r) => cli.on('close', r));
  assert.ok(await until(() => ok(['inspect', '-f', '{{.State.Status}}', 'commit-live']) === 'paused', 5000), 'the commit paused it');
  await d.kill9();
  await ended;
  await d.start();
  assert.equal(ok(['inspect', '-f', '{{.State.Status}}', 'commit-live']), 'running');
  assert.equal(ok(['exec', 'commit-live', 'echo', 'ok']), 'ok');
  assert.deepEqual(await allLeaks(d), []);
  ok(['rm', '-f', 'commit-live']);
  d.docker(['rmi', 'live-snap:1']);
});

test('a commit cut between runc\'s freeze and the record\'s save: the container is thawed at start', async () => {
  const id = ok(['run', '-d', '--name', 'frozen', 'busybox:latest', 'sleep', '600']);
  await d.kill9();
  // What the daemon did before it died: journalled the commit's pause, and runc froze the
  // container; the record still says "running".
  const journal = path.join(d.dataRoot, 'tmp', 'commit-pauses');
  mkdirSync(journal, { recursive: true });
  writeFileSync(path.join(journal, id), '');
  const runcState = () => JSON.parse(spawnSync('runc', ['--root', path.join(d.execRoot, 'runc'), 'state', id], { encoding: 'utf8' }).stdout || '{}').status;
  assert.equal(spawnSync('runc', ['--root', path.join(d.execRoot, 'runc'), 'pause', id]).status, 0);
  assert.equal(runcState(), 'paused');
  await d.start();
  assert.equal(runcState(), 'running');
  assert.equal(ok(['inspect', '-f', '{{.State.Status}}', 'frozen']), 'running');
  assert.equal(ok(['exec', 'frozen', 'echo', 'ok']), 'ok');
  ok(['rm', '-f', 'frozen']);
});

test('an exec session that ended while the daemon was down leaves no directory behind', async () => {
  ok(['run', '-d', '--name', 'exec-host', 'busybox:latest', 'sleep', '600']);
  ok(['exec', '-d', 'exec-host', 'sleep', '1']);
  await d.kill9();
  await sleep(1500);
  await d.start();
  assert.deepEqual(await allLeaks(d), []);
  assert.deepEqual(readdirSync(path.join(d.execRoot, 'exec')), []);
  ok(['rm', '-f', 'exec-host']);
});

test('FinishedAt of a container that exited while the daemon was down is its exit time', async () => {
  ok(['run', '-d', '--name', 'ends-alone', 'busybox:latest', 'sh', '-c', 'sleep 1; exit 4']);
  await d.kill9();
  await sleep(3000);
  const restart = Date.now();
  await d.start();
  const [status, started, finished] = ok(['inspect', '-f', '{{.State.Status}} {{.State.StartedAt}} {{.State.FinishedAt}}', 'ends-alone']).split(' ');
  assert.equal(status, 'exited');
  const ran = Date.parse(finished!) - Date.parse(started!);
  assert.ok(ran >= 900 && ran < 2500, `ran ${ran} ms by its StartedAt and FinishedAt`);
  assert.ok(Date.parse(finished!) < restart - 1000, `FinishedAt ${finished} is the restart time, not the exit`);
  ok(['rm', 'ends-alone']);
});

test('a removal cut after its record went is finished at start', async () => {
  const id = ok(['run', '-d', '--name', 'rm-cut', '-p', publishArg(), 'busybox:latest', 'sleep', '600']);
  const pid = Number(ok(['inspect', '-f', '{{.State.Pid}}', id]));
  const keep = ok(['create', '--name', 'rm-keep', 'busybox:latest', 'true']);
  await d.kill9();
  // A removal deletes the record file first: this is what it leaves when cut right after.
  rmSync(path.join(d.dataRoot, 'containers', id, 'config.v2.json'));
  // Atomic writes cut before their rename.
  writeFileSync(path.join(d.dataRoot, 'containers', keep, '.config.v2.json.0123456789ab.tmp'), '{');
  writeFileSync(path.join(d.dataRoot, 'image', '.repositories.json.0123456789ab.tmp'), '{');
  await d.start();
  assert.equal(ok(['ps', '-aq', '--filter', 'name=rm-cut']), '');
  assert.deepEqual(await allLeaks(d), []);
  assert.equal(existsSync(path.join(d.dataRoot, 'containers', id)), false);
  assert.ok(await until(() => !existsSync(`/proc/${pid}`)), 'its process runs on');
  ok(['rm', keep]);
});

test('a container whose record says it is not running holds nothing after a restart, and starts', async () => {
  // A start cut after the rootfs, the namespace, the DNAT rule and runc were set up, but before
  // the record said "running": the record still says "created".
  const id = ok(['create', '--name', 'start-cut', '-p', publishArg(), 'busybox:latest', 'sh', '-c', 'echo started; sleep 600']);
  const file = path.join(d.dataRoot, 'containers', id, 'config.v2.json');
  const created = readFileSync(file);
  ok(['start', id]);
  const pid = Number(ok(['inspect', '-f', '{{.State.Pid}}', id]));
  await d.kill9();
  writeFileSync(file, created);
  await d.start();
  assert.equal(ok(['inspect', '-f', '{{.State.Status}}', id]), 'created');
  assert.deepEqual(await allLeaks(d), []);
  assert.ok(await until(() => !existsSync(`/proc/${pid}`) && conmonsOf(id).length === 0), 'its processes run on');
  ok(['start', id]);
  assert.equal(ok(['exec', id, 'echo', 'ok']), 'ok');
  ok(['rm', '-f', id]);

  // A created container with a volume filled at create keeps its rootfs mounted for the start:
  // a restart releases it, and the start mounts it again.
  const v = ok(['create', '--name', 'copy-up', '-v', '/etc', 'busybox:latest', 'cat', '/etc/hostname']);
  await d.kill9();
  await d.start();
  assert.deepEqual(await allLeaks(d), []);
  assert.equal(ok(['start', '-a', v]), v.slice(0, 12));
  ok(['rm', '-v', v]);
});
