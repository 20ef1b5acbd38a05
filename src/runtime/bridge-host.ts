/**
 * The real NetworkHost: wires the ip/netns/iptables/sysctl adapters into the port that
 * BridgeNetwork uses. Composition only; no decisions.
 */
import type { NetworkHost } from '../engine/network/network-host.js';
import { listHostRoutes, readLinkAddresses } from './bridge-link.js';
import { runIptables, runIptablesRestore, tryIptables } from './iptables.js';
import { addNetns, deleteNetns, netnsExists, runIpBatch } from './netns.js';
import { readSysctl, writeSysctl } from './sysctl.js';

/** Creates the NetworkHost that acts on this machine. */
export function createBridgeHost(): NetworkHost {
  return {
    listRoutes: listHostRoutes,
    readLinkAddresses,
    runIpBatch,
    addNetns,
    deleteNetns,
    netnsExists,
    iptables: runIptables,
    iptablesRestore: runIptablesRestore,
    tryIptables,
    readSysctl,
    writeSysctl,
  };
}
