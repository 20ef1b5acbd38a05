/**
 * The `wharf` CLI: global flags, verb dispatch, and Docker's way of reporting errors (flag errors
 * with the usage and exit 125, daemon errors as `Error response from daemon: ...`, `wharf`
 * wherever docker names itself).
 */
import { ApiError, ConnectError } from '../client/api-error.js';
import { resolveHost } from '../client/docker-host.js';
import { EngineClient } from '../client/engine-client.js';
import { StatusError, type CliHooks, type CliStdio } from './cli-io.js';
import type { CommandSpec } from './command.js';
import { listCommands, resolveManagementCommand } from './commands/index.js';
import { runVolumeGroup } from './commands/volume.js';
import { runNetworkGroup } from './commands/network.js';
import { FlagError, HelpRequested, parseCommandLine, type FlagDef } from './flags.js';
import { SpecError } from './port-spec.js';

/** Options for `main`, so tests can inject the clock. */
export interface MainOptions {
  hooks?: CliHooks;
  now?: () => number;
}

const GLOBAL_FLAGS: FlagDef[] = [
  { long: 'host', short: 'H', type: 'list' },
  { long: 'debug', short: 'D', type: 'bool' },
  { long: 'log-level', short: 'l', type: 'string' },
  { long: 'config', type: 'string' },
  { long: 'context', short: 'c', type: 'string' },
  { long: 'tls', type: 'bool' },
  { long: 'version', short: 'v', type: 'bool' },
];

const NO_HOOKS: CliHooks = { onSignal: () => () => undefined };

/** Formats a command's usage block. */
function usageOf(spec: CommandSpec): string {
  return `Usage:  wharf ${spec.name} ${spec.usage}`;
}

/** Renders the `--help` text of a command. */
export function renderHelp(spec: CommandSpec): string {
  const lines = [``, usageOf(spec), ``, spec.description, ``];
  if (spec.flags.length) {
    lines.push('Options:');
    const rows = spec.flags.map((f) => {
      const names = f.short ? `-${f.short}, --${f.long}` : `    --${f.long}`;
      const type = f.type === 'bool' ? '' : ` ${f.typeName ?? f.type}`;
      return [`  ${names}${type}`, f.description ?? ''];
    });
    const width = Math.max(...rows.map((r) => r[0]!.length)) + 3;
    for (const [a, b] of rows) lines.push(`${a!.padEnd(width)}${b}`.trimEnd());
  }
  return lines.join('\n') + '\n';
}

function renderTopHelp(commands: CommandSpec[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 3;
  const rows = commands.map((c) => `  ${c.name.padEnd(width)}${c.description}`);
  return ['', 'Usage:  wharf [OPTIONS] COMMAND', '', 'A Docker-compatible container engine', '', 'Commands:', ...rows, '',
    "Run 'wharf COMMAND --help' for more information on a command.", ''].join('\n');
}

/** Runs the CLI with `argv` (without node and script) and returns the exit status. */
export async function main(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  stdio: CliStdio,
  options: MainOptions = {},
): Promise<number> {
  const err = (text: string) => stdio.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  const commands = listCommands();
  let globals;
  try {
    globals = parseCommandLine(argv, GLOBAL_FLAGS, { interspersed: false });
  } catch (e) {
    if (e instanceof HelpRequested) {
      stdio.stdout.write(renderTopHelp(commands));
      return 0;
    }
    err(`${(e as Error).message}\nSee 'wharf --help'.`);
    return 125;
  }
  if (globals.flags.bool('version')) {
    stdio.stdout.write('Wharf version 0.1.0\n');
    return 0;
  }
  let [verb, ...rest] = globals.args;
  if (!verb) {
    stdio.stdout.write(renderTopHelp(commands));
    return 0;
  }
  let spec = commands.find((c) => c.name === verb);
  if (!spec && (verb === 'image' || verb === 'container' || verb === 'volume' || verb === 'network')) {
    spec = resolveManagementCommand(verb, rest[0]);
    if (spec) {
      verb = spec.name;
      rest = rest.slice(1);
    }
  }
  if (!spec && verb === 'volume') return runVolumeGroup(stdio, rest);
  if (!spec && verb === 'network') return runNetworkGroup(stdio, rest);
  if (!spec) {
    err(`wharf: unknown command: wharf ${verb}\n\nRun 'wharf --help' for more information`);
    return 1;
  }
  let parsed;
  try {
    parsed = parseCommandLine(rest, spec.flags, { interspersed: spec.interspersed ?? true });
  } catch (e) {
    if (e instanceof HelpRequested) {
      stdio.stdout.write(renderHelp(spec));
      return 0;
    }
    err(`${(e as Error).message}\n\n${usageOf(spec)}\n\nRun 'wharf ${spec.name} --help' for more information`);
    return 125;
  }
  const n = parsed.args.length;
  const argError = argCountError(spec, n);
  if (argError) {
    const trailer = argError.see ? 'See' : 'Run';
    err(`wharf: 'wharf ${spec.name}' ${argError.text}\n\n${usageOf(spec)}\n\n${trailer} 'wharf ${spec.name} --help' for more information`);
    return 1;
  }
  const hostFlags = globals.flags.list('host');
  let client: EngineClient;
  try {
    client = new EngineClient(resolveHost(hostFlags[hostFlags.length - 1], env));
  } catch (e) {
    err((e as Error).message);
    return 1;
  }
  const ctx = { client, stdio, env, hooks: options.hooks ?? NO_HOOKS, now: options.now ?? Date.now };
  try {
    return await spec.run(ctx, parsed.flags, parsed.args);
  } catch (e) {
    return reportError(e, spec, err);
  }
}

/** Docker's argument-count messages; `see` marks the ones that end with "See ..." instead of "Run ...". */
function argCountError(spec: CommandSpec, n: number): { text: string; see: boolean } | undefined {
  const plural = (k: number) => `${k} argument${k === 1 ? '' : 's'}`;
  const { minArgs: min, maxArgs: max } = spec;
  if (min !== undefined && max !== undefined) {
    if (n >= min && n <= max) return undefined;
    if (min === max) return { text: `requires ${plural(min)}`, see: false };
    return { text: `requires at least ${min} and at most ${plural(max)}`, see: false };
  }
  if (min !== undefined && n < min) return { text: `requires at least ${plural(min)}`, see: true };
  if (max !== undefined && n > max) {
    return { text: max === 0 ? 'accepts no arguments' : `requires at most ${plural(max)}`, see: false };
  }
  return undefined;
}

/** Prints an error the way docker 28.2 does and returns the exit status. */
function reportError(e: unknown, spec: CommandSpec, err: (t: string) => void): number {
  const hint = `\n\nRun 'wharf ${spec.name} --help' for more information`;
  if (e instanceof StatusError) {
    if (e.message) err(e.message);
    return e.status;
  }
  if (e instanceof FlagError) {
    err(`${e.message}\n\n${usageOf(spec)}${hint}`);
    return 125;
  }
  if (e instanceof SpecError) {
    err(`wharf: ${e.message}${hint}`);
    return 125;
  }
  if (e instanceof ConnectError) {
    err(e.message);
    return 1;
  }
  if (e instanceof ApiError) {
    if (spec.daemonErrorStatus) {
      err(`wharf: Error response from daemon: ${e.message}${hint}`);
      return spec.daemonErrorStatus;
    }
    err(`Error response from daemon: ${e.message}`);
    return 1;
  }
  err(`Error: ${(e as Error)?.message ?? String(e)}`);
  return 1;
}
