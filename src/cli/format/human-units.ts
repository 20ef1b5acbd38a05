/**
 * Docker's humanised durations and sizes (github.com/docker/go-units), as pure functions.
 */

/** `units.HumanDuration`: "Less than a second", "About a minute", "3 hours", "2 weeks"... */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.trunc(ms / 3600000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(ms / 3600000) / 24 / 365)} years`;
}

/** Go's `%.*g` for a positive float: `precision` significant digits, trailing zeros dropped. */
function formatG(value: number, precision: number): string {
  const s = value.toPrecision(precision);
  if (s.includes('e')) {
    const [m, e] = s.split('e');
    const exp = Number(e);
    return `${String(Number(m))}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(Number(s));
}

const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];

/** `units.HumanSizeWithPrecision`: decimal units, e.g. 1978000 → "1.98MB" with precision 3. */
export function humanSize(bytes: number, precision = 4): string {
  let size = bytes;
  let i = 0;
  while (size >= 1000 && i < DECIMAL_UNITS.length - 1) {
    size /= 1000;
    i++;
  }
  return `${formatG(size, precision)}${DECIMAL_UNITS[i]}`;
}

/** `units.RAMInBytes`: parses "512m", "1g", "100k", "1024" (binary multiples). */
export function parseRamBytes(text: string): number {
  const m = /^(\d+(?:\.\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(text);
  if (!m) {
    const suffix = /^\d+(?:\.\d+)?\s*(.*)$/.exec(text);
    if (suffix && suffix[1]) throw new Error(`invalid suffix: '${suffix[1]}'`);
    throw new Error(`invalid size: '${text}'`);
  }
  const mult: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };
  const unit = m[2]?.toLowerCase();
  return Math.trunc(Number(m[1]) * (unit ? mult[unit]! : 1));
}

/** Go's `time.Time.String()` for a moment, in UTC: "2006-01-02 15:04:05 +0000 UTC". */
export function formatGoTime(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number) => String(n).padStart(2, '0');
  const base = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(
    d.getUTCMinutes(),
  )}:${p(d.getUTCSeconds())}`;
  return `${base} +0000 UTC`;
}
