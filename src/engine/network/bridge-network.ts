/**
 * The default bridge network of one daemon: its Linux bridge, subnet, address allocation,
 * iptables chains and one network namespace per container. Host changes go through the injected
 * NetworkHost; the subnet choice is persisted as atomic JSON in `stateDir`.
 *
 * Lifecycle: `init()` (idempotent; also at every daemon start) → `reserve()` for containers
 * found running → `connect()` / `connectNone()` per container start → `disconnect()` at exit.
 * `teardown()` removes everything the network put on the host (tests, uninstall).
 */
import path from 'node:path';
import { EngineError, messageOf, systemError } from '../../errors.js';
import { readJsonIfExists, writeJsonAtomic } from '../../store/atomic-file.js';
import { type RuleSpec, chainNamesFor, validateBridgeName } from './bridge-rules.js';
import { staleDnatRules } from './stale-dnat.js';
import { appendRulesBatch, deleteRules, deleteRulesBatch, ensureRules, ensureRulesFirst, installChains, removeChains } from './chain-installer.js';
import { netnsNameFor, netnsPathFor, planBridgeRemoval, planBridgeSetup, vethNameFrom } from './endpoint-plan.js';
import { AddressAllocator, macAddressFor } from './ipam.js';
import { formatCidr, formatIpv4 } from './ipv4.js';
import type { NetworkHost } from './network-host.js';
import { type PortMapping, buildPublishRules } from './port-rules.js';
import { type BridgeSubnet, chooseBridgeSubnet, defaultSubnetPool } from './subnet-pool.js';
import { buildLinkRules, type LinkAccess } from './link-rules.js';

/** Daemon settings of the bridge (`--bridge`, `--bip`, `--iptables`, `--icc`, `--userland-proxy`). */
export interface BridgeConfig {
  bridge: string;
  bip?: string;
  iptables: boolean;
  icc: boolean;
  userlandProxy: boolean;
  /** Where the subnet choice and network id are persisted. */
  stateDir: string;
}

/** A container's attachment to the bridge, as inspect and the runtime spec need it. */
export interface Endpoint {
  netnsPath: string;
  ipAddress: string;
  prefixLen: number;
  gateway: string;
  macAddress: string;
  endpointId: string;
  hostVeth: string;
  networkId: string;
  sandboxKey: string;
}

/** What `docker network inspect bridge` and container inspect report about the network. */
export interface BridgeInfo {
  name: string;
  bridge: string;
  networkId: string;
  subnet: string;
  gateway: string;
  prefixLen: number;
}

/** Effects injected into the network. */
export interface BridgeNetworkDeps {
  host: NetworkHost;
  /** Random lowercase hex of `length` characters (ids, veth names). */
  randomHex: (length: number) => string;
}

interface PersistedState {
  version: 1;
  bridge: string;
  networkId: string;
  subnet: string;
  gateway: string;
}

const STATE_FILE = 'bridge-network.json';
const VETH_ATTEMPTS = 4;
const BRIDGE_NF = 'net/bridge/bridge-nf-call-iptables';

/** The default bridge network of one daemon. */
export class BridgeNetwork {
  private networkId?: string;
  private choice?: BridgeSubnet;
  private allocator?: AddressAllocator;
  private readonly endpoints = new Map<string, string>();
  private readonly published = new Map<string, RuleSpec[]>();
  private readonly linkRules = new Map<string, RuleSpec[]>();

  constructor(
    private readonly config: BridgeConfig,
    private readonly deps: BridgeNetworkDeps,
  ) {
    validateBridgeName(config.bridge);
  }

  /** Sets up subnet, bridge, forwarding and chains. Safe to call again (and at every start). */
  async init(): Promise<void> {
    const { host } = this.deps;
    const { bridge } = this.config;
    const stateFile = path.join(this.config.stateDir, STATE_FILE);
    const [state, routes, addresses] = await Promise.all([
      readJsonIfExists<PersistedState>(stateFile),
      host.listRoutes(),
      host.readLinkAddresses(bridge),
    ]);
    const choice = chooseBridgeSubnet({
      bridge,
      bip: this.config.bip,
      persisted: state && state.bridge === bridge ? state : undefined,
      bridgeAddresses: addresses ?? [],
      routes,
      pool: defaultSubnetPool(),
    });
    const gatewayCidr = `${formatIpv4(choice.gateway)}/${choice.subnet.prefixLen}`;
    await host.runIpBatch(planBridgeSetup({ bridge, exists: addresses !== undefined, currentAddresses: addresses ?? [], gatewayCidr }));
    if ((await host.readSysctl('net/ipv4/ip_forward')) === '0') await host.writeSysctl('net/ipv4/ip_forward', '1');
    if (this.config.iptables) {
      const subnet = formatCidr(choice.subnet);
      await installChains(host, { bridge, subnet, icc: this.config.icc, userlandProxy: this.config.userlandProxy });
      // 127.0.0.1 bindings reach containers in the kernel only with route_localnet (no proxy).
      if (!this.config.userlandProxy) await host.writeSysctl(`net/ipv4/conf/${bridge}/route_localnet`, '1');
      // icc=false and the FORWARD rules only see bridged traffic with br_netfilter on.
      if ((await host.readSysctl(BRIDGE_NF)) === '0') await host.writeSysctl(BRIDGE_NF, '1');
    }
    const same = this.choice && this.choice.gateway === choice.gateway && formatCidr(this.choice.subnet) === formatCidr(choice.subnet);
    if (!same) this.allocator = new AddressAllocator(choice.subnet, choice.gateway);
    this.choice = choice;
    this.networkId = state?.networkId ?? this.networkId ?? this.deps.randomHex(64);
    const next: PersistedState = { version: 1, bridge, networkId: this.networkId, subnet: formatCidr(choice.subnet), gateway: formatIpv4(choice.gateway) };
    if (JSON.stringify(next) !== JSON.stringify(state)) await writeJsonAtomic(stateFile, next);
  }

  /** The network's identity and addressing (after `init`). */
  info(): BridgeInfo {
    const { choice, networkId } = this.ready();
    return {
      name: 'bridge',
      bridge: this.config.bridge,
      networkId,
      subnet: formatCidr(choice.subnet),
      gateway: formatIpv4(choice.gateway),
      prefixLen: choice.subnet.prefixLen,
    };
  }

  /**
   * Gives a container an address and a namespace attached to the bridge (veth pair, bridge
   * port, hairpin; inside lo, eth0 and the default route). A stale namespace of the same
   * container (left by a crash) is replaced.
   */
  async connect(containerId: string, opts: { preferredIp?: string } = {}): Promise<Endpoint> {
    const { choice, networkId, allocator } = this.ready();
    const { host } = this.deps;
    const netns = netnsNameFor(this.config.bridge, containerId);
    if (await host.netnsExists(netns)) await host.deleteNetns(netns);
    const ipAddress = allocator.allocate(containerId, opts.preferredIp);
    const macAddress = macAddressFor(ipAddress);
    const gateway = formatIpv4(choice.gateway);
    const prefixLen = choice.subnet.prefixLen;
    try {
      let hostVeth = '';
      for (let attempt = 1; ; attempt++) {
        hostVeth = vethNameFrom(this.deps.randomHex(7));
        try {
          await host.createEndpoint({ bridge: this.config.bridge, netns, hostVeth, ipAddress, prefixLen, gateway, macAddress });
          break;
        } catch (err) {
          // A veth name taken by someone else (or still being destroyed): try another name.
          if (attempt >= VETH_ATTEMPTS || !/File exists|EEXIST/i.test(messageOf(err))) throw err;
        }
      }
      this.endpoints.set(containerId, netns);
      const netnsPath = netnsPathFor(netns);
      return { netnsPath, ipAddress, prefixLen, gateway, macAddress, endpointId: this.deps.randomHex(64), hostVeth, networkId, sandboxKey: netnsPath };
    } catch (err) {
      allocator.release(containerId);
      await host.deleteNetns(netns).catch(() => undefined);
      if (err instanceof EngineError && err.kind !== 'System') throw err;
      throw systemError(`cannot connect container ${containerId.slice(0, 12)} to the bridge: ${messageOf(err)}`, err);
    }
  }

  /** `--network none`: a namespace with only the loopback up, no veth, no address. */
  async connectNone(containerId: string): Promise<{ netnsPath: string; sandboxKey: string }> {
    const { host } = this.deps;
    const netns = netnsNameFor(this.config.bridge, containerId);
    if (await host.netnsExists(netns)) await host.deleteNetns(netns);
    await host.createLoopbackNetns(netns);
    this.endpoints.set(containerId, netns);
    const netnsPath = netnsPathFor(netns);
    return { netnsPath, sandboxKey: netnsPath };
  }

  /** Removes the container's namespace (and with it the veth), its address and DNAT rules. Idempotent. */
  async disconnect(containerId: string): Promise<void> {
    await this.unpublishPorts(containerId);
    await this.deps.host.deleteNetns(netnsNameFor(this.config.bridge, containerId));
    this.endpoints.delete(containerId);
    this.allocator?.release(containerId);
  }

  /** Marks the address of a container found running at daemon start as taken. */
  reserve(containerId: string, ip: string): void {
    this.ready().allocator.reserve(containerId, ip);
    this.endpoints.set(containerId, netnsNameFor(this.config.bridge, containerId));
  }

  /**
   * Seam for port publishing: adds the DNAT rules of a container's mappings (each only if
   * missing, so calling it again after a daemon restart is fine). No-op with `iptables: false`.
   */
  async publishPorts(containerId: string, mappings: readonly PortMapping[], opts: { fresh?: boolean } = {}): Promise<void> {
    if (!this.config.iptables) return;
    const rules = mappings.flatMap((m) => buildPublishRules(this.config.bridge, m, this.config.userlandProxy));
    // A fresh container's rules cannot exist yet: add them all in one iptables-restore (a range of
    // 1000 ports costs one process). After a daemon restart, add only the missing ones.
    if (opts.fresh) await appendRulesBatch(this.deps.host, rules);
    else await ensureRules(this.deps.host, rules);
    this.published.set(containerId, [...(this.published.get(containerId) ?? []), ...rules]);
  }

  /**
   * With icc off, lets a link recipient reach its sources' exposed ports (Docker's legacy-link
   * exception). No-op when icc is on or iptables is off. Safe to call again after a restart.
   */
  async allowLinks(recipientId: string, links: readonly LinkAccess[]): Promise<void> {
    if (this.config.icc || !this.config.iptables || links.length === 0) return;
    const rules = links.flatMap((l) => buildLinkRules(this.config.bridge, l));
    await ensureRulesFirst(this.deps.host, rules);
    this.linkRules.set(recipientId, [...(this.linkRules.get(recipientId) ?? []), ...rules]);
  }

  /** Removes a recipient's link exceptions. Idempotent. */
  async revokeLinks(recipientId: string): Promise<void> {
    const rules = this.linkRules.get(recipientId);
    if (!rules) return;
    this.linkRules.delete(recipientId);
    await deleteRules(this.deps.host, rules);
  }

  /**
   * Removes the DNAT rules added for a container by `publishPorts`. Idempotent. `known` rebuilds
   * the rules of a container this daemon process did not publish (it exited while wharfd was down).
   */
  async unpublishPorts(containerId: string, known?: readonly PortMapping[]): Promise<void> {
    const rules = this.published.get(containerId) ?? (known && this.config.iptables ? known.flatMap((m) => buildPublishRules(this.config.bridge, m, this.config.userlandProxy)) : undefined);
    if (!rules) return;
    await deleteRulesBatch(this.deps.host, rules);
    this.published.delete(containerId);
  }

  /**
   * Removes the DNAT rules that lead to no address in `keep` (the running containers'): what a
   * start or an exit cut short by a crash left. Returns how many went.
   */
  async pruneDnat(keep: ReadonlySet<string>): Promise<number> {
    if (!this.config.iptables) return 0;
    const chain = chainNamesFor(this.config.bridge).dnat;
    const stale = staleDnatRules(await this.deps.host.listRules('nat', chain), chain, keep);
    for (const rule of stale) await this.deps.host.tryIptables(['-t', 'nat', '-D', chain, ...rule]);
    return stale.length;
  }

  /**
   * Removes everything this network put on the host: known namespaces, our chains and the jumps
   * to them, and the bridge. The state file stays. For tests and uninstalling.
   */
  async teardown(): Promise<void> {
    const { host } = this.deps;
    for (const containerId of [...this.endpoints.keys()]) await this.disconnect(containerId);
    await removeChains(host, this.config.bridge);
    if ((await host.readLinkAddresses(this.config.bridge)) !== undefined) {
      await host.runIpBatch(planBridgeRemoval(this.config.bridge));
    }
    this.allocator = undefined;
    this.choice = undefined;
  }

  private ready(): { choice: BridgeSubnet; networkId: string; allocator: AddressAllocator } {
    if (!this.choice || !this.networkId || !this.allocator) throw systemError('the bridge network is not initialized');
    return { choice: this.choice, networkId: this.networkId, allocator: this.allocator };
  }
}
