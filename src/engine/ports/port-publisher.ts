/**
 * Publishes a container's ports: decides host ports, holds them open in the daemon, and has the
 * bridge network add the DNAT rules. Undone on stop; re-established for running containers when
 * the daemon restarts.
 */
import { readFileSync } from 'node:fs';
import { EngineError, messageOf } from '../../errors.js';
import { holdPort, type HeldPort } from '../../runtime/port-listener.js';
import { PortAllocator } from './port-allocator.js';
import type { ActiveBinding, RequestedBinding } from './port-plan.js';

export interface DnatPort {
  publishPorts(
    id: string,
    m: { protocol: 'tcp' | 'udp' | 'sctp'; hostIp?: string; hostPort: number; containerIp: string; containerPort: number }[],
    opts?: { fresh?: boolean },
  ): Promise<void>;
  unpublishPorts(
    id: string,
    known?: { protocol: 'tcp' | 'udp' | 'sctp'; hostIp?: string; hostPort: number; containerIp: string; containerPort: number }[],
  ): Promise<void>;
}

/** The kernel's ephemeral port range, where engine-chosen ports come from. */
export function readEphemeralRange(): [number, number] {
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (lo && hi && lo <= hi) return [lo, hi];
  } catch {
    // fall through
  }
  return [32768, 60999];
}

export class PortPublisher {
  private readonly allocator: PortAllocator;
  private readonly held = new Map<string, { binding: ActiveBinding; port: HeldPort }[]>();

  constructor(
    private readonly dnat: DnatPort,
    range: [number, number],
  ) {
    this.allocator = new PortAllocator(range);
  }

  /** Allocates and holds host ports; throws Docker's error (nothing is left held). */
  async reserve(containerId: string, requests: RequestedBinding[], previous: ActiveBinding[], nameOf: (id: string) => string): Promise<ActiveBinding[]> {
    if (requests.length === 0) return [];
    const active = this.allocator.allocate(containerId, requests, previous, nameOf);
    const held: { binding: ActiveBinding; port: HeldPort }[] = [];
    try {
      for (const b of active) held.push({ binding: b, port: await holdPort(b.proto, b.hostIp, b.hostPort) });
    } catch (err) {
      held.forEach((h) => h.port.release());
      this.allocator.release(containerId);
      throw err;
    }
    this.held.set(containerId, held);
    return active;
  }

  /** Adds the DNAT rules once the container has its address. */
  async connect(containerId: string, containerIp: string, active: ActiveBinding[], fresh = true): Promise<void> {
    // IPv6 host addresses cannot be DNATed to the IPv4-only bridge: the daemon forwards those itself.
    for (const h of this.held.get(containerId) ?? []) if (isIpv6(h.binding.hostIp)) h.port.forwardTo(containerIp, h.binding.containerPort);
    const dnat = active.filter((b) => !isIpv6(b.hostIp));
    if (dnat.length === 0) return;
    await this.dnat.publishPorts(
      containerId,
      dnat.map((b) => ({ protocol: b.proto, ...(b.hostIp ? { hostIp: b.hostIp } : {}), hostPort: b.hostPort, containerIp, containerPort: b.containerPort })),
      { fresh },
    );
  }

  /** Re-establishes a running container's ports after a daemon restart. */
  async restore(containerId: string, containerIp: string, active: ActiveBinding[], log: (l: string) => void): Promise<void> {
    this.allocator.reserve(containerId, active);
    const held: { binding: ActiveBinding; port: HeldPort }[] = [];
    for (const b of active) {
      try {
        held.push({ binding: b, port: await holdPort(b.proto, b.hostIp, b.hostPort) });
      } catch (err) {
        log(`port ${b.hostPort}/${b.proto} of ${containerId}: ${messageOf(err)}`);
      }
    }
    this.held.set(containerId, held);
    await this.connect(containerId, containerIp, active, false).catch((e) => log(`DNAT for ${containerId}: ${messageOf(e)}`));
  }

  /**
   * Releases everything of a container. Idempotent. `known` (its last bindings and address) lets a
   * restarted daemon remove the DNAT rules of a container that exited while it was down.
   */
  async release(containerId: string, known?: { containerIp: string; active: ActiveBinding[] }): Promise<void> {
    for (const h of this.held.get(containerId) ?? []) h.port.release();
    this.held.delete(containerId);
    this.allocator.release(containerId);
    const mappings = known?.active
      .filter((b) => !isIpv6(b.hostIp))
      .map((b) => ({ protocol: b.proto, ...(b.hostIp ? { hostIp: b.hostIp } : {}), hostPort: b.hostPort, containerIp: known.containerIp, containerPort: b.containerPort }));
    await this.dnat.unpublishPorts(containerId, mappings).catch(() => {});
  }
}

const isIpv6 = (ip: string) => ip.includes(':');

/** Wraps a publishing failure in dockerd's words. */
export function externalConnectivityError(name: string, endpointId: string, err: unknown): EngineError {
  return new EngineError('System', `driver failed programming external connectivity on endpoint ${name} (${endpointId}): ${messageOf(err)}`, { cause: err });
}
