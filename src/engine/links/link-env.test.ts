import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderLinkEnv, buildProcessEnv, envPrefix } from './link-env.js';

test('one exposed port, source env without HOME and PATH', () => {
  assert.deepEqual(
    renderLinkEnv({
      linkName: '/cf-web2/webdb', alias: 'webdb', ip: '172.17.0.2', exposedPorts: ['5432/tcp'],
      env: ['PG_VERSION=9.3', 'PATH=/bin', 'HOME=/root'],
    }),
    [
      'WEBDB_PORT=tcp://172.17.0.2:5432',
      'WEBDB_PORT_5432_TCP=tcp://172.17.0.2:5432',
      'WEBDB_PORT_5432_TCP_ADDR=172.17.0.2',
      'WEBDB_PORT_5432_TCP_PORT=5432',
      'WEBDB_PORT_5432_TCP_PROTO=tcp',
      'WEBDB_NAME=/cf-web2/webdb',
      'WEBDB_ENV_PG_VERSION=9.3',
    ],
  );
});

test('the default port is the lowest, tcp before udp, and ranges get START/END', () => {
  const env = renderLinkEnv({
    linkName: '/r/my-db', alias: 'my-db', ip: '10.0.0.5', exposedPorts: ['8002/tcp', '8000/tcp', '8001/tcp', '53/udp', '53/tcp'],
    env: null,
  });
  assert.deepEqual(env.slice(0, 7), [
    'MY_DB_PORT=tcp://10.0.0.5:53',
    'MY_DB_PORT_8000_TCP_START=tcp://10.0.0.5:8000',
    'MY_DB_PORT_8000_TCP_ADDR=10.0.0.5',
    'MY_DB_PORT_8000_TCP_PROTO=tcp',
    'MY_DB_PORT_8000_TCP_PORT_START=8000',
    'MY_DB_PORT_8000_TCP_END=tcp://10.0.0.5:8002',
    'MY_DB_PORT_8000_TCP_PORT_END=8002',
  ]);
  assert.deepEqual(env.slice(7, 9), ['MY_DB_PORT_53_TCP=tcp://10.0.0.5:53', 'MY_DB_PORT_53_TCP_ADDR=10.0.0.5']);
  assert.equal(env[11], 'MY_DB_PORT_53_UDP=tcp://10.0.0.5:53'.replace('tcp://', 'udp://'));
  assert.equal(env.at(-1), 'MY_DB_NAME=/r/my-db');
});

test('envPrefix upper-cases and maps dashes', () => {
  assert.equal(envPrefix('web-db.x'), 'WEB_DB.X');
});

test('process env: PATH, HOSTNAME, links, then own variables replacing PATH in place', () => {
  assert.deepEqual(buildProcessEnv({ hostname: 'abc', tty: false, linkEnv: ['DB_NAME=/a/db'], env: ['A=1', 'PATH=/x'] }), [
    'PATH=/x', 'HOSTNAME=abc', 'DB_NAME=/a/db', 'A=1',
  ]);
  assert.deepEqual(buildProcessEnv({ hostname: 'h', tty: true, linkEnv: [], env: null }).slice(1), ['HOSTNAME=h', 'TERM=xterm']);
});

test('process env: a name without = unsets the variable and is not passed on (runc refuses it)', () => {
  assert.deepEqual(buildProcessEnv({ hostname: 'h', tty: false, linkEnv: ['DB_NAME=/a/db'], env: ['80/xyz', 'DB_NAME', 'A=1', 'PATH'] }), ['HOSTNAME=h', 'A=1']);
});
