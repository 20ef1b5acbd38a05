/**
 * Docker's stream multiplexing for non-TTY attach, exec and logs: an 8-byte header (stream byte,
 * three zero bytes, big-endian uint32 length) before each payload.
 */
export type StreamId = 0 | 1 | 2;

/** Frames one payload for stream 0 (stdin), 1 (stdout) or 2 (stderr). */
export function frame(stream: StreamId, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/** Incremental decoder: feed chunks, receive whole frames. */
export class FrameDecoder {
  private pending = Buffer.alloc(0);

  constructor(private readonly onFrame: (stream: number, payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 8) {
      const len = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + len) break;
      this.onFrame(this.pending[0]!, this.pending.subarray(8, 8 + len));
      this.pending = this.pending.subarray(8 + len);
    }
  }
}
