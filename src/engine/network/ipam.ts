/**
 * Address allocation inside the bridge subnet, the way Docker's default IPAM hands out
 * addresses: the gateway is reserved, the network and broadcast addresses are never given, and
 * allocation moves forward from the last address handed out (wrapping around), so an address
 * released a moment ago is not reused at once. Pure and in memory; the owner is a container id.
 */
import { conflict, invalidParameter, systemError } from '../../errors.js';
import { type Ipv4Cidr, containsAddress, formatCidr, formatIpv4, lastAddressOf, parseIpv4 } from './ipv4.js';

/** Allocates addresses of one subnet to owners (container ids). */
export class AddressAllocator {
  private readonly byOwner = new Map<string, number>();
  private readonly owners = new Map<number, string>();
  private lastAllocated: number;

  /** `last` is where the forward scan resumes; defaults to the gateway. */
  constructor(
    readonly subnet: Ipv4Cidr,
    readonly gateway: number,
    last?: number,
  ) {
    if (subnet.prefixLen > 30) throw invalidParameter(`subnet ${formatCidr(subnet)} is too small for containers`);
    this.lastAllocated = last !== undefined && containsAddress(subnet, last) ? last : gateway;
  }

  /** The address the next forward scan starts after. */
  get last(): number {
    return this.lastAllocated;
  }

  /**
   * Gives `owner` an address: its current one if it has one, else `preferred` if free, else the
   * next free address after the last one handed out.
   */
  allocate(owner: string, preferred?: string): string {
    const held = this.byOwner.get(owner);
    if (held !== undefined && preferred === undefined) return formatIpv4(held);
    if (preferred !== undefined) {
      const wanted = this.checkUsable(preferred, owner);
      if (held !== undefined && held !== wanted) this.release(owner);
      this.take(owner, wanted);
      this.lastAllocated = wanted;
      return formatIpv4(wanted);
    }
    const first = this.subnet.base + 1;
    const last = lastAddressOf(this.subnet) - 1;
    const size = last - first + 1;
    for (let step = 1; step <= size; step++) {
      const candidate = first + ((this.lastAllocated - first + step) % size + size) % size;
      if (candidate === this.gateway || this.owners.has(candidate)) continue;
      this.take(owner, candidate);
      this.lastAllocated = candidate;
      return formatIpv4(candidate);
    }
    throw systemError(`no available IPv4 addresses on this network's address pools: ${formatCidr(this.subnet)}`);
  }

  /** Marks `ip` as held by `owner` (a container found running at daemon start). */
  reserve(owner: string, ip: string): void {
    const address = this.checkUsable(ip, owner);
    const held = this.byOwner.get(owner);
    if (held !== undefined && held !== address) this.release(owner);
    this.take(owner, address);
  }

  /** Frees the owner's address; returns it, or undefined when it held none. */
  release(owner: string): string | undefined {
    const held = this.byOwner.get(owner);
    if (held === undefined) return undefined;
    this.byOwner.delete(owner);
    this.owners.delete(held);
    return formatIpv4(held);
  }

  /** The owner's address, if any. */
  addressOf(owner: string): string | undefined {
    const held = this.byOwner.get(owner);
    return held === undefined ? undefined : formatIpv4(held);
  }

  private take(owner: string, address: number): void {
    this.byOwner.set(owner, address);
    this.owners.set(address, owner);
  }

  /** Validates `ip` for `owner`: inside the subnet, not special, not held by someone else. */
  private checkUsable(ip: string, owner: string): number {
    const address = parseIpv4(ip);
    if (!containsAddress(this.subnet, address)) {
      throw invalidParameter(`address ${ip} is not in the bridge subnet ${formatCidr(this.subnet)}`);
    }
    if (address === this.subnet.base || address === lastAddressOf(this.subnet) || address === this.gateway) {
      throw invalidParameter(`address ${ip} is the network, broadcast or gateway address of ${formatCidr(this.subnet)}`);
    }
    const current = this.owners.get(address);
    if (current !== undefined && current !== owner) throw conflict('Address already in use');
    return address;
  }
}

/** Docker's MAC address for a container address: `02:42:` followed by the 4 address bytes in hex. */
export function macAddressFor(ip: string): string {
  const value = parseIpv4(ip);
  const bytes = [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255];
  return ['02', '42', ...bytes.map((b) => b.toString(16).padStart(2, '0'))].join(':');
}
