/**
 * Builder flags (`COPY --chown=1:1`, `FROM --platform=...`): validates the flags of one
 * instruction against the ones it accepts, with Docker's error wording. Pure.
 */

/** The flags an instruction accepts: string flags need a value, bool flags may have one. */
export type FlagSpec = Record<string, 'string' | 'bool'>;

/** Parses raw flag words (without `--`); throws on unknown or malformed flags. */
export function parseFlags(words: readonly string[], spec: FlagSpec): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    const name = eq < 0 ? word : word.slice(0, eq);
    const value = eq < 0 ? undefined : word.slice(eq + 1);
    const type = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (!type) throw new Error(`Unknown flag: ${name}`);
    if (Object.hasOwn(out, name)) throw new Error(`Duplicate flag specified: ${name}`);
    if (type === 'string') {
      if (value === undefined) throw new Error(`Missing a value on flag: ${name}`);
      out[name] = value;
    } else {
      if (value !== undefined && !['true', 'false', ''].includes(value.toLowerCase())) {
        throw new Error(`expecting boolean value for flag ${name}, not: ${value}`);
      }
      out[name] = value === undefined || value.toLowerCase() !== 'false';
    }
  }
  return out;
}
