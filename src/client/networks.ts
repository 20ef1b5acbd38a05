/** Network endpoints of the Engine API, one function per endpoint. */
import type { EngineClient } from './engine-client.js';

/** A network as `GET /networks` answers it (the fields `network ls` shows). */
export interface Network {
  Name: string;
  Id: string;
  Created: string;
  Scope: string;
  Driver: string;
  EnableIPv6: boolean;
  Internal: boolean;
  Labels: Record<string, string> | null;
}

const enc = encodeURIComponent;

/** GET /networks?filters= */
export async function listNetworks(c: EngineClient, filters: Record<string, Record<string, boolean>>): Promise<Network[]> {
  const f = Object.keys(filters).length ? JSON.stringify(filters) : undefined;
  return (await c.json<Network[] | null>('GET', '/networks', { query: { filters: f } })) ?? [];
}

/** DELETE /networks/{name} */
export async function removeNetwork(c: EngineClient, name: string): Promise<void> {
  await c.json<unknown>('DELETE', `/networks/${enc(name)}`);
}

/** POST /networks/prune?filters= */
export function pruneNetworks(c: EngineClient, filters: Record<string, Record<string, boolean>>): Promise<{ NetworksDeleted: string[] | null }> {
  const f = Object.keys(filters).length ? JSON.stringify(filters) : undefined;
  return c.json('POST', '/networks/prune', { query: { filters: f } });
}
