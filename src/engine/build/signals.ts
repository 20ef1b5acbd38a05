/** Linux signal names for STOPSIGNAL validation (Docker's signal.ParseSignal rules). Pure. */
import { invalidParameter } from '../../errors.js';

const SIGNALS: Readonly<Record<string, number>> = {
  ABRT: 6, ALRM: 14, BUS: 7, CHLD: 17, CLD: 17, CONT: 18, FPE: 8, HUP: 1, ILL: 4, INT: 2, IO: 29,
  IOT: 6, KILL: 9, PIPE: 13, POLL: 29, PROF: 27, PWR: 30, QUIT: 3, SEGV: 11, STKFLT: 16, STOP: 19,
  SYS: 31, TERM: 15, TRAP: 5, TSTP: 20, TTIN: 21, TTOU: 22, URG: 23, USR1: 10, USR2: 12,
  VTALRM: 26, WINCH: 28, XCPU: 24, XFSZ: 25,
};

/** Returns the signal number for `SIGTERM`, `TERM`, `15` or `RTMIN+3`; throws `Invalid signal: x`. */
export function normalizeSignal(text: string): number {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n > 0 && n <= 64) return n;
    throw invalidParameter(`Invalid signal: ${text}`);
  }
  const name = text.toUpperCase().replace(/^SIG/, '');
  const rt = /^RTMIN(?:\+(\d+))?$/.exec(name) ?? /^RTMAX(?:-(\d+))?$/.exec(name);
  if (rt) {
    const offset = Number(rt[1] ?? 0);
    const n = name.startsWith('RTMIN') ? 34 + offset : 64 - offset;
    if (n >= 34 && n <= 64) return n;
  }
  const n = SIGNALS[name];
  if (n === undefined) throw invalidParameter(`Invalid signal: ${text}`);
  return n;
}
