/**
 * Launches the conmon of each container run. With the host helper, a conmon's runc waits at a
 * runtime gate (src/runtime/runtime-gate.ts: config.json leads to a FIFO) until its start has
 * the rootfs, the network and the spec ready; a container's conmon is launched at create
 * (`prelaunch`), so that its start-up and runc's fall between the create and the start
 * `docker run` sends back to back, and the start finds them waiting. One that is not started
 * within a while (a data-volume container made with `docker create` and never run) is sent off
 * again, so created containers hold no processes.
 * Without the helper there is no gate: conmon is launched once the bundle is ready.
 */
import path from 'node:path';
import { launchConmon, CONMON_PATH, type Launched } from '../../runtime/conmon.js';
import { hostHelper } from '../../runtime/host-helper.js';
import { RuntimeGates, type RuntimeGate } from '../../runtime/runtime-gate.js';
import type { Runc } from '../../runtime/runc.js';
import { processRunning } from '../../runtime/proc-stat.js';
import { systemError, invalidParameter, messageOf } from '../../errors.js';
import { exitCodeForStartError } from './start-error.js';
import { ensureDir, readSmallFile } from '../../store/small-files.js';
import { ROOT_DIR_MODE } from '../../store/private-modes.js';
import type { ContainerRecord } from './container-record.js';

/** A conmon waiting at its gate: `launching` resolves with the pid once runc has created it. */
export interface WaitingConmon {
  gate: RuntimeGate;
  launching: Promise<Launched>;
  failed: boolean;
}

export interface ConmonPlaces {
  exitDir: string;
  socketDir: string;
  /** The run directory of a container (bundle, pid files). */
  runDir: (id: string) => string;
  logPath: (id: string) => string;
}

/** runc logs `time="…" level=error msg="…"`: keep the message, as Docker shows it. */
export function runcMessage(text: string): string {
  const m = /msg="((?:[^"\\]|\\.)*)"/.exec(text);
  return m ? m[1]!.replace(/\\(.)/g, '$1') : text.trim();
}

/**
 * How long a conmon started at create waits for its start by default. `docker run` and compose
 * start a container a few ms after its create; a waiting runc holds about 7.5 MiB, so a container
 * made with `docker create` and started later gets a new conmon at its start instead.
 */
export const CONMON_WAIT_MS = 3_000;

export class ConmonLauncher {
  private readonly gates: RuntimeGates | undefined;
  /** conmons started at create, waiting at their gate for the container's start. */
  private readonly early = new Map<string, Promise<WaitingConmon | undefined>>();

  constructor(
    private readonly places: ConmonPlaces,
    private readonly runc: Runc,
    private readonly waitMs = CONMON_WAIT_MS,
  ) {
    const helper = hostHelper();
    this.gates = helper ? new RuntimeGates(helper) : undefined;
  }

  /** Starts the container's conmon ahead of its start; it waits at the gate for `waitMs`. */
  prelaunch(rec: ContainerRecord): void {
    if (!this.gates || this.early.has(rec.id)) return;
    const early = this.behindGate(rec).catch(() => undefined);
    this.early.set(rec.id, early);
    setTimeout(() => {
      if (this.early.get(rec.id) === early) void this.drop(rec.id);
    }, this.waitMs).unref();
  }

  /**
   * The conmon for a start: the one started at create if it is still waiting, else one started
   * now; undefined without a gate (then `launchNow` once the bundle is ready).
   */
  async waiting(rec: ContainerRecord): Promise<WaitingConmon | undefined> {
    return (await this.takeEarly(rec.id)) ?? (await this.behindGate(rec).catch(() => undefined));
  }

  /** Launches conmon straight onto runc (no gate). */
  launchNow(rec: ContainerRecord): Promise<Launched> {
    return this.launch(rec, this.runc.binary, undefined);
  }

  /**
   * Sends away the conmon started at create, if any (the container is removed, say). conmon
   * lingers for a second or two after its runtime failed, writing into the run directory: it is
   * ended, so that a removal that follows finds the directory still.
   */
  async drop(id: string): Promise<void> {
    const early = await this.takeEarly(id);
    if (!early) return;
    early.gate.abandon();
    await early.launching.catch(() => {});
    early.gate.close();
    await this.endConmon(id);
  }

  /** Kills the container's conmon (never ran a container) and waits until it is gone. */
  private async endConmon(id: string): Promise<void> {
    const pid = Number(readSmallFile(path.join(this.places.runDir(id), 'conmon.pid'))?.trim() ?? '0');
    // Only a conmon of this container (pids are reused): its command line names the id.
    if (!pid || !(readSmallFile(`/proc/${pid}/cmdline`) ?? '').split('\0').includes(id)) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      return;
    }
    for (let i = 0; i < 100 && processRunning(pid); i++) await new Promise((r) => setTimeout(r, 5));
  }

  /** Every conmon still waiting fails its create and exits. */
  close(): void {
    this.gates?.stop();
  }

  private async behindGate(rec: ContainerRecord): Promise<WaitingConmon | undefined> {
    if (!this.gates) return undefined;
    ensureDir(this.places.runDir(rec.id), ROOT_DIR_MODE);
    ensureDir(path.dirname(this.places.logPath(rec.id)), ROOT_DIR_MODE); // conmon opens its log at start-up
    const gate = await this.gates.prepare(this.places.runDir(rec.id), this.runc.binary);
    const launching = this.launch(rec, gate.runtime, undefined);
    const waiting: WaitingConmon = { gate, launching, failed: false };
    launching.catch(() => (waiting.failed = true)); // the start awaits it
    return waiting;
  }

  /** The conmon started at create, if it is still waiting; one that gave up is cleared away. */
  private async takeEarly(id: string): Promise<WaitingConmon | undefined> {
    const pending = this.early.get(id);
    if (!pending) return undefined;
    this.early.delete(id);
    const early = await pending;
    if (early && !early.failed) return early;
    early?.gate.close();
    return undefined;
  }

  /** Launches conmon with `runtime`; resolves with the container's pid once runc created it. */
  private launch(rec: ContainerRecord, runtime: string, env: Record<string, string> | undefined): Promise<Launched> {
    const dir = this.places.runDir(rec.id);
    return launchConmon(
      {
        id: rec.id,
        name: rec.name.slice(1),
        runtime,
        runtimeArgs: this.runc.globalArgs(),
        bundle: dir,
        pidFile: path.join(dir, 'pidfile'),
        conmonPidFile: path.join(dir, 'conmon.pid'),
        persistDir: dir,
        logPath: this.places.logPath(rec.id),
        exitDir: this.places.exitDir,
        socketDir: this.places.socketDir,
        stdin: rec.config.OpenStdin,
        stdinOnce: rec.config.StdinOnce,
        tty: rec.config.Tty,
        ...(env ? { env } : {}),
      },
      dir,
      undefined,
      CONMON_PATH,
    ).catch((err) => {
      const message = `failed to create task for container: OCI runtime create failed: ${runcMessage(messageOf(err))}: unknown`;
      // Docker 20.10 answers 400 for a command that is missing or not executable (exit codes 127, 126).
      throw exitCodeForStartError(message) === 128 ? systemError(message, err) : invalidParameter(message, err);
    });
  }
}
