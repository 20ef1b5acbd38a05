import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeFrames, encodeFrame, envFields, HostHelper, HELPER_PATH, statusError, stayInCgroup } from './host-helper.js';
import { daemonCgroupProcsFile } from './cgroup-lock-warmer.js';

test('a frame round-trips, fields binary-safe and empty ones kept', () => {
  const frame = encodeFrame(7, ['run', '', Buffer.from([0, 255, 10]), 'é']);
  assert.equal(frame.readUInt32LE(0), frame.length - 4);
  const { frames, rest } = decodeFrames(frame);
  assert.equal(rest.length, 0);
  assert.equal(frames.length, 1);
  assert.equal(frames[0]!.id, 7);
  assert.deepEqual(frames[0]!.fields.map((f) => [...f]), [[...Buffer.from('run')], [], [0, 255, 10], [...Buffer.from('é')]]);
});

test('frames split anywhere are decoded once complete, the rest kept', () => {
  const a = encodeFrame(1, ['0', 'out']);
  const b = encodeFrame(2, ['1']);
  const all = Buffer.concat([a, b]);
  for (let cut = 0; cut <= all.length; cut++) {
    const first = decodeFrames(all.subarray(0, cut));
    const second = decodeFrames(Buffer.concat([first.rest, all.subarray(cut)]));
    const ids = [...first.frames, ...second.frames].map((f) => f.id);
    assert.deepEqual(ids, [1, 2], `cut at ${cut}`);
    assert.equal(second.rest.length, 0);
  }
});

test('a frame whose fields overrun it is refused', () => {
  const frame = encodeFrame(3, ['abc']);
  frame.writeUInt32LE(99, 12); // the field claims 99 bytes
  assert.throws(() => decodeFrames(frame), /malformed frame/);
  const short = Buffer.alloc(8);
  short.writeUInt32LE(4, 0);
  assert.throws(() => decodeFrames(short), /malformed frame/);
});

test('env fields: "-" inherits, otherwise a count and KEY=value pairs without undefined values', () => {
  assert.deepEqual(envFields(undefined), ['-']);
  assert.deepEqual(envFields({ A: '1', B: undefined, C: '' }), ['2', 'A=1', 'C=']);
});

test('status fields: E<errno> is an error with its code, anything else is not', () => {
  assert.equal(statusError('0', 'x'), undefined);
  assert.equal(statusError('127', 'x'), undefined);
  const err = statusError('E2', 'mount /m');
  assert.equal(err?.code, 'ENOENT');
  assert.equal(err?.errno, 2);
  assert.equal(err?.message, 'mount /m: ENOENT (no such file or directory)');
  assert.equal(statusError('E17', 'veth')?.message, 'veth: EEXIST (file already exists)');
  assert.equal(statusError('E999', 'x')?.code, 'E999');
});

test('the built helper runs commands with input, cwd, env and exit codes, concurrently', async () => {
  const helper = new HostHelper(HELPER_PATH);
  assert.ok(helper.available(), `set-up builds ${HELPER_PATH}`);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-helper-'));
  try {
    const results = await Promise.all([
      helper.request(['run', dir, '1', 'hello\n', '1', 'GREETING=hi', '/bin/sh', '-c', 'pwd; echo $GREETING; cat; echo oops >&2; exit 3']),
      helper.request(['run', '', '0', '', '-', '/bin/sh', '-c', 'kill -TERM $$']),
      helper.request(['run', '', '0', '', '-', '/nonexistent/binary']),
    ]);
    const text = results.map((fields) => fields.map((f) => f.toString()));
    assert.deepEqual(text[0], ['3', `${dir}\nhi\nhello\n`, 'oops\n']);
    assert.equal(text[1]![0], String(128 + 15));
    assert.equal(text[2]![0], 'E2');
  } finally {
    helper.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('stay writes "0" to the cgroup.procs of the cgroup the helper is in, which leaves it there', { skip: process.getuid?.() !== 0 && 'needs root' }, async () => {
  const file = daemonCgroupProcsFile();
  assert.ok(file, 'this process sees its cgroup');
  const helper = new HostHelper(HELPER_PATH);
  try {
    await helper.request(['run', '', '0', '', '-', '/bin/true']); // starts the helper
    const before = await fs.readFile(`/proc/${helper.pid}/cgroup`, 'utf8');
    await stayInCgroup(helper, file);
    assert.equal(await fs.readFile(`/proc/${helper.pid}/cgroup`, 'utf8'), before);
    await assert.rejects(stayInCgroup(helper, '/nonexistent/cgroup.procs'), (err: NodeJS.ErrnoException) => err.code === 'ENOENT');
  } finally {
    helper.close();
  }
});

test('the helper answers an unknown operation with ENOSYS and keeps serving', async () => {
  const helper = new HostHelper(HELPER_PATH);
  try {
    const [bad] = await helper.request(['no-such-op']);
    assert.equal(bad?.toString(), 'E38'); // ENOSYS
    const [status, out] = await helper.request(['run', '', '0', '', '-', '/bin/echo', 'still here']);
    assert.equal(status?.toString(), '0');
    assert.equal(out?.toString(), 'still here\n');
  } finally {
    helper.close();
  }
});

test('a helper that dies fails its pending requests and is started again for the next one', async () => {
  const helper = new HostHelper(HELPER_PATH);
  try {
    // The command's parent is the helper itself.
    await assert.rejects(helper.request(['run', '', '0', '', '-', '/bin/sh', '-c', 'kill -9 $PPID; sleep 5']), /host helper exited \(SIGKILL\)/);
    const [status, out] = await helper.request(['run', '', '0', '', '-', '/bin/echo', 'back']);
    assert.equal(status?.toString(), '0');
    assert.equal(out?.toString(), 'back\n');
  } finally {
    helper.close();
  }
});
