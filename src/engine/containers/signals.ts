/** Signal names as the API, runc and Node take them, and Docker's rule for killing a paused container (pure). */
import os from 'node:os';

/** `SIGTERM`, `TERM`, `15` → what runc accepts (`TERM`, `15`). */
export function normaliseSignal(signal: string): string {
  const s = signal.trim().toUpperCase();
  if (/^\d+$/.test(s)) return s;
  return s.startsWith('SIG') ? s.slice(3) : s;
}

/** A signal as runc takes it (`KILL`, `SIGKILL`, `9`) in the form process.kill takes. */
export function nodeSignal(signal: string): NodeJS.Signals | number | undefined {
  if (/^\d+$/.test(signal)) {
    const n = Number(signal);
    return n > 0 && n < 65 ? n : undefined;
  }
  const name = (signal.toUpperCase().startsWith('SIG') ? signal.toUpperCase() : `SIG${signal.toUpperCase()}`) as NodeJS.Signals;
  return name in os.constants.signals ? name : undefined;
}

/** The signal's number, or undefined for a name this system does not know. */
export function signalNumber(signal: string): number | undefined {
  const s = nodeSignal(normaliseSignal(signal));
  return typeof s === 'number' ? s : s === undefined ? undefined : os.constants.signals[s];
}

/**
 * Whether `docker kill -s SIG` of a paused container also resumes it, so the signal is delivered
 * (Docker 20.10): always for SIGKILL or when the container has no stop signal of its own,
 * otherwise only when SIG is that stop signal.
 */
export function killResumes(paused: boolean, stopSignal: string | undefined, signal: string): boolean {
  if (!paused) return false;
  const sig = signalNumber(signal);
  if (!stopSignal || sig === os.constants.signals.SIGKILL) return true;
  return sig !== undefined && sig === signalNumber(stopSignal);
}
