/**
 * The security fields of a HostConfig (`SecurityOpt`, `CapAdd`/`CapDrop`, `Privileged`,
 * `Devices`, `DeviceCgroupRules`) parsed and checked with dockerd 20.10's rules and wording.
 * Pure. What is refused at create and what only at start follows dockerd.
 */
import { invalidParameter } from '../../errors.js';
import { normalizeCapabilities, UnknownCapabilityError } from '../../oci/capabilities.js';
import { MASKED_PATHS, READONLY_PATHS } from '../../oci/runtime-spec.js';

/** What `SecurityOpt` asks for. `seccomp` is `default`, `unconfined` or a profile's JSON text. */
export interface SecurityOptions {
  noNewPrivileges: boolean;
  seccomp: string;
}

/** One `HostConfig.Devices` entry. */
export interface DeviceMapping {
  PathOnHost: string;
  PathInContainer: string;
  CgroupPermissions: string;
}

/** A devices-cgroup rule as OCI writes it; no major/minor means any. */
export interface DeviceCgroupRule {
  allow: boolean;
  type?: string;
  major?: number;
  minor?: number;
  access: string;
}

/** The HostConfig fields read here. */
export interface SecurityHostConfig {
  SecurityOpt?: unknown;
  CapAdd?: unknown;
  CapDrop?: unknown;
  Privileged?: unknown;
  Devices?: unknown;
  DeviceCgroupRules?: unknown;
  MaskedPaths?: unknown;
  ReadonlyPaths?: unknown;
  IpcMode?: unknown;
  PidMode?: unknown;
}

/**
 * Parses `SecurityOpt` as dockerd 20.10 does: `no-new-privileges` (bare, or `:`/`=` with a Go
 * boolean), `seccomp=`, and `apparmor=`/`label=`/`disable`, which a host without AppArmor or
 * SELinux accepts and ignores. Anything else gets dockerd's message `invalid --security-opt N: "..."`, as a 400 (dockerd
 * answers 500: the request is at fault, not the daemon).
 */
export function parseSecurityOpt(opts: readonly string[] | null | undefined): SecurityOptions {
  const out: SecurityOptions = { noNewPrivileges: false, seccomp: 'default' };
  for (const opt of opts ?? []) {
    if (opt === 'no-new-privileges') {
      out.noNewPrivileges = true;
      continue;
    }
    if (opt === 'disable') continue;
    const sep = opt.includes('=') ? '=' : opt.includes(':') ? ':' : undefined;
    if (!sep) throw invalidParameter(`invalid --security-opt 1: ${JSON.stringify(opt)}`);
    const key = opt.slice(0, opt.indexOf(sep));
    const value = opt.slice(opt.indexOf(sep) + 1);
    if (key === 'label' || key === 'apparmor') continue;
    if (key === 'seccomp') out.seccomp = value;
    else if (key === 'no-new-privileges' && GO_BOOL[value] !== undefined) out.noNewPrivileges = GO_BOOL[value]!;
    else throw invalidParameter(`invalid --security-opt 2: ${JSON.stringify(opt)}`);
  }
  return out;
}

/** Go's strconv.ParseBool. */
const GO_BOOL: Record<string, boolean> = Object.fromEntries([
  ...['1', 't', 'T', 'TRUE', 'true', 'True'].map((s) => [s, true]),
  ...['0', 'f', 'F', 'FALSE', 'false', 'False'].map((s) => [s, false]),
]);

function stringList(v: unknown, field: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalidParameter(`${field} must be a list of strings`);
  return v as string[];
}

/** `CapAdd`/`CapDrop`: Docker's StrSlice, so a lone string is a list of one. */
export function capList(v: unknown, field: 'CapAdd' | 'CapDrop'): string[] {
  return typeof v === 'string' ? [v] : stringList(v, field);
}

/** True for a device access mode of r, w and m, each at most once (the docker CLI's rule). */
export function validDeviceMode(mode: string): boolean {
  return /^[rwm]{1,3}$/.test(mode) && new Set(mode).size === mode.length;
}

/** The `Devices` of a HostConfig, checked: absolute paths and a valid mode. */
export function deviceMappings(h: SecurityHostConfig): DeviceMapping[] {
  if (h.Devices === undefined || h.Devices === null) return [];
  if (!Array.isArray(h.Devices)) throw invalidParameter('Devices must be a list of device mappings');
  return h.Devices.map((d: Partial<DeviceMapping>) => {
    const onHost = typeof d?.PathOnHost === 'string' ? d.PathOnHost : '';
    const inContainer = typeof d?.PathInContainer === 'string' && d.PathInContainer ? d.PathInContainer : onHost;
    const mode = typeof d?.CgroupPermissions === 'string' ? d.CgroupPermissions : '';
    if (!onHost) throw invalidParameter('bad format for path: ');
    if (!validDeviceMode(mode)) throw invalidParameter(`bad mode specified: ${mode}`);
    if (!inContainer.startsWith('/')) throw invalidParameter(`${inContainer} is not an absolute path`);
    return { PathOnHost: onHost, PathInContainer: inContainer, CgroupPermissions: mode };
  });
}

/**
 * Checks a create body's security fields, as dockerd does at create: unknown capabilities
 * (`invalid CapAdd: unknown capability: "CAP_FOO"`), security options, device mappings and
 * devices-cgroup rules, each a 400 in dockerd's words (dockerd answers some of these with a 500,
 * and the cgroup rules only at start). Device nodes are checked at start, as dockerd does.
 */
export function validateSecurityConfig(h: SecurityHostConfig): void {
  for (const field of ['CapAdd', 'CapDrop'] as const) {
    try {
      normalizeCapabilities(capList(h[field], field));
    } catch (err) {
      if (err instanceof UnknownCapabilityError) throw invalidParameter(`invalid ${field}: ${err.message}`);
      throw err;
    }
  }
  parseSecurityOpt(stringList(h.SecurityOpt, 'SecurityOpt'));
  for (const rule of stringList(h.DeviceCgroupRules, 'DeviceCgroupRules')) parseDeviceCgroupRule(rule);
  stringList(h.MaskedPaths, 'MaskedPaths');
  stringList(h.ReadonlyPaths, 'ReadonlyPaths');
  deviceMappings(h);
}

const RULE = /^([acb]) ([0-9]+|\*):([0-9]+|\*) ([rwm]{1,3})$/;

/** Parses a `--device-cgroup-rule` ("c 1:3 mr", "a *:* rwm"); dockerd's words, as a 400, when malformed. */
export function parseDeviceCgroupRule(rule: string): DeviceCgroupRule {
  const m = RULE.exec(rule);
  if (!m) throw invalidParameter(`invalid device cgroup rule format: '${rule}'`);
  return {
    allow: true, type: m[1]!,
    ...(m[2] === '*' ? {} : { major: Number(m[2]) }),
    ...(m[3] === '*' ? {} : { minor: Number(m[3]) }),
    access: m[4]!,
  };
}

/**
 * What dockerd 20.10 writes into a new container's HostConfig: its default masked and read-only
 * paths when none are given (not for a privileged container), and `label=disable` added to the
 * security options of a privileged (or host IPC/PID) container that names no label itself.
 */
export function securityRecordDefaults(h: SecurityHostConfig): { MaskedPaths?: string[]; ReadonlyPaths?: string[]; SecurityOpt?: string[] } {
  const out: { MaskedPaths?: string[]; ReadonlyPaths?: string[]; SecurityOpt?: string[] } = {};
  if (h.Privileged !== true) {
    if (h.MaskedPaths === undefined || h.MaskedPaths === null) out.MaskedPaths = [...MASKED_PATHS];
    if (h.ReadonlyPaths === undefined || h.ReadonlyPaths === null) out.ReadonlyPaths = [...READONLY_PATHS];
  }
  const opts = stringList(h.SecurityOpt, 'SecurityOpt');
  if ((h.Privileged === true || h.IpcMode === 'host' || h.PidMode === 'host') && !opts.some((o) => o.split('=')[0] === 'label')) {
    out.SecurityOpt = [...opts, 'label=disable'];
  }
  return out;
}
