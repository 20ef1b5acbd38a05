/** `wharf volume ...` against a private wharfd, compared with the docker CLI where Docker has the verb. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { TestDaemon, REPO } from './daemon-harness.js';

const d = new TestDaemon();
before(() => d.start());
after(() => d.stop());

function wharf(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [path.join(REPO, 'dist/src/bin/wharf.js'), ...args], {
    env: { ...process.env, WHARF_HOST: `unix://${d.sock}`, DOCKER_HOST: '' }, input, encoding: 'utf8',
  });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

test('create, ls, inspect -f and rm print what docker prints', () => {
  assert.equal(wharf(['volume', 'create', 'vc-one']).stdout, 'vc-one\n');
  assert.equal(wharf(['volume', 'ls']).stdout, d.docker(['volume', 'ls']).stdout);
  assert.equal(wharf(['volume', 'inspect', '-f', '{{.Name}} {{.Driver}} {{.Scope}}', 'vc-one']).stdout, 'vc-one local local\n');
  assert.equal(wharf(['volume', 'inspect', '-f', '{{.Mountpoint}}', 'vc-one']).stdout, d.docker(['volume', 'inspect', '-f', '{{.Mountpoint}}', 'vc-one']).stdout);
  const missing = wharf(['volume', 'rm', 'vc-nosuch']);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, d.docker(['volume', 'rm', 'vc-nosuch']).stderr);
  assert.equal(wharf(['volume', 'rm', 'vc-one']).stdout, 'vc-one\n');
});

test('audit lists an unused volume with its creator; --prune -f removes it', () => {
  wharf(['volume', 'create', 'vc-orphan']);
  const listed = wharf(['volume', 'audit']).stdout;
  assert.match(listed, /^KIND\s+NAME\s+SIZE\s+AGE\s+CREATED BY\n/);
  assert.match(listed, /volume\s+vc-orphan\s+0B\s+.*volume create/);
  const declined = wharf(['volume', 'audit', '--prune'], 'n\n');
  assert.match(declined.stdout, /Are you sure you want to continue\? \[y\/N\]/);
  assert.equal(d.docker(['volume', 'ls', '-q']).stdout, 'vc-orphan\n');
  const pruned = wharf(['volume', 'audit', '--prune', '-f']);
  assert.match(pruned.stdout, /Removed:\nvolume vc-orphan\n/);
  assert.equal(d.docker(['volume', 'ls', '-q']).stdout, '');
});
