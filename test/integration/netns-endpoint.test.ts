/**
 * The host helper's netlink endpoint against the `ip` batches it replaces (needs root, ip and
 * busybox): on one scratch bridge, one endpoint made each way must come out the same (addresses,
 * broadcast, MAC, routes, lo, bridge port, hairpin) and reach the gateway; a taken veth name
 * fails with EEXIST and leaves no namespace; deletion leaves nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createEndpointByBatches } from '../../src/engine/network/endpoint-by-batches.js';
import type { EndpointInput } from '../../src/engine/network/endpoint-plan.js';
import { createLoopbackNetns, createNetnsEndpoint, deleteNetnsByHelper, HELPER_PATH, HostHelper } from '../../src/runtime/host-helper.js';
import { addNetns, deleteNetns, runIpBatch } from '../../src/runtime/netns.js';
import { runCommand } from '../../src/runtime/run-command.js';

const skip = process.getuid?.() !== 0 || !existsSync('/bin/busybox') ? 'needs root and /bin/busybox' : false;

async function ipJson(args: string[]): Promise<unknown> {
  return JSON.parse((await runCommand(['ip', '-j', ...args])).stdout || '[]');
}

/** What matters of an endpoint, with its own address, MAC and veth name replaced by placeholders. */
async function describe(netns: string, veth: string, ip: string, mac: string): Promise<unknown> {
  const scrub = (v: unknown) => JSON.parse(JSON.stringify(v).replaceAll(ip, 'IP').replaceAll(mac, 'MAC').replaceAll(veth, 'VETH'));
  const links = (await ipJson(['-n', netns, 'link', 'show'])) as { ifname: string; flags: string[]; address: string; operstate: string }[];
  const addrs = (await ipJson(['-n', netns, '-4', 'addr', 'show'])) as { ifname: string; addr_info: unknown[] }[];
  const routes = await ipJson(['-n', netns, '-4', 'route', 'show']);
  const host = ((await ipJson(['-d', 'link', 'show', 'dev', veth])) as { flags: string[]; master: string; linkinfo: { info_slave_kind: string; info_slave_data: { hairpin: boolean } } }[])[0]!;
  return scrub({
    links: links.map((l) => ({ ifname: l.ifname, flags: l.flags, address: l.address })),
    addrs: addrs.map((a) => ({ ifname: a.ifname, addr_info: a.addr_info })),
    routes,
    host: { flags: host.flags, master: host.master, kind: host.linkinfo.info_slave_kind, hairpin: host.linkinfo.info_slave_data.hairpin },
  });
}

test('helper endpoints equal the ip batches, reach the gateway, and clean up after themselves', { skip }, async () => {
  const tag = randomBytes(3).toString('hex');
  const bridge = `wharfe${tag}`;
  const octet = 200 + (randomBytes(1)[0]! % 50);
  const gateway = `10.${octet}.77.1`;
  const helper = new HostHelper(HELPER_PATH);
  const made: string[] = [];
  const endpoint = (n: number): EndpointInput => ({
    bridge, netns: `wharfe-${tag}-${n}`, hostVeth: `vethe${tag}${n}`.slice(0, 15), ipAddress: `10.${octet}.77.${n + 10}`, // .11, .12: no prefix of the broadcast .255
    prefixLen: 24, gateway, macAddress: `02:42:0a:${octet.toString(16)}:4d:0${n + 1}`,
  });
  try {
    await runIpBatch([`link add name ${bridge} type bridge`, `address add ${gateway}/24 brd + dev ${bridge}`, `link set ${bridge} up`]);
    const [a, b] = [endpoint(1), endpoint(2)];
    made.push(a.netns, b.netns);
    await createNetnsEndpoint(helper, a);
    await createEndpointByBatches({ runIpBatch, addNetns, deleteNetns }, b);
    assert.deepEqual(await describe(a.netns, a.hostVeth, a.ipAddress, a.macAddress), await describe(b.netns, b.hostVeth, b.ipAddress, b.macAddress));
    const ping = await runCommand(['ip', 'netns', 'exec', a.netns, 'busybox', 'ping', '-c1', '-W2', b.ipAddress], { allowFailure: true });
    assert.equal(ping.code, 0, ping.stdout + ping.stderr);

    // The veth name of a is taken: EEXIST, and the new namespace is gone again.
    const c = { ...endpoint(3), hostVeth: a.hostVeth };
    await assert.rejects(createNetnsEndpoint(helper, c), (err: NodeJS.ErrnoException) => err.code === 'EEXIST');
    assert.equal(existsSync(`/run/netns/${c.netns}`), false);

    const none = `wharfe-${tag}-none`;
    made.push(none);
    await createLoopbackNetns(helper, none);
    assert.deepEqual(
      ((await ipJson(['-n', none, 'link', 'show'])) as { ifname: string; flags: string[] }[]).map((l) => [l.ifname, l.flags.includes('UP')]),
      [['lo', true]],
    );

    for (const ns of made) await deleteNetnsByHelper(helper, ns);
    await deleteNetnsByHelper(helper, none); // a second time is fine
    for (const ns of made) assert.equal(existsSync(`/run/netns/${ns}`), false, ns);
  } finally {
    for (const ns of made) await deleteNetns(ns).catch(() => {});
    await runCommand(['ip', 'link', 'delete', bridge], { allowFailure: true });
    helper.close();
  }
});
