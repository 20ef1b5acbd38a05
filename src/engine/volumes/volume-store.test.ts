import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VolumeStore } from './volume-store.js';
import { resolveMounts, mountView, listMountView } from './mount-point.js';
import { auditVolumes } from './volume-audit.js';

const now = () => new Date('2026-11-22T10:00:00Z');
let n = 0;
const ids = () => (++n).toString(16).padStart(64, '0');

function withStore(fn: (s: VolumeStore, root: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'wharf-vol-'));
    try {
      const s = new VolumeStore(root, now, ids);
      await s.init();
      await fn(s, root);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
}

test('create, reload, remove with Docker errors', withStore(async (s, root) => {
  const v = await s.create({ name: 'data', provenance: { createdBy: 'volume create' } });
  assert.equal(v.Anonymous, false);
  assert.ok(existsSync(path.join(root, 'data/_data')));
  const again = new VolumeStore(root, now, ids);
  await again.init();
  assert.equal(again.get('data')?.CreatedAt, '2026-11-22T10:00:00Z');
  await assert.rejects(s.remove('data', () => ['abc']), { message: 'remove data: volume is in use - [abc]' });
  await s.remove('data', () => []);
  await assert.rejects(s.remove('data', () => []), { message: 'get data: no such volume' });
  await s.remove('data', () => [], true);
}));

test('dangling and label filters', withStore(async (s) => {
  await s.create({ name: 'used', labels: { team: 'a' }, provenance: { createdBy: '-v' } });
  await s.create({ name: 'free', provenance: { createdBy: '-v' } });
  const users = (name: string) => (name === 'used' ? ['c1'] : []);
  assert.deepEqual(s.list({ dangling: ['true'] }, users).map((v) => v.Name), ['free']);
  assert.deepEqual(s.list({ dangling: ['false'] }, users).map((v) => v.Name), ['used']);
  assert.deepEqual(s.list({ label: ['team=a'] }, users).map((v) => v.Name), ['used']);
  assert.deepEqual(s.list({ label: ['team'] }, users).map((v) => v.Name), ['used']);
  assert.deepEqual(s.list({ name: ['^fr'] }, users).map((v) => v.Name), ['free']);
  assert.deepEqual(s.list({ name: ['se'] }, users).map((v) => v.Name), ['used']);
  assert.throws(() => s.list({ foo: ['bar'] }, users), { message: "Invalid filter 'foo'" });
  assert.throws(() => s.list({ dangling: ['maybe'] }, users), { message: "Invalid filter 'dangling=[maybe]'" });
}));

test('local driver options: Docker wording', withStore(async (s) => {
  await assert.rejects(s.create({ name: 'o1', options: { type: 'tmpfs' }, provenance: { createdBy: 'volume create' } }), { message: 'create o1: missing required option: "device"' });
  await assert.rejects(s.create({ name: 'o2', options: { foo: 'x' }, provenance: { createdBy: 'volume create' } }), { message: 'create o2: invalid option key: "foo"' });
  await assert.rejects(s.create({ name: 'x', provenance: { createdBy: '-v' } }), { message: 'create x: volume name is too short, names should be at least two alphanumeric characters' });
  assert.equal(s.all().length, 0);
}));

test('volumes-from: :rw cannot make a read-only mount writable; mode is not inherited', withStore(async (s) => {
  const ro = [{ Type: 'volume' as const, Name: 'v1', Source: '/s', Destination: '/d', Driver: 'local', Mode: 'ro', RW: false, Propagation: '', CopyData: true, Anonymous: false }];
  const deps = { volumes: s, mountsOf: () => ro };
  const input = { containerId: 'c3', image: 'b', imageVolumes: [], requestVolumes: [], binds: null, mounts: null, labels: {} };
  const rw = await resolveMounts({ ...input, volumesFrom: ['src:rw'] }, deps);
  assert.deepEqual(rw, [{ Type: 'volume', Name: 'v1', Source: '/s', Destination: '/d', Driver: 'local', Mode: '', RW: false, Propagation: '', Anonymous: false }]);
  await assert.rejects(resolveMounts({ ...input, volumesFrom: ['src:zz'] }, deps), { message: 'invalid mode: zz' });
}));

test('mount resolution: volumes-from, binds override, anonymous for the rest', withStore(async (s) => {
  const source = await resolveMounts(
    { containerId: 'c0', image: 'busybox', imageVolumes: ['/DataMount'], requestVolumes: [], binds: null, mounts: null, volumesFrom: null, labels: {} },
    { volumes: s, mountsOf: () => undefined },
  );
  assert.equal(source.length, 1);
  assert.equal(source[0]!.Anonymous, true);
  assert.equal(s.get(source[0]!.Name!)?.Provenance.createdBy, 'image VOLUME');
  const mounts = await resolveMounts(
    {
      containerId: 'c1', image: 'busybox', imageVolumes: [], requestVolumes: ['/extra'], binds: ['/host/dir:/x:ro', 'named:/y'],
      mounts: null, volumesFrom: ['src:ro'], labels: { 'com.docker.compose.project': 'p', 'com.docker.compose.service': 'web' },
    },
    { volumes: s, mountsOf: (ref) => (ref === 'src' ? source : undefined) },
  );
  assert.deepEqual(mounts.map((m) => [m.Type, m.Destination, m.RW, m.Mode]), [
    ['volume', '/DataMount', false, ''],
    ['bind', '/x', false, 'ro'],
    ['volume', '/y', true, 'z'],
    ['volume', '/extra', true, ''],
  ]);
  assert.equal(s.get('named')?.Provenance.composeProject, 'p');
  assert.deepEqual(mountView(mounts[1]!), { Type: 'bind', Source: '/host/dir', Destination: '/x', Mode: 'ro', RW: false, Propagation: 'rprivate' });
  assert.equal(listMountView(mounts[2]!).Source, '');
  await assert.rejects(
    resolveMounts({ containerId: 'c2', image: 'b', imageVolumes: [], requestVolumes: [], binds: null, mounts: null, volumesFrom: ['cf-missing'], labels: {} }, { volumes: s, mountsOf: () => undefined }),
    { message: 'No such container: cf-missing' },
  );
}));

test('the audit lists unused volumes and stray directories', withStore(async (s, root) => {
  await s.create({ name: 'orphan', provenance: { createdBy: '-v', container: 'c9' } });
  await s.create({ name: 'kept', provenance: { createdBy: '-v' } });
  mkdirSync(path.join(root, 'leaked/_data'), { recursive: true });
  writeFileSync(path.join(root, 'leaked/_data/f'), '12345');
  const found = await auditVolumes(s, (name) => (name === 'kept' ? ['c1'] : []), now());
  assert.deepEqual(found.map((e) => [e.Kind, e.Name, e.CreatedBy]).sort(), [['stray-directory', 'leaked', 'unknown'], ['volume', 'orphan', '-v']]);
  assert.equal(found.find((e) => e.Name === 'leaked')?.Size, 5);
}));

test('bind propagation needs a shared (or slave) source mount, as Docker checks', async () => {
  const { checkBindPropagation } = await import('./volume-mounter.js');
  const info = [
    '22 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
    '30 22 0:40 / /srv rw shared:5 - tmpfs tmpfs rw',
    '31 22 0:41 / /mnt/s rw master:7 - tmpfs tmpfs rw',
    '32 22 0:42 / /mnt/with\\040space rw shared:9 - tmpfs tmpfs rw',
  ].join('\n');
  assert.throws(() => checkBindPropagation(info, '/tmp/x', 'rshared'), { message: 'path /tmp/x is mounted on / but it is not a shared mount' });
  assert.throws(() => checkBindPropagation(info, '/tmp/x', 'slave'), { message: 'path /tmp/x is mounted on / but it is not a shared or slave mount' });
  checkBindPropagation(info, '/srv/data', 'rshared');
  checkBindPropagation(info, '/mnt/s/a', 'rslave');
  assert.throws(() => checkBindPropagation(info, '/mnt/s/a', 'shared'), { message: 'path /mnt/s/a is mounted on /mnt/s but it is not a shared mount' });
  checkBindPropagation(info, '/tmp/x', 'rprivate');
  checkBindPropagation(info, '/mnt/with space/a', 'rshared'); // mountinfo writes the space as \040
});

test('create and destroy log Docker\'s volume events, once each', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'wharf-vol-'));
  const seen: string[] = [];
  try {
    const s = new VolumeStore(root, now, ids, { emit: (e) => seen.push(`${e.Type} ${e.Action} ${e.id} ${JSON.stringify(e.attributes)}`) });
    await s.init();
    await s.create({ name: 'ev', provenance: { createdBy: 'volume create' } });
    await s.create({ name: 'ev', provenance: { createdBy: 'volume create' } }); // exists: no event
    await assert.rejects(s.remove('ev', () => ['abc']));
    await s.remove('ev', () => []);
    assert.deepEqual(seen, ['volume create ev {"driver":"local"}', 'volume destroy ev {"driver":"local"}']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
