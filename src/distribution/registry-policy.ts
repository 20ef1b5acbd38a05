/**
 * Which registries may be reached without verified TLS (pure). As dockerd: 127.0.0.0/8 is
 * insecure by default, matched on the addresses a name resolves to, and `--insecure-registry`
 * adds CIDRs (matched the same way) or exact `host[:port]` names. An insecure registry is tried
 * over https without certificate checks first, then over plain http.
 */
import { isIPv4 } from 'node:net';
import { invalidParameter } from '../errors.js';

/** The endpoint URLs to try for a registry, in order, and whether TLS is verified. */
export interface RegistryEndpoint {
  base: URL;
  insecureTls: boolean;
}

/** The insecure CIDRs every dockerd starts with. */
export const DEFAULT_INSECURE = ['127.0.0.0/8'];

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((n, p) => n * 256 + Number(p), 0);
}

/** True when an IPv4 address lies in `a.b.c.d/n` (IPv6 CIDRs are not matched here). */
export function inCidr(address: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/');
  if (!net || !isIPv4(net) || !isIPv4(address) || bits === undefined) return false;
  const n = Number(bits);
  if (!Number.isInteger(n) || n < 0 || n > 32) return false;
  const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
  return ((ipv4ToInt(address) & mask) >>> 0) === ((ipv4ToInt(net) & mask) >>> 0);
}

/** Checks one `--insecure-registry` value as dockerd does (a CIDR, or a host with an optional port). */
export function checkInsecureRegistry(value: string): string {
  if (/^[a-z]+:\/\//i.test(value)) throw invalidParameter(`insecure registry ${value} should not contain '://'`);
  if (value.includes('/') && !/^[0-9.]+\/\d{1,2}$/.test(value) && !/^[0-9a-f:]+\/\d{1,3}$/i.test(value)) {
    throw invalidParameter(`insecure registry ${value} is not valid: invalid host "${value}"`);
  }
  return value;
}

/** True when a registry (its `host[:port]` domain and resolved addresses) is insecure. */
export function isInsecureRegistry(domain: string, addresses: string[], configured: string[]): boolean {
  const host = domain.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const cidrs = [...DEFAULT_INSECURE, ...configured.filter((c) => c.includes('/'))];
  if (configured.includes(domain)) return true;
  const candidates = isIPv4(host) ? [host] : addresses;
  return candidates.some((a) => cidrs.some((c) => inCidr(a, c)));
}

/** The endpoints to try for `domain`: https (unverified when insecure), then http when insecure. */
export function registryEndpoints(domain: string, insecure: boolean): RegistryEndpoint[] {
  const host = domain === 'docker.io' ? 'registry-1.docker.io' : domain;
  const https = { base: new URL(`https://${host}/`), insecureTls: insecure };
  return insecure ? [https, { base: new URL(`http://${host}/`), insecureTls: true }] : [https];
}

/** The `RegistryConfig` of `GET /info`, as dockerd builds it from `--insecure-registry`. */
export function registryInfo(configured: string[]): Record<string, unknown> {
  const cidrs = [...configured.filter((c) => c.includes('/')), ...DEFAULT_INSECURE.filter((c) => !configured.includes(c))];
  const index = (name: string, secure: boolean, official: boolean) => ({ Name: name, Mirrors: [], Secure: secure, Official: official });
  const configs: Record<string, unknown> = { 'docker.io': index('docker.io', true, true) };
  for (const name of configured.filter((c) => !c.includes('/'))) configs[name] = index(name, false, false);
  return { AllowNondistributableArtifactsCIDRs: [], AllowNondistributableArtifactsHostnames: [], InsecureRegistryCIDRs: cidrs, IndexConfigs: configs, Mirrors: [] };
}
