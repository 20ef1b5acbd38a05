/** `wharf volume ...` against a private wharfd, compared with the docker CLI where Docker has the verb. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TestDaemon, REPO } from './daemon-harness.js';

const d = new TestDaemon();
before(() => d.start());
after(() => d.stop());

function wharf(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [path.join(REPO, 'dist/src/bin/wharf.js'), ...args], {
    env: { ...process.env, WHARF_HOST: `unix://${d.sock}`, DOCKER_HOST: '' }, input: input ?? '', encoding: 'utf8',
  });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

/** Runs the same arguments through both CLIs and checks stdout, stderr and the exit status agree. */
function assertSameAsDocker(args: string[]) {
  const w = wharf(args);
  const k = d.docker(args);
  assert.equal(w.stdout, k.stdout, `stdout of volume ${args.join(' ')}`);
  assert.equal(w.stderr, k.stderr, `stderr of volume ${args.join(' ')}`);
  assert.equal(w.code, k.code, `exit status of volume ${args.join(' ')}`);
  return w;
}

test('create, ls, inspect -f and rm print what docker prints', () => {
  assert.equal(wharf(['volume', 'create', 'vc-one']).stdout, 'vc-one\n');
  assert.equal(d.docker(['volume', 'create', '--label', 'bare', 'vc-two']).stdout, 'vc-two\n');
  assert.equal(wharf(['volume', 'create', '--label', 'tier=db', 'vc10']).stdout, 'vc10\n');
  const anon = wharf(['volume', 'create']).stdout.trim();
  assert.match(anon, /^[0-9a-f]{64}$/);
  assertSameAsDocker(['volume', 'ls']);
  assertSameAsDocker(['volume', 'ls', '-q']);
  assertSameAsDocker(['volume', 'ls', '-f', 'label=tier=db']);
  assertSameAsDocker(['volume', 'ls', '-f', 'name=vc-', '--format', 'table {{.Name}}\t{{.Driver}}\t{{.Scope}}\t{{.Label "tier"}}']);
  assertSameAsDocker(['volume', 'ls', '--format', 'json']);
  assertSameAsDocker(['volume', 'inspect', 'vc-one', 'vc-two']);
  assertSameAsDocker(['volume', 'inspect', '-f', '{{.Name}} {{.Driver}} {{.Scope}} {{.Mountpoint}} {{.Labels}}', 'vc-one', 'vc-two']);
  const missing = assertSameAsDocker(['volume', 'inspect', '-f', '{{.Name}}', 'vc-one', 'vc-nosuch']);
  assert.equal(missing.stderr, 'Error response from daemon: get vc-nosuch: no such volume\n');
  assert.equal(missing.code, 1);
  assertSameAsDocker(['volume', 'rm', 'vc-nosuch']);
  assert.equal(wharf(['volume', 'rm', 'vc-one', 'vc-two', 'vc10', anon]).stdout, `vc-one\nvc-two\nvc10\n${anon}\n`);
  assertSameAsDocker(['volume', 'ls']);
});

test('prune asks unless -f and removes only anonymous volumes without -a', () => {
  wharf(['volume', 'create', 'vc-named']);
  const anon = wharf(['volume', 'create']).stdout.trim();
  const declined = wharf(['volume', 'prune'], 'n\n');
  assert.equal(declined.stdout,
    'WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ');
  assert.equal(declined.code, 0);
  assert.equal(wharf(['volume', 'prune', '-f']).stdout, `Deleted Volumes:\n${anon}\n\nTotal reclaimed space: 0B\n`);
  assert.equal(wharf(['volume', 'prune', '-f', '-a']).stdout, 'Deleted Volumes:\nvc-named\n\nTotal reclaimed space: 0B\n');
  assert.equal(wharf(['volume', 'prune', '-f']).stdout, 'Total reclaimed space: 0B\n');
});

test('audit lists an unused volume and a stray directory with their creators; --prune -f removes them', () => {
  wharf(['volume', 'create', 'vc-orphan']);
  const stray = path.join(d.dataRoot, 'volumes', 'vc-stray');
  mkdirSync(stray, { recursive: true });
  writeFileSync(path.join(stray, 'left-over'), Buffer.alloc(2000));
  const listed = wharf(['volume', 'audit']);
  assert.equal(listed.code, 0);
  assert.match(listed.stdout, /^KIND\s+NAME\s+SIZE\s+AGE\s+CREATED BY\n/);
  assert.match(listed.stdout, /\nvolume\s+vc-orphan\s+0B\s+.*\s{3}volume create\n/);
  assert.match(listed.stdout, /\nstray-directory\s+vc-stray\s+2kB\s+.*\s{3}unknown\n/);

  const declined = wharf(['volume', 'audit', '--prune'], 'n\n');
  assert.match(declined.stdout, /WARNING! This will remove the 2 items listed above\.\nAre you sure you want to continue\? \[y\/N\] $/);
  assert.equal(d.docker(['volume', 'ls', '-q']).stdout, 'vc-orphan\n');
  assert.ok(existsSync(stray));

  const pruned = wharf(['volume', 'audit', '--prune', '-f']);
  assert.match(pruned.stdout, /Removed:\n(volume vc-orphan\nstray-directory vc-stray|stray-directory vc-stray\nvolume vc-orphan)\n\nTotal reclaimed space: 2kB\n$/);
  assert.equal(d.docker(['volume', 'ls', '-q']).stdout, '');
  assert.ok(!existsSync(stray));
  assert.equal(wharf(['volume', 'audit']).stdout, 'KIND      NAME      SIZE      AGE       CREATED BY\n');
});

test('unknown sub-commands fail like docker', () => {
  const r = wharf(['volume', 'bogus']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, "wharf: unknown command: wharf volume bogus\n\nUsage:  wharf volume COMMAND\n\nRun 'wharf volume --help' for more information\n");
});
