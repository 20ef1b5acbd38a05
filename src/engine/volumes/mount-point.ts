/**
 * A container's mounts: resolved at create from `--volumes-from`, `-v`/`--mount` and
 * `Config.Volumes` (in Docker's order of precedence), and shown by inspect.
 */
import { promises as fs } from 'node:fs';
import { invalidParameter } from '../../errors.js';
import { anonymousVolume, isReadWriteMode, parseApiMount, parseBind, parseTmpfsFlags, parseVolumesFrom, type ApiMount, type MountRequest } from './mount-spec.js';
import type { Provenance, VolumeStore } from './volume-store.js';

export interface MountPoint {
  Type: 'volume' | 'bind' | 'tmpfs';
  Name?: string;
  Source: string;
  Destination: string;
  Driver?: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
  /** Copy the image's content into a new empty volume (not shown by inspect). */
  CopyData?: boolean;
  /** The mount named no volume (`-v /path`, image VOLUME): `rm -v` and `--rm` remove it. */
  Anonymous?: boolean;
  /** mount(8) data of a tmpfs mount (`--mount type=tmpfs`). */
  TmpfsData?: string;
}

export interface MountInput {
  containerId: string;
  image: string;
  /** Config.Volumes paths that come from the image. */
  imageVolumes: string[];
  /** Config.Volumes paths from the request (`-v /path`). */
  requestVolumes: string[];
  binds: string[] | null;
  mounts: ApiMount[] | null;
  volumesFrom: string[] | null;
  labels: Record<string, string>;
  /** `HostConfig.Tmpfs` (`--tmpfs`): these destinations take no volume. */
  tmpfs?: Record<string, string> | null;
}

export interface MountDeps {
  volumes: VolumeStore;
  /** Mounts of another container (`--volumes-from`), or undefined when it does not exist. */
  mountsOf(ref: string): MountPoint[] | undefined;
}

function provenance(input: MountInput, createdBy: string): Provenance {
  const project = input.labels['com.docker.compose.project'];
  return {
    createdBy: project ? `compose (${createdBy})` : createdBy,
    container: input.containerId,
    image: input.image,
    ...(project ? { composeProject: project, composeService: input.labels['com.docker.compose.service'] ?? '' } : {}),
  };
}

async function fromRequest(r: MountRequest, input: MountInput, deps: MountDeps, createdBy: string): Promise<MountPoint> {
  if (r.type === 'bind') {
    if (r.sourceMustExist && !(await fs.stat(r.source).then(() => true, () => false))) {
      throw invalidParameter(`invalid mount config for type "bind": bind source path does not exist: ${r.source}`);
    }
    return { Type: 'bind', Source: r.source, Destination: r.destination, Mode: r.mode, RW: r.rw, Propagation: r.propagation };
  }
  if (r.type === 'tmpfs') {
    return { Type: 'tmpfs', Source: '', Destination: r.destination, Mode: '', RW: r.rw, Propagation: '', TmpfsData: r.tmpfsData ?? '' };
  }
  const vol = await deps.volumes.create({ ...(r.name ? { name: r.name } : {}), provenance: provenance(input, createdBy) });
  return {
    Type: 'volume', Name: vol.Name, Source: deps.volumes.dataPath(vol.Name), Destination: r.destination, Driver: 'local',
    Mode: r.mode, RW: r.rw, Propagation: '', CopyData: r.copyData, Anonymous: !r.name,
  };
}

/** Resolves (and creates the volumes of) a new container's mounts. */
export async function resolveMounts(input: MountInput, deps: MountDeps): Promise<MountPoint[]> {
  const byDest = new Map<string, MountPoint>();
  for (const spec of input.volumesFrom ?? []) {
    const { container, mode } = parseVolumesFrom(spec);
    const theirs = deps.mountsOf(container);
    if (!theirs) throw invalidParameter(`No such container: ${container}`);
    for (const m of theirs) {
      // As Docker: the mode is not inherited, `:ro` can only take writes away, nothing is copied up.
      const { CopyData: _c, ...rest } = m;
      byDest.set(m.Destination, { ...rest, RW: m.RW && isReadWriteMode(mode), Mode: '' });
      // Provenance: remember who else came to use the volume, and through which container.
      const vol = m.Type === 'volume' && m.Name ? deps.volumes.get(m.Name) : undefined;
      if (vol) {
        vol.Provenance.sharedVia = [...(vol.Provenance.sharedVia ?? []), `${input.containerId.slice(0, 12)} <- ${container}`];
        await deps.volumes.save(vol);
      }
    }
  }
  const requests = [
    ...(input.binds ?? []).map((b) => ({ r: parseBind(b), by: '-v' })),
    ...(input.mounts ?? []).map((m) => ({ r: parseApiMount(m), by: '--mount' })),
  ];
  const tmpfsDests = new Set(parseTmpfsFlags(input.tmpfs).map((t) => t.destination));
  const seen = new Set<string>(tmpfsDests);
  for (const { r } of requests) {
    if (seen.has(r.destination)) throw invalidParameter(`Duplicate mount point: ${r.destination}`);
    seen.add(r.destination);
  }
  for (const { r, by } of requests) {
    const m = await fromRequest(r, input, deps, by);
    // A local volume named in Binds or Mounts shows mode `z` when none was given (Docker's setBindModeIfNull).
    if (m.Type === 'volume' && m.Mode === '') m.Mode = 'z';
    byDest.set(r.destination, m);
  }
  const anon = [
    ...input.imageVolumes.map((p) => ({ p, by: 'image VOLUME' })),
    ...input.requestVolumes.map((p) => ({ p, by: '-v' })),
  ];
  for (const { p, by } of anon) {
    const r = anonymousVolume(p);
    if (byDest.has(r.destination) || tmpfsDests.has(r.destination)) continue;
    byDest.set(r.destination, await fromRequest(r, input, deps, by));
  }
  return [...byDest.values()];
}

/** The inspect view of a mount (internal fields dropped; binds carry no Name or Driver). */
export function mountView(m: MountPoint): Record<string, unknown> {
  if (m.Type === 'tmpfs') return { Type: 'tmpfs', Source: '', Destination: m.Destination, Mode: '', RW: m.RW, Propagation: '' };
  if (m.Type === 'bind') return { Type: 'bind', Source: m.Source, Destination: m.Destination, Mode: m.Mode, RW: m.RW, Propagation: m.Propagation };
  return { Type: 'volume', Name: m.Name, Source: m.Source, Destination: m.Destination, Driver: m.Driver ?? 'local', Mode: m.Mode, RW: m.RW, Propagation: '' };
}

/** The list view (`GET /containers/json`) shows volumes without their source. */
export function listMountView(m: MountPoint): Record<string, unknown> {
  return m.Type === 'volume' ? { ...mountView(m), Source: '' } : mountView(m);
}

/** The `--tmpfs` mounts of a container, as mount points for the start (never shown by inspect). */
export function tmpfsMountPoints(tmpfs: Record<string, string> | null | undefined): MountPoint[] {
  return parseTmpfsFlags(tmpfs).map((t) => ({
    Type: 'tmpfs', Source: '', Destination: t.destination, Mode: '', RW: !t.data.split(',').includes('ro'), Propagation: '', TmpfsData: t.data,
  }));
}
