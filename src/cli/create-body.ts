/**
 * `run`/`create` options and the `POST /containers/create` body the docker CLI 28.2 builds from
 * them: the full Config, HostConfig and NetworkingConfig with the same keys, order and defaults.
 * Pure: the environment and env-file contents are passed in.
 */
import { parseExposeSpec, parsePortSpec, SpecError, type PortBinding } from './port-spec.js';
import { normalizeCapFlags, type DeviceMapping } from './security-flags.js';

/** The typed options of `wharf run` / `wharf create`. */
export interface ContainerCreateOptions {
  image: string;
  command: string[];
  name?: string;
  detach: boolean;
  interactive: boolean;
  tty: boolean;
  /** `-a` streams for create/run; empty means the default (stdout+stderr, stdin with -i). */
  attach: string[];
  autoRemove: boolean;
  env: string[];
  /** Contents of each `--env-file`, in order. */
  envFiles: string[];
  workdir: string;
  user: string;
  entrypoint?: string;
  hostname: string;
  expose: string[];
  publish: string[];
  publishAll: boolean;
  links: string[];
  volumes: string[];
  volumesFrom: string[];
  labels: string[];
  memory: number;
  nanoCpus: number;
  pidsLimit: number;
  network: string;
  restart: string;
  addHosts: string[];
  /** Terminal size [height, width] when -t runs on a terminal, else [0, 0]. */
  consoleSize: [number, number];
  capAdd: string[];
  capDrop: string[];
  privileged: boolean;
  /** `--device`, parsed (security-flags.ts). */
  devices: DeviceMapping[];
  deviceCgroupRules: string[];
  /** `--security-opt` as sent (null: none given): a seccomp file already replaced by its content. */
  securityOpt: string[] | null;
  /** `--security-opt systempaths=unconfined`: empty MaskedPaths and ReadonlyPaths. */
  unconfinedPaths: boolean;
}

/** The defaults for every option, for building options objects in code and tests. */
export function defaultCreateOptions(image: string, command: string[] = []): ContainerCreateOptions {
  return {
    image, command, detach: false, interactive: false, tty: false, attach: [], autoRemove: false,
    env: [], envFiles: [], workdir: '', user: '', hostname: '', expose: [], publish: [],
    publishAll: false, links: [], volumes: [], volumesFrom: [], labels: [], memory: 0, nanoCpus: 0,
    pidsLimit: 0, network: 'default', restart: '', addHosts: [], consoleSize: [0, 0],
    capAdd: [], capDrop: [], privileged: false, devices: [], deviceCgroupRules: [], securityOpt: null, unconfinedPaths: false,
  };
}

/** Parses `--restart` ("no", "always", "unless-stopped", "on-failure[:N]"). */
export function parseRestartPolicy(text: string): { Name: string; MaximumRetryCount: number } {
  if (!text) return { Name: 'no', MaximumRetryCount: 0 };
  const [name = '', count, extra] = text.split(':');
  if (extra !== undefined) throw new SpecError(`invalid restart policy format: ${text}`);
  if (!['no', 'always', 'unless-stopped', 'on-failure'].includes(name)) {
    throw new SpecError(`invalid restart policy: unknown policy '${name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`);
  }
  if (count === undefined) return { Name: name, MaximumRetryCount: 0 };
  if (name !== 'on-failure') {
    throw new SpecError(`invalid restart policy: maximum retry count can only be used with 'on-failure'`);
  }
  if (!/^\d+$/.test(count)) throw new SpecError(`invalid restart policy format: maximum retry count must be an integer`);
  return { Name: name, MaximumRetryCount: Number(count) };
}

/** Resolves `-e`/`--env-file` entries: `K=V` as typed, a bare `K` from the environment (dropped if unset). */
export function resolveEnv(
  envFiles: string[],
  env: string[],
  lookup: (key: string) => string | undefined,
): string[] {
  const out: string[] = [];
  const add = (entry: string) => {
    const eq = entry.indexOf('=');
    const key = eq < 0 ? entry : entry.slice(0, eq);
    if (key === '') throw new SpecError(`invalid environment variable: ${entry}`);
    if (/\s/.test(key)) throw new SpecError(`variable '${key}' contains whitespaces`);
    if (eq >= 0) out.push(entry);
    else {
      const value = lookup(key);
      if (value !== undefined) out.push(`${key}=${value}`);
    }
  };
  for (const file of envFiles) {
    for (const raw of file.split(/\r?\n/)) {
      const line = raw.replace(/^\s+/, '');
      if (line === '' || line.startsWith('#')) continue;
      add(line);
    }
  }
  env.forEach(add);
  return out;
}

/** True when a `-v` value names a source (bind or named volume) rather than an anonymous volume. */
function hasVolumeSource(spec: string): boolean {
  const parts = spec.split(':');
  if (parts.length === 1) return false;
  if (parts.length === 2 && /^(ro|rw|z|Z|nocopy|r?shared|r?slave|r?private|delegated|cached|consistent)(,.*)?$/.test(parts[1]!)) {
    return false;
  }
  return true;
}

const EMPTY_ENDPOINT = {
  IPAMConfig: null, Links: null, Aliases: null, MacAddress: '', DriverOpts: null, GwPriority: 0,
  NetworkID: '', EndpointID: '', Gateway: '', IPAddress: '', IPPrefixLen: 0, IPv6Gateway: '',
  GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, DNSNames: null,
};

/** Builds the create body exactly as the docker CLI sends it. `resolvedEnv` comes from resolveEnv. */
export function buildCreateBody(o: ContainerCreateOptions, resolvedEnv: string[]): Record<string, unknown> {
  if (o.autoRemove && o.restart && o.restart !== 'no') {
    throw new SpecError('conflicting options: cannot specify both --restart and --rm');
  }
  const exposed: Record<string, Record<string, never>> = {};
  const bindings: Record<string, PortBinding[]> = {};
  for (const spec of o.publish) {
    for (const m of parsePortSpec(spec)) {
      exposed[m.port] = {};
      (bindings[m.port] ??= []).push(m.binding);
    }
  }
  for (const spec of o.expose) for (const port of parseExposeSpec(spec)) exposed[port] = {};
  const binds: string[] = [];
  const volumes: Record<string, Record<string, never>> = {};
  for (const spec of o.volumes) {
    if (hasVolumeSource(spec)) binds.push(spec);
    else volumes[spec] = {};
  }
  const labels: Record<string, string> = {};
  for (const l of o.labels) {
    const eq = l.indexOf('=');
    labels[eq < 0 ? l : l.slice(0, eq)] = eq < 0 ? '' : l.slice(eq + 1);
  }
  const attach = new Set(o.attach.map((s) => s.toLowerCase()));
  const attachDefault = attach.size === 0 && !o.detach;
  const attachStdin = attach.has('stdin') || (attachDefault && o.interactive);
  let entrypoint: string[] | null = null;
  if (o.entrypoint !== undefined) entrypoint = [o.entrypoint];
  const body: Record<string, unknown> = {
    Hostname: o.hostname,
    Domainname: '',
    User: o.user,
    AttachStdin: attachStdin,
    AttachStdout: attach.has('stdout') || attachDefault,
    AttachStderr: attach.has('stderr') || attachDefault,
  };
  if (Object.keys(exposed).length) body['ExposedPorts'] = exposed;
  Object.assign(body, {
    Tty: o.tty,
    OpenStdin: o.interactive,
    StdinOnce: attachStdin,
    Env: resolvedEnv.length ? resolvedEnv : null,
    Cmd: o.command.length ? o.command : null,
    Image: o.image,
    Volumes: volumes,
    WorkingDir: o.workdir,
    Entrypoint: entrypoint,
    OnBuild: null,
    Labels: labels,
    HostConfig: buildHostConfig(o, binds, bindings),
    NetworkingConfig: { EndpointsConfig: o.network === 'default' ? { default: { ...EMPTY_ENDPOINT } } : {} },
  });
  return body;
}

function buildHostConfig(
  o: ContainerCreateOptions,
  binds: string[],
  bindings: Record<string, PortBinding[]>,
): Record<string, unknown> {
  return {
    Binds: binds.length ? binds : null,
    ContainerIDFile: '',
    LogConfig: { Type: '', Config: {} },
    NetworkMode: o.network,
    PortBindings: bindings,
    RestartPolicy: parseRestartPolicy(o.restart),
    AutoRemove: o.autoRemove,
    VolumeDriver: '',
    VolumesFrom: o.volumesFrom.length ? o.volumesFrom : null,
    ConsoleSize: o.consoleSize,
    CapAdd: o.capAdd.length ? normalizeCapFlags(o.capAdd) : null,
    CapDrop: o.capDrop.length ? normalizeCapFlags(o.capDrop) : null,
    CgroupnsMode: '', Dns: [], DnsOptions: [], DnsSearch: [],
    ExtraHosts: o.addHosts.length ? o.addHosts : null,
    GroupAdd: null, IpcMode: '', Cgroup: '',
    Links: o.links.length ? o.links : null,
    OomScoreAdj: 0, PidMode: '', Privileged: o.privileged,
    PublishAllPorts: o.publishAll,
    ReadonlyRootfs: false, SecurityOpt: o.securityOpt, UTSMode: '', UsernsMode: '', ShmSize: 0, Isolation: '',
    CpuShares: 0,
    Memory: o.memory,
    NanoCpus: o.nanoCpus,
    CgroupParent: '', BlkioWeight: 0, BlkioWeightDevice: [], BlkioDeviceReadBps: [], BlkioDeviceWriteBps: [],
    BlkioDeviceReadIOps: [], BlkioDeviceWriteIOps: [], CpuPeriod: 0, CpuQuota: 0, CpuRealtimePeriod: 0,
    CpuRealtimeRuntime: 0, CpusetCpus: '', CpusetMems: '', Devices: o.devices,
    DeviceCgroupRules: o.deviceCgroupRules.length ? o.deviceCgroupRules : null,
    DeviceRequests: null, MemoryReservation: 0, MemorySwap: 0, MemorySwappiness: -1, OomKillDisable: false,
    PidsLimit: o.pidsLimit,
    Ulimits: [], CpuCount: 0, CpuPercent: 0, IOMaximumIOps: 0, IOMaximumBandwidth: 0,
    MaskedPaths: o.unconfinedPaths ? [] : null, ReadonlyPaths: o.unconfinedPaths ? [] : null,
  };
}

/** Parses `--cpus` ("1.5") into NanoCpus. */
export function parseCpus(text: string): number {
  if (!/^\d*\.?\d+$/.test(text)) throw new Error(`failed to parse ${text} as a rational number`);
  return Math.round(Number(text) * 1e9);
}
