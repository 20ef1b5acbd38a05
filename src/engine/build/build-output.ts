/**
 * The JSON message stream of a classic build: `{"stream":...}` lines, `{"aux":...}`, and the final
 * error object. In quiet mode everything is held back (Docker buffers it) and only replayed if the
 * build fails. An error before anything was sent is rethrown so the API can answer with a status.
 */
import { StringDecoder } from 'node:string_decoder';
import { EngineError, messageOf } from '../../errors.js';

/** One message of the build stream. */
export type BuildMessage =
  | { stream: string }
  | { aux: { ID: string } }
  | { errorDetail: { code?: number; message: string }; error: string };

/** Receives the messages, in order. */
export type EmitFn = (message: BuildMessage) => void;

/** A RUN step that exited non-zero: Docker reports the exit code in errorDetail. */
export class CommandFailedError extends EngineError {
  constructor(readonly argv: readonly string[], readonly exitCode: number) {
    super('System', `The command '${argv.join(' ')}' returned a non-zero code: ${exitCode}`);
  }
}

const RED = '\u001b[91m';
const RESET = '\u001b[0m';

/** Writes build messages, buffering them in quiet mode. */
export class BuildOutput {
  private readonly held: BuildMessage[] = [];
  private sent = 0;

  constructor(private readonly emit: EmitFn, readonly quiet: boolean) {}

  private push(message: BuildMessage): void {
    if (this.quiet) this.held.push(message);
    else {
      this.sent++;
      this.emit(message);
    }
  }

  /** A `{"stream": text}` message. */
  stream(text: string): void {
    this.push({ stream: text });
  }

  /** Text the build wrote to stderr, in red as Docker shows it. */
  stderr(text: string): void {
    this.push({ stream: `${RED}${text}${RESET}` });
  }

  /** `{"aux":{"ID":"sha256:..."}}`. */
  aux(imageId: string): void {
    this.push({ aux: { ID: imageId.startsWith('sha256:') ? imageId : `sha256:${imageId}` } });
  }

  /** Returns decoders turning process output chunks into stream messages. */
  processWriters(): { write: (stream: 'stdout' | 'stderr', chunk: Buffer) => void; end: () => void } {
    const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
    const send = (stream: 'stdout' | 'stderr', text: string) => {
      if (text === '') return;
      if (stream === 'stderr') this.stderr(text);
      else this.stream(text);
    };
    return {
      write: (stream, chunk) => send(stream, decoders[stream].write(chunk)),
      end: () => {
        send('stdout', decoders.stdout.end());
        send('stderr', decoders.stderr.end());
      },
    };
  }

  /** The quiet-mode success answer: only the image id. */
  finishQuiet(imageId: string): void {
    this.sent++;
    this.emit({ stream: `${imageId}\n` });
  }

  /**
   * Reports a failure on the stream. Returns false when nothing has been sent yet (and nothing
   * is held): the caller should then answer with an HTTP error instead.
   */
  fail(err: unknown): boolean {
    if (this.quiet && this.held.length > 0) {
      for (const message of this.held.splice(0)) {
        this.sent++;
        this.emit(message);
      }
    }
    if (this.sent === 0) return false;
    const message = messageOf(err);
    const detail = err instanceof CommandFailedError ? { code: err.exitCode, message } : { message };
    this.emit({ errorDetail: detail, error: message });
    return true;
  }
}
