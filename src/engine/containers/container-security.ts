/**
 * Works out the security part of a container's runtime spec from its HostConfig, as dockerd
 * 20.10 does: capabilities, no-new-privileges, the seccomp profile (the default one translated
 * once per capability set), devices and devices-cgroup rules, and what `--privileged` lifts.
 */
import { systemError } from '../../errors.js';
import { tweakCapabilities } from '../../oci/capabilities.js';
import type { SpecDevice, SpecSecurity } from '../../oci/runtime-spec.js';
import {
  DefaultSeccompCache, SeccompProfileError, translateSeccomp, type OciSeccomp, type SeccompProfile, type SeccompTarget,
} from '../../oci/seccomp/seccomp-profile.js';
import { goJsonSyntaxError } from '../../oci/seccomp/go-json-error.js';
import { capList, deviceMappings, parseDeviceCgroupRule, parseSecurityOpt, type DeviceCgroupRule, type SecurityHostConfig } from './security-options.js';

/** The host facts the security spec needs (an adapter reads the devices). */
export interface SecurityHost {
  /** The host's bounding set, when known: nothing outside it is granted. */
  allowedCaps?: ReadonlySet<string> | undefined;
  /** The machine profiles are translated for. */
  target: Omit<SeccompTarget, 'caps'>;
  /** The device nodes `pathOnHost` names (itself, or those below a directory). */
  gatherDevices(pathOnHost: string): { resolved: string; devices: SpecDevice[] };
  /** Every device node of the host's /dev (for --privileged). */
  hostDevices(): SpecDevice[];
}

/** Builds SpecSecurity for containers; holds the cache of default-profile translations. */
export class ContainerSecurity {
  private readonly defaults: DefaultSeccompCache;

  constructor(private readonly host: SecurityHost) {
    this.defaults = new DefaultSeccompCache(host.target);
  }

  /** All capabilities the host can grant: `--privileged` and `docker exec --privileged`. */
  privilegedCaps(): string[] {
    return tweakCapabilities({ privileged: true }, this.host.allowedCaps);
  }

  /**
   * The security part of the spec for `h`. Throws dockerd's errors for what it checks at start:
   * a device that is not one, a malformed devices-cgroup rule, a seccomp profile that is not JSON.
   */
  specFor(h: SecurityHostConfig): SpecSecurity {
    const privileged = h.Privileged === true;
    const opts = parseSecurityOpt(h.SecurityOpt as string[] | null | undefined);
    const caps = tweakCapabilities({ capAdd: capList(h.CapAdd, 'CapAdd'), capDrop: capList(h.CapDrop, 'CapDrop'), privileged }, this.host.allowedCaps);
    const devices: SpecDevice[] = [];
    const rules: DeviceCgroupRule[] = [];
    if (privileged) {
      devices.push(...this.host.hostDevices());
      rules.push({ allow: true, access: 'rwm' });
    } else {
      for (const m of deviceMappings(h)) {
        let found;
        try {
          found = this.host.gatherDevices(m.PathOnHost);
        } catch (err) {
          throw systemError(`error gathering device information while adding custom device ${JSON.stringify(m.PathOnHost)}: ${(err as Error).message}`, err);
        }
        for (const d of found.devices) {
          const inContainer = d.path === found.resolved ? m.PathInContainer : d.path.replace(found.resolved, m.PathInContainer);
          devices.push({ ...d, path: inContainer });
          rules.push({ allow: true, type: d.type, major: d.major, minor: d.minor, access: m.CgroupPermissions });
        }
      }
    }
    for (const rule of (h.DeviceCgroupRules as string[] | null | undefined) ?? []) rules.push(parseDeviceCgroupRule(rule));
    return {
      caps, noNewPrivileges: opts.noNewPrivileges, privileged, devices, deviceRules: rules, ...this.seccomp(opts.seccomp, caps, privileged),
      ...(Array.isArray(h.MaskedPaths) ? { maskedPaths: h.MaskedPaths as string[] } : {}),
      ...(Array.isArray(h.ReadonlyPaths) ? { readonlyPaths: h.ReadonlyPaths as string[] } : {}),
    };
  }

  private seccomp(choice: string, caps: string[], privileged: boolean): { seccomp?: OciSeccomp } {
    if (privileged || choice === 'unconfined') return {};
    if (choice === 'default' || choice === '') return { seccomp: this.defaults.forCaps(caps) };
    let profile: SeccompProfile;
    try {
      profile = JSON.parse(choice) as SeccompProfile;
    } catch (err) {
      throw systemError(`Decoding seccomp profile failed: ${goJsonSyntaxError(choice, (err as Error).message)}`, err);
    }
    try {
      return { seccomp: translateSeccomp(profile, { ...this.host.target, caps: new Set(caps) }) };
    } catch (err) {
      if (err instanceof SeccompProfileError) throw systemError(err.message, err);
      throw systemError(`Decoding seccomp profile failed: ${(err as Error).message}`, err);
    }
  }
}
