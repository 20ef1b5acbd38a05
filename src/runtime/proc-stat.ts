/**
 * A process's state and parent from `/proc/<pid>/stat`: the parser is pure; `processRunning`
 * and `liveParentPid` read the file (small, local: synchronously).
 */
import { readSmallFile } from '../store/small-files.js';

/** State letter and parent pid of a stat line (the command name may hold spaces and parentheses). */
export function parseProcStat(text: string): { state: string; ppid: number } | undefined {
  const end = text.lastIndexOf(')');
  if (end < 0) return undefined;
  const [state, ppid] = text.slice(end + 2).split(' ');
  if (!state || ppid === undefined) return undefined;
  return { state, ppid: Number(ppid) };
}

const gone = (state: string) => state === 'Z' || state === 'X';

/** True while `pid` exists and is not a zombie (killed, not yet reaped). */
export function processRunning(pid: number): boolean {
  const s = parseProcStat(readSmallFile(`/proc/${pid}/stat`) ?? '');
  return !!s && !gone(s.state);
}

/** The parent pid of `pid`, or undefined when it is gone or a zombie. */
export function liveParentPid(pid: number): number | undefined {
  const s = parseProcStat(readSmallFile(`/proc/${pid}/stat`) ?? '');
  return s && !gone(s.state) ? s.ppid : undefined;
}
