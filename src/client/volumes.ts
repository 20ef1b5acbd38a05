/** Volume endpoints of the Engine API, plus Wharf's audit, one function per endpoint. */
import type { EngineClient } from './engine-client.js';

/** A volume as the Engine API answers it; `Status` carries Wharf's provenance. */
export interface Volume {
  Name: string;
  Driver: string;
  Mountpoint: string;
  CreatedAt: string;
  Labels: Record<string, string> | null;
  Options: Record<string, string> | null;
  Scope: string;
  Status?: Record<string, string>;
}

/** One line of Wharf's orphan audit: an unused volume or a stray directory. */
export interface AuditEntry {
  Kind: 'volume' | 'stray-directory';
  Name: string;
  Path: string;
  Size: number;
  AgeSeconds: number;
  CreatedBy: string;
  Container?: string;
  Image?: string;
}

const enc = encodeURIComponent;

/** GET /volumes?filters= */
export async function listVolumes(c: EngineClient, filters: Record<string, Record<string, boolean>>): Promise<Volume[]> {
  const f = Object.keys(filters).length ? JSON.stringify(filters) : undefined;
  return (await c.json<{ Volumes: Volume[] | null }>('GET', '/volumes', { query: { filters: f } })).Volumes ?? [];
}

/** POST /volumes/create */
export function createVolume(c: EngineClient, body: { Name?: string; Driver?: string; Labels?: Record<string, string>; DriverOpts?: Record<string, string> }): Promise<Volume> {
  return c.json<Volume>('POST', '/volumes/create', { body });
}

/** GET /volumes/{name}, as raw JSON text (inspect prints it as it came). */
export async function inspectVolumeRaw(c: EngineClient, name: string): Promise<string> {
  return JSON.stringify(await c.json<unknown>('GET', `/volumes/${enc(name)}`));
}

/** DELETE /volumes/{name}?force= */
export async function removeVolume(c: EngineClient, name: string, force: boolean): Promise<void> {
  await c.json<unknown>('DELETE', `/volumes/${enc(name)}`, { query: { force: force ? 1 : undefined } });
}

/** POST /volumes/prune?filters= (`all: true` in the filters includes named volumes). */
export function pruneVolumes(
  c: EngineClient,
  filters: Record<string, Record<string, boolean>>,
): Promise<{ VolumesDeleted: string[] | null; SpaceReclaimed: number }> {
  const f = Object.keys(filters).length ? JSON.stringify(filters) : undefined;
  return c.json('POST', '/volumes/prune', { query: { filters: f } });
}

/** GET /wharf/volumes/audit and POST /wharf/volumes/audit/prune */
export function auditVolumes(c: EngineClient, prune: boolean): Promise<AuditEntry[]> {
  return c.json<AuditEntry[]>(prune ? 'POST' : 'GET', prune ? '/wharf/volumes/audit/prune' : '/wharf/volumes/audit');
}
