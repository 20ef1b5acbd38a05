/**
 * The one place that runs host commands and waits for them. Every adapter builds an argv and
 * calls `runCommand`; failures become EngineErrors that keep the command, exit code and stderr.
 */
import { spawn } from 'node:child_process';
import { systemError } from '../errors.js';
import { envFields, hostHelper, statusError } from './host-helper.js';

export interface CommandResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface RunOptions {
  input?: string | Buffer;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Do not throw on a non-zero exit; return the result instead. */
  allowFailure?: boolean;
}

/** Evidence kept in the cause of a failed command. */
export class CommandFailure extends Error {
  override readonly name = 'CommandFailure';
  constructor(
    readonly argv: readonly string[],
    readonly code: number,
    readonly stderr: string,
  ) {
    super(`${argv.join(' ')} exited with ${code}: ${stderr.trim()}`);
  }
}

/** Runs argv[0] with the rest as arguments; resolves with its output. */
export async function runCommand(argv: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
  const helper = hostHelper();
  const result = helper ? await runByHelper(argv, opts, helper.request.bind(helper)) : await runByNode(argv, opts);
  if (result.code !== 0 && !opts.allowFailure) {
    const failure = new CommandFailure(argv, result.code, result.stderr);
    throw systemError(result.stderr.trim() || failure.message, failure);
  }
  return result;
}

/** Runs the command through wharf-host-helper (no fork of the daemon). */
async function runByHelper(
  argv: readonly string[],
  opts: RunOptions,
  request: (fields: (string | Buffer)[]) => Promise<Buffer[]>,
): Promise<CommandResult> {
  const input = opts.input === undefined ? '' : opts.input;
  const fields = await request(['run', opts.cwd ?? '', opts.input === undefined ? '0' : '1', input, ...envFields(opts.env), ...argv]);
  const status = fields[0]?.toString() ?? 'E5';
  const err = statusError(status, `cannot run ${argv[0]}`);
  if (err) throw systemError(err.message, err);
  return { code: Number(status), stdout: fields[1]?.toString() ?? '', stderr: fields[2]?.toString() ?? '' };
}

function runByNode(argv: readonly string[], opts: RunOptions): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: opts.cwd,
      env: opts.env,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => reject(systemError(`cannot run ${argv[0]}: ${e.message}`, e)));
    child.on('close', (code, signal) => {
      resolve({
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
        code: code ?? (signal ? 128 : 1),
      });
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}
