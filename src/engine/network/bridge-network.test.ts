import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BridgeConfig, BridgeNetwork } from './bridge-network.js';
import { FakeNetworkHost } from './fake-network-host.js';

const ID_A = 'a'.repeat(64);
const ID_B = 'b'.repeat(64);

async function setup(overrides: Partial<BridgeConfig> = {}, host = new FakeNetworkHost()) {
  const stateDir = await mkdtemp(path.join(tmpdir(), 'wharf-net-'));
  let n = 0;
  const randomHex = (length: number) => (++n).toString(16).padStart(length, '0');
  const config: BridgeConfig = { bridge: 'wharf0', iptables: true, icc: true, userlandProxy: true, stateDir, ...overrides };
  const net = new BridgeNetwork(config, { host, randomHex });
  return { host, net, stateDir, config, randomHex, cleanup: () => rm(stateDir, { recursive: true, force: true }) };
}

test('init on a fresh host: picks the first free subnet, builds the bridge and chains, persists', async (t) => {
  const host = new FakeNetworkHost();
  host.routes = [{ cidr: '192.0.2.0/24', dev: 'eth0' }, { cidr: '172.17.0.0/16', dev: 'docker0' }];
  const { net, stateDir, cleanup } = await setup({}, host);
  t.after(cleanup);
  await net.init();
  assert.deepEqual(net.info(), {
    name: 'bridge',
    bridge: 'wharf0',
    networkId: '1'.padStart(64, '0'),
    subnet: '172.18.0.0/16',
    gateway: '172.18.0.1',
    prefixLen: 16,
  });
  assert.deepEqual(host.calls.slice(0, 3), [
    'listRoutes',
    'readLinkAddresses wharf0',
    'ip -batch: link add name wharf0 type bridge; address add 172.18.0.1/16 brd + dev wharf0; link set wharf0 up',
  ]);
  assert.deepEqual(host.dumpRules(), [
    'filter INPUT -j WHARF0-INPUT',
    'filter FORWARD -j WHARF0-FORWARD',
    'filter :WHARF0-FORWARD',
    'filter WHARF0-FORWARD -o wharf0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    'filter WHARF0-FORWARD -i wharf0 ! -o wharf0 -j ACCEPT',
    'filter WHARF0-FORWARD -i wharf0 -o wharf0 -j ACCEPT',
    'filter WHARF0-FORWARD -o wharf0 -m conntrack --ctstate DNAT -j ACCEPT',
    'filter :WHARF0-INPUT',
    'filter WHARF0-INPUT -i wharf0 -d 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
    'nat PREROUTING -m addrtype --dst-type LOCAL -j WHARF0-DNAT',
    'nat OUTPUT -m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j WHARF0-DNAT',
    'nat POSTROUTING -j WHARF0-POSTROUTING',
    'nat :WHARF0-POSTROUTING',
    'nat WHARF0-POSTROUTING -s 172.18.0.0/16 ! -o wharf0 -j MASQUERADE',
    'nat :WHARF0-DNAT',
  ]);
  const state = JSON.parse(await readFile(path.join(stateDir, 'bridge-network.json'), 'utf8'));
  assert.deepEqual(state, { version: 1, bridge: 'wharf0', networkId: '1'.padStart(64, '0'), subnet: '172.18.0.0/16', gateway: '172.18.0.1' });
});

test('a restart reuses subnet and network id and adds no second jump', async (t) => {
  const host = new FakeNetworkHost();
  const first = await setup({}, host);
  t.after(first.cleanup);
  await first.net.init();
  const before = host.dumpRules();
  host.calls.length = 0;
  host.routes = [{ cidr: '172.17.0.0/16', dev: 'wharf0' }];
  const again = new BridgeNetwork(first.config, { host, randomHex: () => 'f'.repeat(64) });
  await again.init();
  assert.deepEqual(host.dumpRules(), before);
  assert.equal(again.info().networkId, first.net.info().networkId);
  assert.equal(again.info().subnet, '172.17.0.0/16');
  assert.equal(host.calls.filter((c) => c.startsWith('iptables -t filter -A FORWARD')).length, 0);
  assert.equal(host.calls[2], 'ip -batch: link set wharf0 up');
});

test('connect: netns, one host batch, one inner batch; addresses move forward', async (t) => {
  const { host, net, cleanup } = await setup();
  t.after(cleanup);
  await net.init();
  host.calls.length = 0;
  const a = await net.connect(ID_A);
  assert.deepEqual(a, {
    netnsPath: '/run/netns/wharf0-aaaaaaaaaaaa',
    ipAddress: '172.17.0.2',
    prefixLen: 16,
    gateway: '172.17.0.1',
    macAddress: '02:42:ac:11:00:02',
    endpointId: '3'.padStart(64, '0'),
    hostVeth: 'veth0000002',
    networkId: '1'.padStart(64, '0'),
    sandboxKey: '/run/netns/wharf0-aaaaaaaaaaaa',
  });
  assert.deepEqual(host.calls, [
    'ip -batch: netns add wharf0-aaaaaaaaaaaa; link add veth0000002 type veth peer name eth0 address 02:42:ac:11:00:02 netns wharf0-aaaaaaaaaaaa; ' +
      'link set veth0000002 master wharf0 up; link set dev veth0000002 type bridge_slave hairpin on',
    'ip -n wharf0-aaaaaaaaaaaa -batch: link set lo up; address add 172.17.0.2/16 brd + dev eth0; link set eth0 up; ' +
      'route add default via 172.17.0.1 dev eth0',
  ]);
  await net.disconnect(ID_A);
  await net.disconnect(ID_A);
  assert.equal(host.namespaces.size, 0);
  const b = await net.connect(ID_B);
  assert.equal(b.ipAddress, '172.17.0.3');
  const again = await net.connect(ID_A, { preferredIp: '172.17.0.2' });
  assert.equal(again.ipAddress, '172.17.0.2');
});

test('connect retries another veth name when the first one exists', async (t) => {
  const { host, net, cleanup } = await setup();
  t.after(cleanup);
  await net.init();
  host.failBatchLines.set(
    'link add veth0000002 type veth peer name eth0 address 02:42:ac:11:00:02 netns wharf0-aaaaaaaaaaaa',
    'RTNETLINK answers: File exists',
  );
  const a = await net.connect(ID_A);
  assert.equal(a.hostVeth, 'veth0000003');
});

test('a failing inner batch removes the namespace and frees the address', async (t) => {
  const { host, net, cleanup } = await setup();
  t.after(cleanup);
  await net.init();
  host.failBatchLines.set('link set eth0 up', 'Cannot find device "eth0"');
  await assert.rejects(net.connect(ID_A), /cannot connect container aaaaaaaaaaaa to the bridge: Cannot find device "eth0"/);
  assert.equal(host.namespaces.size, 0);
  assert.equal((await net.connect(ID_B, { preferredIp: '172.17.0.2' })).ipAddress, '172.17.0.2');
});

test('reserve keeps addresses of running containers; connectNone makes a lo-only namespace', async (t) => {
  const { host, net, cleanup } = await setup();
  t.after(cleanup);
  await net.init();
  net.reserve(ID_A, '172.17.0.2');
  assert.equal((await net.connect(ID_B)).ipAddress, '172.17.0.3');
  host.calls.length = 0;
  const none = await net.connectNone('c'.repeat(64));
  assert.deepEqual(none, { netnsPath: '/run/netns/wharf0-cccccccccccc', sandboxKey: '/run/netns/wharf0-cccccccccccc' });
  assert.deepEqual(host.calls, ['netns add wharf0-cccccccccccc', 'ip -n wharf0-cccccccccccc -batch: link set lo up']);
});

test('iptables: false installs no rule; ip_forward 0 is switched on', async (t) => {
  const host = new FakeNetworkHost();
  host.sysctls.set('net/ipv4/ip_forward', '0');
  const { net, cleanup } = await setup({ iptables: false }, host);
  t.after(cleanup);
  await net.init();
  assert.equal(host.calls.some((c) => c.startsWith('iptables')), false);
  assert.equal(host.sysctls.get('net/ipv4/ip_forward'), '1');
  await net.publishPorts(ID_A, [{ protocol: 'tcp', hostPort: 8080, containerIp: '172.17.0.2', containerPort: 80 }]);
  assert.equal(host.calls.some((c) => c.startsWith('iptables')), false);
});

test('without the userland proxy: route_localnet on the bridge and the no-proxy rules', async (t) => {
  const { host, net, cleanup } = await setup({ userlandProxy: false, icc: false });
  t.after(cleanup);
  await net.init();
  assert.equal(host.sysctls.get('net/ipv4/conf/wharf0/route_localnet'), '1');
  assert.ok(host.dumpRules().includes('filter WHARF0-FORWARD -i wharf0 -o wharf0 -j DROP'));
  assert.ok(host.dumpRules().includes('nat OUTPUT -m addrtype --dst-type LOCAL -j WHARF0-DNAT'));
});

test('changing the proxy setting between starts replaces the OUTPUT jump', async (t) => {
  const host = new FakeNetworkHost();
  const first = await setup({ userlandProxy: true }, host);
  t.after(first.cleanup);
  await first.net.init();
  await new BridgeNetwork({ ...first.config, userlandProxy: false }, { host, randomHex: first.randomHex }).init();
  const outputs = host.dumpRules().filter((r) => r.startsWith('nat OUTPUT'));
  assert.deepEqual(outputs, ['nat OUTPUT -m addrtype --dst-type LOCAL -j WHARF0-DNAT']);
});

test('publish/unpublish seam and teardown leave nothing behind', async (t) => {
  const { host, net, cleanup } = await setup();
  t.after(cleanup);
  await net.init();
  await net.connect(ID_A);
  const mapping = { protocol: 'tcp' as const, hostPort: 8080, containerIp: '172.17.0.2', containerPort: 80 };
  await net.publishPorts(ID_A, [mapping]);
  await net.publishPorts(ID_A, [mapping]);
  const dnat = host.dumpRules().filter((r) => r.startsWith('nat WHARF0-DNAT '));
  assert.deepEqual(dnat, ['nat WHARF0-DNAT ! -i wharf0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80']);
  await net.teardown();
  assert.deepEqual(host.dumpRules(), []);
  assert.equal(host.links.has('wharf0'), false);
  assert.equal(host.namespaces.size, 0);
  assert.throws(() => net.info(), /not initialized/);
});
