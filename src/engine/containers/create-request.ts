/**
 * Turns a `POST /containers/create` body plus the image's config into a container record. Pure.
 */
import { invalidParameter } from '../../errors.js';
import { securityRecordDefaults, validateSecurityConfig } from './security-options.js';
import {
  createdState,
  type ContainerConfig,
  type CreateBody,
  type ContainerRecord,
  type HostConfig,
  type LinkRef,
  type RestartPolicy,
} from './container-record.js';
import { checkCreateLimits } from './create-limits.js';

/** The parts of an image's config a container inherits. */
export interface ImageRuntimeConfig {
  Env?: string[] | null;
  Cmd?: string[] | null;
  Entrypoint?: string[] | null;
  WorkingDir?: string;
  User?: string;
  ExposedPorts?: Record<string, object> | null;
  Volumes?: Record<string, object> | null;
  Labels?: Record<string, string> | null;
  StopSignal?: string;
}

export type { CreateBody } from './container-record.js';

export interface CreateInput {
  id: string;
  name: string;
  created: string;
  body: CreateBody;
  image: { id: string; config: ImageRuntimeConfig };
  links: LinkRef[];
}

const envKey = (e: string) => (e.includes('=') ? e.slice(0, e.indexOf('=')) : e);

/** Request variables first, then image variables the request does not override. */
export function mergeEnv(request: string[] | null | undefined, image: string[] | null | undefined): string[] | null {
  const req = request ?? [];
  const keys = new Set(req.map(envKey));
  const merged = [...req, ...(image ?? []).filter((e) => !keys.has(envKey(e)))];
  return merged.length ? merged : null;
}

function validateRestart(policy: Partial<RestartPolicy> | undefined, autoRemove: boolean): RestartPolicy {
  const name = (policy?.Name ?? '') as RestartPolicy['Name'];
  const max = policy?.MaximumRetryCount ?? 0;
  if (!['', 'no', 'always', 'unless-stopped', 'on-failure'].includes(name)) {
    throw invalidParameter(`invalid restart policy '${name}'`);
  }
  if (max < 0) throw invalidParameter('invalid restart policy: maximum retry count cannot be negative');
  if (max > 0 && name !== 'on-failure') {
    throw invalidParameter(`invalid restart policy: maximum retry count can only be used with 'on-failure'`);
  }
  if (autoRemove && name !== '' && name !== 'no') {
    throw invalidParameter(`can't create 'AutoRemove' container with restart policy`);
  }
  return { Name: name, MaximumRetryCount: max };
}

function arrayOrNull(v: unknown, field: string): string[] | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalidParameter(`${field} must be a list of strings`);
  return v as string[];
}

/** Builds the record; throws InvalidParameter with Docker's wording for bad bodies. */
export function buildContainerRecord(input: CreateInput, ncpu = 2): ContainerRecord {
  const b = input.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw invalidParameter('config cannot be empty in order to create a container');
  const img = input.image.config;
  const requestCmd = arrayOrNull(b.Cmd, 'Cmd');
  const requestEntrypoint = arrayOrNull(b.Entrypoint, 'Entrypoint');
  const entrypoint = requestEntrypoint !== null ? requestEntrypoint : (img.Entrypoint ?? null);
  // An explicit entrypoint (even [""]) resets the image's Cmd, as Docker does.
  const cmd = requestCmd && requestCmd.length ? requestCmd : requestEntrypoint !== null ? null : (img.Cmd ?? null);
  const effectiveEntrypoint = entrypoint && !(entrypoint.length === 1 && entrypoint[0] === '') ? entrypoint : [];
  const argv = [...effectiveEntrypoint, ...(cmd ?? [])];
  if (argv.length === 0) throw invalidParameter('No command specified');
  const h = b.HostConfig ?? {};
  checkCreateLimits(b, ncpu);
  validateSecurityConfig(h);
  const autoRemove = !!h.AutoRemove;
  const exposed: Record<string, object> = { ...(img.ExposedPorts ?? {}), ...(b.ExposedPorts ?? {}) };
  for (const key of Object.keys(b.HostConfig?.PortBindings ?? {})) exposed[key.includes('/') ? key : `${key}/tcp`] ??= {};
  const volumes = { ...(img.Volumes ?? {}), ...(b.Volumes ?? {}) };
  const config: ContainerConfig = {
    ...b,
    Hostname: b.Hostname || input.id.slice(0, 12),
    Domainname: b.Domainname ?? '',
    User: b.User || img.User || '',
    AttachStdin: !!b.AttachStdin,
    AttachStdout: !!b.AttachStdout,
    AttachStderr: !!b.AttachStderr,
    ...(Object.keys(exposed).length ? { ExposedPorts: exposed } : {}),
    Tty: !!b.Tty,
    OpenStdin: !!b.OpenStdin,
    StdinOnce: !!b.StdinOnce,
    Env: mergeEnv(arrayOrNull(b.Env, 'Env'), img.Env),
    Cmd: cmd,
    Image: b.Image!,
    Volumes: Object.keys(volumes).length ? volumes : null,
    WorkingDir: b.WorkingDir || img.WorkingDir || '',
    Entrypoint: entrypoint,
    OnBuild: null,
    Labels: { ...(img.Labels ?? {}), ...(b.Labels ?? {}) },
    ...(b.StopSignal || img.StopSignal ? { StopSignal: b.StopSignal || img.StopSignal } : {}),
  };
  delete (config as Record<string, unknown>).HostConfig;
  delete (config as Record<string, unknown>).NetworkingConfig;
  const hostConfig: HostConfig = {
    ...h,
    Binds: arrayOrNull(h.Binds, 'Binds'),
    NetworkMode: !h.NetworkMode || h.NetworkMode === 'bridge' ? (h.NetworkMode || 'default') : h.NetworkMode,
    PortBindings: h.PortBindings ?? {},
    RestartPolicy: validateRestart(h.RestartPolicy, autoRemove),
    AutoRemove: autoRemove,
    VolumesFrom: arrayOrNull(h.VolumesFrom, 'VolumesFrom'),
    Links: null,
    PublishAllPorts: !!h.PublishAllPorts,
    Memory: h.Memory ?? 0,
    NanoCpus: h.NanoCpus ?? 0,
    PidsLimit: h.PidsLimit ?? null,
    ReadonlyRootfs: !!h.ReadonlyRootfs,
    ExtraHosts: arrayOrNull(h.ExtraHosts, 'ExtraHosts'),
    LogConfig: { Type: 'json-file', Config: {} },
    ...securityRecordDefaults(h),
  };
  return {
    id: input.id,
    name: input.name,
    created: input.created,
    path: argv[0]!,
    args: argv.slice(1),
    image: b.Image!,
    imageId: input.image.id,
    config,
    hostConfig,
    state: createdState(),
    restartCount: 0,
    links: input.links,
    manuallyStopped: false,
  };
}
