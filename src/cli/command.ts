/**
 * The shape of a CLI verb: its usage line, its flags, how many arguments it takes, and the
 * function that turns parsed flags into a typed options object and runs it.
 */
import type { CliContext } from './cli-io.js';
import type { FlagDef, FlagValues } from './flags.js';

/** A verb of the `wharf` CLI. */
export interface CommandSpec {
  name: string;
  /** Usage after the command name, e.g. "[OPTIONS] IMAGE [COMMAND] [ARG...]". */
  usage: string;
  description: string;
  flags: FlagDef[];
  /** false: the first positional ends flag parsing (run, create, exec). Default true. */
  interspersed?: boolean;
  minArgs?: number;
  maxArgs?: number;
  /** Daemon errors exit 125 and print with the `wharf:` prefix and a help hint (run). */
  daemonErrorStatus?: number;
  /** Runs the verb and returns the exit status. */
  run(ctx: CliContext, flags: FlagValues, args: string[]): Promise<number>;
}

/** Shorthand for a boolean flag definition. */
export const boolFlag = (long: string, short?: string, description = ''): FlagDef => ({
  long,
  short,
  type: 'bool',
  description,
});

/** Shorthand for a string flag definition. */
export const stringFlag = (long: string, short?: string, description = '', typeName = 'string'): FlagDef => ({
  long,
  short,
  type: 'string',
  typeName,
  description,
});

/** Shorthand for a repeatable flag definition. */
export const listFlag = (long: string, short?: string, description = '', typeName = 'list'): FlagDef => ({
  long,
  short,
  type: 'list',
  typeName,
  description,
});

/** Shorthand for an integer flag definition. */
export const intFlag = (long: string, short?: string, description = ''): FlagDef => ({
  long,
  short,
  type: 'int',
  typeName: 'int',
  description,
});
