/**
 * Who may read the data root and the exec root: root alone, as with Docker since CVE-2021-41091.
 * The records hold what was given with `-e` (passwords too), and a container's rootfs, reached
 * from the host through `<data-root>/containers/<id>/rootfs`, may hold setuid-root binaries: a
 * user of the host who can traverse there can read the one and run the other.
 *
 * Docker 20.10 keeps /var/lib/docker, its containers/ and each containers/<id>/ at 0710
 * root:root, image/ and tmp/ at 0700, volumes/ at 0701, its exec root /run/docker at 0700 and
 * its records (config.v2.json, repositories.json) at 0600; Wharf does the same.
 *
 * What containers see is unaffected: a file bind-mounted into a container (its /etc/hosts,
 * /run/wharf/links, a volume's `_data`) is reached there through the container's own mounts, so
 * only the mode of the file or directory itself counts, and those keep theirs (0644, 0755).
 *
 * This module has the modes and the rules (pure), and `tightenPrivateModes`, which applies the
 * rules at start-up: a data root made by an older wharfd, with 0755 directories and 0644 records,
 * gets the modes it would have been made with now. It visits the roots, their top directories,
 * one directory per container, layer and volume, and their records; never a rootfs or a layer's
 * content.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** The data root and the directories of containers (Docker's 0710 root:root). */
export const ROOT_DIR_MODE = 0o710;
/** The exec root and the directories only the daemon walks (Docker's 0700). */
export const PRIVATE_DIR_MODE = 0o700;
/** Docker's volumes/: only its members' `_data`, reached by full path, are for others. */
export const VOLUMES_DIR_MODE = 0o701;
/** Records, runtime specs, logs: read and written by root alone. */
export const RECORD_MODE = 0o600;

/**
 * One rule: the mode of the entries at `path`, whose segments may be `*` (every entry of the
 * directory there). `create`: a directory made when missing (the roots and their top directories).
 */
export interface ModeRule {
  path: string;
  type: 'dir' | 'file';
  mode: number;
  create?: boolean;
}

/** The rules for a data root and an exec root, parents before children. */
export function privateModeRules(dataRoot: string, execRoot: string): ModeRule[] {
  const d = (rel: string, mode: number, create = false): ModeRule => ({ path: path.join(dataRoot, rel), type: 'dir', mode, ...(create ? { create } : {}) });
  const f = (root: string, rel: string): ModeRule => ({ path: path.join(root, rel), type: 'file', mode: RECORD_MODE });
  const x = (rel: string, mode: number, create = false): ModeRule => ({ path: path.join(execRoot, rel), type: 'dir', mode, ...(create ? { create } : {}) });
  return [
    d('.', ROOT_DIR_MODE, true),
    d('containers', ROOT_DIR_MODE, true),
    d('containers/*', ROOT_DIR_MODE),
    f(dataRoot, 'containers/*/config.v2.json'),
    f(dataRoot, 'containers/*/ctr.log'),
    // The OCI spec of a container started by an older build, which kept its run files here.
    f(dataRoot, 'containers/*/config.json'),
    d('image', PRIVATE_DIR_MODE, true),
    d('image/images', PRIVATE_DIR_MODE, true),
    f(dataRoot, 'image/images/*'),
    f(dataRoot, 'image/repositories.json'),
    d('image/layers', PRIVATE_DIR_MODE, true),
    f(dataRoot, 'image/layers/*/layer.json'),
    d('image/l', PRIVATE_DIR_MODE),
    d('image/tmp', PRIVATE_DIR_MODE, true),
    d('volumes', VOLUMES_DIR_MODE, true),
    f(dataRoot, 'volumes/*/volume.json'),
    d('network', PRIVATE_DIR_MODE, true),
    f(dataRoot, 'network/*'),
    d('builder', PRIVATE_DIR_MODE, true),
    f(dataRoot, 'builder/cache.json'),
    d('tmp', PRIVATE_DIR_MODE, true),
    x('.', PRIVATE_DIR_MODE, true),
    x('containers', ROOT_DIR_MODE, true),
    x('containers/*', ROOT_DIR_MODE),
    f(execRoot, 'containers/*/config.json'),
    x('exec', PRIVATE_DIR_MODE, true),
    f(execRoot, 'exec/*/process.json'),
    x('exits', PRIVATE_DIR_MODE, true),
    x('socks', PRIVATE_DIR_MODE, true),
    x('runc', PRIVATE_DIR_MODE, true),
  ];
}

/** The paths a rule's pattern stands for now (each `*` expanded by one directory listing). */
async function expand(pattern: string): Promise<string[]> {
  const segments = pattern.split('/');
  let found = [segments[0] === '' ? '/' : segments[0]!];
  for (const seg of segments.slice(1)) {
    if (seg !== '*') {
      found = found.map((p) => path.join(p, seg));
      continue;
    }
    const next: string[] = [];
    for (const dir of found) {
      for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
        if (!name.startsWith('.')) next.push(path.join(dir, name)); // temporary files of atomic writes
      }
    }
    found = next;
  }
  return found;
}

/**
 * Makes each rule true on disk: creates the directories marked `create` (their parents outside
 * the roots with the usual 0755), and gives every existing entry of the rule's type its mode.
 * Symbolic links are left alone (a runtime gate's config.json is one). Returns the paths it changed.
 */
export async function tightenPrivateModes(rules: readonly ModeRule[]): Promise<string[]> {
  const changed: string[] = [];
  for (const rule of rules) {
    if (rule.create) {
      await fs.mkdir(path.dirname(rule.path), { recursive: true });
      await fs.mkdir(rule.path, { mode: rule.mode }).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      });
    }
    for (const p of await expand(rule.path)) {
      const st = await fs.lstat(p).catch(() => undefined);
      if (!st || (rule.type === 'dir' ? !st.isDirectory() : !st.isFile())) continue;
      if ((st.mode & 0o7777) === rule.mode) continue;
      await fs.chmod(p, rule.mode);
      changed.push(p);
    }
  }
  return changed;
}
