/**
 * A full data root: containers that exit wake their waiters (`docker wait`, an attached
 * `docker run`) although their record cannot be saved; errors read as Docker's ("no space left
 * on device"); the record reaches the disk once there is room again. The data root is a small
 * tmpfs, filled with one file.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DOCKER, TestDaemon, until } from './daemon-harness.js';

const d = new TestDaemon();
const filler = () => path.join(d.dataRoot, 'filler');

/** Runs the docker CLI in the background: its exit code and output, or `timeout` after `ms`. */
function dockerLater(args: string[], ms = 20_000): Promise<{ code: number | 'timeout'; stdout: string }> {
  const child = spawn(DOCKER, args, { env: { ...process.env, DOCKER_HOST: `unix://${d.sock}` }, stdio: ['ignore', 'pipe', 'ignore'] });
  let stdout = '';
  child.stdout.on('data', (b) => (stdout += b));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, ms);
  return new Promise((r) => child.on('close', (code) => (clearTimeout(timer), r({ code: timedOut ? 'timeout' : (code ?? -1), stdout }))));
}

function ok(args: string[]): string {
  const r = d.docker(args);
  assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

before(async () => {
  mkdirSync(d.dataRoot, { recursive: true });
  assert.equal(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', d.dataRoot]).status, 0, 'mount a tmpfs data root');
  await d.start();
  d.importBusybox();
});

after(async () => {
  rmSync(filler(), { force: true });
  await d.stop();
});

test('containers that exit on a full data root wake docker wait and an attached docker run', async () => {
  const id = ok(['run', '-d', '--name', 'full-wait', 'busybox:latest', 'sh', '-c', 'sleep 3; exit 7']);
  const attached = dockerLater(['run', '--name', 'full-run', 'busybox:latest', 'sh', '-c', 'echo hello; sleep 3; exit 5']);
  assert.ok(await until(() => d.docker(['inspect', '-f', '{{.State.Running}}', 'full-run']).stdout.trim() === 'true', 5000), 'full-run started');
  const waited = dockerLater(['wait', 'full-wait']);
  // Fill the data root: what is left of it, taken by one file.
  const dd = spawnSync('dd', ['if=/dev/zero', `of=${filler()}`, 'bs=1M'], { encoding: 'utf8' });
  assert.match(dd.stderr, /No space left on device/);
  // Docker's wording for a write that finds no room, not Node's (ENOSPC: ..., write).
  const created = d.docker(['create', '--name', 'no-room', 'busybox:latest', 'true']);
  assert.notEqual(created.code, 0);
  assert.match(created.stderr, /Error response from daemon: \w+ \/\S+: no space left on device/);
  assert.doesNotMatch(created.stderr, /ENOSPC/);

  const [w, r] = await Promise.all([waited, attached]);
  assert.deepEqual(w, { code: 0, stdout: '7\n' }, 'docker wait');
  assert.equal(r.code, 5, 'docker run');
  assert.equal(ok(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'full-wait']), 'exited 7');
  // Room again: the exit reaches the disk (the save is tried again).
  rmSync(filler());
  const onDisk = () => JSON.parse(readFileSync(path.join(d.dataRoot, 'containers', id, 'config.v2.json'), 'utf8')) as { state: { Status: string; ExitCode: number } };
  assert.ok(await until(() => onDisk().state.Status === 'exited', 8000), `the record on disk says ${onDisk().state.Status}`);
  assert.equal(onDisk().state.ExitCode, 7);
  ok(['rm', 'full-wait', 'full-run']);
});
