/**
 * The real NetworkHost: wires the helper/ip/netns/iptables/sysctl adapters into the port that
 * BridgeNetwork uses. Composition only; no decisions.
 */
import { createEndpointByBatches, createLoopbackNetnsByBatches } from '../engine/network/endpoint-by-batches.js';
import type { NetworkHost } from '../engine/network/network-host.js';
import { listHostRoutes, readLinkAddresses } from './bridge-link.js';
import { listIptablesRules, runIptables, runIptablesRestore, tryIptables } from './iptables.js';
import { createLoopbackNetns, createNetnsEndpoint, deleteNetnsByHelper, hostHelper } from './host-helper.js';
import { addNetns, deleteNetns, netnsExists, runIpBatch } from './netns.js';
import { readSysctl, writeSysctl } from './sysctl.js';

/**
 * Creates the NetworkHost that acts on this machine. Namespaces and endpoints go through the host
 * helper's netlink calls when it is built, else through `ip` batches.
 */
export function createBridgeHost(): NetworkHost {
  const helper = hostHelper();
  const batches = { runIpBatch, addNetns, deleteNetns };
  return {
    listRoutes: listHostRoutes,
    readLinkAddresses,
    runIpBatch,
    addNetns,
    createEndpoint: (e) => (helper ? createNetnsEndpoint(helper, e) : createEndpointByBatches(batches, e)),
    createLoopbackNetns: (name) => (helper ? createLoopbackNetns(helper, name) : createLoopbackNetnsByBatches(batches, name)),
    deleteNetns: (name) => (helper ? deleteNetnsByHelper(helper, name) : deleteNetns(name)),
    netnsExists,
    iptables: runIptables,
    iptablesRestore: runIptablesRestore,
    tryIptables,
    listRules: listIptablesRules,
    readSysctl,
    writeSysctl,
  };
}
