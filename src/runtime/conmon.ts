/**
 * Launches conmon, the per-container monitor (platform-notes §3). conmon runs `runc create`,
 * keeps the container's stdio, writes logs in k8s-file format and the exit code to the exit dir.
 * This adapter builds the argv (pure, golden-tested) and reads the sync pipe.
 */
import { spawn } from 'node:child_process';
import { systemError } from '../errors.js';
import { envFields, hostHelper, statusError } from './host-helper.js';

export const CONMON_PATH = '/usr/bin/conmon';

export interface ConmonArgs {
  id: string;
  name: string;
  runtime: string;
  runtimeArgs: string[];
  bundle: string;
  pidFile: string;
  conmonPidFile: string;
  persistDir: string;
  logPath: string;
  exitDir: string;
  socketDir: string;
  stdin: boolean;
  stdinOnce: boolean;
  tty: boolean;
  logSizeMax?: number;
  /** Added to conmon's environment (which the runtime inherits). */
  env?: Record<string, string>;
  /** For exec sessions: the container id is `id`, `execId` names the session. */
  exec?: { execId: string; processSpec: string; attach: boolean };
}

/** The name conmon gives a container's or exec session's attach directory (12 hex, like short ids). */
export function attachName(id: string): string {
  return id.slice(0, 12);
}

/** conmon's argv (without the binary). */
export function conmonArgv(a: ConmonArgs): string[] {
  // conmon names the attach socket's directory after -u: a short id keeps
  // `<socket dir>/<uuid>/attach` under the 107-byte limit of unix socket paths.
  const argv = ['--api-version', '1', '-c', a.id, '-u', attachName(a.exec ? a.exec.execId : a.id), '-n', a.name, '-r', a.runtime];
  for (const r of a.runtimeArgs) argv.push('--runtime-arg', r);
  argv.push('-b', a.bundle, '-p', a.pidFile);
  if (!a.exec) argv.push('-P', a.conmonPidFile, '-0', a.persistDir);
  argv.push('-l', `k8s-file:${a.logPath}`, '--log-size-max', String(a.logSizeMax ?? 104857600));
  argv.push('--exit-dir', a.exitDir, '--socket-dir-path', a.socketDir, '--syslog');
  if (a.stdin) {
    argv.push('-i');
    if (!a.stdinOnce) argv.push('--leave-stdin-open');
  }
  if (a.tty) argv.push('-t');
  if (a.exec) {
    argv.push('--exec', '--exec-process-spec', a.exec.processSpec);
    if (a.exec.attach) argv.push('--exec-attach');
  }
  return argv;
}

export interface Launched {
  pid: number;
  /** For exec sessions: resolves with the exit code from the second sync message. */
  exitCode?: Promise<number>;
}

/**
 * Spawns conmon and waits for the container pid on the sync pipe. A negative pid means runc
 * create failed: rejects with runc's message. `beforeRelease` runs before conmon is released.
 */
export function launchConmon(
  args: ConmonArgs,
  cwd: string,
  onAttachReady?: () => Promise<void>,
  binary = CONMON_PATH,
): Promise<Launched> {
  const helper = hostHelper();
  if (helper && !args.exec) return launchByHelper(args, cwd, binary, helper.request.bind(helper));
  return new Promise((resolve, reject) => {
    const execAttach = !!args.exec?.attach;
    const child = spawn(binary, conmonArgv(args), {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe', ...(execAttach ? (['pipe'] as const) : [])],
      env: { ...process.env, ...args.env, _OCI_SYNCPIPE: '3', _OCI_STARTPIPE: '4', ...(execAttach ? { _OCI_ATTACHPIPE: '5' } : {}) },
      detached: true,
      cwd,
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => reject(systemError(`cannot start conmon: ${e.message}`, e)));
    const sync = child.stdio[3] as NodeJS.ReadableStream & { destroy(): void };
    const start = child.stdio[4] as NodeJS.WritableStream;
    if (execAttach) {
      // exec with attach: conmon reports on fd 5 when its attach socket listens, then waits for
      // a second start message so that no output is produced before we are connected.
      start.write('0');
      const attachPipe = (child.stdio as unknown as unknown[])[5] as NodeJS.ReadableStream & { destroy(): void };
      let abuf = '';
      attachPipe.on('error', () => {});
      attachPipe.on('data', (d: Buffer) => {
        abuf += d.toString();
        if (!abuf.includes('\n')) return;
        attachPipe.destroy();
        (onAttachReady ?? (async () => {}))()
          .catch(() => {})
          .finally(() => start.end('1'));
      });
    } else start.end('0');
    let buf = '';
    let gotPid = false;
    let resolveExit: (code: number) => void = () => {};
    const exitCode = new Promise<number>((r) => (resolveExit = r));
    sync.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!line.trim()) continue;
        let msg: { data: number; message?: string };
        try {
          msg = JSON.parse(line);
        } catch {
          continue;
        }
        if (!gotPid) {
          gotPid = true;
          if (msg.data < 0) {
            sync.destroy();
            child.unref();
            reject(systemError(msg.message ?? 'runc create failed'));
            return;
          }
          if (!args.exec) {
            sync.destroy();
            child.unref();
            resolve({ pid: msg.data });
          } else {
            resolve({ pid: msg.data, exitCode });
          }
        } else {
          resolveExit(msg.data);
          sync.destroy();
          child.unref();
        }
      }
    });
    sync.on('end', () => {
      if (!gotPid) reject(systemError(`conmon exited before reporting: ${stderr.trim()}`));
      else resolveExit(-1);
    });
    sync.on('error', () => {});
  });
}

/** Parses conmon's first sync-pipe message: the container's pid, or runc's failure. */
export function parseSyncLine(line: string, stderr: string): number {
  let msg: { data?: unknown; message?: unknown };
  try {
    msg = JSON.parse(line) as { data?: unknown; message?: unknown };
  } catch {
    throw systemError(`conmon exited before reporting: ${stderr.trim()}`);
  }
  if (typeof msg.data !== 'number') throw systemError(`conmon sent an unexpected message: ${line.trim()}`);
  if (msg.data < 0) throw systemError(typeof msg.message === 'string' ? msg.message : 'runc create failed');
  return msg.data;
}

/** Launches a container's conmon through wharf-host-helper, which owns the two pipes. */
async function launchByHelper(
  args: ConmonArgs,
  cwd: string,
  binary: string,
  request: (fields: (string | Buffer)[]) => Promise<Buffer[]>,
): Promise<Launched> {
  // The C locale is built in: conmon then reads no locale files at start-up.
  const env = { ...process.env, LC_ALL: 'C', ...args.env, _OCI_SYNCPIPE: '3', _OCI_STARTPIPE: '4' };
  const [status, line, stderr] = await request(['conmon', cwd, '0', ...envFields(env), binary, ...conmonArgv(args)]);
  const err = statusError(status?.toString() ?? 'E5', 'cannot start conmon');
  if (err) throw systemError(err.message, err);
  return { pid: parseSyncLine(line?.toString() ?? '', stderr?.toString() ?? '') };
}
