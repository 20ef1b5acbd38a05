import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkCreateLimits } from './create-limits.js';
import type { CreateBody } from './create-request.js';

const refuses = (body: Record<string, unknown>, message: string) =>
  assert.throws(() => checkCreateLimits({ Image: 'b', ...body } as CreateBody, 2), { message });

test('resource limits are refused with Docker 20.10 wording', () => {
  refuses({ HostConfig: { Memory: -5 } }, 'Minimum memory limit allowed is 6MB');
  refuses({ HostConfig: { Memory: 1000 } }, 'Minimum memory limit allowed is 6MB');
  refuses({ HostConfig: { NanoCpus: -5 } }, 'Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available');
  refuses({ HostConfig: { ShmSize: -5 } }, 'SHM size can not be less than 0');
  refuses({ HostConfig: { OomScoreAdj: -5000 } }, 'Invalid value -5000, range for oom score adj is [-1000, 1000]');
  refuses({ HostConfig: { CpuPeriod: -5 } }, 'CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
  refuses({ HostConfig: { MemorySwappiness: 500 } }, 'Invalid value: 500, valid memory swappiness range is 0-100');
  assert.doesNotThrow(() => checkCreateLimits({ Image: 'b', HostConfig: { Memory: 6 * 1024 * 1024, MemorySwappiness: -1, CpuPeriod: 100000 } } as CreateBody, 2));
});

test('port keys and bindings are checked at create, as Docker does', () => {
  refuses({ HostConfig: { PortBindings: { 'abc/tcp': [] } } }, 'invalid port specification: "abc"');
  refuses({ HostConfig: { PortBindings: { '99999/tcp': [] } } }, 'invalid port specification: "99999"');
  refuses({ HostConfig: { PortBindings: { '80-81/tcp': [] } } }, 'invalid port specification: "80-81"');
  refuses({ HostConfig: { PortBindings: { '80/tcp': [{ HostPort: '-5' }] } } }, 'invalid port specification: "-5"');
  refuses({ HostConfig: { PortBindings: { '80/tcp': [{ HostPort: '90-80' }] } } }, 'invalid port specification: "90-80"');
  refuses({ HostConfig: { PortBindings: { '80/tcp': [{ HostIp: 'notip', HostPort: '80' }] } } }, 'invalid IP address: notip');
  refuses({ ExposedPorts: { '80/xyz': {} } }, 'invalid proto: xyz');
  refuses({ ExposedPorts: { '': {} } }, 'invalid port specification: ""');
  assert.doesNotThrow(() =>
    checkCreateLimits({ Image: 'b', ExposedPorts: { '53/udp': {}, '80': {} }, HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8000-8010' }], '81/tcp': null } } } as unknown as CreateBody, 2),
  );
});

test('environment entries, extra hosts and healthchecks', () => {
  refuses({ Env: ['A=1', ''] }, 'invalid environment variable: ');
  refuses({ Env: ['=1'] }, 'invalid environment variable: =1');
  refuses({ HostConfig: { ExtraHosts: ['bad'] } }, 'bad format for add-host: "bad"');
  refuses({ HostConfig: { ExtraHosts: ['h:999.1.1.1'] } }, 'invalid IP address in add-host: "999.1.1.1"');
  refuses({ Healthcheck: { Interval: 5 } }, 'Interval in Healthcheck cannot be less than 1ms');
  refuses({ Healthcheck: { Timeout: -5 } }, 'Timeout in Healthcheck cannot be less than 1ms');
  refuses({ Healthcheck: { Retries: -1 } }, 'Retries in Healthcheck cannot be negative');
  refuses({ HostConfig: { NetworkMode: 'bogus' } }, 'network bogus not found');
  refuses({ WorkingDir: '.' }, "the working directory '.' is invalid, it needs to be an absolute path");
  refuses({ StopSignal: 'SIGBOGUS' }, 'Invalid signal: SIGBOGUS');
  refuses({ HostConfig: { PortBindings: { '53/udp': [{ HostIp: 'container:../../x' }] } } }, 'invalid IP address: container:../../x');
  assert.doesNotThrow(() =>
    checkCreateLimits({ Image: 'b', Env: ['A', 'B='], HostConfig: { ExtraHosts: ['h:10.0.0.1', 'g:host-gateway', 'six:::1'] }, Healthcheck: { Interval: 1e9 } } as unknown as CreateBody, 2),
  );
});
