/**
 * Endpoint creation as `ip` batches, for hosts without the host helper (and the test fake):
 * `netns add` in the host batch (ip returns to the host namespace after it), then the inner
 * batch. On failure the namespace goes, and the veth pair whose peer is in it.
 */
import { type EndpointInput, planEndpoint, planNoneEndpoint } from './endpoint-plan.js';
import type { NetworkHost } from './network-host.js';

type BatchHost = Pick<NetworkHost, 'runIpBatch' | 'addNetns' | 'deleteNetns'>;

export async function createEndpointByBatches(host: BatchHost, e: EndpointInput): Promise<void> {
  const plan = planEndpoint(e);
  try {
    await host.runIpBatch([`netns add ${e.netns}`, ...plan.hostBatch]);
    await host.runIpBatch(plan.innerBatch, e.netns);
  } catch (err) {
    // The namespace is named for this container alone (its caller removed any stale one).
    await host.deleteNetns(e.netns).catch(() => undefined);
    throw err;
  }
}

export async function createLoopbackNetnsByBatches(host: BatchHost, name: string): Promise<void> {
  await host.addNetns(name);
  try {
    await host.runIpBatch(planNoneEndpoint(), name);
  } catch (err) {
    await host.deleteNetns(name).catch(() => undefined);
    throw err;
  }
}
