/**
 * `--filter key=value` flags into the Engine API's filters JSON (`{"key":{"value":true}}`).
 */
import { StatusError } from '../cli-io.js';

/** Parses repeated `key=value` filters; a value without `=` is docker's "bad format" error. */
export function parseFilters(filters: string[]): Record<string, Record<string, boolean>> {
  const out: Record<string, Record<string, boolean>> = {};
  for (const f of filters) {
    const eq = f.indexOf('=');
    if (eq < 0) throw new StatusError(125, `invalid argument "${f}" for "-f, --filter" flag: bad format of filter (expected name=value)`);
    const key = f.slice(0, eq).trim().toLowerCase();
    const value = f.slice(eq + 1).trim();
    (out[key] ??= {})[value] = true;
  }
  return out;
}
