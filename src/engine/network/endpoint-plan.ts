/**
 * `ip` batches that set up the bridge and a container's endpoint. Pure and golden-tested;
 * the adapter feeds them to `ip -batch -` (host side) and `ip -n NS -batch -` (inside).
 */
import { invalidParameter } from '../../errors.js';

/** Where `ip netns add NAME` puts a namespace. */
export const NETNS_DIR = '/run/netns';

const CONTAINER_ID = /^[0-9a-f]{12,64}$/;

/**
 * The namespace name of a container on a bridge: `<bridge>-<12-hex id>`, so two daemons (which
 * use different bridges) never collide.
 */
export function netnsNameFor(bridge: string, containerId: string): string {
  if (!CONTAINER_ID.test(containerId)) throw invalidParameter(`invalid container id ${JSON.stringify(containerId)}`);
  return `${bridge}-${containerId.slice(0, 12)}`;
}

/** The bind-mount path of a named namespace, used as the OCI network namespace path. */
export function netnsPathFor(name: string): string {
  return `${NETNS_DIR}/${name}`;
}

/** A host veth name from random hex: `veth` + 7 hex characters (15 is the kernel's limit). */
export function vethNameFrom(hex: string): string {
  const clean = hex.toLowerCase().replace(/[^0-9a-f]/g, '');
  if (clean.length < 7) throw invalidParameter('a veth name needs at least 7 hex characters');
  return `veth${clean.slice(0, 7)}`;
}

/** What the bridge looks like now and what it must carry. */
export interface BridgeSetupInput {
  bridge: string;
  /** False when the link does not exist yet. */
  exists: boolean;
  /** IPv4 addresses on the bridge now (`a.b.c.d/n`). */
  currentAddresses: readonly string[];
  /** The address it must carry: gateway/prefix, e.g. `172.17.0.1/16`. */
  gatewayCidr: string;
}

/** The host batch that creates (if needed), addresses and raises the bridge. */
export function planBridgeSetup(input: BridgeSetupInput): string[] {
  const { bridge, gatewayCidr } = input;
  const lines: string[] = [];
  if (!input.exists) lines.push(`link add name ${bridge} type bridge`);
  for (const addr of input.currentAddresses) if (addr !== gatewayCidr) lines.push(`address del ${addr} dev ${bridge}`);
  if (!input.exists || !input.currentAddresses.includes(gatewayCidr)) lines.push(`address add ${gatewayCidr} brd + dev ${bridge}`);
  lines.push(`link set ${bridge} up`);
  return lines;
}

/** The settings of one bridge endpoint. */
export interface EndpointInput {
  bridge: string;
  netns: string;
  hostVeth: string;
  ipAddress: string;
  prefixLen: number;
  gateway: string;
  macAddress: string;
}

/**
 * The two batches of a bridge endpoint. Host side: a veth pair whose peer is born inside the
 * namespace as `eth0` (with Docker's MAC), the host end on the bridge, up, in hairpin mode.
 * Inside: lo up, the address with its broadcast, eth0 up, default route via the gateway.
 */
export function planEndpoint(e: EndpointInput): { hostBatch: string[]; innerBatch: string[] } {
  return {
    hostBatch: [
      `link add ${e.hostVeth} type veth peer name eth0 address ${e.macAddress} netns ${e.netns}`,
      `link set ${e.hostVeth} master ${e.bridge} up`,
      `link set dev ${e.hostVeth} type bridge_slave hairpin on`,
    ],
    innerBatch: [
      'link set lo up',
      `address add ${e.ipAddress}/${e.prefixLen} brd + dev eth0`,
      'link set eth0 up',
      `route add default via ${e.gateway} dev eth0`,
    ],
  };
}

/** The batch inside a `--network none` namespace: only the loopback, up. */
export function planNoneEndpoint(): string[] {
  return ['link set lo up'];
}

/** The host batch that deletes the bridge (teardown). */
export function planBridgeRemoval(bridge: string): string[] {
  return [`link delete ${bridge} type bridge`];
}
