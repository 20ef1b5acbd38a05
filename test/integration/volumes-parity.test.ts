/** Volumes, Docker 20.10 details with real containers: copy-up at create, modes, tmpfs, --mount checks. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TestDaemon } from './daemon-harness.js';

const d = new TestDaemon();
before(async () => {
  await d.start();
  d.importBusybox();
});
after(() => d.stop());

test('a data-only container that is only created fills its volume (copy-up at create)', () => {
  assert.equal(d.docker(['create', '--name', 'par-store', '-v', '/bin', 'busybox:latest', '/bin/true']).code, 0);
  const n = Number(d.docker(['run', '--rm', '--volumes-from', 'par-store', 'busybox:latest', 'sh', '-c', 'ls /bin | wc -l']).stdout.trim());
  assert.ok(n > 100, `the volume holds the image's /bin (${n} entries)`);
  d.docker(['rm', '-v', 'par-store']);
});

test('inspect modes: named volumes show z, volumes-from drops the mode and :rw cannot undo ro', () => {
  d.docker(['run', '--name', 'par-src', '-v', 'par-named:/n', '-v', 'par-ro:/r:ro', 'busybox:latest', 'true']);
  assert.equal(d.docker(['inspect', '-f', '{{range .Mounts}}{{.Destination}}={{.Mode}},{{.RW}} {{end}}', 'par-src']).stdout.trim().split(' ').sort().join(' '), '/n=z,true /r=ro,false');
  d.docker(['run', '--name', 'par-cons', '--volumes-from', 'par-src:rw', 'busybox:latest', 'true']);
  assert.equal(d.docker(['inspect', '-f', '{{range .Mounts}}{{.Destination}}={{.Mode}},{{.RW}} {{end}}', 'par-cons']).stdout.trim().split(' ').sort().join(' '), '/n=,true /r=,false');
  const w = d.docker(['run', '--rm', '--volumes-from', 'par-src:rw', 'busybox:latest', 'touch', '/r/x']);
  assert.match(w.stderr, /Read-only file system/);
  d.docker(['rm', '-v', 'par-src', 'par-cons']);
  assert.equal(d.docker(['volume', 'rm', 'par-named', 'par-ro']).code, 0, 'named volumes survive rm -v');
});

test('--mount: tmpfs works, a missing bind source is refused and not created', () => {
  const t = d.docker(['run', '--rm', '--mount', 'type=tmpfs,target=/t,tmpfs-size=1m', 'busybox:latest', 'sh', '-c', 'grep " /t " /proc/mounts']);
  assert.match(t.stdout, /^tmpfs \/t tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k/);
  const f = d.docker(['run', '--rm', '--tmpfs', '/run:rw,size=64k', 'busybox:latest', 'grep', ' /run ', '/proc/mounts']);
  assert.equal(f.stdout, 'tmpfs /run tmpfs rw,nosuid,nodev,noexec,relatime,size=64k 0 0\n');
  assert.match(d.docker(['run', '--rm', '--tmpfs', '/a', '-v', `${d.dir}/q:/a`, 'busybox:latest', 'true']).stderr, /Duplicate mount point: \/a/);
  const missing = path.join(d.dir, 'par-missing');
  const r = d.docker(['run', '--rm', '--mount', `type=bind,source=${missing},target=/x`, 'busybox:latest', 'true']);
  assert.equal(r.code, 125);
  assert.match(r.stderr, new RegExp(`invalid mount config for type "bind": bind source path does not exist: ${missing}`));
  assert.equal(existsSync(missing), false);
});

test('bad specs and volume commands get Docker wording', () => {
  assert.match(d.docker(['run', '--rm', '-v', '/a:/b:nocopy', 'busybox:latest', 'true']).stderr, /invalid volume specification: '\/a:\/b:nocopy': invalid mount config for type "bind": field VolumeOptions must not be specified/);
  assert.match(d.docker(['run', '--rm', '--volumes-from', 'x:zz', 'busybox:latest', 'true']).stderr, /invalid mode: zz/);
  assert.match(d.docker(['volume', 'create', '-d', 'foo', 'par-foo']).stderr, /create par-foo: error looking up volume plugin foo: plugin "foo" not found/);
  assert.match(d.docker(['volume', 'create', '-o', 'type=tmpfs', 'par-opt']).stderr, /create par-opt: missing required option: "device"/);
  assert.match(d.docker(['volume', 'ls', '-f', 'foo=bar']).stderr, /Invalid filter 'foo'/);
  assert.match(d.docker(['volume', 'ls', '-f', 'dangling=maybe']).stderr, /Invalid filter 'dangling=\[maybe\]'/);
});

test('local driver options: a tmpfs volume is shared while used and gone after; a bind device keeps host files', () => {
  assert.equal(d.docker(['volume', 'create', '-o', 'type=tmpfs', '-o', 'device=tmpfs', '-o', 'o=size=2m', 'par-tmp']).code, 0);
  assert.equal(d.docker(['volume', 'inspect', '-f', '{{json .Options}}', 'par-tmp']).stdout.trim(), '{"device":"tmpfs","o":"size=2m","type":"tmpfs"}');
  const id = d.docker(['run', '-d', '-v', 'par-tmp:/t', 'busybox:latest', 'sh', '-c', 'echo hi > /t/f; sleep 60']).stdout.trim();
  assert.equal(d.docker(['run', '--rm', '-v', 'par-tmp:/t', 'busybox:latest', 'sh', '-c', 'sleep 0.3; cat /t/f; df -k /t | tail -1']).stdout.replace(/ +/g, ' '), 'hi\ntmpfs 2048 4 2044 0% /t\n');
  d.docker(['rm', '-f', id]);
  assert.equal(d.docker(['run', '--rm', '-v', 'par-tmp:/t', 'busybox:latest', 'ls', '/t']).stdout, '', 'unmounted when the last user stopped');
  assert.equal(d.docker(['volume', 'rm', 'par-tmp']).code, 0);

  const host = path.join(d.dir, 'par-bind-device');
  mkdirSync(host);
  writeFileSync(path.join(host, 'keep'), 'x');
  d.docker(['volume', 'create', '-o', 'type=none', '-o', 'o=bind', '-o', `device=${host}`, 'par-dev']);
  assert.equal(d.docker(['run', '--rm', '-v', 'par-dev:/b', 'busybox:latest', 'sh', '-c', 'ls /b; echo new > /b/new']).stdout, 'keep\n');
  assert.equal(d.docker(['volume', 'rm', 'par-dev']).code, 0);
  assert.deepEqual(readdirSync(host).sort(), ['keep', 'new'], 'removing the volume never deletes the device');
});
