import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { goSystemMessage, messageOf, notFound } from './errors.js';

function thrown(fn: () => void): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('did not throw');
}

test('a full disk reads as in Go: "write <path>: no space left on device"', () => {
  const fd = openSync('/dev/full', 'w');
  try {
    const err = thrown(() => writeSync(fd, 'x')) as NodeJS.ErrnoException;
    assert.match(err.message, /^ENOSPC: no space left on device, write$/);
    assert.equal(messageOf(err), 'write: no space left on device');
    err.path = '/var/lib/wharf/containers/x/config.v2.json';
    assert.equal(messageOf(err), 'write /var/lib/wharf/containers/x/config.v2.json: no space left on device');
  } finally {
    closeSync(fd);
  }
});

test('paths and rename targets follow the syscall, as os.PathError and os.LinkError print them', () => {
  assert.equal(messageOf(thrown(() => openSync('/nonexistent-dir/x', 'r'))), 'open /nonexistent-dir/x: no such file or directory');
  assert.equal(messageOf(thrown(() => renameSync('/nonexistent-a', '/nonexistent-b'))), 'rename /nonexistent-a /nonexistent-b: no such file or directory');
});

test('other errors keep their message', () => {
  assert.equal(goSystemMessage(notFound('No such container: x')), undefined);
  assert.equal(messageOf(notFound('No such container: x')), 'No such container: x');
  assert.equal(messageOf(new Error('ENOSPC: looks like one, but is not')), 'ENOSPC: looks like one, but is not');
  assert.equal(messageOf('text'), 'text');
});
