/**
 * Moving bytes between the terminal and a container: output from an attach, exec or logs stream
 * (demultiplexed from 8-byte stdcopy frames, raw for a TTY), stdin copied onto a hijacked
 * socket with a half-close at EOF, and the raw-mode terminal dance for `-t`.
 */
import type { Duplex, Readable } from 'node:stream';
import { FrameDecoder } from '../api/stdcopy.js';
import type { CliInput, CliOutput } from './cli-io.js';

/**
 * Node's raw mode keeps the terminal's output processing (ONLCR), unlike docker's; so for a TTY
 * stream going to a raw terminal, turn the container's `\r\n` back into `\n` and let the
 * terminal add the `\r`. A trailing `\r` is held until the next chunk shows what follows it.
 */
export function createCrlfFolder(): (chunk: Buffer) => Buffer {
  let pendingCr = false;
  return (chunk) => {
    let text = (pendingCr ? '\r' : '') + chunk.toString('latin1');
    pendingCr = text.endsWith('\r');
    if (pendingCr) text = text.slice(0, -1);
    return Buffer.from(text.replace(/\r\n/g, '\n'), 'latin1');
  };
}

/** Copies a container output stream to stdout/stderr; resolves when the stream ends. */
export function pumpOutput(
  source: Readable | Duplex,
  head: Buffer,
  tty: boolean,
  stdout: CliOutput,
  stderr: CliOutput,
  foldCrlf = false,
): Promise<void> {
  const fold = foldCrlf ? createCrlfFolder() : (c: Buffer) => c;
  return new Promise((resolve) => {
    const decoder = new FrameDecoder((stream, payload) => {
      if (stream === 2) stderr.write(payload);
      else stdout.write(payload);
    });
    const onData = (chunk: Buffer) => {
      if (tty) stdout.write(fold(chunk));
      else decoder.push(chunk);
    };
    if (head.length) onData(head);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      // Wait for the outputs to drain so the exit status follows all the output.
      let pending = 2;
      const one = () => {
        if (--pending === 0) resolve();
      };
      stdout.write('', one);
      stderr.write('', one);
    };
    source.on('data', onData);
    source.on('end', finish);
    source.on('close', finish);
    source.on('error', finish);
  });
}

/** A running stdin copy; `stop()` detaches it from the terminal. */
export interface InputPump {
  stop(): void;
}

/** Copies stdin to the hijacked socket and half-closes the socket at EOF. */
export function pumpInput(stdin: CliInput, socket: Duplex): InputPump {
  const onData = (chunk: Buffer | string) => {
    if (!socket.destroyed) socket.write(chunk);
  };
  const onEnd = () => {
    if (!socket.destroyed) socket.end();
  };
  stdin.on('data', onData);
  stdin.on('end', onEnd);
  stdin.resume();
  return {
    stop() {
      stdin.removeListener('data', onData);
      stdin.removeListener('end', onEnd);
      stdin.pause();
    },
  };
}

/** True when `enterRawMode` will change the terminal (stdin is a TTY that supports raw mode). */
export function canEnterRawMode(stdin: CliInput): boolean {
  return Boolean(stdin.isTTY) && typeof stdin.setRawMode === 'function';
}

/** Puts a terminal stdin into raw mode; returns the function that restores it. */
export function enterRawMode(stdin: CliInput): () => void {
  if (!canEnterRawMode(stdin)) return () => undefined;
  stdin.setRawMode?.(true);
  return () => {
    stdin.setRawMode?.(false);
  };
}

/** The terminal size as [height, width], or undefined when stdout is not a terminal. */
export function terminalSize(stdout: CliOutput): [number, number] | undefined {
  if (!stdout.isTTY || !stdout.rows || !stdout.columns) return undefined;
  return [stdout.rows, stdout.columns];
}
