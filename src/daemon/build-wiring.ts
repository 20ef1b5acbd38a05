/**
 * Binds the classic builder to real containers and the image store: each RUN is a real
 * container, each COPY writes into a mounted container rootfs, each step is committed.
 */
import path from 'node:path';
import { AsyncLocalStorage } from 'node:async_hooks';
import { promises as fs } from 'node:fs';
import type { Route } from '../api/route.js';
import { buildRoutes } from '../api/routes/build.js';
import { build } from '../engine/build/builder.js';
import type { BuildDeps, BuildOptions } from '../engine/build/build-types.js';
import type { EmitFn } from '../engine/build/build-output.js';
import type { ImageConfig } from '../engine/build/image-config.js';
import { createFileBuildCache } from '../engine/build/build-cache.js';
import { buildStepJournal } from './crash-recovery.js';
import { daemonTmpRoot } from '../store/container-journal.js';
import { extractTar } from '../oci/tar/extract.js';
import type { ContainerService } from '../engine/containers/container-service.js';
import type { ContainerRunner } from '../engine/containers/container-runner.js';
import type { CreateBody } from '../engine/containers/create-request.js';
import { parseK8sLog } from '../engine/containers/log-format.js';
import type { ImageWiring } from './image-wiring.js';
import { emptyRuntimeConfig, type ImageRuntimeConfigJson } from '../engine/images/image-record.js';

const SCRATCH_CREATED = '1970-01-01T00:00:00Z';

export function buildWiring(opts: {
  dataRoot: string;
  images: ImageWiring;
  service: ContainerService;
  runner: ContainerRunner;
  randomId: () => string;
}): Route[] {
  const { images, service, runner } = opts;
  const { store, transfer } = images;
  const journal = buildStepJournal(opts.dataRoot);
  /** The step containers each build made: those it keeps (`--rm=false`) leave the journal at its end. */
  const stepsOfBuild = new AsyncLocalStorage<Set<string>>();

  /** An image with no layers stands in for FROM scratch, so steps always have a parent. */
  const scratchImage = () =>
    store.addConfig({
      architecture: 'amd64', os: 'linux', config: emptyRuntimeConfig(), created: SCRATCH_CREATED, history: [],
      rootfs: { type: 'layers', diff_ids: [] },
    });

  const createStep = async (imageId: string | null, config: ImageConfig): Promise<string> => {
    const image = imageId ?? (await scratchImage()).id;
    const body: CreateBody = {
      ...(config as Record<string, unknown>),
      Image: image,
      Entrypoint: config.Entrypoint ?? [''],
      Cmd: config.Cmd ?? ['/bin/sh'],
      Volumes: null,
      HostConfig: { NetworkMode: 'default' },
    } as CreateBody;
    const steps = stepsOfBuild.getStore();
    const { Id } = await service.create(undefined, body, (id) => {
      journal.add(id);
      steps?.add(id);
    });
    return Id;
  };

  const deps: BuildDeps = {
    resolveImage: async (ref) => {
      const img = store.resolve(ref);
      return { id: img.id, config: img.config.config as ImageConfig };
    },
    scratchConfig: () => emptyRuntimeConfig() as ImageConfig,
    runStep: async (spec, events) => {
      const id = await createStep(spec.imageId, spec.config);
      events.created(id);
      const exit = service.wait(id, 'next-exit');
      await service.start(id);
      const { StatusCode } = await exit;
      const text = await fs.readFile(runner.logPath(id), 'utf8').catch(() => '');
      for (const r of parseK8sLog(text)) events.output(r.stream, Buffer.from(r.data));
      return { containerId: id, exitCode: StatusCode };
    },
    copyIntoContainerStep: async (spec) => {
      const id = await createStep(spec.imageId, spec.config);
      const rec = service.store.require(id);
      return { containerId: id, rootfs: await runner.mountRootfs(rec) };
    },
    commitContainer: async (containerId, config, createdBy) => {
      const rec = service.store.require(containerId);
      const parent = store.resolve(rec.imageId);
      const img = await transfer.commit({
        parent: parent.config.rootfs.diff_ids.length || parent.config.created !== SCRATCH_CREATED ? parent : null,
        upperDir: runner.upperDir(containerId), config: config as ImageRuntimeConfigJson, containerId,
        containerConfig: { ...(config as ImageRuntimeConfigJson), Cmd: ['/bin/sh', '-c', `#(nop) ${createdBy}`] }, createdBy,
      });
      return img.id;
    },
    commitConfigOnly: async (parentId, config, createdBy) => {
      const parent = parentId ? store.resolve(parentId) : null;
      const img = await transfer.commit({ parent, config: config as ImageRuntimeConfigJson, createdBy, emptyLayer: true });
      return img.id;
    },
    removeContainer: async (id) => {
      await service.remove(id, { force: true, volumes: true, link: false });
      await journal.remove(id);
    },
    tag: (imageId, ref) => store.tag(imageId, ref, ''),
    randomId: opts.randomId,
    cache: createFileBuildCache(path.join(opts.dataRoot, 'builder', 'cache.json')),
    extractTar,
  };
  const runBuild = (o: BuildOptions, emit: EmitFn) => {
    const steps = new Set<string>();
    return stepsOfBuild.run(steps, () => build(o, deps, emit)).finally(() => Promise.all([...steps].map((id) => journal.remove(id))));
  };
  return buildRoutes({ build: runBuild, contextTempRoot: path.join(daemonTmpRoot(opts.dataRoot), 'build') });
}
