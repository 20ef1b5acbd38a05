/**
 * What a container asks to publish (pure): its PortBindings, plus every exposed port when
 * PublishAllPorts is set. Host ports are a single port, a range, or 0 for "engine chooses".
 */
import { isIP } from 'node:net';
import { invalidParameter } from '../../errors.js';
import type { PortBinding } from '../containers/container-record.js';

export type Protocol = 'tcp' | 'udp' | 'sctp';

export interface RequestedBinding {
  proto: Protocol;
  containerPort: number;
  /** '' means every address. */
  hostIp: string;
  /** Both 0 when the engine chooses. */
  hostPortLo: number;
  hostPortHi: number;
}

/** A binding with its host port decided. */
export interface ActiveBinding {
  proto: Protocol;
  containerPort: number;
  hostIp: string;
  hostPort: number;
}

/** Splits `80/tcp` into number and protocol. */
export function parsePortKey(key: string): { port: number; proto: Protocol } {
  const [num, proto = 'tcp'] = key.split('/');
  const port = Number(num);
  if (!Number.isInteger(port) || port < 1 || port > 65535 || !['tcp', 'udp', 'sctp'].includes(proto)) {
    throw invalidParameter(`invalid port specification: "${key}"`);
  }
  return { port, proto: proto as Protocol };
}

/** Parses a binding's HostPort (`''`, `8080` or `8080-8090`); throws Docker's `invalid port specification`. */
export function parseHostPort(text: string): [number, number] {
  if (text === '' || text === undefined) return [0, 0];
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) throw invalidParameter(`invalid port specification: "${text}"`);
  const lo = Number(m[1]);
  const hi = m[2] ? Number(m[2]) : lo;
  if (lo < 1 || hi > 65535 || hi < lo) throw invalidParameter(`invalid port specification: "${text}"`);
  return [lo, hi];
}

/** Returns a binding's HostIp when it looks like an address ('' for all), else throws. */
export function checkHostIp(hostIp: string): string {
  if (hostIp && !isIP(hostIp)) throw invalidParameter(`invalid IP address: ${hostIp}`);
  return hostIp;
}

/** The bindings to set up at start, in a stable order (port, then protocol). */
export function planBindings(exposedKeys: string[], bindings: Record<string, PortBinding[] | null>, publishAll: boolean): RequestedBinding[] {
  const out: RequestedBinding[] = [];
  const keys = new Set([...Object.keys(bindings ?? {}), ...(publishAll ? exposedKeys : [])]);
  for (const key of [...keys].sort((a, b) => parsePortKey(a).port - parsePortKey(b).port || a.localeCompare(b))) {
    const { port, proto } = parsePortKey(key);
    const list = bindings?.[key];
    if (list && list.length) {
      for (const b of list) {
        const [lo, hi] = parseHostPort(b.HostPort ?? '');
        const hostIp = checkHostIp(b.HostIp ?? '');
        out.push({ proto, containerPort: port, hostIp: hostIp === '0.0.0.0' ? '' : hostIp, hostPortLo: lo, hostPortHi: hi });
      }
    } else if (publishAll) {
      out.push({ proto, containerPort: port, hostIp: '', hostPortLo: 0, hostPortHi: 0 });
    }
  }
  return out;
}

/** `NetworkSettings.Ports`: every exposed or published port, null when not published. */
export function portsView(exposedKeys: string[], active: ActiveBinding[]): Record<string, { HostIp: string; HostPort: string }[] | null> {
  const out: Record<string, { HostIp: string; HostPort: string }[] | null> = {};
  for (const k of exposedKeys) out[k] = null;
  for (const b of active) {
    const key = `${b.containerPort}/${b.proto}`;
    (out[key] ??= []).push({ HostIp: b.hostIp || '0.0.0.0', HostPort: String(b.hostPort) });
  }
  return out;
}

/** The `Ports` list of `GET /containers/json`. */
export function listPortsView(exposedKeys: string[], active: ActiveBinding[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const published = new Set(active.map((b) => `${b.containerPort}/${b.proto}`));
  for (const b of active) out.push({ IP: b.hostIp || '0.0.0.0', PrivatePort: b.containerPort, PublicPort: b.hostPort, Type: b.proto });
  for (const k of exposedKeys) {
    if (published.has(k)) continue;
    const { port, proto } = parsePortKey(k);
    out.push({ PrivatePort: port, Type: proto });
  }
  return out;
}
