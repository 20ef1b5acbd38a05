/**
 * Linux capabilities as Docker 20.10 names and combines them: the known set, `--cap-add` /
 * `--cap-drop` normalisation and the rules for combining them with the default set. Pure.
 */

/**
 * Every capability Docker 20.10 knows, in bit order (CAP_CHOWN is bit 0). 20.10 stops at
 * CAP_AUDIT_READ (37): CAP_PERFMON, CAP_BPF and CAP_CHECKPOINT_RESTORE are "unknown" to it.
 */
export const KNOWN_CAPS: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID', 'CAP_SETUID',
  'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN', 'CAP_NET_RAW',
  'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE', 'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD',
  'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG',
  'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ',
];

/** Docker's default capability set, in Docker's order (the order config.json lists them in). */
export const DEFAULT_CAPS: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

const KNOWN = new Set(KNOWN_CAPS);

/** A capability name Docker 20.10 refuses; the message is Docker's `unknown capability: "CAP_FOO"`. */
export class UnknownCapabilityError extends Error {
  constructor(readonly capability: string) {
    super(`unknown capability: "${capability}"`);
  }
}

/**
 * Normalises `--cap-add`/`--cap-drop` names as Docker does: upper case, `CAP_` prefixed unless
 * the name is `ALL`. Throws UnknownCapabilityError for a name Docker does not know.
 */
export function normalizeCapabilities(names: readonly string[]): string[] {
  return names.map((raw) => {
    const upper = raw.toUpperCase();
    if (upper === 'ALL') return 'ALL';
    const cap = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
    if (!KNOWN.has(cap)) throw new UnknownCapabilityError(cap);
    return cap;
  });
}

/**
 * The capability set of a container, by Docker 20.10's rules: privileged gets every capability;
 * `ALL` in the adds gives every capability but the drops; `ALL` in the drops gives the adds only;
 * otherwise the defaults less the drops, then the adds. `allowed` (the host's bounding set, when
 * known) filters the result: a capability the host cannot grant would make runc fail. No duplicates.
 */
export function tweakCapabilities(
  opts: { capAdd?: readonly string[] | null; capDrop?: readonly string[] | null; privileged?: boolean },
  allowed?: ReadonlySet<string>,
): string[] {
  const adds = normalizeCapabilities(opts.capAdd ?? []);
  const drops = normalizeCapabilities(opts.capDrop ?? []);
  let caps: readonly string[];
  if (opts.privileged) caps = KNOWN_CAPS;
  else if (adds.includes('ALL')) caps = KNOWN_CAPS.filter((c) => !drops.includes(c));
  else if (drops.includes('ALL')) caps = adds;
  else caps = [...DEFAULT_CAPS.filter((c) => !drops.includes(c)), ...adds];
  return [...new Set(caps)].filter((c) => !allowed || allowed.has(c));
}

/** The capability names set in a `CapBnd`-style hexadecimal mask (from /proc/<pid>/status). */
export function capsFromMask(hex: string): Set<string> {
  const mask = BigInt('0x' + hex);
  return new Set(KNOWN_CAPS.filter((_, bit) => (mask >> BigInt(bit)) & 1n));
}
