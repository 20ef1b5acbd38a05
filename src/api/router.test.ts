import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Router, splitVersion, compareVersions } from './router.js';
import type { Route } from './route.js';

const noop = async () => {};
const routes: Route[] = [
  { method: 'GET', path: '/containers/:id/json', handler: noop },
  { method: 'GET', path: '/images/*name/json', handler: noop },
  { method: 'DELETE', path: '/images/*name', handler: noop },
];

test('splitVersion separates the version prefix', () => {
  assert.deepEqual(splitVersion('/v1.41/containers/json'), { version: '1.41', path: '/containers/json' });
  assert.deepEqual(splitVersion('/_ping'), { version: undefined, path: '/_ping' });
});

test('router matches one-segment and multi-segment parameters', () => {
  const r = new Router(routes);
  assert.deepEqual(r.match('GET', '/containers/cf-web/json')?.params, { id: 'cf-web' });
  assert.deepEqual(r.match('GET', '/images/library/busybox:latest/json')?.params, {
    name: 'library/busybox:latest',
  });
  assert.deepEqual(r.match('DELETE', '/images/a/b')?.params, { name: 'a/b' });
  assert.equal(r.match('POST', '/containers/x/json'), undefined);
  assert.equal(r.match('HEAD', '/containers/x/json')?.params.id, 'x');
});

test('compareVersions orders numerically', () => {
  assert.ok(compareVersions('1.9', '1.41') < 0);
  assert.ok(compareVersions('1.41', '1.41') === 0);
  assert.ok(compareVersions('1.99', '1.41') > 0);
});
