/**
 * IPv4 address and CIDR arithmetic on unsigned 32-bit numbers. Pure; every network decision
 * (subnet choice, allocation, rule text) goes through these so the maths lives in one place.
 */
import { invalidParameter } from '../../errors.js';

/** An IPv4 network: `base` is the network address (host bits zero), `prefixLen` 0..32. */
export interface Ipv4Cidr {
  base: number;
  prefixLen: number;
}

const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Parses a dotted-quad address into an unsigned 32-bit number; undefined when malformed. */
export function tryParseIpv4(text: string): number | undefined {
  const m = DOTTED.exec(text.trim());
  if (!m) return undefined;
  let value = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255 || (m[i]!.length > 1 && m[i]!.startsWith('0'))) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/** Parses a dotted-quad address; throws InvalidParameter when malformed. */
export function parseIpv4(text: string): number {
  const value = tryParseIpv4(text);
  if (value === undefined) throw invalidParameter(`invalid IPv4 address: ${text}`);
  return value;
}

/** Formats an unsigned 32-bit number as a dotted quad. */
export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** The netmask of a prefix length as an unsigned number (prefix 0 gives 0). */
export function maskOf(prefixLen: number): number {
  return prefixLen === 0 ? 0 : (0xffffffff << (32 - prefixLen)) >>> 0;
}

/**
 * Parses `a.b.c.d/n` (or a bare address, taken as /32) into the address and its network.
 * Undefined when malformed.
 */
export function tryParseCidr(text: string): { address: number; cidr: Ipv4Cidr } | undefined {
  const [ip, len, extra] = text.trim().split('/');
  if (extra !== undefined || ip === undefined) return undefined;
  const address = tryParseIpv4(ip);
  if (address === undefined) return undefined;
  const prefixLen = len === undefined ? 32 : /^\d{1,2}$/.test(len) ? Number(len) : NaN;
  if (!(prefixLen >= 0 && prefixLen <= 32)) return undefined;
  return { address, cidr: { base: (address & maskOf(prefixLen)) >>> 0, prefixLen } };
}

/** Formats a network as `a.b.c.d/n`. */
export function formatCidr(cidr: Ipv4Cidr): string {
  return `${formatIpv4(cidr.base)}/${cidr.prefixLen}`;
}

/** The last address of a network (its broadcast address for prefixes below 31). */
export function lastAddressOf(cidr: Ipv4Cidr): number {
  return (cidr.base | (~maskOf(cidr.prefixLen) >>> 0)) >>> 0;
}

/** True when `address` lies inside `cidr`. */
export function containsAddress(cidr: Ipv4Cidr, address: number): boolean {
  return ((address & maskOf(cidr.prefixLen)) >>> 0) === cidr.base;
}

/** True when two networks share at least one address. */
export function overlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const shorter = Math.min(a.prefixLen, b.prefixLen);
  const mask = maskOf(shorter);
  return ((a.base & mask) >>> 0) === ((b.base & mask) >>> 0);
}
