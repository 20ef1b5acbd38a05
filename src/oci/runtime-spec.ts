/**
 * Builds the OCI runtime config (config.json) for a container. Pure: the caller supplies every
 * fact (host capability set, paths, limits), this returns data.
 */

import { DEFAULT_CAPS } from './capabilities.js';
import type { OciSeccomp } from './seccomp/seccomp-profile.js';

/** A device node to create in the container's /dev (OCI `linux.devices`). */
export interface SpecDevice {
  path: string;
  type: 'c' | 'b' | 'p';
  major: number;
  minor: number;
  /** Permission bits (with setuid/setgid/sticky). */
  fileMode: number;
  uid: number;
  gid: number;
}

/** The security part of a spec (see engine/containers/container-security.ts). */
export interface SpecSecurity {
  /** Bounding, effective and permitted capabilities (Docker 20.10 leaves inheritable empty). */
  caps: string[];
  noNewPrivileges: boolean;
  /** The OCI seccomp section; none: unconfined. */
  seccomp?: OciSeccomp;
  /** No masked or read-only paths, /sys and the cgroup mount read-write. */
  privileged: boolean;
  /** HostConfig.MaskedPaths/ReadonlyPaths when set (`systempaths=unconfined`: empty); else Docker's. */
  maskedPaths?: readonly string[];
  readonlyPaths?: readonly string[];
  devices: SpecDevice[];
  /** Devices-cgroup rules after the defaults (allow rules for the devices, `--device-cgroup-rule`). */
  deviceRules: { allow: boolean; type?: string; major?: number; minor?: number; access: string }[];
}

export interface SpecUser {
  uid: number;
  gid: number;
  additionalGids?: number[];
}

export interface SpecInput {
  args: string[];
  env: string[];
  cwd: string;
  user: SpecUser;
  terminal: boolean;
  hostname: string;
  /** Path of the network namespace to join; undefined = share the host's (network host). */
  netnsPath?: string;
  /** True for --network host: no network namespace at all. */
  hostNetwork: boolean;
  /** Absolute cgroup path, e.g. /wharf/<id>. */
  cgroupsPath: string;
  /** The root filesystem (absolute: the bundle lives elsewhere). */
  rootfs: string;
  /** Files to bind over /etc/hosts, /etc/hostname, /etc/resolv.conf (absolute paths). */
  etcFiles: { hosts: string; hostname: string; resolvConf: string };
  /** Host directory shown read-only at /run/wharf/links (live links). */
  liveLinksDir?: string;
  /**
   * Volume and bind mounts (rbind, `rprivate` unless `propagation` says otherwise); with `tmpfs`
   * set (its mount data, maybe ''), a tmpfs mount as Docker makes for `--mount type=tmpfs`.
   */
  binds?: { source: string; destination: string; readonly: boolean; propagation?: string; tmpfs?: string }[];
  memoryBytes?: number;
  nanoCpus?: number;
  pidsLimit?: number;
  readonlyRootfs?: boolean;
  /** Capabilities the host lets us grant (intersected with the defaults); unused with `security`. */
  allowedCaps?: Set<string>;
  /** Capabilities, seccomp, devices; without it, the default capabilities and nothing else. */
  security?: SpecSecurity;
}

/** Docker's default masked paths (bound over with /dev/null or an empty tmpfs). */
export const MASKED_PATHS: readonly string[] = [
  '/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list',
  '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware',
];
/** Docker's default read-only paths. */
export const READONLY_PATHS: readonly string[] = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

function devices(): object[] {
  const c = (major: number, minor?: number) => ({ allow: true, type: 'c', major, ...(minor === undefined ? {} : { minor }), access: 'rwm' });
  return [
    { allow: false, access: 'rwm' },
    c(1, 3), c(1, 5), c(1, 7), c(1, 8), c(1, 9), c(5, 0), c(5, 1), c(5, 2), c(136),
  ];
}

/** Returns the config.json object for runc. */
export function buildRuntimeSpec(input: SpecInput): Record<string, unknown> {
  const sec = input.security;
  const caps = sec ? sec.caps : DEFAULT_CAPS.filter((cap) => !input.allowedCaps || input.allowedCaps.has(cap));
  const privileged = !!sec?.privileged;
  const sysOptions = ['nosuid', 'noexec', 'nodev', ...(privileged ? [] : ['ro'])];
  const namespaces: object[] = [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }];
  if (!input.hostNetwork) namespaces.push({ type: 'network', ...(input.netnsPath ? { path: input.netnsPath } : {}) });
  const resources: Record<string, unknown> = { devices: [...devices(), ...(sec?.deviceRules ?? [])] };
  if (input.memoryBytes && input.memoryBytes > 0) resources.memory = { limit: input.memoryBytes, swap: input.memoryBytes * 2 };
  if (input.nanoCpus && input.nanoCpus > 0) resources.cpu = { quota: Math.round(input.nanoCpus / 1e4), period: 100000 };
  if (input.pidsLimit && input.pidsLimit > 0) resources.pids = { limit: input.pidsLimit };
  const bind = (source: string, destination: string, ro: boolean, propagation = 'rprivate') => ({
    destination,
    type: 'bind',
    source,
    options: ['rbind', propagation, ...(ro ? ['ro'] : [])],
  });
  const extraMount = (b: NonNullable<SpecInput['binds']>[number]) =>
    b.tmpfs === undefined
      ? bind(b.source, b.destination, b.readonly, b.propagation)
      : { destination: b.destination, type: 'tmpfs', source: 'tmpfs', options: ['noexec', 'nosuid', 'nodev', 'rprivate', ...(b.tmpfs ? b.tmpfs.split(',') : [])] };
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: input.terminal,
      user: { uid: input.user.uid, gid: input.user.gid, ...(input.user.additionalGids?.length ? { additionalGids: input.user.additionalGids } : {}) },
      args: input.args,
      env: input.env,
      cwd: input.cwd,
      capabilities: { bounding: caps, effective: caps, permitted: caps },
      noNewPrivileges: !!sec?.noNewPrivileges,
    },
    root: { path: input.rootfs, readonly: !!input.readonlyRootfs },
    hostname: input.hostname,
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
      { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
      { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
      { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: sysOptions },
      { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: [...sysOptions.slice(0, 3), 'relatime', ...sysOptions.slice(3)] },
      ...(input.binds ?? []).map(extraMount),
      ...(input.liveLinksDir ? [bind(input.liveLinksDir, '/run/wharf/links', true)] : []),
      bind(input.etcFiles.resolvConf, '/etc/resolv.conf', false),
      bind(input.etcFiles.hostname, '/etc/hostname', false),
      bind(input.etcFiles.hosts, '/etc/hosts', false),
    ],
    linux: {
      namespaces,
      cgroupsPath: input.cgroupsPath,
      resources,
      ...(privileged ? {} : { maskedPaths: sec?.maskedPaths ?? MASKED_PATHS, readonlyPaths: sec?.readonlyPaths ?? READONLY_PATHS }),
      ...(sec?.devices.length ? { devices: sec.devices } : {}),
      ...(sec?.seccomp ? { seccomp: sec.seccomp } : {}),
    },
  };
}
