/**
 * Entry point of the `wharf` CLI: hands argv, the environment and the standard streams to
 * `main`, wires signals, and sets the exit code.
 */
import { main } from '../cli/main.js';

const hooks = {
  onSignal(signal: string, handler: () => void): () => void {
    const sig = signal as NodeJS.Signals;
    process.on(sig, handler);
    return () => {
      process.removeListener(sig, handler);
    };
  },
};

const status = await main(
  process.argv.slice(2),
  process.env,
  { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
  { hooks },
);
process.exitCode = status;
// stdin may still hold the event loop open (a paused TTY or pipe): let go of it.
process.stdin.unref?.();
if (process.stdin.isTTY) process.stdin.destroy();
