/**
 * Integration test of the bridge network on the real host (needs root, ip, iptables, busybox).
 * A uniquely named bridge with a random 10.x /24 (via --bip) so it never meets Docker's or another
 * daemon's; two endpoints must reach each other and the gateway with icc on, and must not reach
 * each other with icc off; teardown must leave no chain, jump, bridge or namespace behind.
 * The same scenarios run once more inside a private network namespace whose FORWARD policy is
 * DROP, as dockerd leaves it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BridgeNetwork } from '../../src/engine/network/bridge-network.js';
import { createBridgeHost } from '../../src/runtime/bridge-host.js';
import { runCommand } from '../../src/runtime/run-command.js';

const skip = process.getuid?.() !== 0 || !existsSync('/bin/busybox') ? 'needs root and /bin/busybox' : false;
const randomHex = (length: number) => randomBytes(Math.ceil(length / 2)).toString('hex').slice(0, length);

async function ping(netns: string, ip: string): Promise<boolean> {
  const r = await runCommand(['ip', 'netns', 'exec', netns, 'busybox', 'ping', '-c1', '-W2', ip], { allowFailure: true });
  return r.code === 0;
}

async function leftovers(bridge: string): Promise<{ rules: number; link: boolean; netns: string[] }> {
  const save = await runCommand(['iptables-save']);
  const prefix = bridge.toUpperCase() + '-';
  const rules = save.stdout.split('\n').filter((l) => l.includes(prefix)).length;
  const link = (await runCommand(['ip', 'link', 'show', 'dev', bridge], { allowFailure: true })).code === 0;
  const list = await runCommand(['ip', 'netns', 'list']);
  const netns = list.stdout.split('\n').filter((l) => l.startsWith(`${bridge}-`));
  return { rules, link, netns };
}

async function withNetwork(icc: boolean, body: (net: BridgeNetwork, bridge: string) => Promise<void>): Promise<void> {
  const bridge = `wharft${randomHex(6)}`;
  const stateDir = await mkdtemp(path.join(tmpdir(), 'wharf-net-it-'));
  const bip = `10.${200 + (randomBytes(1)[0]! % 50)}.${randomBytes(1)[0]!}.1/24`;
  const net = new BridgeNetwork({ bridge, bip, iptables: true, icc, userlandProxy: true, stateDir }, { host: createBridgeHost(), randomHex });
  try {
    await net.init();
    await net.init(); // idempotent
    await body(net, bridge);
  } finally {
    await net.teardown();
    await rm(stateDir, { recursive: true, force: true });
  }
  assert.deepEqual(await leftovers(bridge), { rules: 0, link: false, netns: [] });
}

const A = 'a1'.repeat(32);
const B = 'b2'.repeat(32);

test('bridge network: icc on, endpoints reach each other and the gateway', { skip }, async () => {
  await withNetwork(true, async (net, bridge) => {
    const save = (await runCommand(['iptables-save'])).stdout;
    assert.equal(save.split('\n').filter((l) => l === `-A FORWARD -j ${bridge.toUpperCase()}-FORWARD`).length, 1);
    const a = await net.connect(A);
    const b = await net.connect(B);
    assert.notEqual(a.ipAddress, b.ipAddress);
    assert.equal(a.gateway, net.info().gateway);
    assert.equal(await ping(path.basename(a.netnsPath), b.ipAddress), true, 'a reaches b');
    assert.equal(await ping(path.basename(b.netnsPath), a.ipAddress), true, 'b reaches a');
    assert.equal(await ping(path.basename(a.netnsPath), a.gateway), true, 'a reaches the gateway');
    const inside = await runCommand(['ip', '-n', path.basename(a.netnsPath), '-o', 'link', 'show', 'eth0']);
    assert.match(inside.stdout, new RegExp(`link/ether ${a.macAddress}`));
    const none = await net.connectNone('c3'.repeat(32));
    const links = await runCommand(['ip', '-n', path.basename(none.netnsPath), '-o', 'link']);
    assert.deepEqual(links.stdout.trim().split('\n').map((l) => l.split(':')[1]!.trim()), ['lo']);
    await net.disconnect(B);
    await net.disconnect(B);
    assert.equal(existsSync(b.netnsPath), false);
  });
});

test('bridge network: icc off, endpoints cannot reach each other but reach the gateway', { skip }, async () => {
  await withNetwork(false, async (net) => {
    const a = await net.connect(A);
    const b = await net.connect(B);
    assert.equal(await ping(path.basename(a.netnsPath), b.ipAddress), false, 'a must not reach b');
    assert.equal(await ping(path.basename(a.netnsPath), a.gateway), true, 'a reaches the gateway');
  });
});

test('works when FORWARD policy is DROP (inside a private network namespace)', { skip: skip || process.argv.includes('--wharf-inner') }, async () => {
  const outer = `wharft-o${randomHex(6)}`;
  await runCommand(['ip', 'netns', 'add', outer]);
  try {
    await runCommand(['ip', 'netns', 'exec', outer, 'iptables', '-w', '-P', 'FORWARD', 'DROP']);
    const self = fileURLToPath(import.meta.url);
    const child = await runCommand(
      ['ip', 'netns', 'exec', outer, process.execPath, '--test-reporter=tap', '--test-name-pattern=^bridge network', self, '--wharf-inner'],
      // Without NODE_TEST_CONTEXT the child reports plain TAP instead of the runner's wire format.
      { allowFailure: true, env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT')) },
    );
    assert.equal(child.code, 0, child.stdout + child.stderr);
    assert.match(child.stdout, /# pass 2\n/);
    assert.match(child.stdout, /# fail 0\n/);
  } finally {
    await runCommand(['ip', 'netns', 'delete', outer], { allowFailure: true });
  }
});
