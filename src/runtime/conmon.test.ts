import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conmonArgv } from './conmon.js';

test('conmon argv for a detached container with stdin kept open', () => {
  assert.deepEqual(
    conmonArgv({
      id: 'abc', name: 'web', runtime: '/usr/sbin/runc', runtimeArgs: ['--root=/run/wharf/runc'],
      bundle: '/b', pidFile: '/b/pid', conmonPidFile: '/b/conmon.pid', persistDir: '/b', logPath: '/l/ctr.log',
      exitDir: '/run/wharf/exits', socketDir: '/run/wharf/socks', stdin: true, stdinOnce: false, tty: false,
    }),
    [
      '--api-version', '1', '-c', 'abc', '-u', 'abc', '-n', 'web', '-r', '/usr/sbin/runc',
      '--runtime-arg', '--root=/run/wharf/runc', '-b', '/b', '-p', '/b/pid', '-P', '/b/conmon.pid', '-0', '/b',
      '-l', 'k8s-file:/l/ctr.log', '--log-size-max', '104857600', '--exit-dir', '/run/wharf/exits',
      '--socket-dir-path', '/run/wharf/socks', '--syslog', '-i', '--leave-stdin-open',
    ],
  );
});

test('conmon argv for an exec session with a tty', () => {
  const argv = conmonArgv({
    id: 'abc', name: 'web', runtime: 'runc', runtimeArgs: [], bundle: '/e', pidFile: '/e/pid', conmonPidFile: '',
    persistDir: '', logPath: '/e/log', exitDir: '/e', socketDir: '/s', stdin: true, stdinOnce: true, tty: true,
    exec: { execId: 'e1', processSpec: '/e/process.json', attach: false },
  });
  assert.deepEqual(argv.slice(0, 6), ['--api-version', '1', '-c', 'abc', '-u', 'e1']);
  assert.ok(!argv.includes('-P'));
  assert.deepEqual(argv.slice(-5), ['-i', '-t', '--exec', '--exec-process-spec', '/e/process.json']);
});

test('conmon sync line: the pid, runc failure message, or garbage', async () => {
  const { parseSyncLine } = await import('./conmon.js');
  assert.equal(parseSyncLine('{"data": 4242}\n', ''), 4242);
  assert.throws(() => parseSyncLine('{"data": -1, "message": "runc create failed: exec: \\"nope\\""}', ''), /runc create failed: exec: "nope"/);
  assert.throws(() => parseSyncLine('{"data": -1}', ''), /runc create failed/);
  assert.throws(() => parseSyncLine('', 'conmon: bad arg\n'), /conmon exited before reporting: conmon: bad arg/);
  assert.throws(() => parseSyncLine('{"pid": 1}', ''), /unexpected message/);
});
