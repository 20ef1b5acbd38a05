import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFilters, selectContainers } from './list-filter.js';
import type { ContainerRecord } from './container-record.js';

const rec = (id: string, name: string, running: boolean, created: string, labels: Record<string, string> = {}) =>
  ({ id, name, created, image: 'busybox:latest', imageId: 'sha256:aa', config: { Labels: labels }, state: { Running: running, Status: running ? 'running' : 'exited', ExitCode: 0 }, links: [] }) as unknown as ContainerRecord;

const all = [
  rec('a1', '/cf-web', true, '2026-01-01T00:00:01Z', { 'cf.x': '1' }),
  rec('b2', '/cf-db', false, '2026-01-01T00:00:02Z'),
  rec('c3', '/other', true, '2026-01-01T00:00:03Z'),
];
const ctx = { names: (r: ContainerRecord) => [r.name], ancestorMatches: () => true, find: (x: string) => all.find((r) => r.name === '/' + x) };

test('parseFilters accepts both encodings', () => {
  assert.deepEqual(parseFilters('{"name":{"cf-t":true}}'), { name: ['cf-t'] });
  assert.deepEqual(parseFilters('{"label": ["a=b"]}'), { label: ['a=b'] });
  assert.throws(() => parseFilters('{bad'), /invalid filter/);
});

test('running only by default, newest first, filters combine', () => {
  assert.deepEqual(selectContainers(all, { all: false, limit: 0, filters: {} }, ctx).map((r) => r.id), ['c3', 'a1']);
  assert.deepEqual(selectContainers(all, { all: true, limit: 0, filters: { name: ['cf-'] } }, ctx).map((r) => r.id), ['b2', 'a1']);
  assert.deepEqual(selectContainers(all, { all: true, limit: 1, filters: {} }, ctx).map((r) => r.id), ['c3']);
  assert.deepEqual(selectContainers(all, { all: false, limit: 0, filters: { status: ['exited'] } }, ctx).map((r) => r.id), ['b2']);
  assert.deepEqual(selectContainers(all, { all: true, limit: 0, filters: { label: ['cf.x=1'] } }, ctx).map((r) => r.id), ['a1']);
  assert.throws(() => selectContainers(all, { all: true, limit: 0, filters: { bogus: ['1'] } }, ctx), /invalid filter 'bogus'/);
});
