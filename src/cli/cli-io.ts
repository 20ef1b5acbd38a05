/**
 * What a CLI command may touch besides the daemon: its standard streams (with terminal
 * controls), the environment, the clock, and signal hooks. The entry point (bin/wharf.ts) builds
 * these from `process`; tests pass fakes.
 */
import type { EngineClient } from '../client/engine-client.js';

/** Standard input, possibly a terminal. */
export interface CliInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/** Standard output or error, possibly a terminal. */
export interface CliOutput extends NodeJS.WritableStream {
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

/** The three standard streams. */
export interface CliStdio {
  stdin: CliInput;
  stdout: CliOutput;
  stderr: CliOutput;
}

/** Process-level hooks the entry point provides (signals, terminal resizes). */
export interface CliHooks {
  /** Registers a handler for a signal name (SIGINT, SIGTERM, SIGWINCH...); returns an unregister. */
  onSignal(signal: string, handler: () => void): () => void;
}

/** Everything a command runs with. */
export interface CliContext {
  client: EngineClient;
  stdio: CliStdio;
  env: Record<string, string | undefined>;
  hooks: CliHooks;
  /** Milliseconds since the epoch. */
  now(): number;
}

/** Ends a command with a status; `message`, when set, is printed on stderr first. */
export class StatusError extends Error {
  override readonly name = 'StatusError';
  constructor(
    readonly status: number,
    message = '',
  ) {
    super(message);
  }
}

/** Writes a string and resolves once it is flushed. */
export function writeOut(stream: NodeJS.WritableStream, text: string | Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (text.length === 0) resolve();
    else stream.write(text, () => resolve());
  });
}
