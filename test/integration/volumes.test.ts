/** Volumes with real containers: writes through volumes and binds, copy-up, volumes-from, rm -v. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, mkdirSync, writeFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { TestDaemon } from './daemon-harness.js';

const d = new TestDaemon();
before(async () => {
  await d.start();
  d.importBusybox();
});
after(() => d.stop());

const vols = () => d.docker(['volume', 'ls', '-q']).stdout.split('\n').filter(Boolean);

test('a named volume outlives its containers and is filled from the image on first use', () => {
  const count = Number(d.docker(['run', '--rm', '-v', 'it-named:/bin', 'busybox:latest', 'sh', '-c', 'ls /bin | wc -l; echo hi > /bin/note']).stdout.trim());
  assert.ok(count > 100, `copy-up filled the volume with the image's /bin (${count} entries)`);
  assert.equal(d.docker(['run', '--rm', '-v', 'it-named:/data', 'busybox:latest', 'cat', '/data/note']).stdout, 'hi\n');
  const mp = d.docker(['volume', 'inspect', '-f', '{{.Mountpoint}}', 'it-named']).stdout.trim();
  assert.equal(readFileSync(path.join(mp, 'note'), 'utf8'), 'hi\n');
  assert.equal(d.docker(['volume', 'rm', 'it-named']).stdout, 'it-named\n');
});

test('binds: host dir created, :ro enforced, host files never removed', () => {
  const host = path.join(d.dir, 'hostdir');
  assert.equal(existsSync(host), false);
  d.docker(['run', '--rm', '-v', `${host}:/m`, 'busybox:latest', 'sh', '-c', 'echo from-container > /m/f']);
  assert.equal(readFileSync(path.join(host, 'f'), 'utf8'), 'from-container\n');
  const ro = d.docker(['run', '--rm', '-v', `${host}:/m:ro`, 'busybox:latest', 'touch', '/m/g']);
  assert.equal(ro.code, 1);
  assert.match(ro.stderr, /Read-only file system/);
  d.docker(['run', '--name', 'it-bind', '-v', `${host}:/m`, 'busybox:latest', 'true']);
  d.docker(['rm', '-v', 'it-bind']);
  assert.ok(existsSync(path.join(host, 'f')));
});

test('a symlink in the image cannot send a mount destination out of the rootfs', () => {
  const outside = path.join(d.dir, 'outside');
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'keep'), 'x');
  const r = d.docker(['run', '--name', 'it-sym', 'busybox:latest', 'ln', '-s', outside, '/escape']);
  assert.equal(r.code, 0);
  d.docker(['commit', 'it-sym', 'it-symimg']);
  d.docker(['run', '--rm', '-v', '/escape', 'it-symimg', 'sh', '-c', 'touch /escape/pwned; true']);
  assert.equal(existsSync(path.join(outside, 'pwned')), false);
  assert.deepEqual(readdirSync(outside), ['keep']);
  d.docker(['rm', '-f', 'it-sym']);
});

test('volumes-from chains and rm -v removes the anonymous volume with its last user', () => {
  const before = vols().length;
  d.docker(['run', '--name', 'it-data', '-v', '/DataMount', 'busybox:latest', 'true']);
  d.docker(['run', '--rm', '--volumes-from', 'it-data', 'busybox:latest', 'sh', '-c', 'echo shared > /DataMount/f']);
  d.docker(['run', '--name', 'it-v1', '--volumes-from', 'it-data', 'busybox:latest', 'true']);
  assert.equal(d.docker(['run', '--rm', '--volumes-from', 'it-v1', 'busybox:latest', 'cat', '/DataMount/f']).stdout, 'shared\n');
  const vol = d.docker(['inspect', '-f', '{{range .Mounts}}{{.Name}}{{end}}', 'it-data']).stdout.trim();
  assert.match(d.docker(['volume', 'inspect', '-f', '{{.Status.VolumesFrom}}', vol]).stdout, /^[0-9a-f]{12} <- it-data, [0-9a-f]{12} <- it-data, [0-9a-f]{12} <- it-v1\n$/);
  assert.equal(vols().length, before + 1);
  d.docker(['rm', '-v', 'it-data']);
  assert.equal(vols().length, before + 1, 'still used by it-v1');
  d.docker(['rm', '-v', 'it-v1']);
  assert.equal(vols().length, before);
  const missing = d.docker(['run', '--rm', '--volumes-from', 'it-nosuch', 'busybox:latest', 'true']);
  assert.equal(missing.code, 125);
  assert.match(missing.stderr, /No such container: it-nosuch/);
});

test('a volume in use cannot be removed; provenance is recorded', () => {
  const id = d.docker(['run', '-d', '-v', 'it-busy:/d', 'busybox:latest', 'sleep', '60']).stdout.trim();
  const r = d.docker(['volume', 'rm', 'it-busy']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`remove it-busy: volume is in use - \\[${id}\\]`));
  assert.equal(d.docker(['volume', 'inspect', '-f', '{{.Status.CreatedBy}}', 'it-busy']).stdout.trim(), '-v');
  d.docker(['rm', '-f', id]);
  d.docker(['volume', 'rm', 'it-busy']);
});
