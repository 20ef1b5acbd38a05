/**
 * The three networks every Docker engine has (bridge, host, none) as the networks API shows
 * them: `docker network ls`, `docker network inspect`, and `docker inspect <network>`. Pure:
 * the caller supplies the networks' facts and the containers attached to them.
 */
import { EngineError, invalidParameter, notFound } from '../../errors.js';

export type PredefinedName = 'bridge' | 'host' | 'none';

export interface NetworkFacts {
  name: PredefinedName;
  id: string;
  created: string;
  /** The bridge network only. */
  subnet?: string;
  gateway?: string;
  bridgeName?: string;
  icc?: boolean;
}

/** A running container on a network, as `Containers` lists it. */
export interface AttachedContainer {
  id: string;
  name: string;
  endpointId: string;
  macAddress: string;
  /** `172.17.0.2/16`, or '' on host and none. */
  ipv4: string;
}

/** Docker's driver name for each network; "null" is none's. */
export const DRIVER: Record<PredefinedName, string> = { bridge: 'bridge', host: 'host', none: 'null' };

/** The network's JSON; `containers` undefined gives the list form (an empty `Containers`). */
export function networkView(n: NetworkFacts, containers?: readonly AttachedContainer[]): Record<string, unknown> {
  const attached: Record<string, unknown> = {};
  for (const c of containers ?? []) {
    attached[c.id] = { Name: c.name, EndpointID: c.endpointId, MacAddress: c.macAddress, IPv4Address: c.ipv4, IPv6Address: '' };
  }
  const bridge = n.name === 'bridge';
  return {
    Name: n.name,
    Id: n.id,
    Created: n.created,
    Scope: 'local',
    Driver: DRIVER[n.name],
    EnableIPv6: false,
    IPAM: { Driver: 'default', Options: null, Config: bridge && n.subnet ? [{ Subnet: n.subnet, Gateway: n.gateway }] : [] },
    Internal: false,
    Attachable: false,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: attached,
    Options: bridge
      ? {
          'com.docker.network.bridge.default_bridge': 'true',
          'com.docker.network.bridge.enable_icc': String(n.icc ?? true),
          'com.docker.network.bridge.enable_ip_masquerade': 'true',
          'com.docker.network.bridge.host_binding_ipv4': '0.0.0.0',
          'com.docker.network.bridge.name': n.bridgeName ?? '',
          'com.docker.network.driver.mtu': '1500',
        }
      : {},
    Labels: {},
  };
}

/** Finds a network as Docker does: full id, name, then a unique id prefix. */
export function findNetwork(ref: string, nets: readonly NetworkFacts[]): NetworkFacts {
  const hit = nets.find((n) => n.id === ref) ?? nets.find((n) => n.name === ref);
  if (hit) return hit;
  const prefixed = ref ? nets.filter((n) => n.id.startsWith(ref)) : [];
  if (prefixed.length > 1) throw invalidParameter(`network ${ref} is ambiguous (${prefixed.length} matches found based on ID prefix)`);
  if (!prefixed.length) throw notFound(`network ${ref} not found`);
  return prefixed[0]!;
}

const FILTERS = new Set(['name', 'id', 'driver', 'type', 'scope', 'label', 'dangling']);

/** `GET /networks?filters=…`: name and id match substrings, as in Docker; the rest exactly. */
export function filterNetworks(nets: readonly NetworkFacts[], filters: Record<string, string[]>): NetworkFacts[] {
  for (const k of Object.keys(filters)) if (!FILTERS.has(k)) throw invalidParameter(`invalid filter '${k}'`);
  const any = (key: string, test: (v: string) => boolean) => !filters[key]?.length || filters[key]!.some(test);
  for (const t of filters.type ?? []) if (t !== 'builtin' && t !== 'custom') throw invalidParameter(`invalid filter: 'type'='${t}'`);
  return nets.filter(
    (n) =>
      any('name', (v) => n.name.includes(v)) &&
      any('id', (v) => n.id.includes(v)) &&
      any('driver', (v) => DRIVER[n.name] === v) &&
      any('type', (v) => v === 'builtin') &&
      any('scope', (v) => v === 'local') &&
      !filters.label?.length && // no predefined network has labels
      any('dangling', (v) => v === 'false' || v === '0'),
  );
}

/** `DELETE /networks/{id}`: the predefined networks cannot be removed. */
export function removalRefused(n: NetworkFacts): EngineError {
  return new EngineError('Forbidden', `${n.name} is a pre-defined network and cannot be removed`);
}
