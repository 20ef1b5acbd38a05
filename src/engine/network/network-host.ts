/**
 * The port through which the bridge network changes the host. The real implementation is
 * `createBridgeHost()` in src/runtime/bridge-host.ts; tests use a recording fake.
 */
import type { EndpointInput } from './endpoint-plan.js';
import type { HostRoute } from './subnet-pool.js';

/** The few host operations the bridge network needs. */
export interface NetworkHost {
  /** The host's IPv4 routes and interface addresses (the `dev` says where each one lives). */
  listRoutes(): Promise<HostRoute[]>;
  /** IPv4 addresses (`a.b.c.d/n`) of a link, or undefined when the link does not exist. */
  readLinkAddresses(link: string): Promise<string[] | undefined>;
  /** Runs `ip -batch -` on the host, or `ip -n NETNS -batch -` inside a namespace. */
  runIpBatch(lines: readonly string[], netns?: string): Promise<void>;
  /** `ip netns add NAME`. */
  addNetns(name: string): Promise<void>;
  /**
   * Creates namespace `e.netns` with the bridge endpoint `planEndpoint(e)` describes in it.
   * On failure nothing is left behind; a veth name that is taken fails with "File exists" or EEXIST.
   */
  createEndpoint(e: EndpointInput): Promise<void>;
  /** Creates namespace NAME with only its loopback, up (`--network none`); all or nothing. */
  createLoopbackNetns(name: string): Promise<void>;
  /** `ip netns del NAME`; a missing namespace is not an error. */
  deleteNetns(name: string): Promise<void>;
  /** True when the named namespace exists. */
  netnsExists(name: string): Promise<boolean>;
  /** `iptables -w ARGS`; throws when it fails. */
  iptables(args: readonly string[]): Promise<void>;
  /** `iptables-restore --noflush` of a rules file: many rules in one process, all or nothing. */
  iptablesRestore(text: string): Promise<void>;
  /** The rules of a chain as `iptables -S` prints them (`-A CHAIN ...`); none when it is missing. */
  listRules(table: string, chain: string): Promise<string[]>;
  /** `iptables -w ARGS`; true when it exits 0 (for `-C`, `-N` and best-effort deletes). */
  tryIptables(args: readonly string[]): Promise<boolean>;
  /** Reads `/proc/sys/KEY` (KEY like `net/ipv4/ip_forward`), trimmed; undefined when absent. */
  readSysctl(key: string): Promise<string | undefined>;
  /** Writes `/proc/sys/KEY`. */
  writeSysctl(key: string, value: string): Promise<void>;
}
