/**
 * Attach sessions: a hijacked client connection joined to conmon's attach socket. Clients that
 * attach before the container starts (as `docker run` does) wait here and are connected between
 * `runc create` and `runc start`, so no output is lost.
 */
import type { Duplex } from 'node:stream';
import { frame } from '../../api/stdcopy.js';
import { connectAttach, type AttachConnection } from '../../runtime/attach-socket.js';

export interface AttachOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** One client connection and, once connected, its conmon attach connection. */
export class AttachSession {
  private conn?: AttachConnection;
  private input: Buffer[] = [];
  private clientEnded = false;
  private finished = false;
  private readonly doneWaiters: (() => void)[] = [];
  /** Something to wait for before the client stream is closed (exec: its exit code is recorded). */
  holdEnd?: Promise<unknown>;

  constructor(
    readonly client: Duplex,
    readonly opts: AttachOptions,
    initialInput?: Buffer,
  ) {
    if (initialInput?.length && opts.stdin) this.input.push(initialInput);
    client.on('data', (d: Buffer) => {
      if (!opts.stdin) return;
      if (this.conn) this.conn.write(d);
      else this.input.push(d);
    });
    client.on('end', () => {
      this.clientEnded = true;
      if (opts.stdin && this.conn) this.conn.closeStdin();
    });
    client.on('close', () => this.finish());
    client.on('error', () => this.finish());
    // Reading the request body may have paused the socket (the stdin that followed it is waiting
    // in its buffer); a paused stream stays paused when a 'data' listener is added.
    client.resume();
  }

  /** Writes output for the client, framed unless the container has a tty. */
  send(stream: 'stdout' | 'stderr', data: Buffer): void {
    if (this.finished || (stream === 'stdout' && !this.opts.stdout) || (stream === 'stderr' && !this.opts.stderr)) return;
    this.client.write(this.opts.tty ? data : frame(stream === 'stdout' ? 1 : 2, data));
  }

  /** Joins the conmon attach socket at `socketPath`. */
  async connect(socketPath: string): Promise<void> {
    if (this.finished) return;
    this.conn = await connectAttach(socketPath, {
      onOutput: (stream, data) => this.send(stream, data),
      onEnd: () => this.finish(),
    });
    for (const chunk of this.input) this.conn.write(chunk);
    this.input = [];
    if (this.clientEnded && this.opts.stdin) this.conn.closeStdin();
  }

  /** Ends the client stream (the container exited or went away). */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.conn?.close();
    const end = () => {
      if (!this.client.destroyed) this.client.end();
      for (const w of this.doneWaiters.splice(0)) w();
    };
    if (this.holdEnd) void this.holdEnd.finally(end);
    else end();
  }

  get done(): boolean {
    return this.finished;
  }

  /** Resolves when the session has finished. */
  whenDone(): Promise<void> {
    return this.finished ? Promise.resolve() : new Promise((r) => this.doneWaiters.push(r));
  }
}

export class AttachHub {
  private readonly waiting = new Map<string, AttachSession[]>();

  /** Adds a session that waits for the container's next start. */
  addPending(containerId: string, session: AttachSession): void {
    const list = this.waiting.get(containerId) ?? [];
    list.push(session);
    this.waiting.set(containerId, list);
    session.client.on('close', () => {
      const l = this.waiting.get(containerId);
      if (l) this.waiting.set(containerId, l.filter((s) => s !== session));
    });
  }

  /** Connects every waiting session to the freshly created container. */
  async connectPending(containerId: string, socketPath: string): Promise<void> {
    const list = this.waiting.get(containerId) ?? [];
    this.waiting.delete(containerId);
    await Promise.all(list.filter((s) => !s.done).map((s) => s.connect(socketPath).catch(() => s.finish())));
  }

  /** Ends the waiting sessions of a container that will not start (removed, failed). */
  endPending(containerId: string): void {
    for (const s of this.waiting.get(containerId) ?? []) s.finish();
    this.waiting.delete(containerId);
  }

  hasPending(containerId: string): boolean {
    return (this.waiting.get(containerId) ?? []).some((s) => !s.done);
  }
}
