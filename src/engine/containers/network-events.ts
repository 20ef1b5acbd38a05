/**
 * Docker's network `connect` and `disconnect` events: logged under the network's id when a
 * container's run joins or leaves it (before the container's `start`, after its `die`).
 */
import type { ContainerRecord } from './container-record.js';
import type { EventSink } from './ports.js';

/** The network a network mode joins: its id, its name, and its driver as the event names it. */
export type NetworkOfMode = (mode: string) => { id: string; name: string; type: string } | undefined;

export function logNetworkEvent(events: EventSink, networkOf: NetworkOfMode | undefined, rec: ContainerRecord, action: 'connect' | 'disconnect'): void {
  const net = networkOf?.(rec.hostConfig.NetworkMode);
  if (!net) return;
  events.emit({ Type: 'network', Action: action, id: net.id, attributes: { container: rec.id, name: net.name, type: net.type } });
}
