/**
 * Choosing the bridge's subnet: `--bip` if given, else the subnet used last time (if it is still
 * free or our bridge already carries it), else the first subnet of Docker's default pool that no
 * host route overlaps. Pure: the caller reads routes and bridge addresses from the host.
 */
import { invalidParameter } from '../../errors.js';
import { type Ipv4Cidr, formatIpv4, lastAddressOf, overlaps, parseIpv4, tryParseCidr } from './ipv4.js';

/** A route (or an interface address's network) the host already has. */
export interface HostRoute {
  /** The destination network, e.g. `192.0.2.0/24`; a bare address means /32. */
  cidr: string;
  /** The device the route goes through, when known. */
  dev?: string;
}

/** The subnet of a bridge and its gateway (the bridge's own address). */
export interface BridgeSubnet {
  subnet: Ipv4Cidr;
  gateway: number;
}

/**
 * Docker's default address pool: 172.17.0.0/16 … 172.31.0.0/16, then 192.168.0.0/16 cut into
 * /20 networks (192.168.0.0/20, 192.168.16.0/20, … 192.168.240.0/20).
 */
export function defaultSubnetPool(): Ipv4Cidr[] {
  const pool: Ipv4Cidr[] = [];
  for (let second = 17; second <= 31; second++) pool.push({ base: parseIpv4(`172.${second}.0.0`), prefixLen: 16 });
  for (let third = 0; third < 256; third += 16) pool.push({ base: parseIpv4(`192.168.${third}.0`), prefixLen: 20 });
  return pool;
}

/** The first network of `pool` that overlaps none of `routed`; undefined when all are taken. */
export function pickSubnet(pool: readonly Ipv4Cidr[], routed: readonly Ipv4Cidr[]): Ipv4Cidr | undefined {
  return pool.find((candidate) => !routed.some((r) => overlaps(candidate, r)));
}

/**
 * Parses `--bip` (e.g. `10.99.0.1/24`): the address becomes the gateway, its network the subnet.
 * Rejects a prefix longer than /30 and an address that is the network or broadcast address.
 */
export function parseBip(bip: string): BridgeSubnet {
  const parsed = tryParseCidr(bip);
  if (!parsed || !bip.includes('/')) throw invalidParameter(`invalid --bip ${JSON.stringify(bip)}: expected an address with a prefix length, like 172.17.0.1/16`);
  const { address, cidr } = parsed;
  if (cidr.prefixLen > 30) throw invalidParameter(`invalid --bip ${bip}: the prefix must be /30 or shorter`);
  if (address === cidr.base || address === lastAddressOf(cidr)) {
    throw invalidParameter(`invalid --bip ${bip}: ${formatIpv4(address)} is the network or broadcast address of its subnet`);
  }
  return { subnet: cidr, gateway: address };
}

/** Inputs of {@link chooseBridgeSubnet}. */
export interface SubnetChoiceInput {
  bridge: string;
  bip?: string;
  /** What was chosen at the previous start (from the state file). */
  persisted?: { subnet: string; gateway: string };
  /** IPv4 addresses (`a.b.c.d/n`) the bridge carries now; empty when it does not exist. */
  bridgeAddresses: readonly string[];
  /** The host's routes and interface addresses. Those on `bridge` itself are ignored. */
  routes: readonly HostRoute[];
  pool: readonly Ipv4Cidr[];
}

/**
 * Decides the bridge's subnet and gateway. Order: `--bip`; the persisted choice if our bridge
 * carries it or nothing else overlaps it; an address the bridge already carries if nothing else
 * overlaps it; the first free network of the pool (gateway = network + 1).
 */
export function chooseBridgeSubnet(input: SubnetChoiceInput): BridgeSubnet {
  if (input.bip !== undefined) return parseBip(input.bip);
  const foreign = input.routes
    .filter((r) => r.dev !== input.bridge && r.cidr !== 'default')
    .map((r) => tryParseCidr(r.cidr)?.cidr)
    .filter((c): c is Ipv4Cidr => c !== undefined && c.prefixLen > 0);
  const isFree = (s: BridgeSubnet) => !foreign.some((r) => overlaps(r, s.subnet));
  const carried = input.bridgeAddresses.map(toBridgeSubnet).filter((s): s is BridgeSubnet => s !== undefined);

  if (input.persisted) {
    const prev = toBridgeSubnet(`${input.persisted.gateway}/${tryParseCidr(input.persisted.subnet)?.cidr.prefixLen ?? ''}`);
    if (prev) {
      const onBridge = carried.some((c) => c.gateway === prev.gateway && c.subnet.prefixLen === prev.subnet.prefixLen);
      if (onBridge || isFree(prev)) return prev;
    }
  }
  const usable = carried.find(isFree);
  if (usable) return usable;
  const picked = pickSubnet(input.pool, foreign);
  if (!picked) {
    throw invalidParameter(
      'could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network',
    );
  }
  return { subnet: picked, gateway: picked.base + 1 };
}

function toBridgeSubnet(text: string): BridgeSubnet | undefined {
  const parsed = tryParseCidr(text);
  if (!parsed || parsed.cidr.prefixLen > 30 || parsed.address === parsed.cidr.base) return undefined;
  if (parsed.address === lastAddressOf(parsed.cidr)) return undefined;
  return { subnet: parsed.cidr, gateway: parsed.address };
}
