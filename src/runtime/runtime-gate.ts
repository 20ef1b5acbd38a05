/**
 * The runtime gate. A container's conmon is started at the beginning of its start, with
 * wharf-host-helper standing in for runc (native/host-helper.c): the stand-in connects to the
 * daemon's gate socket, names its start, and waits. The daemon answers "g" once the bundle is
 * ready, and the stand-in execs runc. conmon's own start-up (about 4 ms) then overlaps the rootfs
 * and network set-up instead of following it. If the daemon gives up or dies, the stand-in fails
 * the create and conmon reports it.
 */
import { rmSync } from 'node:fs';
import net from 'node:net';
import { sealedCopy, type HostHelper } from './host-helper.js';

export interface RuntimeGate {
  /** What conmon runs as its runtime. */
  runtime: string;
  /** What conmon's environment needs for the gate (the runtime inherits it). */
  env: Record<string, string>;
  /** The bundle is ready: runc runs. */
  open(): void;
  /** The start failed before runc ran: the stand-in fails conmon's create. */
  abandon(): void;
  /** Once conmon has reported (or failed): forgets the start. */
  close(): void;
}

interface Pending {
  answer?: 'g' | 'x';
  socket?: net.Socket;
}

const MAX_ID_BYTES = 200;

/** One daemon's gate socket and the starts waiting at it. */
export class RuntimeGates {
  private listening: Promise<net.Server> | undefined;
  private readonly pending = new Map<string, Pending>();
  private serial = 0;

  /** The sealed copy of the runtime, per helper process (a new helper has its own). */
  private sealed: { pid: number | undefined; runtime: string; path: Promise<string> } | undefined;

  /** `helper`: the stand-in's binary and keeper of the sealed runtime; `socketPath`: root-only. */
  constructor(
    readonly socketPath: string,
    readonly helper: HostHelper,
  ) {}

  /**
   * A gate for one start of `containerId`, in front of `runtime`, which the stand-in runs from
   * the helper's sealed copy when there is one (from the file otherwise).
   */
  async prepare(containerId: string, runtime: string): Promise<RuntimeGate> {
    const [, exe] = await Promise.all([this.listen(), this.sealedRuntime(runtime)]);
    const id = `${containerId}.${++this.serial}`;
    this.pending.set(id, {});
    return {
      runtime: this.helper.binary,
      env: { WHARF_GATE: this.socketPath, WHARF_GATE_ID: id, WHARF_GATE_RUNTIME: exe },
      open: () => this.answer(id, 'g'),
      abandon: () => this.answer(id, 'x'),
      close: () => {
        this.answer(id, 'x');
        this.pending.delete(id);
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

  /** Stops listening and fails every start still waiting. */
  async stop(): Promise<void> {
    for (const id of this.pending.keys()) this.answer(id, 'x');
    this.pending.clear();
    const server = await this.listening?.catch(() => undefined);
    this.listening = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(this.socketPath, { force: true });
  }

  private answer(id: string, answer: 'g' | 'x'): void {
    const p = this.pending.get(id);
    if (!p || p.answer) return;
    p.answer = answer;
    p.socket?.end(answer);
  }

  private listen(): Promise<net.Server> {
    this.listening ??= new Promise<net.Server>((resolve, reject) => {
      rmSync(this.socketPath, { force: true });
      const server = net.createServer((socket) => this.accept(socket));
      server.once('error', reject);
      server.listen(this.socketPath, () => {
        server.off('error', reject);
        server.on('error', () => {});
        resolve(server);
      });
    });
    this.listening.catch(() => (this.listening = undefined));
    return this.listening;
  }

  /** A stand-in names its start on one line; it gets the answer now or when there is one. */
  private accept(socket: net.Socket): void {
    let line = '';
    socket.on('error', () => {});
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      line += chunk;
      const nl = line.indexOf('\n');
      if (nl < 0) {
        if (line.length > MAX_ID_BYTES) socket.destroy();
        return;
      }
      socket.removeAllListeners('data');
      const p = this.pending.get(line.slice(0, nl));
      if (!p || p.socket) return void socket.end('x');
      p.socket = socket;
      if (p.answer) socket.end(p.answer);
    });
  }
}
