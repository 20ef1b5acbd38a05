/**
 * Reads a container's log for `docker logs`, optionally following it until the container stops.
 */
import { promises as fs } from 'node:fs';
import { parseK8sLog, filterLogs, type LogFilter, type LogRecord } from './log-format.js';

export interface TailOptions extends LogFilter {
  follow: boolean;
  isRunning: () => boolean;
  onRecord: (r: LogRecord) => void;
  /** Stops following (the client went away). */
  signal: AbortSignal;
}

async function readFrom(file: string, offset: number): Promise<{ text: string; size: number }> {
  const fh = await fs.open(file, 'r').catch(() => undefined);
  if (!fh) return { text: '', size: offset };
  try {
    const { size } = await fh.stat();
    if (size < offset) offset = 0; // conmon truncated the log
    const buf = Buffer.alloc(size - offset);
    await fh.read(buf, 0, buf.length, offset);
    return { text: buf.toString(), size };
  } finally {
    await fh.close();
  }
}

/** Emits the matching history, then (with follow) new records until the container stops. */
export async function tailLog(file: string, o: TailOptions): Promise<void> {
  let { text, size } = await readFrom(file, 0);
  let cut = text.lastIndexOf('\n') + 1;
  for (const r of filterLogs(parseK8sLog(text.slice(0, cut)), o)) o.onRecord(r);
  if (!o.follow) return;
  let offset = size - (text.length - cut);
  let leftover = '';
  for (;;) {
    const running = o.isRunning();
    ({ text, size } = await readFrom(file, offset));
    offset = size;
    text = leftover + text;
    cut = text.lastIndexOf('\n') + 1;
    leftover = text.slice(cut);
    for (const r of parseK8sLog(text.slice(0, cut))) {
      if (!o.until || r.epochMs / 1000 <= o.until) o.onRecord(r);
    }
    if (!running || o.signal.aborted) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
