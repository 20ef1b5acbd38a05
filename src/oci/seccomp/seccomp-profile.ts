/**
 * Docker's seccomp profile format (`names`, `action`, `args`, `includes`/`excludes` on
 * `caps`/`arches`/`minKernel`, `archMap`) and its translation into the OCI `linux.seccomp`
 * section for one machine and one capability set, as dockerd 20.10 does it. Pure.
 */
import defaultProfileData from './default-profile.json' with { type: 'json' };

/** A condition of a rule: capabilities (all of them), Go architecture names, a kernel floor. */
export interface SeccompFilter {
  caps?: string[] | null;
  arches?: string[] | null;
  minKernel?: string;
}

/** One argument comparison, as OCI writes it. */
export interface SeccompArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: string;
}

/** One rule of a Docker profile. */
export interface SeccompRule {
  name?: string;
  names?: string[] | null;
  action: string;
  errnoRet?: number;
  args?: SeccompArg[] | null;
  comment?: string;
  includes?: SeccompFilter;
  excludes?: SeccompFilter;
}

/** A Docker seccomp profile (what `--security-opt seccomp=<file>` sends, and the default). */
export interface SeccompProfile {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures?: string[] | null;
  archMap?: { architecture: string; subArchitectures: string[] | null }[] | null;
  syscalls?: SeccompRule[] | null;
  flags?: string[];
}

/** The OCI `linux.seccomp` section runc reads. */
export interface OciSeccomp {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures?: string[];
  flags?: string[];
  syscalls: { names: string[]; action: string; errnoRet?: number; args?: SeccompArg[] }[];
}

/** The machine a profile is translated for. */
export interface SeccompTarget {
  /** Go's name of the architecture (`amd64`, `arm64`, ...), which profiles' `arches` use. */
  goArch: string;
  /** The kernel's release as [major, minor], for `minKernel`. */
  kernel: [number, number];
  /** The container's bounding capability set. */
  caps: ReadonlySet<string>;
  /**
   * Sub-architectures the kernel cannot run (x32 on a kernel built without it): left out of the
   * filter, which costs runc time at every start and would guard system calls that cannot run.
   */
  missingSubArches?: ReadonlySet<string>;
}

/** Docker 20.10's default profile (`profiles/seccomp/default.json`), kept as data. */
export const DEFAULT_PROFILE: SeccompProfile = defaultProfileData as SeccompProfile;

/** Go architecture names to libseccomp's, as moby maps them. */
const SECCOMP_ARCH: Record<string, string> = {
  '386': 'SCMP_ARCH_X86', amd64: 'SCMP_ARCH_X86_64', arm: 'SCMP_ARCH_ARM', arm64: 'SCMP_ARCH_AARCH64',
  mips64: 'SCMP_ARCH_MIPS64', mips64n32: 'SCMP_ARCH_MIPS64N32', mipsel64: 'SCMP_ARCH_MIPSEL64',
  mipsel64n32: 'SCMP_ARCH_MIPSEL64N32', s390x: 'SCMP_ARCH_S390X', ppc64le: 'SCMP_ARCH_PPC64LE',
};

/** Node's `process.arch` as Go names it. */
export function goArchOf(nodeArch: string): string {
  return ({ x64: 'amd64', ia32: '386', arm: 'arm', arm64: 'arm64', s390x: 's390x', ppc64: 'ppc64le', mips: 'mips64', mipsel: 'mipsel64' } as Record<string, string>)[nodeArch] ?? nodeArch;
}

/** Parses a kernel release ("6.1.0-18-amd64", "4.8") into [major, minor]. */
export function parseKernelVersion(release: string): [number, number] {
  const m = /^(\d+)\.(\d+)/.exec(release);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

/** A profile that cannot be translated; the message is dockerd's. */
export class SeccompProfileError extends Error {}

const atLeast = (have: [number, number], want: string) => {
  const [maj, min] = parseKernelVersion(want);
  return have[0] > maj || (have[0] === maj && have[1] >= min);
};

/** True when the rule applies on `t`, by dockerd's order of checks. */
function applies(rule: SeccompRule, t: SeccompTarget): boolean {
  const ex = rule.excludes ?? {};
  if (ex.arches?.includes(t.goArch)) return false;
  if (ex.caps?.some((c) => t.caps.has(c))) return false;
  if (ex.minKernel && atLeast(t.kernel, ex.minKernel)) return false;
  const inc = rule.includes ?? {};
  if (inc.arches?.length && !inc.arches.includes(t.goArch)) return false;
  if (inc.caps?.some((c) => !t.caps.has(c))) return false;
  if (inc.minKernel && !atLeast(t.kernel, inc.minKernel)) return false;
  return true;
}

/**
 * Translates a Docker profile into the OCI section for `t`: the architecture with its
 * sub-architectures from `archMap`, and the rules whose conditions hold, without their
 * conditions and comments.
 */
export function translateSeccomp(profile: SeccompProfile, t: SeccompTarget): OciSeccomp {
  if (profile.architectures?.length && profile.archMap?.length) {
    throw new SeccompProfileError("'architectures' and 'archMap' were specified in the seccomp profile, use either 'architectures' or 'archMap'");
  }
  const out: OciSeccomp = { defaultAction: profile.defaultAction, syscalls: [] };
  if (profile.defaultErrnoRet !== undefined) out.defaultErrnoRet = profile.defaultErrnoRet;
  const arches = [...(profile.architectures ?? [])];
  const native = SECCOMP_ARCH[t.goArch];
  const mapped = profile.archMap?.find((a) => a.architecture === native);
  if (mapped) arches.push(mapped.architecture, ...(mapped.subArchitectures ?? []).filter((a) => !t.missingSubArches?.has(a)));
  if (arches.length) out.architectures = arches;
  if (profile.flags?.length) out.flags = profile.flags;
  for (const rule of profile.syscalls ?? []) {
    if (!applies(rule, t)) continue;
    if (rule.name && rule.names?.length) {
      throw new SeccompProfileError("'name' and 'names' were specified in the seccomp profile, use either 'name' or 'names'");
    }
    const call: OciSeccomp['syscalls'][number] = { names: rule.name ? [rule.name] : [...(rule.names ?? [])], action: rule.action };
    if (rule.errnoRet !== undefined) call.errnoRet = rule.errnoRet;
    if (rule.args?.length) call.args = rule.args.map((a) => ({ index: a.index, value: a.value, ...(a.valueTwo ? { valueTwo: a.valueTwo } : {}), op: a.op }));
    out.syscalls.push(call);
  }
  return out;
}

const MAX_CACHED = 64;

/**
 * Translations of the default profile, one per capability set: containers share a handful of
 * capability sets, so the start path looks one up instead of walking the profile again.
 */
export class DefaultSeccompCache {
  private readonly byCaps = new Map<string, OciSeccomp>();

  constructor(private readonly target: Omit<SeccompTarget, 'caps'>, private readonly profile: SeccompProfile = DEFAULT_PROFILE) {}

  /** The default profile's OCI section for a container with bounding set `caps`. */
  forCaps(caps: readonly string[]): OciSeccomp {
    const key = [...caps].sort().join(',');
    let hit = this.byCaps.get(key);
    if (!hit) {
      hit = translateSeccomp(this.profile, { ...this.target, caps: new Set(caps) });
      if (this.byCaps.size >= MAX_CACHED) this.byCaps.clear(); // odd sets from many callers: stay small
      this.byCaps.set(key, hit);
    }
    return hit;
  }
}
