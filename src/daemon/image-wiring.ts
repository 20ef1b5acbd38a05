/**
 * Connects the image store to the container service and the API.
 * TODO(#2): replace this stand-in with the content-addressed ImageStore.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { notFound } from '../errors.js';
import type { Route } from '../api/route.js';
import type { ImageProvider } from '../engine/containers/ports.js';
import type { ContainerService } from '../engine/containers/container-service.js';
import type { ContainerRunner } from '../engine/containers/container-runner.js';

export interface ImageWiring {
  provider: ImageProvider;
  matches: (imageId: string, value: string) => boolean;
  count: () => number;
  routes: (containers: { service: ContainerService; runner: ContainerRunner }) => Route[];
}

export async function imageWiring(dataRoot: string): Promise<ImageWiring> {
  const dir = path.join(dataRoot, 'images-tmp');
  await fs.mkdir(dir, { recursive: true });
  const load = async (ref: string) => {
    const name = ref.includes(':') ? ref : `${ref}:latest`;
    const text = await fs.readFile(path.join(dir, name.replace(/[/:]/g, '_') + '.json'), 'utf8').catch(() => undefined);
    if (!text) throw notFound(`No such image: ${name}`);
    return JSON.parse(text) as { id: string; config: Record<string, unknown>; layerDir: string };
  };
  const byId = new Map<string, { layerDir: string }>();
  return {
    provider: {
      resolve: async (ref) => {
        const img = await load(ref);
        byId.set(img.id, img);
        return { id: img.id, config: img.config };
      },
      mountSpec: async (id) => ({ cwd: '/', lowerdirs: [byId.get(id)!.layerDir] }),
    },
    matches: (id, v) => id === v,
    count: () => byId.size,
    routes: () => [
      {
        method: 'GET',
        path: '/images/*name/json',
        handler: async (c) => {
          const img = await load(c.params.name!);
          const body = JSON.stringify({ Id: img.id, RepoTags: [c.params.name], Config: img.config });
          c.res.writeHead(200, { 'Content-Type': 'application/json' });
          c.res.end(body);
        },
      },
    ],
  };
}
