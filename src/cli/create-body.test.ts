import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCreateBody, defaultCreateOptions, parseCpus, parseRestartPolicy, resolveEnv } from './create-body.js';
import { parsePortSpec, SpecError } from './port-spec.js';

// Bodies captured from docker CLI 28.2.2 through a logging proxy (docker-api-trace.md §4).
const TRACE_BODY =
  '{"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":true,"AttachStderr":true,"ExposedPorts":{"80/tcp":{},"81/tcp":{},"82/tcp":{}},"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":["A=1","B=two"],"Cmd":["sleep","300"],"Image":"busybox:latest","Volumes":{"/data":{}},"WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":{},"HostConfig":{"Binds":["/srv/x:/x:ro"],"ContainerIDFile":"","LogConfig":{"Type":"","Config":{}},"NetworkMode":"default","PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"28180"}],"81/tcp":[{"HostIp":"127.0.0.1","HostPort":""}]},"RestartPolicy":{"Name":"no","MaximumRetryCount":0},"AutoRemove":false,"VolumeDriver":"","VolumesFrom":["cf-tdata:ro"],"ConsoleSize":[0,0],"CapAdd":null,"CapDrop":null,"CgroupnsMode":"","Dns":[],"DnsOptions":[],"DnsSearch":[],"ExtraHosts":null,"GroupAdd":null,"IpcMode":"","Cgroup":"","Links":["cf-tdb:db"],"OomScoreAdj":0,"PidMode":"","Privileged":false,"PublishAllPorts":true,"ReadonlyRootfs":false,"SecurityOpt":null,"UTSMode":"","UsernsMode":"","ShmSize":0,"Isolation":"","CpuShares":0,"Memory":0,"NanoCpus":0,"CgroupParent":"","BlkioWeight":0,"BlkioWeightDevice":[],"BlkioDeviceReadBps":[],"BlkioDeviceWriteBps":[],"BlkioDeviceReadIOps":[],"BlkioDeviceWriteIOps":[],"CpuPeriod":0,"CpuQuota":0,"CpuRealtimePeriod":0,"CpuRealtimeRuntime":0,"CpusetCpus":"","CpusetMems":"","Devices":[],"DeviceCgroupRules":null,"DeviceRequests":null,"MemoryReservation":0,"MemorySwap":0,"MemorySwappiness":-1,"OomKillDisable":false,"PidsLimit":0,"Ulimits":[],"CpuCount":0,"CpuPercent":0,"IOMaximumIOps":0,"IOMaximumBandwidth":0,"MaskedPaths":null,"ReadonlyPaths":null},"NetworkingConfig":{"EndpointsConfig":{"default":{"IPAMConfig":null,"Links":null,"Aliases":null,"MacAddress":"","DriverOpts":null,"GwPriority":0,"NetworkID":"","EndpointID":"","Gateway":"","IPAddress":"","IPPrefixLen":0,"IPv6Gateway":"","GlobalIPv6Address":"","GlobalIPv6PrefixLen":0,"DNSNames":null}}}}';
const FLAGS_BODY =
  '{"Hostname":"myhost","Domainname":"","User":"nobody","AttachStdin":true,"AttachStdout":true,"AttachStderr":true,"ExposedPorts":{"80/udp":{},"81/udp":{},"90/tcp":{}},"Tty":true,"OpenStdin":true,"StdinOnce":true,"Env":["X=1","Y=yy"],"Cmd":["-c","echo hi"],"Image":"busybox","Volumes":{},"WorkingDir":"/tmp","Entrypoint":["/bin/sh"],"OnBuild":null,"Labels":{"a":"b","c":""},"HostConfig":{"Binds":null,"ContainerIDFile":"","LogConfig":{"Type":"","Config":{}},"NetworkMode":"none","PortBindings":{"80/udp":[{"HostIp":"","HostPort":"8000"}],"81/udp":[{"HostIp":"","HostPort":"8001"}],"90/tcp":[{"HostIp":"","HostPort":"9000-9001"}]},"RestartPolicy":{"Name":"on-failure","MaximumRetryCount":3},"AutoRemove":false,"VolumeDriver":"","VolumesFrom":null,"ConsoleSize":[0,0],"CapAdd":null,"CapDrop":null,"CgroupnsMode":"","Dns":[],"DnsOptions":[],"DnsSearch":[],"ExtraHosts":["foo:1.2.3.4"],"GroupAdd":null,"IpcMode":"","Cgroup":"","Links":null,"OomScoreAdj":0,"PidMode":"","Privileged":false,"PublishAllPorts":false,"ReadonlyRootfs":false,"SecurityOpt":null,"UTSMode":"","UsernsMode":"","ShmSize":0,"Isolation":"","CpuShares":0,"Memory":67108864,"NanoCpus":1500000000,"CgroupParent":"","BlkioWeight":0,"BlkioWeightDevice":[],"BlkioDeviceReadBps":[],"BlkioDeviceWriteBps":[],"BlkioDeviceReadIOps":[],"BlkioDeviceWriteIOps":[],"CpuPeriod":0,"CpuQuota":0,"CpuRealtimePeriod":0,"CpuRealtimeRuntime":0,"CpusetCpus":"","CpusetMems":"","Devices":[],"DeviceCgroupRules":null,"DeviceRequests":null,"MemoryReservation":0,"MemorySwap":0,"MemorySwappiness":-1,"OomKillDisable":false,"PidsLimit":20,"Ulimits":[],"CpuCount":0,"CpuPercent":0,"IOMaximumIOps":0,"IOMaximumBandwidth":0,"MaskedPaths":null,"ReadonlyPaths":null},"NetworkingConfig":{"EndpointsConfig":{}}}';

test('create body for the trace example matches the docker CLI byte for byte', () => {
  const o = defaultCreateOptions('busybox:latest', ['sleep', '300']);
  Object.assign(o, {
    name: 'cf-tweb', links: ['cf-tdb:db'], publish: ['28180:80', '127.0.0.1::81'], publishAll: true,
    expose: ['82'], volumes: ['/data', '/srv/x:/x:ro'], volumesFrom: ['cf-tdata:ro'],
  });
  assert.equal(JSON.stringify(buildCreateBody(o, ['A=1', 'B=two'])), TRACE_BODY);
});

test('create body with -it, limits, restart, entrypoint, labels, env-file and ranges', () => {
  const o = defaultCreateOptions('busybox', ['-c', 'echo hi']);
  Object.assign(o, {
    interactive: true, tty: true, memory: 64 * 1024 * 1024, nanoCpus: parseCpus('1.5'), pidsLimit: 20,
    restart: 'on-failure:3', workdir: '/tmp', user: 'nobody', entrypoint: '/bin/sh', hostname: 'myhost',
    labels: ['a=b', 'c'], addHosts: ['foo:1.2.3.4'], network: 'none',
    publish: ['8000-8001:80-81/udp', '9000-9001:90'],
  });
  const env = resolveEnv(['X=1\n# c\nY\n'], [], (k) => (k === 'Y' ? 'yy' : undefined));
  assert.equal(JSON.stringify(buildCreateBody(o, env)), FLAGS_BODY);
});

test('detached run attaches nothing; Cmd and Env are null when empty', () => {
  const o = defaultCreateOptions('busybox');
  o.detach = true;
  const body = buildCreateBody(o, []);
  assert.equal(body['AttachStdout'], false);
  assert.equal(body['AttachStderr'], false);
  assert.equal(body['Cmd'], null);
  assert.equal(body['Env'], null);
  assert.equal('ExposedPorts' in body, false);
});

test('--rm with --restart is refused like docker', () => {
  const o = defaultCreateOptions('busybox');
  Object.assign(o, { autoRemove: true, restart: 'always' });
  assert.throws(() => buildCreateBody(o, []), /conflicting options: cannot specify both --restart and --rm/);
});

test('env resolution: env-file first, bare names from the environment, unset names dropped', () => {
  assert.deepEqual(resolveEnv(['A=1\n  B\n#x\n\n'], ['C=3', 'D', 'E'], (k) => ({ B: 'b', D: 'd' })[k]), [
    'A=1', 'B=b', 'C=3', 'D=d',
  ]);
  assert.throws(() => resolveEnv([], ['A B=1'], () => undefined), /variable 'A B' contains whitespaces/);
});

test('restart policies', () => {
  assert.deepEqual(parseRestartPolicy(''), { Name: 'no', MaximumRetryCount: 0 });
  assert.deepEqual(parseRestartPolicy('always'), { Name: 'always', MaximumRetryCount: 0 });
  assert.deepEqual(parseRestartPolicy('on-failure:5'), { Name: 'on-failure', MaximumRetryCount: 5 });
  assert.throws(() => parseRestartPolicy('always:3'), SpecError);
  assert.throws(() => parseRestartPolicy('sometimes'), SpecError);
});

test('port specs in every form', () => {
  assert.deepEqual(parsePortSpec('80'), [{ port: '80/tcp', binding: { HostIp: '', HostPort: '' } }]);
  assert.deepEqual(parsePortSpec('8080:80'), [{ port: '80/tcp', binding: { HostIp: '', HostPort: '8080' } }]);
  assert.deepEqual(parsePortSpec('127.0.0.1:8080:80/udp'), [
    { port: '80/udp', binding: { HostIp: '127.0.0.1', HostPort: '8080' } },
  ]);
  assert.deepEqual(parsePortSpec('127.0.0.1::81'), [{ port: '81/tcp', binding: { HostIp: '127.0.0.1', HostPort: '' } }]);
  assert.deepEqual(parsePortSpec('[::1]:9000:90'), [{ port: '90/tcp', binding: { HostIp: '::1', HostPort: '9000' } }]);
  assert.deepEqual(parsePortSpec('28106-28107:80'), [
    { port: '80/tcp', binding: { HostIp: '', HostPort: '28106-28107' } },
  ]);
  assert.deepEqual(parsePortSpec('7000-7001:70-71').map((m) => `${m.port}=${m.binding.HostPort}`), [
    '70/tcp=7000', '71/tcp=7001',
  ]);
  assert.throws(() => parsePortSpec('abc'), /invalid containerPort: abc/);
  assert.throws(() => parsePortSpec('1-3:70-71'), /invalid ranges specified/);
  assert.throws(() => parsePortSpec('80/xyz'), /invalid proto: xyz/);
});

test('--cpus becomes NanoCpus', () => {
  assert.equal(parseCpus('1.5'), 1500000000);
  assert.equal(parseCpus('.5'), 500000000);
  assert.throws(() => parseCpus('x'), /failed to parse x as a rational number/);
});
