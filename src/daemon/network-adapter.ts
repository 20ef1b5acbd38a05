/** Adapts the bridge network and the /etc renderers to the container service's NetworkProvider. */
import { promises as fs } from 'node:fs';
import type { BridgeNetwork } from '../engine/network/bridge-network.js';
import { renderHosts } from '../engine/network/etc-hosts.js';
import { renderResolvConf } from '../engine/network/resolv-conf.js';
import type { NetworkProvider } from '../engine/containers/ports.js';
import { readSmallFile } from '../store/small-files.js';

export function networkProvider(bridge: BridgeNetwork): NetworkProvider {
  return {
    connect: async (id, preferredIp) => bridge.connect(id, preferredIp ? { preferredIp } : {}),
    connectNone: (id) => bridge.connectNone(id),
    disconnect: (id) => bridge.disconnect(id),
    reserve: (id, ip) => bridge.reserve(id, ip),
    bridgeInfo: () => bridge.info(),
    renderHosts: async (o) => {
      const hostFile = o.hostMode ? await fs.readFile('/etc/hosts', 'utf8').catch(() => '') : undefined;
      return renderHosts({
        hostname: o.hostname,
        ...(o.ip ? { ip: o.ip } : {}),
        links: o.links ?? [],
        ...(hostFile !== undefined ? { hostFile } : {}),
      });
    },
    allowLinks: (id, links) => bridge.allowLinks(id, links),
    revokeLinks: (id) => bridge.revokeLinks(id),
    pruneDnat: (keep) => bridge.pruneDnat(keep),
    // A small local file, read on every start: a synchronous read costs less than a thread-pool trip.
    renderResolvConf: async () => renderResolvConf(readSmallFile('/etc/resolv.conf') ?? ''),
  };
}
