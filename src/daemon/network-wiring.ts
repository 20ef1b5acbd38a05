/**
 * Wires the networks API and the network events to the bridge network, the identities of the
 * host and none networks, and the container records.
 */
import path from 'node:path';
import type { BridgeNetwork } from '../engine/network/bridge-network.js';
import type { ContainerStore } from '../engine/containers/container-store.js';
import type { NetworkOfMode } from '../engine/containers/network-events.js';
import { DRIVER, type AttachedContainer, type NetworkFacts, type PredefinedName } from '../engine/network/network-views.js';
import { loadPredefinedNetworks } from '../engine/network/predefined-networks.js';

export interface NetworkWiring {
  networks: () => NetworkFacts[];
  attached: (name: PredefinedName) => AttachedContainer[];
  networkOf: NetworkOfMode;
}

/** The predefined network a container's network mode joins (`container:<id>` joins none of them). */
function predefinedOf(mode: string): PredefinedName | undefined {
  if (mode === 'host' || mode === 'none') return mode;
  return mode === 'default' || mode === 'bridge' || mode === '' ? 'bridge' : undefined;
}

export async function networkWiring(
  bridge: BridgeNetwork,
  store: ContainerStore,
  opts: { dataRoot: string; icc: boolean; randomId: () => string; now: () => Date },
): Promise<NetworkWiring> {
  const ids = await loadPredefinedNetworks(path.join(opts.dataRoot, 'network'), opts.randomId, opts.now);
  // Like Docker's, the bridge network is made anew each time the daemon starts.
  const bridgeCreated = opts.now().toISOString();
  const networks = (): NetworkFacts[] => {
    const b = bridge.info();
    return [
      { name: 'bridge', id: b.networkId, created: bridgeCreated, subnet: b.subnet, gateway: b.gateway, bridgeName: b.bridge, icc: opts.icc },
      { name: 'host', ...ids.host },
      { name: 'none', ...ids.none },
    ];
  };
  const attached = (name: PredefinedName): AttachedContainer[] =>
    store
      .all()
      .filter((r) => r.state.Running && predefinedOf(r.hostConfig.NetworkMode) === name)
      .map((r) => ({
        id: r.id,
        name: r.name.slice(1),
        endpointId: r.endpoint?.endpointId ?? '',
        macAddress: r.endpoint?.macAddress ?? '',
        ipv4: r.endpoint ? `${r.endpoint.ipAddress}/${r.endpoint.prefixLen}` : '',
      }));
  const networkOf: NetworkOfMode = (mode) => {
    const name = predefinedOf(mode);
    const net = name && networks().find((n) => n.name === name);
    return net ? { id: net.id, name: net.name, type: DRIVER[net.name] } : undefined;
  };
  return { networks, attached, networkOf };
}
