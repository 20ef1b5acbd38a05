/** Images through the real docker CLI: an archive saved by Docker 20.10 loads; save/load round trip. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { TestDaemon, REPO } from './daemon-harness.js';

const d = new TestDaemon();
before(() => d.start());
after(() => d.stop());

const FIXTURE = path.join(REPO, 'test/fixtures/docker-20.10-save.tar.gz');

test('an archive saved by Docker 20.10 loads, with its whiteouts applied', () => {
  const r = d.docker(['load', '-i', FIXTURE]);
  assert.equal(r.stdout, 'Loaded image: cf-fixture:v1\n', r.stderr);
  assert.equal(d.docker(['image', 'inspect', '-f', '{{.Id}}', 'cf-fixture:v1']).stdout.trim(), 'sha256:ce829c1877747416dcc502608602be7cd32bbdcd0f450700028208220d19aa66');
  assert.equal(d.docker(['run', '--rm', 'cf-fixture:v1']).stdout, 'from-docker\n');
  assert.equal(d.docker(['run', '--rm', 'cf-fixture:v1', 'ls', '/bin/vi']).code, 1);
  assert.equal(d.docker(['run', '--rm', 'cf-fixture:v1', 'ls', '/var/log']).stdout, 'new\n');
});

test('save and load give back the same image id; rmi conflicts use Docker wording', () => {
  const id = d.docker(['image', 'inspect', '-f', '{{.Id}}', 'cf-fixture:v1']).stdout.trim();
  const saved = path.join(d.dir, 'saved.tar');
  assert.equal(d.docker(['save', '-o', saved, 'cf-fixture:v1']).code, 0);
  d.docker(['run', '-d', '--name', 'img-user', 'cf-fixture:v1', 'sleep', '60']);
  assert.match(d.docker(['rmi', 'cf-fixture:v1']).stderr, /conflict: unable to remove repository reference "cf-fixture:v1" \(must force\) - container [0-9a-f]{12} is using its referenced image [0-9a-f]{12}/);
  d.docker(['rm', '-f', 'img-user']);
  assert.match(d.docker(['rmi', 'cf-fixture:v1']).stdout, /Untagged: cf-fixture:v1\nDeleted: sha256:/);
  assert.equal(d.docker(['load', '-i', saved]).stdout, 'Loaded image: cf-fixture:v1\n');
  assert.equal(d.docker(['image', 'inspect', '-f', '{{.Id}}', 'cf-fixture:v1']).stdout.trim(), id);
});

test('a tampered archive is refused and leaves nothing behind', () => {
  const good = readFileSync(path.join(d.dir, 'saved.tar'));
  const bad = Buffer.from(good);
  const at = bad.indexOf(Buffer.from('from-docker'));
  assert.ok(at > 0);
  bad.write('FROM-DOCKER', at);
  d.docker(['rmi', 'cf-fixture:v1']);
  const r = d.docker(['load'], bad);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /digest mismatch/);
  assert.equal(d.docker(['images', '-q']).stdout, '');
});

test('import with --change and history', () => {
  d.importBusybox();
  assert.equal(d.docker(['history', '--format', '{{.Comment}}', 'busybox:latest']).stdout, 'Imported from -\n');
  const tar = spawnSync(path.join(REPO, 'scripts/make-busybox-tar.sh'), [], { maxBuffer: 64 << 20 }).stdout;
  const r = d.docker(['import', '-c', 'CMD ["echo","changed"]', '-c', 'ENV A=1', '-', 'cf-changed'], tar);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(d.docker(['image', 'inspect', '-f', '{{json .Config.Cmd}} {{json .Config.Env}}', 'cf-changed']).stdout.trim(), '["echo","changed"] ["A=1"]');
  assert.equal(d.docker(['run', '--rm', 'cf-changed']).stdout, 'changed\n');
});

test('commit turns a container upper dir into an OCI layer: whiteouts, opaque dirs, no runc mount points', () => {
  const run = d.docker(['run', '--name', 'img-commit', 'busybox:latest', 'sh', '-c', 'rm /bin/vi && rm -rf /tmp && mkdir /tmp && echo n > /tmp/new && echo hi > /greeting']);
  assert.equal(run.code, 0, run.stderr);
  const c = d.docker(['commit', '-c', 'CMD ["cat","/greeting"]', '-m', 'msg', 'img-commit', 'cf-committed:v1']);
  assert.equal(c.code, 0, c.stderr);
  d.docker(['rm', 'img-commit']);
  assert.equal(d.docker(['run', '--rm', 'cf-committed:v1']).stdout, 'hi\n');
  assert.equal(d.docker(['run', '--rm', 'cf-committed:v1', 'ls', '/tmp']).stdout, 'new\n');
  assert.equal(d.docker(['run', '--rm', 'cf-committed:v1', 'ls', '/bin/vi']).code, 1);
  assert.equal(d.docker(['history', '--format', '{{.Comment}}', 'cf-committed:v1']).stdout, 'msg\nImported from -\n');
  // The new layer, as `docker save` writes it, holds Docker-style whiteouts and no empty /etc mount points.
  const saved = path.join(d.dir, 'committed.tar');
  assert.equal(d.docker(['save', '-o', saved, 'cf-committed:v1']).code, 0);
  const manifest = JSON.parse(spawnSync('tar', ['-xOf', saved, 'manifest.json'], { encoding: 'utf8' }).stdout) as { Layers: string[] }[];
  const top = spawnSync('tar', ['-xOf', saved, manifest[0]!.Layers.at(-1)!], { maxBuffer: 64 << 20 }).stdout;
  const names = spawnSync('tar', ['-tf', '-'], { input: top, encoding: 'utf8' }).stdout.split('\n').filter(Boolean).sort();
  assert.deepEqual(names, ['bin/', 'bin/.wh.vi', 'greeting', 'tmp/', 'tmp/.wh..wh..opq', 'tmp/new']);
  // rmi -f of a tag whose image a running container uses only untags it, as Docker does.
  d.docker(['run', '-d', '--name', 'img-runner', 'cf-committed:v1', 'sleep', '60']);
  assert.equal(d.docker(['rmi', '-f', 'cf-committed:v1']).stdout, 'Untagged: cf-committed:v1\n');
  d.docker(['rm', '-f', 'img-runner']);
});
