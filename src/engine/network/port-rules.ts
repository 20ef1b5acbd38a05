/**
 * Per-container DNAT rules for published ports: the seam the port-publishing work fills in.
 * Pure; the rules go into the bridge's own DNAT chain (`WHARF0-DNAT`), which is jumped to from
 * nat PREROUTING and OUTPUT for locally addressed packets and is not flushed at daemon start.
 */
import { invalidParameter } from '../../errors.js';
import { type RuleSpec, chainNamesFor } from './bridge-rules.js';
import { tryParseIpv4 } from './ipv4.js';

/** One published port, already resolved to a concrete host port. */
export interface PortMapping {
  protocol: 'tcp' | 'udp' | 'sctp';
  /** The host address it is bound to; empty or `0.0.0.0` means every address. */
  hostIp?: string;
  hostPort: number;
  containerIp: string;
  containerPort: number;
}

/**
 * The DNAT rule of one mapping. With the userland proxy on, packets coming from the bridge are
 * left to the proxy (`! -i bridge`), as Docker does; without it, hairpin traffic is DNATed too.
 */
export function buildPublishRules(bridge: string, m: PortMapping, userlandProxy: boolean): RuleSpec[] {
  checkPort(m.hostPort);
  checkPort(m.containerPort);
  if (tryParseIpv4(m.containerIp) === undefined) throw invalidParameter(`invalid container address ${m.containerIp}`);
  const hostIp = m.hostIp && m.hostIp !== '0.0.0.0' ? m.hostIp : undefined;
  if (hostIp !== undefined && tryParseIpv4(hostIp) === undefined) throw invalidParameter(`invalid host address ${hostIp}`);
  const rule = [
    ...(hostIp ? ['-d', `${hostIp}/32`] : []),
    ...(userlandProxy ? ['!', '-i', bridge] : []),
    '-p', m.protocol, '-m', m.protocol, '--dport', String(m.hostPort),
    '-j', 'DNAT', '--to-destination', `${m.containerIp}:${m.containerPort}`,
  ];
  return [{ table: 'nat', chain: chainNamesFor(bridge).dnat, rule }];
}

function checkPort(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalidParameter(`invalid port ${port}`);
}
