/**
 * `docker exec`: an extra process in a running container, launched through conmon's exec mode
 * with its own session directory (never the container's bundle, platform-notes §3.8).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { conflict, notFound, invalidParameter, systemError, messageOf } from '../../errors.js';
import { launchConmon, attachName } from '../../runtime/conmon.js';
import { writeFileAtomic } from '../../store/atomic-file.js';
import { PRIVATE_DIR_MODE } from '../../store/private-modes.js';
import { AttachSession } from './attach-hub.js';
import type { ContainerService } from './container-service.js';
import type { ContainerRunner } from './container-runner.js';
import { resolveUser } from './user-lookup.js';

export interface ExecConfig {
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  Tty?: boolean;
  Cmd?: string[];
  Env?: string[] | null;
  User?: string;
  WorkingDir?: string;
  Privileged?: boolean;
  DetachKeys?: string;
}

interface ExecRecord {
  id: string;
  containerId: string;
  config: ExecConfig;
  running: boolean;
  exitCode: number | null;
  pid: number;
}

export class ExecService {
  private readonly execs = new Map<string, ExecRecord>();

  constructor(
    private readonly containers: ContainerService,
    private readonly runner: ContainerRunner,
    private readonly randomId: () => string,
  ) {}

  /** `POST /containers/{id}/exec`. */
  create(ref: string, body: ExecConfig): { Id: string } {
    const rec = this.containers.store.require(ref);
    if (!Array.isArray(body?.Cmd) || body.Cmd.length === 0) throw invalidParameter('No exec command specified');
    if (!rec.state.Running) throw conflict(`Container ${rec.id} is not running`);
    if (rec.state.Paused) throw conflict(`Container ${rec.id} is paused, unpause the container before exec`);
    this.runner.startComing(); // runc exec puts the process into the container's cgroups
    const id = this.randomId();
    this.execs.set(id, { id, containerId: rec.id, config: body, running: false, exitCode: null, pid: 0 });
    return { Id: id };
  }

  private require(id: string): ExecRecord {
    const e = this.execs.get(id);
    if (!e) throw notFound(`No such exec instance: ${id}`);
    return e;
  }

  /** `GET /exec/{id}/json`. */
  inspect(id: string): Record<string, unknown> {
    const e = this.require(id);
    const cmd = e.config.Cmd ?? [];
    return {
      ID: e.id, Running: e.running, ExitCode: e.exitCode, ProcessConfig: {
        tty: !!e.config.Tty, entrypoint: cmd[0] ?? '', arguments: cmd.slice(1), privileged: !!e.config.Privileged, user: e.config.User ?? '',
      },
      OpenStdin: !!e.config.AttachStdin, OpenStderr: !!e.config.AttachStderr, OpenStdout: !!e.config.AttachStdout,
      CanRemove: false, ContainerID: e.containerId, DetachKeys: '', Pid: e.pid,
    };
  }

  /** `POST /exec/{id}/start`: detached, or streaming over `client`. */
  async start(id: string, opts: { detach: boolean }, client?: { socket: Duplex; head: Buffer; onReady: () => void }): Promise<void> {
    const e = this.require(id);
    if (e.running || e.exitCode !== null) throw conflict(`Error: Exec command ${id} has already run`);
    const rec = this.containers.store.require(e.containerId);
    if (!rec.state.Running) throw conflict(`Container ${rec.id} is not running`);
    const dir = path.join(this.runner.paths.execRoot, 'exec', id);
    await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    const base = JSON.parse(await fs.readFile(this.runner.runFile(rec.id, 'config.json'), 'utf8')) as {
      process: Record<string, unknown> & { env: string[]; user: unknown; cwd: string };
    };
    const rootfs = this.runner.rootfsDir(rec.id);
    const read = (f: string) => fs.readFile(path.join(rootfs, f), 'utf8').catch(() => undefined);
    const user = e.config.User ? resolveUser(e.config.User, await read('etc/passwd'), await read('etc/group')) : base.process.user;
    const home = base.process.env.find((e) => e.startsWith('HOME='));
    const env = [...this.containers.processEnv(rec), ...(home && !this.containers.processEnv(rec).some((e) => e.startsWith('HOME=')) ? [home] : [])];
    for (const v of e.config.Env ?? []) {
      const key = v.split('=')[0];
      const i = env.findIndex((x) => x.split('=')[0] === key);
      if (i >= 0) env[i] = v;
      else env.push(v);
    }
    // The container's capabilities and no-new-privileges come with base.process (runc applies
    // the container's seccomp filter itself); --privileged grants every capability but no
    // inheritable ones, as Docker 20.10.14 and later (CVE-2022-24769).
    const all = e.config.Privileged ? this.runner.security.privilegedCaps() : undefined;
    const processSpec = {
      ...base.process, terminal: !!e.config.Tty, args: e.config.Cmd, env, user,
      cwd: e.config.WorkingDir || base.process.cwd,
      ...(all ? { capabilities: { bounding: all, effective: all, permitted: all } } : {}),
    };
    await writeFileAtomic(path.join(dir, 'process.json'), JSON.stringify(processSpec));
    const attach = !opts.detach && !!client;
    let session: AttachSession | undefined;
    if (attach) {
      client!.onReady();
      session = new AttachSession(
        client!.socket,
        { stdin: !!e.config.AttachStdin, stdout: !!e.config.AttachStdout, stderr: !!e.config.AttachStderr, tty: !!e.config.Tty },
        client!.head,
      );
    }
    e.running = true;
    // The client reads the exit code as soon as its stream ends: hold the end until it is known.
    let markRecorded: () => void = () => {};
    const recorded = new Promise<void>((r) => (markRecorded = r));
    if (session) session.holdEnd = recorded;
    try {
      const launched = await launchConmon(
        {
          id: rec.id, name: rec.name.slice(1), runtime: this.runner.runc.binary, runtimeArgs: this.runner.runc.globalArgs(),
          bundle: dir, pidFile: path.join(dir, 'pid'), conmonPidFile: '', persistDir: '', logPath: path.join(dir, 'log'),
          exitDir: dir, socketDir: this.runner.paths.socketDir, stdin: !!e.config.AttachStdin && attach, stdinOnce: true,
          tty: !!e.config.Tty, exec: { execId: id, processSpec: path.join(dir, 'process.json'), attach },
        },
        dir,
        session ? () => session!.connect(path.join(this.runner.paths.socketDir, attachName(id), 'attach')) : undefined,
      );
      e.pid = launched.pid;
      const exit = (launched.exitCode ?? Promise.resolve(-1)).then(async (code) => {
        const c = code >= 0 ? code : Number((await fs.readFile(path.join(dir, rec.id), 'utf8').catch(() => '')) || 126);
        e.running = false;
        e.exitCode = c;
        markRecorded();
        return c;
      });
      const cleanup = async () => {
        await fs.rm(dir, { recursive: true, force: true }).catch(() => {});
        await fs.rm(path.join(this.runner.paths.socketDir, attachName(id)), { recursive: true, force: true }).catch(() => {});
      };
      if (session) {
        await exit;
        await Promise.race([session.whenDone(), new Promise((r) => setTimeout(r, 1000))]);
        session.finish();
        await cleanup();
      } else {
        void exit.then(cleanup);
      }
    } catch (err) {
      e.running = false;
      e.exitCode = 126;
      markRecorded();
      session?.finish();
      if (attach) return;
      throw systemError(`OCI runtime exec failed: ${messageOf(err)}: unknown`, err);
    }
  }
}
