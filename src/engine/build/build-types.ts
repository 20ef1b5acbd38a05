/**
 * The builder's ports: what `build()` needs from the container service and the image store
 * (wired by the daemon, faked in tests), and the options of one build.
 */
import type { BuildCacheStore } from './build-cache.js';
import type { ImageConfig } from './image-config.js';
import type { ExtractTar } from './rootfs-copy.js';

/** Options of one classic build (`POST /build`). */
export interface BuildOptions {
  /** Path of the Dockerfile inside the context (default `Dockerfile`, falls back to `dockerfile`). */
  dockerfileName?: string;
  /** The extracted build context. */
  contextDir: string;
  tags: string[];
  /** --build-arg values; null means "declared without a value". */
  buildArgs: Record<string, string | null>;
  noCache: boolean;
  quiet: boolean;
  /** Remove intermediate containers even after a failed step. */
  forceRm: boolean;
  /** Remove intermediate containers after a successful step (Docker's default: true). */
  rm: boolean;
}

/** What a step container is created from. */
export interface StepSpec {
  /** The parent image, null for `FROM scratch`. */
  imageId: string | null;
  /**
   * The full config of the step container. For RUN: Cmd is the argv, Entrypoint is null (none),
   * Env includes the build args, no Healthcheck.
   */
  config: ImageConfig;
}

/** Callbacks of a RUN container. */
export interface StepEvents {
  /** Called once the container exists (before it starts), so "Running in <id>" comes first. */
  created(containerId: string): void;
  output(stream: 'stdout' | 'stderr', chunk: Buffer): void;
}

/** The engine services the builder uses. */
export interface BuildDeps {
  /** An image by name or id; throws NotFound when missing. Also used to check cache hits still exist. */
  resolveImage(ref: string): Promise<{ id: string; config: ImageConfig }>;
  /** The config of an empty image (FROM scratch). */
  scratchConfig(): ImageConfig;
  /**
   * Creates, starts and waits a RUN container. Paths in `config.Volumes` must be throwaway
   * anonymous volumes seeded from the image and removed with the container, so that RUN writes
   * under a VOLUME are not committed (classic builder behaviour).
   */
  runStep(spec: StepSpec, events: StepEvents): Promise<{ containerId: string; exitCode: number }>;
  /**
   * Creates a container whose merged rootfs is mounted at `rootfs` (no volumes mounted) so
   * COPY/ADD/WORKDIR can write into it.
   */
  copyIntoContainerStep(spec: StepSpec): Promise<{ containerId: string; rootfs: string }>;
  /** Commits the container's changes as a new image with `config`; returns the image id. */
  commitContainer(containerId: string, config: ImageConfig, createdBy: string): Promise<string>;
  /** Makes a new image with no new layer (an empty-layer history entry); returns its id. */
  commitConfigOnly(parentId: string | null, config: ImageConfig, createdBy: string): Promise<string>;
  /** Removes a step container and its anonymous volumes. */
  removeContainer(containerId: string): Promise<void>;
  /** Tags `imageId` as `ref` (already normalized, e.g. `web:latest`). */
  tag(imageId: string, ref: string): Promise<void>;
  /** A new 64-hex id (for the containers Docker reports for config-only steps). */
  randomId(): string;
  /** The layer cache index. */
  cache: BuildCacheStore;
  /** Safe tar extraction for ADD of a local archive. */
  extractTar: ExtractTar;
}

/** The outcome of a successful build. */
export interface BuildResult {
  imageId: string;
  tags: string[];
}
