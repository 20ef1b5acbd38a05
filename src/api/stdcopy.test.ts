import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frame, FrameDecoder } from './stdcopy.js';

test('frame writes the 8-byte header Docker expects', () => {
  const f = frame(2, Buffer.from('to-stderr\n'));
  assert.deepEqual([...f.subarray(0, 8)], [2, 0, 0, 0, 0, 0, 0, 10]);
  assert.equal(f.subarray(8).toString(), 'to-stderr\n');
});

test('decoder reassembles frames split across chunks', () => {
  const got: string[] = [];
  const d = new FrameDecoder((s, p) => got.push(`${s}:${p.toString()}`));
  const all = Buffer.concat([frame(1, Buffer.from('abc')), frame(2, Buffer.from('de'))]);
  d.push(all.subarray(0, 5));
  d.push(all.subarray(5, 13));
  d.push(all.subarray(13));
  assert.deepEqual(got, ['1:abc', '2:de']);
});
