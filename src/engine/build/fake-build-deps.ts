/**
 * A recording BuildDeps for tests: images in memory, predictable ids, RUN steps scripted by a
 * callback, COPY steps writing into temporary directories.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { notFound } from '../../errors.js';
import { createMemoryBuildCache } from './build-cache.js';
import type { BuildDeps, StepSpec } from './build-types.js';
import type { ImageConfig } from './image-config.js';

/** What a scripted RUN does. */
export interface FakeRun {
  stdout?: string;
  stderr?: string;
  exitCode?: number;
}

/** The fake plus what it recorded. */
export interface FakeBuildDeps extends BuildDeps {
  calls: string[];
  images: Map<string, { config: ImageConfig; createdBy: string; parent: string | null }>;
  runs: StepSpec[];
  tags: Map<string, string>;
  rootfsDirs: string[];
  cleanup(): Promise<void>;
}

/** A 64-hex id whose 12-hex short form shows the kind and the sequence number (`1a9e00000003`). */
const hex = (prefix: string, n: number) => (prefix + n.toString(16).padStart(8, '0')).padEnd(64, '0');

/** Creates the fake. `base` maps image references to configs; `script` decides RUN outcomes. */
export function createFakeBuildDeps(
  base: Record<string, ImageConfig>,
  script: (argv: string[]) => FakeRun = () => ({}),
): FakeBuildDeps {
  let imageSeq = 0;
  let containerSeq = 0;
  const calls: string[] = [];
  const images = new Map<string, { config: ImageConfig; createdBy: string; parent: string | null }>();
  const names = new Map<string, string>();
  for (const [ref, config] of Object.entries(base)) {
    const id = `sha256:${hex('ba5e', ++imageSeq)}`;
    images.set(id, { config, createdBy: 'base', parent: null });
    names.set(ref, id);
  }
  const runs: StepSpec[] = [];
  const tags = new Map<string, string>();
  const rootfsDirs: string[] = [];
  const newImage = (parent: string | null, config: ImageConfig, createdBy: string) => {
    const id = `sha256:${hex('1a9e', ++imageSeq)}`;
    images.set(id, { config: structuredClone(config), createdBy, parent });
    return id;
  };
  const containerParent = new Map<string, string | null>();
  return {
    calls, images, runs, tags, rootfsDirs,
    resolveImage: async (ref) => {
      const id = names.get(ref) ?? names.get(`${ref}:latest`) ?? (images.has(ref) ? ref : undefined);
      if (!id) throw notFound(`No such image: ${ref}`);
      return { id, config: structuredClone(images.get(id)!.config) };
    },
    scratchConfig: () => ({}),
    runStep: async (spec, events) => {
      const containerId = hex('c0de', ++containerSeq);
      containerParent.set(containerId, spec.imageId);
      calls.push(`runStep ${JSON.stringify(spec.config.Cmd)}`);
      runs.push(structuredClone(spec));
      events.created(containerId);
      const outcome = script(spec.config.Cmd ?? []);
      if (outcome.stdout) events.output('stdout', Buffer.from(outcome.stdout));
      if (outcome.stderr) events.output('stderr', Buffer.from(outcome.stderr));
      return { containerId, exitCode: outcome.exitCode ?? 0 };
    },
    copyIntoContainerStep: async (spec) => {
      const containerId = hex('c0de', ++containerSeq);
      containerParent.set(containerId, spec.imageId);
      const rootfs = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-fake-rootfs-'));
      rootfsDirs.push(rootfs);
      calls.push(`copyIntoContainerStep ${containerId.slice(0, 12)}`);
      return { containerId, rootfs };
    },
    commitContainer: async (containerId, config, createdBy) => {
      calls.push(`commitContainer ${containerId.slice(0, 12)} ${createdBy}`);
      return newImage(containerParent.get(containerId) ?? null, config, createdBy);
    },
    commitConfigOnly: async (parent, config, createdBy) => {
      calls.push(`commitConfigOnly ${createdBy}`);
      return newImage(parent, config, createdBy);
    },
    removeContainer: async (containerId) => {
      calls.push(`removeContainer ${containerId.slice(0, 12)}`);
    },
    tag: async (imageId, ref) => {
      tags.set(ref, imageId);
      names.set(ref, imageId);
    },
    randomId: () => hex('c0de', ++containerSeq),
    cache: createMemoryBuildCache(),
    extractTar: async () => {
      throw new Error('extractTar not expected');
    },
    cleanup: async () => {
      for (const dir of rootfsDirs) await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
