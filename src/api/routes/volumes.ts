/** Engine API routes for volumes, plus Wharf's orphan audit. */
import { invalidParameter, notFound } from '../../errors.js';
import type { Route } from '../route.js';
import { sendJson, sendNoContent, queryBool } from '../respond.js';
import { matchesLabels, type VolumeRecord, type VolumeStore } from '../../engine/volumes/volume-store.js';
import { auditVolumes, pruneAudit } from '../../engine/volumes/volume-audit.js';
import { parseFilters } from '../../engine/containers/list-filter.js';

export interface VolumesBackend {
  volumes: VolumeStore;
  users: (name: string) => string[];
  now: () => Date;
}

/** Volumes with their `UsageData` (size in bytes, number of containers), for `GET /system/df`. */
export async function volumeUsage(b: VolumesBackend): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const v of b.volumes.all()) {
    out.push({ ...b.volumes.view(v), UsageData: { Size: await b.volumes.size(v.Name), RefCount: b.users(v.Name).length } });
  }
  return out;
}

export function volumeRoutes(b: VolumesBackend): Route[] {
  const { volumes } = b;
  return [
    {
      method: 'GET', path: '/volumes',
      handler: async (c) => sendJson(c.res, 200, { Volumes: volumes.list(parseFilters(c.query.get('filters')), b.users).map((v) => volumes.view(v)), Warnings: null }),
    },
    {
      method: 'POST', path: '/volumes/create',
      handler: async (c) => {
        const body = await c.json<{ Name?: string; Driver?: string; Labels?: Record<string, string>; DriverOpts?: Record<string, string> }>({});
        if (body.Driver && body.Driver !== 'local') {
          throw notFound(`create ${body.Name ?? ''}: error looking up volume plugin ${body.Driver}: plugin "${body.Driver}" not found`);
        }
        const v = await volumes.create({
          ...(body.Name ? { name: body.Name } : {}), labels: body.Labels ?? null, options: body.DriverOpts ?? null,
          provenance: { createdBy: 'volume create' },
        });
        // An unnamed volume is anonymous (plain prune takes it), as in Docker 23+; a named one is not.
        sendJson(c.res, 201, volumes.view(v));
      },
    },
    {
      method: 'POST', path: '/volumes/prune',
      handler: async (c) => {
        const filters = parseFilters(c.query.get('filters'));
        for (const key of Object.keys(filters)) {
          if (!['all', 'label', 'label!'].includes(key)) throw invalidParameter(`Invalid filter '${key}'`);
        }
        const all = (filters.all ?? []).some((x) => ['true', '1'].includes(x));
        const wanted = (v: VolumeRecord) =>
          matchesLabels(filters.label ?? [], v.Labels) && !(filters['label!'] ?? []).some((l) => matchesLabels([l], v.Labels));
        const deleted: string[] = [];
        let reclaimed = 0;
        for (const v of volumes.all()) {
          if (b.users(v.Name).length || (!all && !v.Anonymous) || !wanted(v)) continue;
          reclaimed += await volumes.size(v.Name);
          await volumes.remove(v.Name, b.users);
          deleted.push(v.Name);
        }
        sendJson(c.res, 200, { VolumesDeleted: deleted, SpaceReclaimed: reclaimed });
      },
    },
    { method: 'GET', path: '/volumes/:name', handler: async (c) => sendJson(c.res, 200, volumes.view(volumes.require(c.params.name!))) },
    {
      method: 'DELETE', path: '/volumes/:name',
      handler: async (c) => {
        await volumes.remove(c.params.name!, b.users, queryBool(c.query.get('force')));
        sendNoContent(c.res);
      },
    },
    {
      // Volume part of `GET /system/df`; the daemon merges it with the image and container parts.
      method: 'GET', path: '/wharf/volumes/df',
      handler: async (c) => sendJson(c.res, 200, await volumeUsage(b)),
    },
    { method: 'GET', path: '/wharf/volumes/audit', handler: async (c) => sendJson(c.res, 200, await auditVolumes(volumes, b.users, b.now())) },
    {
      method: 'POST', path: '/wharf/volumes/audit/prune',
      handler: async (c) => sendJson(c.res, 200, await pruneAudit(volumes, b.users, b.now())),
    },
  ];
}
