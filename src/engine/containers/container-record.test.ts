import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createdState, runningRecord, ZERO_TIME, type ContainerRecord } from './container-record.js';

const base = (): ContainerRecord =>
  ({
    id: 'c'.repeat(64), name: '/web', links: [], manuallyStopped: true,
    state: { ...createdState(), Status: 'exited', ExitCode: 3, Error: 'boom', OOMKilled: true, FinishedAt: '2026-11-30T08:00:00Z' },
    lastPorts: [{ proto: 'tcp', port: 80, hostIp: '0.0.0.0', hostPort: 8080 }],
  }) as unknown as ContainerRecord;

test('runningRecord describes the run and leaves the record it was given alone', () => {
  const rec = base();
  const endpoint = { ipAddress: '172.17.0.2' } as ContainerRecord['endpoint'];
  const next = runningRecord(rec, { startedAt: '2026-11-30T09:00:00Z', pid: 0, endpoint, active: [], byPolicy: false });
  assert.equal(rec.state.Status, 'exited');
  assert.equal(rec.manuallyStopped, true);
  assert.deepEqual(
    { ...next.state },
    {
      ...rec.state, Status: 'running', Running: true, Paused: false, Restarting: false, OOMKilled: false, Dead: false,
      Pid: 0, ExitCode: 0, Error: '', StartedAt: '2026-11-30T09:00:00Z', FinishedAt: '2026-11-30T08:00:00Z',
    },
  );
  assert.equal(next.endpoint, endpoint);
  assert.equal(next.manuallyStopped, false);
  assert.deepEqual(next.lastPorts, rec.lastPorts, 'no ports this run: the last run\'s stay remembered');
});

test('runningRecord keeps manuallyStopped for a restart by policy and remembers the ports of the run', () => {
  const rec = base();
  const active = [{ proto: 'tcp', port: 80, hostIp: '0.0.0.0', hostPort: 9090 }] as ContainerRecord['lastPorts'] & object;
  const next = runningRecord({ ...rec, state: { ...rec.state, FinishedAt: '' } }, { startedAt: 't', pid: 42, conmonPid: 41, endpoint: undefined, active, byPolicy: true });
  assert.equal(next.manuallyStopped, true);
  assert.equal(next.state.Pid, 42);
  assert.equal(next.conmonPid, 41);
  assert.equal(next.state.FinishedAt, ZERO_TIME);
  assert.deepEqual(next.ports, active);
  assert.deepEqual(next.lastPorts, active);
});
