/**
 * conmon's attach socket is SOCK_SEQPACKET (platform-notes §3.6), which Node's `net` cannot open.
 * This adapter uses node-unix-socket. Output messages: first byte 2 = stdout, 3 = stderr.
 */
import { SeqpacketSocket } from 'node-unix-socket';

export interface AttachConnection {
  /** Sends bytes to the container's stdin. */
  write(data: Buffer): void;
  /** Closes the container's stdin (unless conmon keeps it open). */
  closeStdin(): void;
  close(): void;
}

export interface AttachHandlers {
  onOutput(stream: 'stdout' | 'stderr', data: Buffer): void;
  onEnd(): void;
}

/** Connects to `<socketDir>/<id>/attach`. */
export function connectAttach(path: string, handlers: AttachHandlers): Promise<AttachConnection> {
  return new Promise((resolve, reject) => {
    const sock = new SeqpacketSocket();
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      handlers.onEnd();
    };
    sock.on('error', (err: Error) => {
      if (!connected) reject(err);
      end();
    });
    let connected = false;
    sock.on('data', (buf: Buffer) => {
      if (buf.length < 1) return;
      const kind = buf[0];
      if (kind === 2) handlers.onOutput('stdout', buf.subarray(1));
      else if (kind === 3) handlers.onOutput('stderr', buf.subarray(1));
    });
    sock.on('end', end);
    sock.on('close', end);
    sock.connect(path, () => {
      connected = true;
      resolve({
        write: (data) => {
          if (!ended && data.length) {
            for (let off = 0; off < data.length; off += 8192) sock.write(data.subarray(off, off + 8192));
          }
        },
        closeStdin: () => {
          if (!ended) sock.end();
        },
        close: () => sock.destroy(),
      });
    });
  });
}
