/**
 * Renders container records as the Engine API shows them: inspect (`GET /containers/{id}/json`)
 * and list entries (`GET /containers/json`). Pure.
 */
import type { ContainerRecord, NetworkEndpoint } from './container-record.js';
import { portsView, listPortsView } from '../ports/port-plan.js';
import { mountView, listMountView } from '../volumes/mount-point.js';

export interface ViewContext {
  /** Normalised HostConfig.Links. */
  links: string[] | null;
  /** Own name plus link names. */
  names: string[];
  paths: { logPath: string; hostsPath: string; hostnamePath: string; resolvConfPath: string; upperDir: string; workDir: string; mergedDir: string };
  network: { name: string; networkId: string };
  now: Date;
}

function endpointView(ep: NetworkEndpoint | undefined, networkId: string) {
  return {
    IPAMConfig: null, Links: null, Aliases: null, NetworkID: networkId, EndpointID: ep?.endpointId ?? '',
    Gateway: ep?.gateway ?? '', IPAddress: ep?.ipAddress ?? '', IPPrefixLen: ep?.prefixLen ?? 0, IPv6Gateway: '',
    GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, MacAddress: ep?.macAddress ?? '', DriverOpts: null,
  };
}

function networkName(rec: ContainerRecord): string {
  const m = rec.hostConfig.NetworkMode;
  return m === 'default' || m === 'bridge' || m === '' ? 'bridge' : m;
}

/** `NetworkSettings.Ports` of a running container; `{}` otherwise. */
function portsOf(rec: ContainerRecord): ReturnType<typeof portsView> {
  if (!rec.state.Running) return {};
  return portsView(Object.keys(rec.config.ExposedPorts ?? {}), rec.ports ?? []);
}

/** `GET /containers/{id}/json`. */
export function inspectView(rec: ContainerRecord, ctx: ViewContext): Record<string, unknown> {
  const ep = rec.endpoint;
  const net = networkName(rec);
  return {
    Id: rec.id,
    Created: rec.created,
    Path: rec.path,
    Args: rec.args,
    State: rec.state,
    Image: rec.imageId,
    ResolvConfPath: ctx.paths.resolvConfPath,
    HostnamePath: ctx.paths.hostnamePath,
    HostsPath: ctx.paths.hostsPath,
    LogPath: ctx.paths.logPath,
    Name: rec.name,
    RestartCount: rec.restartCount,
    Driver: 'overlay2',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: null,
    HostConfig: { ...rec.hostConfig, Links: ctx.links },
    GraphDriver: {
      Data: { LowerDir: '', MergedDir: ctx.paths.mergedDir, UpperDir: ctx.paths.upperDir, WorkDir: ctx.paths.workDir },
      Name: 'overlay2',
    },
    Mounts: (rec.mounts ?? []).map(mountView),
    Config: rec.config,
    NetworkSettings: {
      Bridge: '', SandboxID: ep ? ep.endpointId : '', HairpinMode: false, LinkLocalIPv6Address: '', LinkLocalIPv6PrefixLen: 0,
      Ports: portsOf(rec), SandboxKey: ep?.sandboxKey ?? '', SecondaryIPAddresses: null, SecondaryIPv6Addresses: null,
      EndpointID: ep?.endpointId ?? '', Gateway: ep?.gateway ?? '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0,
      IPAddress: ep?.ipAddress ?? '', IPPrefixLen: ep?.prefixLen ?? 0, IPv6Gateway: '', MacAddress: ep?.macAddress ?? '',
      Networks: net === 'bridge' || net === 'host' || net === 'none' ? { [net]: endpointView(ep, ctx.network.networkId) } : {},
    },
  };
}

/** Docker's human durations: "Less than a second", "3 seconds", "About a minute", "2 hours". */
export function humanDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 1) return 'Less than a second';
  if (s === 1) return '1 second';
  if (s < 60) return `${s} seconds`;
  const m = Math.round(seconds / 60);
  if (m === 1) return 'About a minute';
  if (m < 60) return `${m} minutes`;
  const h = Math.round(seconds / 3600);
  if (h === 1) return 'About an hour';
  if (h < 48) return `${h} hours`;
  const d = Math.round(seconds / 86400);
  if (d < 14) return `${d} days`;
  if (d < 60) return `${Math.round(d / 7)} weeks`;
  if (d < 730) return `${Math.round(d / 30)} months`;
  return `${Math.round(d / 365)} years`;
}

/** The list `Status` text. */
export function statusText(rec: ContainerRecord, now: Date): string {
  const st = rec.state;
  const since = (iso: string) => (now.getTime() - Date.parse(iso)) / 1000;
  if (st.Restarting) return `Restarting (${st.ExitCode}) ${humanDuration(since(st.FinishedAt))} ago`;
  if (st.Running) return `Up ${humanDuration(since(st.StartedAt))}${st.Paused ? ' (Paused)' : ''}`;
  if (st.Status === 'created' || st.FinishedAt.startsWith('0001')) return 'Created';
  return `Exited (${st.ExitCode}) ${humanDuration(since(st.FinishedAt))} ago`;
}

/** Docker's list `Command`: the argv joined with spaces. */
export function commandText(rec: ContainerRecord): string {
  return [rec.path, ...rec.args].join(' ');
}

/** One element of `GET /containers/json`. */
export function listView(rec: ContainerRecord, ctx: ViewContext): Record<string, unknown> {
  const ports = rec.state.Running ? listPortsView(Object.keys(rec.config.ExposedPorts ?? {}), rec.ports ?? []) : [];
  const net = networkName(rec);
  return {
    Id: rec.id,
    Names: ctx.names,
    Image: rec.image,
    ImageID: rec.imageId,
    Command: commandText(rec),
    Created: Math.floor(Date.parse(rec.created) / 1000),
    Ports: ports,
    Labels: rec.config.Labels ?? {},
    State: rec.state.Status,
    Status: statusText(rec, ctx.now),
    HostConfig: { NetworkMode: rec.hostConfig.NetworkMode },
    NetworkSettings: { Networks: { [net]: endpointView(rec.endpoint, ctx.network.networkId) } },
    Mounts: (rec.mounts ?? []).map(listMountView),
  };
}
