/** Connects the image store to the container service and the API. */
import path from 'node:path';
import type { Route } from '../api/route.js';
import { imageRoutes } from '../api/routes/images.js';
import type { ImageProvider } from '../engine/containers/ports.js';
import type { ContainerService } from '../engine/containers/container-service.js';
import type { ContainerRunner } from '../engine/containers/container-runner.js';
import { ImageStore } from '../engine/images/image-store.js';
import { recoverImages } from '../engine/images/image-recovery.js';
import { ImageTransfer } from '../engine/images/image-transfer.js';
import type { ImageRuntimeConfigJson } from '../engine/images/image-record.js';
import { applyChanges } from '../engine/build/config-instructions.js';
import { commitPauseJournal } from './crash-recovery.js';
import { pullStoreOf, prunePartialBlobs } from '../engine/images/pull-store.js';
import { ImagePuller } from '../distribution/image-puller.js';
import { ImagePusher } from '../distribution/image-pusher.js';
import { BlobSources } from '../distribution/blob-sources.js';
import { login } from '../distribution/registry-login.js';
import { pushRoutes } from '../api/routes/image-push.js';
import { pushStoreOf } from '../engine/images/push-store.js';
import { TokenCache } from '../distribution/registry-session.js';
import { nodeHttpTransport } from '../distribution/http-transport.js';
import type { ImageConfig } from '../engine/build/image-config.js';

export interface ImageWiring {
  store: ImageStore;
  transfer: ImageTransfer;
  provider: ImageProvider;
  matches: (imageId: string, value: string) => boolean;
  count: () => number;
  routes: (containers: { service: ContainerService; runner: ContainerRunner }) => Route[];
}

const changes = (cfg: ImageRuntimeConfigJson, list: string[]) =>
  applyChanges(cfg as ImageConfig, list) as ImageRuntimeConfigJson;

/** Registry settings of the daemon (`--insecure-registry`, `--max-concurrent-downloads`). */
export interface RegistrySettings {
  insecureRegistries: string[];
  maxConcurrentDownloads: number;
}

export async function imageWiring(
  dataRoot: string, now: () => Date, log: (l: string) => void, registry: RegistrySettings = { insecureRegistries: [], maxConcurrentDownloads: 3 },
): Promise<ImageWiring> {
  const store = new ImageStore(path.join(dataRoot, 'image'), log);
  await store.init();
  await recoverImages(store, log);
  const transfer = new ImageTransfer(store, now, changes);
  const pauses = commitPauseJournal(dataRoot);
  await prunePartialBlobs(store, now().getTime());
  const deps = { transport: nodeHttpTransport(), tokens: new TokenCache(), now: () => now().getTime(), insecureRegistries: registry.insecureRegistries };
  const sources = new BlobSources(path.join(dataRoot, 'image', 'blob-sources.json'));
  const puller = new ImagePuller(deps, pullStoreOf(store), registry.maxConcurrentDownloads, sources);
  const pusher = new ImagePusher(deps, pushStoreOf(store), sources);
  return {
    store,
    transfer,
    provider: {
      resolve: async (ref) => {
        const img = store.resolve(ref);
        return { id: img.id, config: img.config.config };
      },
      mountSpec: (id) => store.mountSpec(id),
    },
    matches: (imageId, value) => store.find(value)?.id === imageId,
    count: () => store.count(),
    routes: ({ service, runner }) => [
      ...pushRoutes({ push: (req) => pusher.push(req), login: (body) => login(deps, body) }),
      ...imageRoutes({
        store,
        transfer,
        applyChanges: changes,
        puller,
        usage: (imageId) => service.store.all().filter((r) => r.imageId === imageId).map((r) => ({ id: r.id, running: r.state.Running })),
        containers: {
          commitSource: (ref) => {
            const rec = service.store.require(ref);
            return { id: rec.id, imageId: rec.imageId, upperDir: runner.upperDir(rec.id), config: rec.config as ImageRuntimeConfigJson, running: rec.state.Running };
          },
          // Journalled: a commit cut short by a crash does not leave its container paused.
          pause: async (id) => {
            if (service.store.get(id)?.state.Paused) return;
            pauses.add(id);
            await service.pause(id);
          },
          unpause: async (id) => {
            await service.unpause(id);
            await pauses.remove(id);
          },
        },
      }),
    ],
  };
}
