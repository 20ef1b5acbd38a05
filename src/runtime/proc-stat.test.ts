import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveParentPid, parseProcStat, processRunning } from './proc-stat.js';

test('stat lines parse past a command name with spaces and parentheses', () => {
  assert.deepEqual(parseProcStat('42 (a b) c)) S 7 42 42 0 -1'), { state: 'S', ppid: 7 });
  assert.deepEqual(parseProcStat('9 (sleep) Z 1 9'), { state: 'Z', ppid: 1 });
  assert.equal(parseProcStat(''), undefined);
  assert.equal(parseProcStat('1 (x)'), undefined);
});

test('this process runs and has its parent; a pid that does not exist does not', () => {
  assert.ok(processRunning(process.pid));
  assert.equal(liveParentPid(process.pid), process.ppid);
  assert.equal(processRunning(2 ** 22 + 1), false);
  assert.equal(liveParentPid(2 ** 22 + 1), undefined);
});
