/**
 * The runtime gate. A container's conmon is started ahead of its start, and the runc it runs
 * starts at once too, then waits at the bundle's config.json until the daemon has the rootfs,
 * the network and the spec ready, and reads the spec from it. conmon's own start-up and runc's
 * (about 4 and 2.5 ms here) overlap the set-up instead of following it.
 *
 * config.json is at first a symbolic link to `/proc/<daemon>/fd/<n>`: the daemon's descriptor of
 * a FIFO (`.config.fifo`, which the helper makes: Node cannot), open for reading and writing. So
 * runc's open never waits for a writer, and the spec it reads is whole without an end of file
 * (runc decodes one JSON value). Once the spec is written, a regular config.json replaces the
 * link; later readers (exec) read that, and so does a runc that had not opened the link yet.
 *
 * If the daemon gives up (the container is removed, or not started in time), runc reads "x",
 * which is not JSON, or finds a regular file saying so, and fails the create; conmon reports the
 * failure. If the daemon dies, runc reads the FIFO's end, or finds the link dangling. Only a
 * runc caught opening the link at the very moment the daemon dies can be left waiting: the next
 * daemon's start-up finds the FIFO and ends it (`releaseStaleGates`).
 */
import { closeSync, constants, existsSync, lstatSync, openSync, readdirSync, renameSync, rmSync, symlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { makeFifo, sealedCopy, type HostHelper } from './host-helper.js';
import { writeSmallFile } from '../store/small-files.js';
import { RECORD_MODE } from '../store/private-modes.js';

export interface RuntimeGate {
  /** What conmon runs as its runtime. */
  runtime: string;
  /** The bundle is ready: runc reads `spec` (config.json's content) and goes on. */
  open(spec: string): Promise<void>;
  /** The start failed before runc ran: runc fails conmon's create. */
  abandon(): void;
  /** Once conmon has reported (or failed): lets go of the FIFO. */
  close(): void;
}

/** What runc reads from an abandoned gate: not JSON, so its create fails. */
const REFUSAL = 'x wharf: the container start was abandoned\n';
/** How long an abandoned gate stays open for a runc that found the FIFO but has not opened it. */
const ABANDON_GRACE_MS = 2_000;
/** How long a spec bigger than the FIFO's buffer may wait for runc to read it. */
const WRITE_DEADLINE_MS = 10_000;
const CONFIG = 'config.json';
const FIFO = '.config.fifo';

/** The gates of one daemon: the sealed runtime they run, and the starts still open. */
export class RuntimeGates {
  /** The abandon of each gate still waiting for its spec. */
  private readonly waiting = new Set<() => void>();
  /** The sealed copy of the runtime, per helper process (a new helper has its own). */
  private sealed: { pid: number | undefined; runtime: string; path: Promise<string> } | undefined;

  /** `helper`: the keeper of the sealed runtime, and the maker of FIFOs. */
  constructor(readonly helper: HostHelper) {}

  /**
   * A gate at `bundle`/config.json for one start, in front of `runtime`, which conmon runs from
   * the helper's sealed copy when there is one (from the file otherwise).
   */
  async prepare(bundle: string, runtime: string): Promise<RuntimeGate> {
    const config = path.join(bundle, CONFIG);
    const fifo = path.join(bundle, FIFO);
    const [exe] = await Promise.all([this.sealedRuntime(runtime), makeFifo(this.helper, fifo)]);
    // Read and write: opening a FIFO so never waits, and runc's open then finds a writer.
    const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
    try {
      const link = `${config}.link`;
      rmSync(link, { force: true });
      symlinkSync(`/proc/${process.pid}/fd/${fd}`, link);
      renameSync(link, config);
    } catch (err) {
      closeSync(fd);
      rmSync(fifo, { force: true });
      throw err;
    }
    let state: 'waiting' | 'written' | 'abandoned' | 'closed' = 'waiting';
    const release = (): void => {
      if (state === 'closed') return;
      state = 'closed';
      this.waiting.delete(abandon);
      closeSync(fd);
    };
    const abandon = (): void => {
      if (state !== 'waiting') return;
      state = 'abandoned';
      this.waiting.delete(abandon);
      try {
        writeSync(fd, REFUSAL);
      } catch {
        // a full FIFO: runc has a spec in it and fails on what follows, or never opened it
      }
      replaceWithFile(config, REFUSAL);
      rmSync(fifo, { force: true });
      setTimeout(release, ABANDON_GRACE_MS).unref();
    };
    this.waiting.add(abandon);
    return {
      runtime: exe,
      open: async (spec) => {
        if (state !== 'waiting') throw new Error('the runtime gate was closed before the start');
        await writeWhole(fd, Buffer.from(spec));
        state = 'written';
        this.waiting.delete(abandon);
        replaceWithFile(config, spec);
        rmSync(fifo, { force: true });
      },
      abandon,
      close: () => {
        if (state === 'abandoned') return; // released after the grace period
        abandon();
        if (state === 'written') release();
      },
    };
  }

  private async sealedRuntime(runtime: string): Promise<string> {
    const pid = this.helper.pid;
    if (!this.sealed || this.sealed.pid !== pid || this.sealed.runtime !== runtime || pid === undefined) {
      const path = sealedCopy(this.helper, runtime).catch(() => runtime);
      this.sealed = { pid: this.helper.pid, runtime, path };
      return path;
    }
    return this.sealed.path;
  }

  /** Fails every start still waiting at its gate. */
  stop(): void {
    for (const abandon of [...this.waiting]) abandon();
  }
}

/** Writes all of `buf` to a non-blocking FIFO, waiting for the reader while it is full. */
async function writeWhole(fd: number, buf: Buffer): Promise<void> {
  const deadline = Date.now() + WRITE_DEADLINE_MS;
  for (let off = 0; off < buf.length; ) {
    try {
      off += writeSync(fd, buf, off, buf.length - off);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN' || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 1));
    }
  }
}

function isSymlink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Puts a regular file with `text` where the link was (by rename: never half a file). */
function replaceWithFile(fifo: string, text: string): void {
  const tmp = `${fifo}.tmp`;
  writeSmallFile(tmp, text, RECORD_MODE); // a runtime spec: root's alone
  renameSync(tmp, fifo);
}

/**
 * Ends the runcs that still wait at a gate of an earlier daemon (caught opening it as that daemon
 * died): each gets the refusal and fails. Returns the run directories where it found a gate.
 */
export function releaseStaleGates(runDirsRoot: string): string[] {
  const found: string[] = [];
  let ids: string[];
  try {
    ids = readdirSync(runDirsRoot);
  } catch {
    return found;
  }
  for (const id of ids) {
    const dir = path.join(runDirsRoot, id);
    const fifo = path.join(dir, FIFO);
    if (!existsSync(fifo)) continue;
    found.push(dir);
    try {
      // Succeeds only while a runc waits at the FIFO: it then reads the refusal.
      const fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      try {
        writeSync(fd, REFUSAL);
      } finally {
        closeSync(fd);
      }
    } catch {
      // no reader (ENXIO): nothing waits there
    }
    rmSync(fifo, { force: true });
    // Still the link of a waiting gate: a runc that comes to it later reads the refusal. A
    // regular file is the spec of a container that runs (the daemon died just after writing it).
    const config = path.join(dir, CONFIG);
    if (isSymlink(config)) replaceWithFile(config, REFUSAL);
  }
  return found;
}
