/**
 * The one place that runs host commands and waits for them. Every adapter builds an argv and
 * calls `runCommand`; failures become EngineErrors that keep the command, exit code and stderr.
 */
import { spawn } from 'node:child_process';
import { systemError } from '../errors.js';

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
export function runCommand(argv: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
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
      const result = {
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
        code: code ?? (signal ? 128 : 1),
      };
      if (result.code !== 0 && !opts.allowFailure) {
        const failure = new CommandFailure(argv, result.code, result.stderr);
        reject(systemError(result.stderr.trim() || failure.message, failure));
      } else resolve(result);
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}
