/**
 * Fault injection: wharfd is killed (SIGKILL) at random points of create, run -d bursts, rm -f,
 * commit, load and build. After each kill the restarted daemon must have lost nothing that was
 * complete, have done each cut operation whole or not at all, and hold nothing for containers
 * that are not running. The delays come from a seeded PRNG: set WHARF_FAULT_SEED to replay.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DOCKER, TestDaemon } from './daemon-harness.js';
import { allLeaks, publishArg } from './leak-check.js';
import { seededRandom } from './request-fuzzer.js';

const seed = Number(process.env.WHARF_FAULT_SEED) || (Date.now() % 2 ** 31);
console.log(`crash-faults: seed ${seed} (WHARF_FAULT_SEED=${seed} replays it)`);

const random = seededRandom(seed);
const d = new TestDaemon();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the docker CLI without waiting; resolves when it ends (it fails once the daemon dies). */
function dockerAsync(args: string[]): Promise<number> {
  const child = spawn(DOCKER, args, {
    env: { ...process.env, DOCKER_HOST: `unix://${d.sock}`, DOCKER_CLI_HINTS: 'false', DOCKER_BUILDKIT: '0' },
    stdio: 'ignore',
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((r) => child.on('close', (code) => (clearTimeout(timer), r(code ?? -1))));
}

function ok(args: string[]): string {
  const r = d.docker(args);
  assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

interface Round {
  /** Starts the operation; resolves when the CLI ends. */
  run(n: number): Promise<unknown>;
  /** After the restart: the operation happened whole or not at all; cleans up for the next round. */
  verify(n: number): Promise<void> | void;
}

const bigTar = () => path.join(d.dir, 'big2.tar');
const buildDir = () => path.join(d.dir, 'ctx');
let big1 = '';
/** Untagged top-level images before a round (commit and load must add none). */
let danglingBefore = '';

const dangling = () => ok(['images', '-q', '--no-trunc', '-f', 'dangling=true']).split('\n').sort().join(' ');

/**
 * A container that must be either gone, or whole: it can be started (if not running) and removed.
 * Its name is never all hex: a missing `c8` would be taken as the prefix of another id.
 */
function wholeOrGone(name: string): void {
  const st = d.docker(['inspect', '--type', 'container', '-f', '{{.State.Status}}', name]);
  if (st.code !== 0) {
    assert.match(st.stderr, /No such (object|container)/, `inspect ${name}: ${st.stderr}`);
    return;
  }
  const status = st.stdout.trim();
  assert.ok(['created', 'running', 'exited'].includes(status), `${name} is ${status}`);
  if (status !== 'running') ok(['start', name]);
  assert.equal(ok(['exec', name, 'echo', 'alive']), 'alive', `${name} runs after its start`);
  ok(['rm', '-f', name]);
}

const rounds: Record<string, Round> = {
  create: {
    run: (n) => dockerAsync(['create', '--name', `created${n}`, '-p', publishArg(), 'busybox:latest', 'sleep', '600']),
    verify: (n) => wholeOrGone(`created${n}`),
  },
  start: {
    run: (n) => Promise.all([0, 1, 2].map((k) => dockerAsync(['run', '-d', '--name', `r${n}-${k}`, '-p', publishArg(), 'busybox:latest', 'sleep', '600']))),
    verify: (n) => [0, 1, 2].forEach((k) => wholeOrGone(`r${n}-${k}`)),
  },
  rm: {
    run: (n) => {
      ok(['run', '-d', '--name', `v${n}`, '-p', publishArg(), 'busybox:latest', 'sleep', '600']);
      return dockerAsync(['rm', '-f', `v${n}`]);
    },
    verify: (n) => wholeOrGone(`v${n}`),
  },
  commit: {
    run: (n) => {
      danglingBefore = dangling();
      // Every other commit is of a running container, which the commit pauses.
      return dockerAsync(['commit', n % 2 ? 'big-live' : 'big-src', `snap:${n}`]);
    },
    verify: (n) => {
      if (d.docker(['image', 'inspect', `snap:${n}`]).code === 0) {
        assert.equal(ok(['run', '--rm', `snap:${n}`, 'wc', '-c', '/big']), '31457280 /big');
        ok(['rmi', `snap:${n}`]);
      }
      assert.equal(dangling(), danglingBefore, 'a cut commit left an untagged image');
    },
  },
  load: {
    run: () => {
      danglingBefore = dangling();
      return dockerAsync(['load', '-i', bigTar()]);
    },
    verify: () => {
      if (d.docker(['image', 'inspect', 'big2:latest']).code === 0) {
        assert.equal(ok(['run', '--rm', 'big2:latest', 'wc', '-c', '/big']), '31457280 /big');
        ok(['rmi', 'big2:latest']);
      }
      assert.equal(dangling(), danglingBefore, 'a cut load left an untagged image');
    },
  },
  build: {
    run: (n) => {
      writeFileSync(path.join(buildDir(), 'Dockerfile'), `FROM busybox:latest\nRUN dd if=/dev/urandom of=/data bs=1M count=8 && echo ${n}-${seed}\nRUN echo ${n} > /s2\n`);
      return dockerAsync(['build', '-q', '-t', `built:${n}`, buildDir()]);
    },
    verify: (n) => {
      if (d.docker(['image', 'inspect', `built:${n}`]).code === 0) assert.equal(ok(['run', '--rm', `built:${n}`, 'cat', '/s2']), String(n));
    },
  },
};

/** How long each operation takes uncut (measured once), to spread the kills over it. */
const duration: Record<string, number> = {};

before(async () => {
  await d.start();
  d.importBusybox();
  // Two images with 30 MB of random data each: big:1 stays, big2 is saved and loaded again.
  ok(['run', '--name', 'big-src', 'busybox:latest', 'dd', 'if=/dev/urandom', 'of=/big', 'bs=1M', 'count=30']);
  ok(['run', '-d', '--name', 'big-live', 'busybox:latest', 'sh', '-c', 'dd if=/dev/urandom of=/big bs=1M count=30 2>/dev/null; exec sleep 3600']);
  const liveReady = () => d.docker(['top', 'big-live']).stdout.includes('sleep 3600');
  for (let i = 0; i < 100 && !liveReady(); i++) await sleep(100);
  assert.ok(liveReady(), 'big-live wrote its data');
  big1 = ok(['commit', 'big-src', 'big:1']);
  ok(['run', '--name', 'big2-src', 'busybox:latest', 'dd', 'if=/dev/urandom', 'of=/big', 'bs=1M', 'count=30']);
  ok(['commit', 'big2-src', 'big2:latest']);
  ok(['rm', 'big2-src']);
  ok(['save', '-o', bigTar(), 'big2:latest']);
  ok(['rmi', 'big2:latest']);
  mkdirSync(buildDir());
  // What must survive every kill: a running container with a published port, a created one, an exited one.
  ok(['run', '-d', '--name', 'keep-run', '-p', publishArg(), 'busybox:latest', 'sleep', '3600']);
  ok(['create', '--name', 'keep-created', 'busybox:latest', 'echo', 'late']);
  assert.equal(d.docker(['run', '--name', 'keep-exited', 'busybox:latest', 'sh', '-c', 'exit 3']).code, 3);
  for (const [name, r] of Object.entries(rounds)) {
    const t0 = Date.now();
    await r.run(0);
    duration[name] = Date.now() - t0;
    await r.verify(0);
  }
  console.log(`crash-faults: uncut durations ${JSON.stringify(duration)}`);
});

after(async () => {
  await d.stop();
});

/** The containers made before the rounds. */
const KEEPERS = ['keep-run', 'keep-created', 'keep-exited', 'big-src', 'big-live'];

/** What was complete before any kill is still there and works. */
function checkKeepers(): void {
  assert.equal(ok(['inspect', '-f', '{{.State.Status}}', 'keep-run']), 'running');
  assert.equal(ok(['inspect', '-f', '{{.State.Status}}', 'big-live']), 'running', 'a commit cut short left its container paused');
  assert.equal(ok(['exec', 'keep-run', 'echo', 'ok']), 'ok');
  assert.equal(ok(['inspect', '-f', '{{.State.Status}}', 'keep-created']), 'created');
  assert.equal(ok(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'keep-exited']), 'exited 3');
  assert.equal(ok(['image', 'inspect', '-f', '{{.Id}}', 'big:1']), big1);
  ok(['image', 'inspect', 'busybox:latest']);
}

test('wharfd killed at random points of create, start, rm, commit, load and build leaks nothing and loses nothing', async () => {
  // WHARF_FAULT_ONLY=build,load runs only those rounds (to look at one operation).
  const only = process.env.WHARF_FAULT_ONLY?.split(',');
  const plan = Object.keys(rounds)
    .filter((name) => !only || only.includes(name))
    .flatMap((name) => Array.from({ length: name === 'start' || name === 'create' ? 9 : 8 }, () => name));
  let kills = 0;
  // Every round runs even after a failure, so one run shows all that goes wrong; a leak is
  // reported at the round that made it.
  const failures: string[] = [];
  const reported = new Set<string>();
  const newLeaks = (leaks: string[]) => leaks.filter((l) => !reported.has(l) && reported.add(l));
  for (let i = 0; i < plan.length; i++) {
    const name = plan[i]!;
    const n = i + 1;
    const delay = Math.floor(random() * (duration[name]! * 1.1 + 20));
    const cli = rounds[name]!.run(n);
    await sleep(delay);
    await d.kill9();
    kills++;
    await cli;
    await d.start();
    const where = `round ${n} (${name}, killed after ${delay} ms)`;
    try {
      const leaks = newLeaks(await allLeaks(d));
      if (leaks.length) failures.push(`${where}: leaks ${JSON.stringify(leaks)}`);
      checkKeepers();
      await rounds[name]!.verify(n);
      const later = newLeaks(await allLeaks(d));
      if (later.length) failures.push(`${where}: leaks after the verification ${JSON.stringify(later)}`);
      // The round's own containers are gone by now; any other (a build's step container) is left over.
      const names = ok(['ps', '-a', '--format', '{{.Names}}']).split('\n').filter((x) => !KEEPERS.includes(x));
      if (names.length) failures.push(`${where}: containers left over: ${names.join(' ')}`);
      for (const x of names) d.docker(['rm', '-f', x]);
    } catch (err) {
      failures.push(`${where}: ${(err as Error).message}`);
    }
  }
  assert.deepEqual(failures, [], `seed ${seed}`);
  assert.ok(only || kills >= 50, `${kills} kills`);
  // The created keeper still starts after all that.
  ok(['start', '-a', 'keep-created']);
});
