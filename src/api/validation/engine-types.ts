/**
 * The Engine API 1.41 request types that Wharf takes as JSON bodies, as schemas. Field names and
 * Go types follow moby's `api/types` of Docker 20.10 (container.Config, container.HostConfig with
 * its Resources, mount.Mount, network.NetworkingConfig, types.ExecConfig, ExecStartCheck,
 * volume.VolumeCreateBody). Fields Wharf does not use are listed too: Docker takes them, so they
 * must be well typed, and nothing of another type may reach a stored record.
 */
import {
  arrayOf, bool, boolPtr, emptyStructMap, int64, int64Ptr, mapOf, str, stringMap, strings, strslice, struct,
  uint16, uint32, uint64, type Schema,
} from './schema.js';

/** container.HealthConfig (durations are int64 nanoseconds). */
const healthConfig = struct({ Test: strings, Interval: int64, Timeout: int64, StartPeriod: int64, Retries: int64 }, true);

/** container.Config: the part of the create body that is not HostConfig. */
export const containerConfigFields: Record<string, Schema> = {
  Hostname: str, Domainname: str, User: str,
  AttachStdin: bool, AttachStdout: bool, AttachStderr: bool,
  ExposedPorts: emptyStructMap,
  Tty: bool, OpenStdin: bool, StdinOnce: bool,
  Env: strings, Cmd: strslice, Healthcheck: healthConfig, ArgsEscaped: bool,
  Image: str, Volumes: emptyStructMap, WorkingDir: str, Entrypoint: strslice,
  NetworkDisabled: bool, MacAddress: str, OnBuild: strings, Labels: stringMap,
  StopSignal: str, StopTimeout: int64Ptr, Shell: strslice,
};

const weightDevice = struct({ Path: str, Weight: uint16 }, true);
const throttleDevice = struct({ Path: str, Rate: uint64 }, true);

/** container.Resources (embedded in HostConfig). */
const resourcesFields: Record<string, Schema> = {
  CpuShares: int64, Memory: int64, NanoCpus: int64, CgroupParent: str,
  BlkioWeight: uint16, BlkioWeightDevice: arrayOf(weightDevice),
  BlkioDeviceReadBps: arrayOf(throttleDevice), BlkioDeviceWriteBps: arrayOf(throttleDevice),
  BlkioDeviceReadIOps: arrayOf(throttleDevice), BlkioDeviceWriteIOps: arrayOf(throttleDevice),
  CpuPeriod: int64, CpuQuota: int64, CpuRealtimePeriod: int64, CpuRealtimeRuntime: int64,
  CpusetCpus: str, CpusetMems: str,
  Devices: arrayOf(struct({ PathOnHost: str, PathInContainer: str, CgroupPermissions: str })),
  DeviceCgroupRules: strings,
  DeviceRequests: arrayOf(struct({ Driver: str, Count: int64, DeviceIDs: strings, Capabilities: arrayOf(strings), Options: stringMap })),
  KernelMemory: int64, KernelMemoryTCP: int64, MemoryReservation: int64, MemorySwap: int64,
  MemorySwappiness: int64Ptr, OomKillDisable: boolPtr, PidsLimit: int64Ptr,
  Ulimits: arrayOf(struct({ Name: str, Hard: int64, Soft: int64 }, true)),
  CpuCount: int64, CpuPercent: int64, IOMaximumIOps: uint64, IOMaximumBandwidth: uint64,
};

/** mount.Mount (`HostConfig.Mounts`, `--mount`). */
const mount = struct({
  Type: str, Source: str, Target: str, ReadOnly: bool, Consistency: str,
  BindOptions: struct({ Propagation: str, NonRecursive: bool }, true),
  VolumeOptions: struct({ NoCopy: bool, Labels: stringMap, DriverConfig: struct({ Name: str, Options: stringMap }, true) }, true),
  TmpfsOptions: struct({ SizeBytes: int64, Mode: uint32 }, true),
});

/** container.HostConfig. */
export const hostConfig: Schema = struct({
  Binds: strings, ContainerIDFile: str,
  LogConfig: struct({ Type: str, Config: stringMap }),
  NetworkMode: str,
  PortBindings: mapOf(arrayOf(struct({ HostIp: str, HostPort: str }))),
  RestartPolicy: struct({ Name: str, MaximumRetryCount: int64 }),
  AutoRemove: bool, VolumeDriver: str, VolumesFrom: strings,
  CapAdd: strslice, CapDrop: strslice, CgroupnsMode: str,
  Dns: strings, DnsOptions: strings, DnsSearch: strings, ExtraHosts: strings, GroupAdd: strings,
  IpcMode: str, Cgroup: str, Links: strings, OomScoreAdj: int64, PidMode: str,
  Privileged: bool, PublishAllPorts: bool, ReadonlyRootfs: bool, SecurityOpt: strings,
  StorageOpt: stringMap, Tmpfs: stringMap, UTSMode: str, UsernsMode: str, ShmSize: int64,
  Sysctls: stringMap, Runtime: str, ConsoleSize: arrayOf(uint64), Isolation: str,
  ...resourcesFields,
  Mounts: arrayOf(mount), MaskedPaths: strings, ReadonlyPaths: strings, Init: boolPtr,
}, true);

/** network.EndpointSettings. */
const endpointSettings = struct({
  IPAMConfig: struct({ IPv4Address: str, IPv6Address: str, LinkLocalIPs: strings }, true),
  Links: strings, Aliases: strings, NetworkID: str, EndpointID: str, Gateway: str, IPAddress: str,
  IPPrefixLen: int64, IPv6Gateway: str, GlobalIPv6Address: str, GlobalIPv6PrefixLen: int64,
  MacAddress: str, DriverOpts: stringMap,
}, true);

/** `POST /containers/create`: Config with HostConfig and NetworkingConfig beside it. */
export const containerCreateBody: Schema = struct({
  ...containerConfigFields,
  HostConfig: hostConfig,
  NetworkingConfig: struct({ EndpointsConfig: mapOf(endpointSettings) }, true),
}, true);

/** `POST /commit`: the image's new container.Config. */
export const commitBody: Schema = struct(containerConfigFields, true);

/** `POST /containers/{id}/exec`: types.ExecConfig (its Cmd is a plain []string). */
export const execCreateBody: Schema = struct({
  User: str, Privileged: bool, Tty: bool, AttachStdin: bool, AttachStderr: bool, AttachStdout: bool,
  Detach: bool, DetachKeys: str, Env: strings, WorkingDir: str, Cmd: strings,
}, true);

/** `POST /exec/{id}/start`: types.ExecStartCheck. */
export const execStartBody: Schema = struct({ Detach: bool, Tty: bool }, true);

/** `POST /volumes/create`: volume.VolumeCreateBody. */
export const volumeCreateBody: Schema = struct({ Name: str, Driver: str, DriverOpts: stringMap, Labels: stringMap }, true);
