/**
 * A pflag-compatible flag parser (pure): `--flag=value`, `--flag value`, boolean flags with an
 * optional `=false`, combined shorthands (`-it`, `-dP`, `-eA=1`, `-e=A=1`), repeated list flags,
 * the `--` terminator and, for run/create/exec, stopping at the first positional argument.
 * Errors carry pflag's wording ("unknown flag: --bogus").
 */

/** How a flag takes its value. */
export type FlagType = 'bool' | 'string' | 'list' | 'int';

/** One flag a command accepts. */
export interface FlagDef {
  long: string;
  short?: string;
  type: FlagType;
  /** Go's type name in messages: "string", "list", "int", "bytes"... */
  typeName?: string;
  description?: string;
}

/** A flag error; the CLI prints it with the command's usage and exits 125. */
export class FlagError extends Error {
  override readonly name = 'FlagError';
}

/** Thrown when `--help` (or `-h`, if not taken) is given. */
export class HelpRequested extends Error {
  override readonly name = 'HelpRequested';
}

/** Parsed flag values keyed by long name, with typed accessors. */
export class FlagValues {
  private readonly values = new Map<string, boolean | string | string[]>();

  /** Records one occurrence of a flag (lists accumulate). */
  set(def: FlagDef, value: boolean | string): void {
    if (def.type === 'list') {
      const list = (this.values.get(def.long) as string[] | undefined) ?? [];
      list.push(String(value));
      this.values.set(def.long, list);
    } else {
      this.values.set(def.long, value);
    }
  }

  /** True when the flag was given at all. */
  changed(long: string): boolean {
    return this.values.has(long);
  }

  bool(long: string): boolean {
    return this.values.get(long) === true;
  }

  string(long: string, fallback = ''): string {
    const v = this.values.get(long);
    return typeof v === 'string' ? v : fallback;
  }

  optionalString(long: string): string | undefined {
    const v = this.values.get(long);
    return typeof v === 'string' ? v : undefined;
  }

  list(long: string): string[] {
    const v = this.values.get(long);
    return Array.isArray(v) ? [...v] : [];
  }

  int(long: string, fallback: number): number;
  int(long: string): number | undefined;
  int(long: string, fallback?: number): number | undefined {
    const v = this.values.get(long);
    return typeof v === 'string' ? Number(v) : fallback;
  }
}

/** The result of parsing a command line. */
export interface ParsedCommandLine {
  flags: FlagValues;
  args: string[];
}

/** Parser options. */
export interface ParseOptions {
  /** false for run/create/exec: the first positional ends flag parsing. */
  interspersed: boolean;
}

const GO_BOOL: Record<string, boolean> = {
  '1': true, t: true, T: true, TRUE: true, true: true, True: true,
  '0': false, f: false, F: false, FALSE: false, false: false, False: false,
};

function flagLabel(def: FlagDef): string {
  return def.short ? `-${def.short}, --${def.long}` : `--${def.long}`;
}

function checkValue(def: FlagDef, value: string): void {
  if (def.type === 'int' && !/^[-+]?\d+$/.test(value)) {
    throw new FlagError(
      `invalid argument "${value}" for "${flagLabel(def)}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`,
    );
  }
}

function parseBool(def: FlagDef, value: string): boolean {
  const b = GO_BOOL[value];
  if (b === undefined) {
    throw new FlagError(
      `invalid argument "${value}" for "${flagLabel(def)}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`,
    );
  }
  return b;
}

/** Parses `argv` (the words after the verb) against `defs`. Throws FlagError or HelpRequested. */
export function parseCommandLine(argv: readonly string[], defs: readonly FlagDef[], opts: ParseOptions): ParsedCommandLine {
  const byLong = new Map(defs.map((d) => [d.long, d]));
  const byShort = new Map(defs.filter((d) => d.short).map((d) => [d.short!, d]));
  const flags = new FlagValues();
  const args: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i++]!;
    if (arg === '--') {
      args.push(...argv.slice(i));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      args.push(arg);
      if (!opts.interspersed) {
        args.push(...argv.slice(i));
        break;
      }
      continue;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const def = byLong.get(name);
      if (!def) {
        if (name === 'help') throw new HelpRequested('help requested');
        throw new FlagError(`unknown flag: --${name}`);
      }
      if (def.type === 'bool') {
        flags.set(def, eq < 0 ? true : parseBool(def, arg.slice(eq + 1)));
        continue;
      }
      let value: string;
      if (eq >= 0) value = arg.slice(eq + 1);
      else if (i < argv.length) value = argv[i++]!;
      else throw new FlagError(`flag needs an argument: --${name}`);
      checkValue(def, value);
      flags.set(def, value);
      continue;
    }
    // shorthand cluster
    let rest = arg.slice(1);
    while (rest.length > 0) {
      const ch = [...rest][0]!;
      rest = rest.slice(ch.length);
      const def = byShort.get(ch);
      if (!def) {
        if (ch === 'h') throw new HelpRequested('help requested');
        throw new FlagError(`unknown shorthand flag: '${ch}' in ${arg}`);
      }
      if (def.type === 'bool') {
        if (rest.startsWith('=')) {
          flags.set(def, parseBool(def, rest.slice(1)));
          rest = '';
        } else {
          flags.set(def, true);
        }
        continue;
      }
      let value: string;
      if (rest.length > 0) value = rest.startsWith('=') ? rest.slice(1) : rest;
      else if (i < argv.length) value = argv[i++]!;
      else throw new FlagError(`flag needs an argument: '${ch}' in -${ch}`);
      rest = '';
      checkValue(def, value);
      flags.set(def, value);
    }
  }
  return { flags, args };
}
