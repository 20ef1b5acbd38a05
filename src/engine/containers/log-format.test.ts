import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseK8sLog, filterLogs } from './log-format.js';

const log = [
  '2026-11-22T06:45:56.161753428+00:00 stdout F out-line-1',
  '2026-11-22T06:45:56.162161941+00:00 stdout P partial-',
  '2026-11-22T06:45:56.162172380+00:00 stderr F err-line-1',
  '2026-11-22T06:45:57.000000000+00:00 stdout F rest',
  '2026-11-22T06:45:58.000000000+00:00 stdout F ',
  '',
].join('\n');

test('parses records, joins partial lines, keeps streams apart', () => {
  const recs = parseK8sLog(log);
  assert.deepEqual(recs.map((r) => [r.stream, r.data]), [
    ['stdout', 'out-line-1\n'],
    ['stderr', 'err-line-1\n'],
    ['stdout', 'partial-rest\n'],
    ['stdout', '\n'],
  ]);
  assert.equal(recs[0]!.time, '2026-11-22T06:45:56.161753428Z');
});

test('tail and since', () => {
  const recs = parseK8sLog(log);
  assert.equal(filterLogs(recs, { since: 0, until: 0, tail: 1 })[0]!.data, '\n');
  assert.equal(filterLogs(recs, { since: 0, until: 0, tail: 0 }).length, 0);
  const since = Date.parse('2026-11-22T06:45:57Z') / 1000;
  assert.equal(filterLogs(recs, { since, until: 0, tail: 'all' }).length, 1);
});
