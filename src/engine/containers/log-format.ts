/**
 * conmon's k8s-file log format, parsed into Docker log records. Pure.
 * A line is `<RFC3339 nanos> <stdout|stderr> <F|P> <bytes>`; P means the record continues.
 */

export interface LogRecord {
  stream: 'stdout' | 'stderr';
  /** Docker-style timestamp: RFC 3339 with nanoseconds and `Z`. */
  time: string;
  /** Milliseconds since the epoch, for --since/--until. */
  epochMs: number;
  /** The bytes of the record, with the trailing newline when the line was complete. */
  data: string;
}

/** Converts conmon's `...+00:00` timestamps to Docker's `...Z` form. */
export function dockerTimestamp(ts: string): string {
  return ts.replace(/\+00:00$/, 'Z');
}

/**
 * Parses complete lines of a k8s-file log. Partial (`P`) records are joined with what follows
 * on the same stream, so the result has one record per line the container wrote.
 */
export function parseK8sLog(text: string): LogRecord[] {
  const out: LogRecord[] = [];
  const pending: Partial<Record<'stdout' | 'stderr', LogRecord>> = {};
  for (const line of text.split('\n')) {
    if (!line) continue;
    const s1 = line.indexOf(' ');
    const s2 = line.indexOf(' ', s1 + 1);
    const s3 = line.indexOf(' ', s2 + 1);
    if (s1 < 0 || s2 < 0) continue;
    const time = dockerTimestamp(line.slice(0, s1));
    const stream = line.slice(s1 + 1, s2) === 'stderr' ? 'stderr' : 'stdout';
    const flag = s3 < 0 ? line.slice(s2 + 1) : line.slice(s2 + 1, s3);
    const content = s3 < 0 ? '' : line.slice(s3 + 1);
    const prev = pending[stream];
    const rec: LogRecord = prev ?? { stream, time, epochMs: Date.parse(time), data: '' };
    rec.data += content;
    if (flag === 'P') {
      pending[stream] = rec;
      continue;
    }
    rec.data += '\n';
    delete pending[stream];
    out.push(rec);
  }
  return out;
}

export interface LogFilter {
  /** Seconds since the epoch (fractions allowed); 0 = no bound. */
  since: number;
  until: number;
  /** 'all' or a count of the last records. */
  tail: number | 'all';
}

/** Parses Docker's `since`/`until` query values (unix seconds with optional fraction). */
export function parseTimeBound(value: string | null): number {
  if (!value) return 0;
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
}

/** Applies since/until/tail to records. */
export function filterLogs(records: LogRecord[], f: LogFilter): LogRecord[] {
  let r = records.filter((x) => (!f.since || x.epochMs / 1000 >= f.since) && (!f.until || x.epochMs / 1000 <= f.until));
  if (f.tail !== 'all') r = f.tail <= 0 ? [] : r.slice(-f.tail);
  return r;
}
