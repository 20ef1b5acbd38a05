import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSparseMap, foldSparseRecords, sparseInfoOf, sparseRecords, storedSize } from './sparse.js';
import { decodePax } from './tar-header.js';

/** A PAX body as GNU tar writes it. */
function paxBody(records: [string, string][]): Buffer {
  return Buffer.from(
    records
      .map(([k, v]) => {
        const rest = ` ${k}=${v}\n`;
        let len = rest.length + 1;
        while (String(len).length + rest.length !== len) len = String(len).length + rest.length;
        return `${len}${rest}`;
      })
      .join(''),
  );
}

test('sparse 0.0: the repeated offset and numbytes records become one map, in order', () => {
  const pax = decodePax(paxBody([
    ['GNU.sparse.size', '3145728'], ['GNU.sparse.numblocks', '2'],
    ['GNU.sparse.offset', '0'], ['GNU.sparse.numbytes', '4096'], ['GNU.sparse.offset', '1499136'], ['GNU.sparse.numbytes', '4096'],
    ['mtime', '1.5'],
  ]));
  assert.equal(pax['GNU.sparse.map'], '0,4096,1499136,4096');
  assert.equal(pax.mtime, '1.5');
  assert.deepEqual(sparseInfoOf(pax), { info: { version: '0.1', realSize: 3145728, map: [0, 4096, 1499136, 4096] } });
  assert.deepEqual(foldSparseRecords([['a', '1']]), { a: '1' }, 'no sparse records, no map');
});

test('sparse 0.1 and 1.0: the real name and size; plain entries are not sparse', () => {
  assert.deepEqual(
    sparseInfoOf({ 'GNU.sparse.size': '100', 'GNU.sparse.numblocks': '1', 'GNU.sparse.name': 'dir/f', 'GNU.sparse.map': '10,5' }),
    { info: { version: '0.1', realSize: 100, map: [10, 5] }, name: 'dir/f' },
  );
  assert.deepEqual(
    sparseInfoOf({ 'GNU.sparse.major': '1', 'GNU.sparse.minor': '0', 'GNU.sparse.name': 'f', 'GNU.sparse.realsize': '4096' }),
    { info: { version: '1.0', realSize: 4096 }, name: 'f' },
  );
  assert.equal(sparseInfoOf({ path: 'x', 'SCHILY.xattr.user.a': 'b' }), undefined);
});

test('sparse layouts that do not hold together are refused', () => {
  const base = { 'GNU.sparse.size': '100', 'GNU.sparse.numblocks': '2' };
  assert.throws(() => sparseInfoOf({ ...base, 'GNU.sparse.map': '0,10,5,10' }), /invalid GNU sparse map/, 'overlapping blocks');
  assert.throws(() => sparseInfoOf({ ...base, 'GNU.sparse.map': '0,10,95,10' }), /invalid GNU sparse map/, 'past the end');
  assert.throws(() => sparseInfoOf({ ...base, 'GNU.sparse.map': '0,10,50' }), /invalid GNU sparse map/, 'half a block');
  assert.throws(() => sparseInfoOf({ ...base, 'GNU.sparse.map': '0,10' }), /invalid GNU sparse map/, 'block count');
  assert.throws(() => sparseInfoOf({ ...base, 'GNU.sparse.map': '0,-1' }), /invalid GNU sparse map entry/);
  assert.throws(() => sparseInfoOf({ 'GNU.sparse.major': '2', 'GNU.sparse.minor': '0' }), /unsupported GNU sparse format 2.0/);
  assert.throws(() => sparseInfoOf({ 'GNU.sparse.major': '1', 'GNU.sparse.minor': '0' }), /invalid GNU sparse size/);
  assert.doesNotThrow(() => checkSparseMap([0, 4, 100, 0], 100), 'the empty last block GNU tar writes at the end');
  assert.equal(storedSize([0, 4, 10, 6]), 10);
});

test('the records written back for GNU tar: the vetted name, the block count before the map', () => {
  assert.deepEqual(Object.entries(sparseRecords({ version: '0.1', realSize: 100, map: [10, 5, 50, 1] }, 'clean/name')), [
    ['GNU.sparse.size', '100'], ['GNU.sparse.numblocks', '2'], ['GNU.sparse.name', 'clean/name'], ['GNU.sparse.map', '10,5,50,1'],
  ]);
  assert.deepEqual(sparseRecords({ version: '1.0', realSize: 7 }, 'f'), {
    'GNU.sparse.major': '1', 'GNU.sparse.minor': '0', 'GNU.sparse.name': 'f', 'GNU.sparse.realsize': '7',
  });
});
