/**
 * The exec root holds what lives only as long as the machine runs: runc's state, conmon's pid
 * files, FIFOs and sockets, the OCI bundles and the /etc files of running containers. On most
 * hosts /run is a tmpfs, and a reboot clears it, as the state it holds expects. Where it is not
 * (this project's machines put /run on the root ext4), wharfd mounts a tmpfs of its own there.
 *
 * Besides the reboot semantics, it keeps this churn off the disk: every start and removal creates
 * and deletes a dozen small files there, and on an ext4 without a journal each new inode is found
 * by scanning past every inode deleted in the last minute or more.
 *
 * The tmpfs stays mounted when wharfd stops, because containers keep running without the daemon
 * and their conmon and runc state live in it. `umount <exec-root>` removes it once nothing runs.
 */
import { promises as fs } from 'node:fs';
import { runCommand } from './run-command.js';
import { messageOf } from '../errors.js';

const TMPFS_MAGIC = 0x01021994;

export type ExecRootPlan = 'keep' | 'mount' | 'in-use';

/**
 * Pure: what to do with the exec root, given whether it is on a tmpfs already and what it
 * holds. A directory that holds anything is left alone: it may be the state of containers that
 * an older wharfd started there, which a tmpfs mounted on top would hide.
 */
export function planExecRoot(onTmpfs: boolean, entries: readonly string[]): ExecRootPlan {
  if (onTmpfs) return 'keep';
  return entries.length === 0 ? 'mount' : 'in-use';
}

/** Makes sure the exec root exists and, when it is new or empty, that it is a tmpfs. */
export async function ensureVolatileExecRoot(
  dir: string,
  log: (line: string) => void,
  mountTmpfs: (dir: string) => Promise<unknown> = (d) => runCommand(['mount', '-t', 'tmpfs', '-o', 'mode=0700,nosuid,nodev', 'tmpfs', d]),
): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 }); // root's alone, as Docker's /run/docker
  const onTmpfs = (await fs.statfs(dir)).type === TMPFS_MAGIC;
  const plan = planExecRoot(onTmpfs, onTmpfs ? [] : await fs.readdir(dir));
  if (plan === 'mount') {
    try {
      await mountTmpfs(dir);
      log(`exec root ${dir}: mounted a tmpfs (the directory was not on one)`);
    } catch (err) {
      // Not fatal: the state works on disk too, only slower and surviving a reboot.
      log(`exec root ${dir}: could not mount a tmpfs (${messageOf(err)}); kept on disk`);
    }
  } else if (plan === 'in-use') {
    log(`exec root ${dir} is not on a tmpfs and holds state of an earlier run: kept on disk`);
  }
}
