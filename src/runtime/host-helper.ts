/**
 * The client side of wharf-host-helper (native/): a small process that forks, makes the
 * mount/umount/FIFO system calls and builds network namespaces over netlink on the daemon's
 * behalf, so the daemon never forks itself.
 * One helper per daemon, started on first use and again if it dies; requests are concurrent.
 * The framing is pure and unit-tested; `HostHelper` is the thin edge around the process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getSystemErrorMap } from 'node:util';

/** Where setup builds the helper: dist/native/ beside dist/src/. */
export const HELPER_PATH = fileURLToPath(new URL('../../native/wharf-host-helper', import.meta.url));

/** Encodes one request frame: length, id, field count, then each field with its length. */
export function encodeFrame(id: number, fields: readonly (string | Buffer)[]): Buffer {
  const bufs = fields.map((f) => (typeof f === 'string' ? Buffer.from(f) : f));
  const size = 8 + bufs.reduce((n, b) => n + 4 + b.length, 0);
  const out = Buffer.allocUnsafe(4 + size);
  out.writeUInt32LE(size, 0);
  out.writeUInt32LE(id >>> 0, 4);
  out.writeUInt32LE(bufs.length, 8);
  let off = 12;
  for (const b of bufs) {
    out.writeUInt32LE(b.length, off);
    b.copy(out, off + 4);
    off += 4 + b.length;
  }
  return out;
}

export interface Frame {
  id: number;
  fields: Buffer[];
}

/** Splits complete frames off the front of `buf`; returns them and the unconsumed rest. */
export function decodeFrames(buf: Buffer): { frames: Frame[]; rest: Buffer } {
  const frames: Frame[] = [];
  let off = 0;
  while (buf.length - off >= 4) {
    const size = buf.readUInt32LE(off);
    if (buf.length - off - 4 < size) break;
    const end = off + 4 + size;
    if (size < 8) throw new Error('host helper: malformed frame');
    const id = buf.readUInt32LE(off + 4);
    const n = buf.readUInt32LE(off + 8);
    const fields: Buffer[] = [];
    let p = off + 12;
    for (let i = 0; i < n; i++) {
      if (p + 4 > end) throw new Error('host helper: malformed frame');
      const len = buf.readUInt32LE(p);
      if (p + 4 + len > end) throw new Error('host helper: malformed frame');
      fields.push(buf.subarray(p + 4, p + 4 + len));
      p += 4 + len;
    }
    frames.push({ id, fields });
    off = end;
  }
  return { frames, rest: buf.subarray(off) };
}

/** The environment fields of a request: "-" inherits the helper's (the daemon's) environment. */
export function envFields(env: NodeJS.ProcessEnv | undefined): string[] {
  if (!env) return ['-'];
  const list = Object.entries(env)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${v}`);
  return [String(list.length), ...list];
}

/**
 * A status field: "E<errno>" becomes an Error with the errno's code (`mount /m: ENOENT (no such
 * file or directory)`), anything else stays undefined.
 */
export function statusError(status: string, what: string): NodeJS.ErrnoException | undefined {
  if (!status.startsWith('E')) return undefined;
  const errno = Number(status.slice(1));
  const [code, text] = getSystemErrorMap().get(-errno) ?? [`E${errno}`, 'unknown error'];
  const err = new Error(`${what}: ${code} (${text})`) as NodeJS.ErrnoException;
  err.code = code;
  err.errno = errno;
  return err;
}

/** The running helper process; one per daemon. */
export class HostHelper {
  private child?: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (f: Buffer[]) => void; reject: (e: Error) => void }>();
  private rest: Buffer = Buffer.alloc(0);

  constructor(readonly binary = HELPER_PATH) {}

  /** True when the helper binary is there (set-up builds it). */
  available(): boolean {
    return existsSync(this.binary);
  }

  /** Sends one request; resolves with the response's fields. */
  request(fields: readonly (string | Buffer)[]): Promise<Buffer[]> {
    const child = this.ensure();
    const id = this.nextId;
    this.nextId = (this.nextId % 0xfffffffe) + 1;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.hold(child, true);
      this.pending.set(id, { resolve, reject });
      child.stdin!.write(encodeFrame(id, fields));
    });
  }

  /** The running helper's pid (undefined before the first request or after it died). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Stops the helper (it exits when its input closes). */
  close(): void {
    this.child?.stdin?.end();
    this.child = undefined;
  }

  private ensure(): ChildProcess {
    if (this.child) return this.child;
    // The argument only names the daemon in `ps` (benchmarks count the helper as the daemon's).
    const child = spawn(this.binary, [`--daemon-pid=${process.pid}`], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.child = child;
    child.stdout!.on('data', (d: Buffer) => this.onData(d));
    child.stdin!.on('error', () => {});
    const gone = (why: string) => {
      if (this.child === child) this.child = undefined;
      const err = new Error(`host helper ${why}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      this.rest = Buffer.alloc(0);
    };
    child.on('error', (e) => gone(`failed: ${e.message}`));
    child.on('exit', (code, signal) => gone(`exited (${signal ?? code})`));
    // An idle helper must not keep the process alive; a pending request does.
    child.unref();
    refOf(child.stdin)?.unref();
    refOf(child.stdout)?.unref();
    return child;
  }

  /**
   * Pending requests keep the process alive, through the helper's output and its exit (which
   * fails them when the helper dies); an idle helper does not.
   */
  private hold(child: ChildProcess, on: boolean): void {
    const stdout = refOf(child.stdout);
    if (on) {
      child.ref();
      stdout?.ref();
    } else {
      child.unref();
      stdout?.unref();
    }
  }

  private onData(d: Buffer): void {
    const { frames, rest } = decodeFrames(this.rest.length ? Buffer.concat([this.rest, d]) : d);
    this.rest = Buffer.from(rest);
    for (const f of frames) {
      const p = this.pending.get(f.id);
      if (!p) continue;
      this.pending.delete(f.id);
      if (this.pending.size === 0 && this.child) this.hold(this.child, false);
      p.resolve(f.fields);
    }
  }
}

/** The ref/unref of a pipe (a net.Socket underneath), when it has them. */
function refOf(stream: unknown): { ref(): void; unref(): void } | undefined {
  const s = stream as { ref?: () => void; unref?: () => void } | null | undefined;
  return s && typeof s.ref === 'function' && typeof s.unref === 'function' ? (s as { ref(): void; unref(): void }) : undefined;
}

let shared: HostHelper | null | undefined;

/**
 * The process-wide helper, or undefined when it has not been built (or WHARF_NO_HOST_HELPER is
 * set): callers then fork from Node as before.
 */
export function hostHelper(): HostHelper | undefined {
  if (shared === undefined) {
    const h = new HostHelper();
    shared = !process.env.WHARF_NO_HOST_HELPER && h.available() ? h : null;
  }
  return shared ?? undefined;
}

/** Sends one request whose only answer is a status; rejects with the errno when it failed. */
async function statusRequest(helper: HostHelper, fields: string[], what: string): Promise<void> {
  const [status] = await helper.request(fields);
  const err = statusError(status?.toString() ?? 'E5', what);
  if (err) throw err;
}

/** mount(2); relative paths in `data` (overlay's lowerdir) resolve from `cwd`. */
export function mountSyscall(
  helper: HostHelper,
  m: { cwd: string; source: string; target: string; fstype: string; flags?: number; data: string },
): Promise<void> {
  return statusRequest(helper, ['mount', m.cwd, m.source, m.target, m.fstype, String(m.flags ?? 0), m.data], `mount ${m.target}`);
}

/** umount2(2). */
export function umountSyscall(helper: HostHelper, target: string, flags = 0): Promise<void> {
  return statusRequest(helper, ['umount', target, String(flags)], `umount ${target}`);
}

/**
 * Releases a created runc container by its exec FIFO, as `runc start` does; rejects with ENOENT
 * when there is no FIFO (the caller then runs `runc start`) and ESRCH when its init is gone.
 */
export function releaseExecFifo(helper: HostHelper, fifo: string, initPid: number): Promise<void> {
  return statusRequest(helper, ['fifo', fifo, String(initPid)], `start through ${fifo}`);
}

/** A FIFO (mode 0600) at `file`, replacing what is there: Node cannot make one itself. */
export function makeFifo(helper: HostHelper, file: string): Promise<void> {
  return statusRequest(helper, ['mkfifo', file], `make the FIFO ${file}`);
}

/** Writes "0" to `procsFile`, the cgroup.procs of the helper's own cgroup (see cgroup-lock-warmer.ts). */
export function stayInCgroup(helper: HostHelper, procsFile: string): Promise<void> {
  return statusRequest(helper, ['stay', procsFile], `write ${procsFile}`);
}

/** A named network namespace with a bridge endpoint in it (see native/netns-endpoint.c). */
export function createNetnsEndpoint(
  helper: HostHelper,
  e: { netns: string; hostVeth: string; bridge: string; macAddress: string; ipAddress: string; prefixLen: number; gateway: string },
): Promise<void> {
  const fields = ['netns', e.netns, e.hostVeth, e.bridge, e.macAddress, e.ipAddress, String(e.prefixLen), e.gateway];
  return statusRequest(helper, fields, `create the endpoint ${e.hostVeth} in ${e.netns}`);
}

/** A named network namespace with only its loopback, up. */
export function createLoopbackNetns(helper: HostHelper, name: string): Promise<void> {
  return statusRequest(helper, ['netns', name, '', '', '', '', '0', ''], `create the namespace ${name}`);
}

/** `ip netns delete NAME`; a missing namespace is fine. */
export function deleteNetnsByHelper(helper: HostHelper, name: string): Promise<void> {
  return statusRequest(helper, ['netns-rm', name], `delete the namespace ${name}`);
}

/**
 * The /proc path of a sealed in-memory copy of `file` that the helper keeps while it lives
 * (see native/host-helper.c: runc run from one skips copying itself at every start).
 */
export async function sealedCopy(helper: HostHelper, file: string): Promise<string> {
  const [status, where] = await helper.request(['sealed', file]);
  const err = statusError(status?.toString() ?? 'E5', `seal a copy of ${file}`);
  if (err) throw err;
  return where!.toString();
}
