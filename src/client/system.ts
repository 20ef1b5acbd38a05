/**
 * System endpoints of the Engine API: version, info, and the inspect fallbacks (networks,
 * volumes) the docker CLI probes when a name is not a container.
 */
import type { EngineClient } from './engine-client.js';

/** GET /version */
export function getVersion(c: EngineClient): Promise<Record<string, unknown>> {
  return c.json<Record<string, unknown>>('GET', '/version');
}

/** GET /info */
export function getInfo(c: EngineClient): Promise<Record<string, unknown>> {
  return c.json<Record<string, unknown>>('GET', '/info');
}

/** GET /networks/{id} */
export function inspectNetwork(c: EngineClient, id: string): Promise<Record<string, unknown>> {
  return c.json<Record<string, unknown>>('GET', `/networks/${encodeURIComponent(id)}`);
}

/** GET /volumes/{name} */
export function inspectVolume(c: EngineClient, name: string): Promise<Record<string, unknown>> {
  return c.json<Record<string, unknown>>('GET', `/volumes/${encodeURIComponent(name)}`);
}
