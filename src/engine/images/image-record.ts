/** The Docker image config (v1) as Wharf stores it, and the views the API returns (pure). */
import { sha256Digest } from '../../oci/digest.js';

export interface ImageRuntimeConfigJson {
  Hostname?: string;
  Domainname?: string;
  User?: string;
  Env?: string[] | null;
  Cmd?: string[] | null;
  Entrypoint?: string[] | null;
  WorkingDir?: string;
  ExposedPorts?: Record<string, object> | null;
  Volumes?: Record<string, object> | null;
  Labels?: Record<string, string> | null;
  OnBuild?: string[] | null;
  StopSignal?: string;
  [key: string]: unknown;
}

export interface HistoryEntry {
  created: string;
  created_by?: string;
  comment?: string;
  author?: string;
  empty_layer?: boolean;
}

export interface ImageConfigJson {
  architecture: string;
  os: string;
  config: ImageRuntimeConfigJson;
  container_config?: ImageRuntimeConfigJson;
  container?: string;
  created: string;
  docker_version?: string;
  author?: string;
  comment?: string;
  history: HistoryEntry[];
  rootfs: { type: 'layers'; diff_ids: string[] };
  /** Wharf keeps the parent image id (classic builder chains) here, as Docker's metadata does. */
  parent?: string;
}

/** A complete empty runtime config, as Docker writes it. */
export function emptyRuntimeConfig(): ImageRuntimeConfigJson {
  return {
    Hostname: '', Domainname: '', User: '', AttachStdin: false, AttachStdout: false, AttachStderr: false, Tty: false,
    OpenStdin: false, StdinOnce: false, Env: null, Cmd: null, Image: '', Volumes: null, WorkingDir: '', Entrypoint: null,
    OnBuild: null, Labels: null,
  };
}

/** Image id = digest of the exact config bytes. */
export function imageIdOf(bytes: Buffer): string {
  return sha256Digest(bytes);
}

/** The `GET /images/{name}/json` view. */
export function imageInspectView(
  id: string,
  cfg: ImageConfigJson,
  refs: { tags: string[]; digests: string[] },
  size: number,
  graph: { lowerDirs: string[]; upperDir: string },
): Record<string, unknown> {
  return {
    Id: id,
    RepoTags: refs.tags,
    RepoDigests: refs.digests,
    Parent: cfg.parent ?? '',
    Comment: cfg.comment ?? '',
    Created: cfg.created,
    Container: cfg.container ?? '',
    ContainerConfig: cfg.container_config ?? emptyRuntimeConfig(),
    DockerVersion: cfg.docker_version ?? '',
    Author: cfg.author ?? '',
    Config: cfg.config,
    Architecture: cfg.architecture,
    Os: cfg.os,
    Size: size,
    VirtualSize: size,
    GraphDriver: {
      Data: { ...(graph.lowerDirs.length ? { LowerDir: graph.lowerDirs.join(':') } : {}), MergedDir: '', UpperDir: graph.upperDir, WorkDir: '' },
      Name: 'overlay2',
    },
    RootFS: { Type: 'layers', Layers: cfg.rootfs.diff_ids },
    Metadata: { LastTagTime: '0001-01-01T00:00:00Z' },
  };
}

/**
 * `docker history` rows, newest first. Every row is `<missing>` except those of the image and
 * its local parents: `chain` lists them (the image first), as moby walks the parent links.
 */
export function historyView(chain: { id: string; tags: string[] }[], cfg: ImageConfigJson, layerSizes: number[]): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  let layer = 0;
  (cfg.history ?? []).forEach((h) => {
    const size = h.empty_layer ? 0 : (layerSizes[layer++] ?? 0);
    rows.push({ Comment: h.comment ?? '', Created: Math.floor(Date.parse(h.created) / 1000), CreatedBy: h.created_by ?? '', Id: '<missing>', Size: size, Tags: null });
  });
  rows.reverse();
  chain.forEach((c, i) => {
    if (rows[i]) Object.assign(rows[i]!, { Id: c.id, Tags: c.tags.length ? c.tags : null });
  });
  return rows;
}
