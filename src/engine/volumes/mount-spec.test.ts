import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBind, parseApiMount, anonymousVolume, parseVolumesFrom, validateVolumeName, isValidMountMode, tmpfsData } from './mount-spec.js';

test('the -v forms', () => {
  assert.deepEqual(parseBind('/host/dir:/MountPoint'), { type: 'bind', name: '', source: '/host/dir', destination: '/MountPoint', rw: true, mode: '', copyData: false, propagation: 'rprivate' });
  assert.deepEqual(parseBind('/h/f.txt:/f.txt:ro'), { type: 'bind', name: '', source: '/h/f.txt', destination: '/f.txt', rw: false, mode: 'ro', copyData: false, propagation: 'rprivate' });
  assert.deepEqual(parseBind('data:/var/lib/db:rw,nocopy'), { type: 'volume', name: 'data', source: '', destination: '/var/lib/db', rw: true, mode: 'rw,nocopy', copyData: false, propagation: '' });
  assert.deepEqual(parseBind('/tmp//a/:/x/../y/:ro,rshared'), { type: 'bind', name: '', source: '/tmp/a', destination: '/y', rw: false, mode: 'ro,rshared', copyData: false, propagation: 'rshared' });
  // A lone destination in Binds is an anonymous volume, as in Docker.
  assert.deepEqual(parseBind('/anon'), { type: 'volume', name: '', source: '', destination: '/anon', rw: true, mode: '', copyData: true, propagation: '' });
  assert.deepEqual(anonymousVolume('/data/'), { type: 'volume', name: '', source: '', destination: '/data', rw: true, mode: '', copyData: true, propagation: '' });
});

test('bad -v specs get Docker 20.10 wording, in its order of checks', () => {
  const cases: [string, string][] = [
    [':/a', "invalid volume specification: ':/a'"],
    ['/a:rw', "invalid volume specification: '/a:rw'"],
    ['/a:/b:ro:z', "invalid volume specification: '/a:/b:ro:z'"],
    ['x:y', `invalid volume specification: 'x:y': invalid mount config for type "volume": invalid mount path: 'y' mount path must be absolute`],
    ['/a:/', `invalid volume specification: '/a:/': invalid mount config for type "bind": invalid specification: destination can't be '/'`],
    ['x:/', `invalid volume specification: 'x:/': invalid mount config for type "volume": invalid specification: destination can't be '/'`],
    ['/a:/b:nocopy', `invalid volume specification: '/a:/b:nocopy': invalid mount config for type "bind": field VolumeOptions must not be specified`],
    ['/a:/b:ro,rw', 'invalid mode: ro,rw'],
    ['/a:/b:zz,ro', 'invalid mode: zz,ro'],
    ['x::/b', 'invalid mode: /b'],
    ['x:/b:ro', 'create x: volume name is too short, names should be at least two alphanumeric characters'],
    ['a b:/x', 'create a b: "a b" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path'],
  ];
  for (const [spec, message] of cases) assert.throws(() => parseBind(spec), { message }, spec);
  assert.throws(() => validateVolumeName('-x'), /includes invalid characters for a local volume name/);
  assert.throws(() => anonymousVolume('rel'), { message: `invalid mount config for type "volume": invalid mount path: 'rel' mount path must be absolute` });
});

test('mount modes: known words, one of each kind', () => {
  assert.equal(isValidMountMode(''), true);
  assert.equal(isValidMountMode('ro,z,shared,nocopy,cached'), true);
  assert.equal(isValidMountMode('ro,rw'), false);
  assert.equal(isValidMountMode('z,Z'), false);
  assert.equal(isValidMountMode('bogus'), false);
});

test('--mount: volume, bind, tmpfs', () => {
  assert.deepEqual(parseApiMount({ Type: 'volume', Source: 'v1', Target: '/d', VolumeOptions: { NoCopy: true } }), { type: 'volume', name: 'v1', source: '', destination: '/d', rw: true, mode: '', copyData: false, propagation: '' });
  assert.deepEqual(parseApiMount({ Type: 'bind', Source: '/h/', Target: '/d', ReadOnly: true }), { type: 'bind', name: '', source: '/h', destination: '/d', rw: false, mode: '', copyData: false, propagation: 'rprivate', sourceMustExist: true });
  assert.deepEqual(parseApiMount({ Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 64 << 20, Mode: 0o1777 } }), { type: 'tmpfs', name: '', source: '', destination: '/t', rw: true, mode: '', copyData: false, propagation: '', tmpfsData: 'size=64m,mode=1777' });
  const err = (m: object, message: string) => assert.throws(() => parseApiMount(m), { message });
  err({ Type: 'volume', Target: 'rel' }, `invalid mount config for type "volume": invalid mount path: 'rel' mount path must be absolute`);
  err({ Type: 'bind', Source: 'rel', Target: '/x' }, `invalid mount config for type "bind": invalid mount path: 'rel' mount path must be absolute`);
  err({ Type: 'bind', Target: '/x' }, 'invalid mount config for type "bind": field Source must not be empty');
  err({ Type: 'volume', Target: '/x', ReadOnly: true }, 'invalid mount config for type "volume": must not set ReadOnly mode when using anonymous volumes');
  err({ Type: 'volume', Source: 'v1', Target: '/x', BindOptions: { Propagation: 'shared' } }, 'invalid mount config for type "volume": field BindOptions must not be specified');
  err({ Type: 'tmpfs', Source: 'x', Target: '/x' }, 'invalid mount config for type "tmpfs": field Source must not be specified');
  err({ Type: 'npipe', Target: '/x' }, 'invalid mount config for type "npipe": mount type unknown');
  err({ Type: 'volume', Source: 'v', Target: '/x' }, 'create v: volume name is too short, names should be at least two alphanumeric characters');
  assert.equal(tmpfsData({ SizeBytes: 1000 }, true), 'size=1000,ro');
});

test('--volumes-from', () => {
  assert.deepEqual(parseVolumesFrom('cf-datavol'), { container: 'cf-datavol', mode: '' });
  assert.deepEqual(parseVolumesFrom('abc:ro'), { container: 'abc', mode: 'ro' });
  assert.deepEqual(parseVolumesFrom('abc:ro,z'), { container: 'abc', mode: 'ro,z' });
  assert.throws(() => parseVolumesFrom('c:xx'), { message: 'invalid mode: xx' });
  assert.throws(() => parseVolumesFrom('c:ro:z'), { message: 'invalid mode: ro:z' });
  assert.throws(() => parseVolumesFrom('c:shared'), { message: "invalid volume specification: 'c:shared'" });
  assert.throws(() => parseVolumesFrom(''), { message: 'volumes-from specification cannot be an empty string' });
});

test('--tmpfs destinations', async () => {
  const { parseTmpfsFlags } = await import('./mount-spec.js');
  assert.deepEqual(parseTmpfsFlags({ '/run/': 'rw,size=64k', '/x': '' }), [{ destination: '/run', data: 'rw,size=64k' }, { destination: '/x', data: '' }]);
  assert.deepEqual(parseTmpfsFlags(null), []);
  assert.throws(() => parseTmpfsFlags({ rel: '' }), { message: "invalid mount path: 'rel' mount path must be absolute" });
  assert.throws(() => parseTmpfsFlags({ '/': '' }), { message: "invalid specification: destination can't be '/'" });
});
