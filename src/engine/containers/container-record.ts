/**
 * The persisted record of a container, in Docker's vocabulary. `config` and `hostConfig` keep the
 * Engine API shapes (Config, HostConfig) so inspect can return them as they are.
 */

import type { ActiveBinding } from '../ports/port-plan.js';
import type { MountPoint } from '../volumes/mount-point.js';

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

/** Docker's container Config (the fields Wharf uses; unknown ones are kept as given). */
export interface ContainerConfig {
  Hostname: string;
  Domainname: string;
  User: string;
  AttachStdin: boolean;
  AttachStdout: boolean;
  AttachStderr: boolean;
  ExposedPorts?: Record<string, object>;
  Tty: boolean;
  OpenStdin: boolean;
  StdinOnce: boolean;
  Env: string[] | null;
  Cmd: string[] | null;
  Image: string;
  Volumes: Record<string, object> | null;
  WorkingDir: string;
  Entrypoint: string[] | null;
  OnBuild: string[] | null;
  Labels: Record<string, string>;
  StopSignal?: string;
  StopTimeout?: number;
  [key: string]: unknown;
}

export interface RestartPolicy {
  Name: '' | 'no' | 'always' | 'unless-stopped' | 'on-failure';
  MaximumRetryCount: number;
}

export interface PortBinding {
  HostIp: string;
  HostPort: string;
}

/** Docker's HostConfig (the fields Wharf uses; unknown ones are kept as given). */
export interface HostConfig {
  Binds: string[] | null;
  NetworkMode: string;
  PortBindings: Record<string, PortBinding[]>;
  RestartPolicy: RestartPolicy;
  AutoRemove: boolean;
  VolumesFrom: string[] | null;
  Links: string[] | null;
  PublishAllPorts: boolean;
  Memory: number;
  NanoCpus: number;
  PidsLimit: number | null;
  ReadonlyRootfs: boolean;
  ExtraHosts: string[] | null;
  LogConfig: { Type: string; Config: Record<string, string> };
  /** Security fields, kept as given (engine/containers/security-options.ts reads them). */
  CapAdd?: string[] | null;
  CapDrop?: string[] | null;
  Privileged?: boolean;
  SecurityOpt?: string[] | null;
  Devices?: { PathOnHost: string; PathInContainer: string; CgroupPermissions: string }[] | null;
  DeviceCgroupRules?: string[] | null;
  [key: string]: unknown;
}

export interface ContainerState {
  Status: ContainerStatus;
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
}

/** Where a running container is attached to the bridge. */
export interface NetworkEndpoint {
  ipAddress: string;
  prefixLen: number;
  gateway: string;
  macAddress: string;
  endpointId: string;
  networkId: string;
  sandboxKey: string;
  netnsPath?: string;
}

/** A link as stored: source id + alias; names are looked up when rendered (they follow renames). */
export interface LinkRef {
  sourceId: string;
  alias: string;
}

export interface ContainerRecord {
  id: string;
  /** With the leading slash, as Docker stores it. */
  name: string;
  created: string;
  path: string;
  args: string[];
  /** The image reference the user gave. */
  image: string;
  imageId: string;
  config: ContainerConfig;
  hostConfig: HostConfig;
  state: ContainerState;
  restartCount: number;
  links: LinkRef[];
  endpoint?: NetworkEndpoint;
  /** PID of the daemonised conmon of the current run. */
  conmonPid?: number;
  /** Set by docker stop/kill so restart policies leave the container alone. */
  manuallyStopped: boolean;
  /** The IP the container last had, kept so a restart can try to keep links stable. */
  lastIp?: string;
  /** Host ports published for the current run. */
  ports?: ActiveBinding[];
  /** Host ports of the last run: engine-chosen ports keep their number until removal. */
  lastPorts?: ActiveBinding[];
  /** Volumes and bind mounts, resolved at create. */
  mounts?: MountPoint[];
}

export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** A fresh State for a created container. */
export function createdState(): ContainerState {
  return {
    Status: 'created', Running: false, Paused: false, Restarting: false, OOMKilled: false, Dead: false,
    Pid: 0, ExitCode: 0, Error: '', StartedAt: ZERO_TIME, FinishedAt: ZERO_TIME,
  };
}

/** What a start changes in a record. `pid` 0: not known yet (the record is written ahead). */
export interface RunFacts {
  startedAt: string;
  pid: number;
  conmonPid?: number | undefined;
  endpoint: NetworkEndpoint | undefined;
  active: ActiveBinding[];
  byPolicy: boolean;
}

/** A copy of `rec` as it is once the run described by `run` has started. Pure. */
export function runningRecord(rec: ContainerRecord, run: RunFacts): ContainerRecord {
  const next: ContainerRecord = {
    ...rec,
    state: {
      ...rec.state,
      Status: 'running', Running: true, Paused: false, Restarting: false, OOMKilled: false, Dead: false,
      Pid: run.pid, ExitCode: 0, Error: '', StartedAt: run.startedAt,
      FinishedAt: rec.state.FinishedAt || ZERO_TIME,
    },
    endpoint: run.endpoint,
    conmonPid: run.conmonPid,
    ports: run.active,
    manuallyStopped: run.byPolicy ? rec.manuallyStopped : false,
  };
  if (run.active.length) next.lastPorts = run.active;
  return next;
}

/** A `POST /containers/create` body, as checked at the door (see api/validation/). */
export type CreateBody = Partial<ContainerConfig> & {
  HostConfig?: Partial<HostConfig>;
  NetworkingConfig?: unknown;
};
