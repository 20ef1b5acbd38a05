/**
 * The second pass: each DockerfileNode becomes a typed instruction, with Docker's argument rules
 * and error wording. Variable substitution is not done here (it needs the build state); the
 * values keep their quotes until the builder expands them. Pure.
 */
import { invalidParameter } from '../../errors.js';
import { splitWhitespace, type DockerfileNode } from './dockerfile-parser.js';
import { parseFlags } from './instruction-flags.js';
import { parseHealthcheck, type HealthcheckSpec } from './healthcheck.js';

/** RUN/CMD/ENTRYPOINT arguments: exec form (a JSON array) or shell form (one string). */
export type CommandLine = { json: true; args: string[] } | { json: false; text: string };

/** A key/value pair of ENV or LABEL, still unexpanded. */
export interface KeyValue {
  key: string;
  value: string;
}

/** One typed Dockerfile instruction. */
export type Instruction =
  | { kind: 'from'; image: string; stageName?: string; platform?: string }
  | { kind: 'run' | 'cmd' | 'entrypoint'; command: CommandLine }
  | { kind: 'shell'; shell: string[] }
  | { kind: 'env' | 'label'; pairs: KeyValue[] }
  | { kind: 'expose'; ports: string[] }
  | { kind: 'volume'; paths: string[] }
  | { kind: 'maintainer' | 'workdir' | 'user' | 'stopsignal'; value: string }
  | { kind: 'arg'; name: string; defaultValue?: string }
  | { kind: 'copy' | 'add'; sources: string[]; dest: string; chown?: string; from?: string }
  | { kind: 'onbuild'; expression: string }
  | { kind: 'healthcheck'; health: HealthcheckSpec };

/** An instruction with where it came from. */
export type SourcedInstruction = Instruction & { line: number; original: string };

const NOT_STRING_ARRAY = 'when using JSON array syntax, arrays must be comprised of strings only';

/** Reads `node` into an instruction; errors are prefixed like Docker's (`dockerfile parse error line N: ...`). */
export function parseInstruction(node: DockerfileNode, escape = '\\'): SourcedInstruction {
  try {
    return { ...readInstruction(node, escape), line: node.startLine, original: node.original };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw invalidParameter(`dockerfile parse error line ${node.startLine}: ${message}`, err);
  }
}

function readInstruction(node: DockerfileNode, escape: string): Instruction {
  const { keyword, rest } = node;
  const name = keyword.toUpperCase();
  const noFlags = () => parseFlags(node.flags, {});
  switch (keyword) {
    case 'from': {
      const flags = parseFlags(node.flags, { platform: 'string' });
      const args = splitWhitespace(rest);
      let stageName: string | undefined;
      if (args.length === 3 && args[1]!.toLowerCase() === 'as') {
        stageName = args[2]!.toLowerCase();
        if (!/^[a-z][a-z0-9-_.]*$/.test(stageName)) {
          throw new Error(`invalid name for build stage: "${args[2]}", name can't start with a number or contain symbols`);
        }
      } else if (args.length !== 1) throw new Error('FROM requires either one or three arguments');
      return { kind: 'from', image: args[0]!, ...(stageName ? { stageName } : {}), ...optional('platform', flags.platform) };
    }
    case 'run':
    case 'cmd':
    case 'entrypoint':
      noFlags();
      if (rest === '' && keyword === 'run') throw new Error(`${name} requires at least one argument`);
      return { kind: keyword, command: parseMaybeJson(rest) };
    case 'shell': {
      noFlags();
      const command = parseMaybeJson(rest);
      if (!command.json) throw new Error('SHELL requires the arguments to be in JSON form');
      if (command.args.length === 0) throw new Error('SHELL requires at least one argument');
      return { kind: 'shell', shell: command.args };
    }
    case 'env':
    case 'label': {
      noFlags();
      const pairs = parseNameValue(rest, name, escape);
      if (pairs.length === 0) throw new Error(`${name} requires at least one argument`);
      return { kind: keyword, pairs };
    }
    case 'expose':
      noFlags();
      if (rest === '') throw new Error('EXPOSE requires at least one argument');
      return { kind: 'expose', ports: splitWhitespace(rest).sort() };
    case 'volume': {
      noFlags();
      const paths = parseMaybeJsonList(rest);
      if (paths.length === 0) throw new Error('VOLUME requires at least one argument');
      return { kind: 'volume', paths };
    }
    case 'maintainer':
    case 'workdir':
    case 'user':
    case 'stopsignal':
      noFlags();
      if (rest === '') throw new Error(`${name} requires exactly one argument`);
      return { kind: keyword, value: rest };
    case 'arg': {
      noFlags();
      const words = parseWords(rest, escape);
      if (words.length !== 1) throw new Error('ARG requires exactly one argument');
      const eq = words[0]!.indexOf('=');
      if (eq < 0) return { kind: 'arg', name: words[0]! };
      if (eq === 0) throw new Error('ARG names can not be blank');
      return { kind: 'arg', name: words[0]!.slice(0, eq), defaultValue: words[0]!.slice(eq + 1) };
    }
    case 'copy':
    case 'add': {
      const flags = parseFlags(node.flags, keyword === 'copy' ? { chown: 'string', from: 'string' } : { chown: 'string' });
      const list = parseMaybeJsonList(rest);
      if (list.length < 2) {
        throw new Error(`${name} requires at least two arguments, but only one was provided. Destination could not be determined.`);
      }
      return {
        kind: keyword,
        sources: list.slice(0, -1),
        dest: list[list.length - 1]!,
        ...optional('chown', flags.chown),
        ...optional('from', flags.from),
      };
    }
    case 'onbuild': {
      noFlags();
      if (rest === '') throw new Error('ONBUILD requires at least one argument');
      const trigger = splitWhitespace(rest)[0]!.toUpperCase();
      if (trigger === 'ONBUILD') throw new Error('Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed');
      if (trigger === 'FROM' || trigger === 'MAINTAINER') throw new Error(`${trigger} isn't allowed as an ONBUILD trigger`);
      return { kind: 'onbuild', expression: node.original.replace(/^\s*onbuild\s*/i, '') };
    }
    case 'healthcheck':
      return { kind: 'healthcheck', health: parseHealthcheck(node.flags, rest) };
    default:
      throw new Error(`unknown instruction: ${name}`);
  }
}

function optional<K extends string>(key: K, value: string | boolean | undefined): Partial<Record<K, string>> {
  return typeof value === 'string' && value !== '' ? ({ [key]: value } as Record<K, string>) : {};
}

/** Exec form when `text` is a JSON array of strings, else shell form. */
export function parseMaybeJson(text: string): CommandLine {
  const list = tryJsonArray(text);
  return list ? { json: true, args: list } : { json: false, text };
}

function parseMaybeJsonList(text: string): string[] {
  return tryJsonArray(text) ?? splitWhitespace(text);
}

function tryJsonArray(text: string): string[] | undefined {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('[')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) return undefined;
  if (!value.every((v) => typeof v === 'string')) throw new Error(NOT_STRING_ARRAY);
  return value as string[];
}

/** ENV/LABEL arguments: `key value...` (old form) or `key=value key2="v 2"...`. */
export function parseNameValue(rest: string, name: string, escape = '\\'): KeyValue[] {
  const words = parseWords(rest, escape);
  if (words.length === 0) return [];
  if (!words[0]!.includes('=')) {
    const match = /^(\S+)[\t\v\f\r ]+([\s\S]*)$/.exec(rest);
    if (!match || match[2] === '') throw new Error(`${name} must have two arguments`);
    return [{ key: match[1]!, value: match[2]! }];
  }
  return words.map((word) => {
    const eq = word.indexOf('=');
    if (eq < 0) throw new Error(`Syntax error - can't find = in "${word}". Must be of the form: name=value`);
    if (eq === 0) throw new Error(`${name} names can not be blank`);
    return { key: word.slice(0, eq), value: word.slice(eq + 1) };
  });
}

/**
 * Splits at unquoted blanks, keeping quotes and escapes in the words (they are removed later by
 * substitution). An escape character protects the next character, except inside single quotes.
 */
export function parseWords(rest: string, escape = '\\'): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote = '';
  for (let i = 0; i < rest.length; i++) {
    const ch = rest[i]!;
    if (quote) {
      if (ch === quote) quote = '';
      else if (ch === escape && quote !== "'") {
        if (i + 1 >= rest.length) continue;
        word += ch;
        i++;
        word += rest[i];
        continue;
      }
      word += ch;
      continue;
    }
    if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (ch === '"' || ch === "'") quote = ch;
    if (ch === escape) {
      if (i + 1 >= rest.length) continue;
      word += ch;
      i++;
      word += rest[i];
      continue;
    }
    word += ch;
  }
  if (inWord) words.push(word);
  return words;
}
