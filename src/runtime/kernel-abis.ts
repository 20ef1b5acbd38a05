/**
 * Which of the sub-architectures a seccomp filter lists this kernel cannot run at all, read from
 * the kernel's build configuration (`/proc/config.gz`, else `/boot/config-<release>`).
 *
 * Why: runc's init builds the filter for every architecture it names at each start, and x32 is
 * the costliest of Docker's three on x86_64 (about 6 ms a start here). A kernel built without
 * `CONFIG_X86_X32_ABI` refuses every x32 system call and cannot load an x32 program, so a filter
 * without x32 leaves the container the same system calls. When the configuration cannot be
 * read, nothing is dropped (Docker's filter, as it is).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** The kernel configuration's text, or undefined when neither file can be read. */
function kernelConfig(release: string): string | undefined {
  try {
    return gunzipSync(readFileSync('/proc/config.gz')).toString('latin1');
  } catch {
    try {
      return readFileSync(`/boot/config-${release}`, 'latin1');
    } catch {
      return undefined;
    }
  }
}

/** libseccomp's names of the sub-architectures that `config` (a kernel's .config) leaves out. */
export function missingSubArchitectures(config: string | undefined): Set<string> {
  const missing = new Set<string>();
  if (config !== undefined && /^# CONFIG_X86_X32_ABI is not set$/m.test(config)) missing.add('SCMP_ARCH_X32');
  return missing;
}

/** The sub-architectures this kernel cannot run (see the file's comment). */
export function kernelMissingSubArchitectures(release: string): Set<string> {
  return missingSubArchitectures(kernelConfig(release));
}
