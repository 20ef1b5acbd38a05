/** Thin adapter over the runc binary, with the engine's own state root. */
import path from 'node:path';
import { runCommand } from './run-command.js';
import { hostHelper, releaseExecFifo } from './host-helper.js';

export const RUNC_PATH = '/usr/sbin/runc';

export interface RuncState {
  status: 'created' | 'running' | 'stopped' | 'paused' | string;
  pid: number;
}

export class Runc {
  constructor(
    readonly root: string,
    readonly binary = RUNC_PATH,
  ) {}

  /** Global arguments placed before the sub-command. */
  globalArgs(): string[] {
    return [`--root=${this.root}`];
  }

  private argv(...rest: string[]): string[] {
    return [this.binary, ...this.globalArgs(), ...rest];
  }

  async start(id: string): Promise<void> {
    await runCommand(this.argv('start', id));
  }

  /**
   * Starts a created container whose init is `initPid`: through its exec FIFO when the host
   * helper is there (what `runc start` does, without a Go process), else, or if that fails for
   * any reason, with `runc start` itself, whose error then speaks.
   */
  async startCreated(id: string, initPid: number): Promise<void> {
    const helper = hostHelper();
    if (helper) {
      const ok = await releaseExecFifo(helper, path.join(this.root, id, 'exec.fifo'), initPid).then(() => true, () => false);
      if (ok) return;
    }
    await this.start(id);
  }

  async kill(id: string, signal: string, all = false): Promise<void> {
    await runCommand(this.argv('kill', ...(all ? ['--all'] : []), id, signal));
  }

  /** Deletes the container's runc state; `force` kills it first. Missing containers are fine. */
  async delete(id: string, force = false): Promise<void> {
    const r = await runCommand(this.argv('delete', ...(force ? ['--force'] : []), id), { allowFailure: true });
    if (r.code !== 0 && !/does not exist|not found/i.test(r.stderr)) {
      await runCommand(this.argv('delete', '--force', id), { allowFailure: true });
    }
  }

  /** The container's state, or undefined when runc does not know it. */
  async state(id: string): Promise<RuncState | undefined> {
    const r = await runCommand(this.argv('state', id), { allowFailure: true });
    if (r.code !== 0) return undefined;
    const s = JSON.parse(r.stdout) as RuncState;
    return { status: s.status, pid: s.pid };
  }

  async pause(id: string): Promise<void> {
    await runCommand(this.argv('pause', id));
  }

  async resume(id: string): Promise<void> {
    await runCommand(this.argv('resume', id));
  }

  /** Pids of every process of the container. */
  async pids(id: string): Promise<number[]> {
    const r = await runCommand(this.argv('ps', '--format', 'json', id));
    return (JSON.parse(r.stdout || '[]') as number[] | null) ?? [];
  }

}
