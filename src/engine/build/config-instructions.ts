/**
 * The instructions that only change the image config (ENV, LABEL, EXPOSE, VOLUME, USER, WORKDIR,
 * CMD, ENTRYPOINT, SHELL, STOPSIGNAL, ONBUILD, HEALTHCHECK, MAINTAINER, ARG), applied as pure
 * functions: old config + instruction -> new config + the history comment Docker records.
 * Also `applyChanges` for `docker commit --change` / `docker import --change`.
 */
import { invalidParameter } from '../../errors.js';
import { parseDockerfile } from './dockerfile-parser.js';
import { formatGoDuration } from './healthcheck.js';
import {
  addToSet, cloneImageConfig, DEFAULT_SHELL, type ImageConfig,
} from './image-config.js';
import { parseInstruction, type CommandLine, type Instruction } from './instructions.js';
import { lookupFromEnvList, processWord, processWords, type VariableLookup } from './shell-lex.js';
import { normalizeSignal } from './signals.js';

/** What a config instruction needs from the build state. */
export interface ConfigContext {
  /** Variables for substitution: ENV first, then visible ARGs. */
  lookup: VariableLookup;
  escape: string;
  /** True once a CMD was given in the current stage (ENTRYPOINT then keeps Cmd). */
  cmdSet: boolean;
}

/** The result of applying one config instruction. */
export interface ConfigChange {
  config: ImageConfig;
  /** The history comment (`ENV A=b`); the created_by is `<shell> #(nop)  <comment>`. */
  comment: string;
  cmdSet: boolean;
}

/** Kinds handled by applyConfigInstruction. */
export const CONFIG_KINDS: ReadonlySet<Instruction['kind']> = new Set([
  'env', 'label', 'expose', 'volume', 'user', 'workdir', 'cmd', 'entrypoint', 'shell',
  'stopsignal', 'onbuild', 'healthcheck', 'maintainer',
]);

/** Go's `%q` of a string slice: `["a" "b"]`. */
export function quoteList(list: readonly string[] | null | undefined): string {
  return `[${(list ?? []).map((s) => JSON.stringify(s)).join(' ')}]`;
}

/** The argv a CMD/ENTRYPOINT/RUN line stands for (shell form goes through the image's shell). */
export function resolveCommandLine(command: CommandLine, config: ImageConfig): string[] {
  if (command.json) return [...command.args];
  return [...(config.Shell?.length ? config.Shell : DEFAULT_SHELL), command.text];
}

/** The created_by text Docker records for a config-only step. */
export function nopCreatedBy(config: ImageConfig, comment: string): string {
  return [...(config.Shell?.length ? config.Shell : DEFAULT_SHELL), '#(nop) ', comment].join(' ');
}

/** Applies one config instruction; throws InvalidParameter for bad values. */
export function applyConfigInstruction(instr: Instruction, base: ImageConfig, ctx: ConfigContext): ConfigChange {
  const config = cloneImageConfig(base);
  const word = (w: string) => processWord(w, ctx.lookup, ctx.escape);
  const done = (comment: string, cmdSet = ctx.cmdSet): ConfigChange => ({ config, comment, cmdSet });
  switch (instr.kind) {
    case 'env': {
      const pairs = instr.pairs.map((p) => `${word(p.key)}=${word(p.value)}`);
      const env = [...(config.Env ?? [])];
      for (const pair of pairs) {
        const key = pair.slice(0, pair.indexOf('='));
        const at = env.findIndex((e) => e.split('=', 1)[0] === key);
        if (at >= 0) env[at] = pair;
        else env.push(pair);
      }
      config.Env = env;
      return done(`ENV ${pairs.join(' ')}`);
    }
    case 'label': {
      const labels = { ...(config.Labels ?? {}) };
      const parts = instr.pairs.map((p) => {
        const key = word(p.key);
        if (key === '') throw invalidParameter('LABEL names can not be blank');
        const value = word(p.value);
        labels[key] = value;
        return `${key}=${value}`;
      });
      config.Labels = labels;
      return done(`LABEL ${parts.join(' ')}`);
    }
    case 'expose': {
      const ports = instr.ports.flatMap((p) => processWords(p, ctx.lookup, ctx.escape));
      config.ExposedPorts = addToSet(config.ExposedPorts, ports.flatMap(parseExposedPort));
      return done(`EXPOSE ${ports.join(' ')}`);
    }
    case 'volume': {
      const paths = instr.paths.map(word);
      if (paths.some((p) => p.trim() === '')) throw invalidParameter('VOLUME specified can not be an empty string');
      config.Volumes = addToSet(config.Volumes, paths);
      return done(`VOLUME [${paths.join(' ')}]`);
    }
    case 'user':
      config.User = word(instr.value);
      return done(`USER ${config.User}`);
    case 'workdir': {
      config.WorkingDir = normalizeWorkdir(config.WorkingDir ?? '', word(instr.value));
      return done(`WORKDIR ${config.WorkingDir}`);
    }
    case 'maintainer':
      return done(`MAINTAINER ${instr.value}`);
    case 'stopsignal': {
      const signal = word(instr.value);
      normalizeSignal(signal);
      config.StopSignal = signal;
      return done(`STOPSIGNAL ${signal}`);
    }
    case 'cmd': {
      config.Cmd = resolveCommandLine(instr.command, config);
      const hasArgs = instr.command.json ? instr.command.args.length > 0 : instr.command.text !== '';
      return done(`CMD ${quoteList(config.Cmd)}`, ctx.cmdSet || hasArgs);
    }
    case 'entrypoint': {
      config.Entrypoint = resolveCommandLine(instr.command, config);
      if (!ctx.cmdSet) config.Cmd = null;
      return done(`ENTRYPOINT ${quoteList(config.Entrypoint)}`);
    }
    case 'shell':
      config.Shell = [...instr.shell];
      return done(`SHELL [${instr.shell.join(' ')}]`);
    case 'onbuild':
      config.OnBuild = [...(config.OnBuild ?? []), instr.expression];
      return done(`ONBUILD ${instr.expression}`);
    case 'healthcheck': {
      const h = instr.health;
      config.Healthcheck = { ...h };
      const text = h.Test[0] === 'NONE'
        ? `&{${quoteList(h.Test)} "0s" "0s" "0s" '\\x00'}`
        : `&{${quoteList(h.Test)} "${formatGoDuration(h.Interval ?? 0)}" "${formatGoDuration(h.Timeout ?? 0)}" ` +
          `"${formatGoDuration(h.StartPeriod ?? 0)}" '\\x${(h.Retries ?? 0).toString(16).padStart(2, '0')}'}`;
      return done(`HEALTHCHECK ${text}`);
    }
    default:
      throw invalidParameter(`${instr.kind.toUpperCase()} does not only change the image config`);
  }
}

/** WORKDIR: a relative path is joined to the current one; an absolute one is taken as given. */
export function normalizeWorkdir(current: string, requested: string): string {
  if (requested === '') throw invalidParameter('cannot normalize nothing');
  if (requested.startsWith('/')) return requested;
  const parts: string[] = [];
  for (const seg of `/${current}/${requested}`.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}

/** EXPOSE `80`, `80/udp`, `8000-8002/tcp` (also `ip:host:container` forms) -> `80/tcp` keys. */
export function parseExposedPort(spec: string): string[] {
  const slash = spec.lastIndexOf('/');
  const proto = (slash >= 0 ? spec.slice(slash + 1) : 'tcp').toLowerCase();
  const portPart = (slash >= 0 ? spec.slice(0, slash) : spec).split(':').pop()!;
  if (!['tcp', 'udp', 'sctp'].includes(proto)) throw invalidParameter(`invalid proto: ${proto}`);
  const match = /^(\d+)(?:-(\d+))?$/.exec(portPart);
  if (!match) throw invalidParameter(`invalid containerPort: ${portPart}`);
  const start = Number(match[1]);
  const end = match[2] === undefined ? start : Number(match[2]);
  if (start > 65535 || end > 65535 || end < start) throw invalidParameter(`invalid containerPort: ${portPart}`);
  const out: string[] = [];
  for (let p = start; p <= end; p++) out.push(`${p}/${proto}`);
  return out;
}

const CHANGE_KINDS = new Set(['cmd', 'entrypoint', 'healthcheck', 'env', 'expose', 'label', 'onbuild', 'user', 'volume', 'workdir']);

/**
 * Applies `docker commit --change` / `docker import --change` lines to a config, as if they were
 * Dockerfile instructions (variables come from the config's own Env).
 */
export function applyChanges(config: ImageConfig, changes: readonly string[]): ImageConfig {
  if (changes.length === 0) return cloneImageConfig(config);
  const parsed = parseDockerfile(changes.join('\n'));
  for (const node of parsed.nodes) {
    if (!CHANGE_KINDS.has(node.keyword)) throw invalidParameter(`${node.keyword} is not a valid change command`);
  }
  let current = cloneImageConfig(config);
  let cmdSet = false;
  for (const node of parsed.nodes) {
    const instr = parseInstruction(node, parsed.escape);
    const change = applyConfigInstruction(instr, current, {
      lookup: lookupFromEnvList(current.Env ?? []), escape: parsed.escape, cmdSet,
    });
    current = change.config;
    cmdSet = change.cmdSet;
  }
  return current;
}

/** Applies one `--change` line (see applyChanges). */
export function applyChange(config: ImageConfig, instructionLine: string): ImageConfig {
  return applyChanges(config, [instructionLine]);
}
