/**
 * The first pass over a Dockerfile, as Docker's parser does it: parser directives (`# escape=`),
 * comments, line continuations and the split of each logical line into keyword, leading
 * `--flags` and the rest. Pure: text in, nodes out. Instruction arguments are read later
 * (instructions.ts).
 */
import { invalidParameter } from '../../errors.js';

/** One logical line of a Dockerfile. */
export interface DockerfileNode {
  /** The instruction keyword, lower-cased (`from`, `run`, ...). */
  keyword: string;
  /** Leading builder flags without their `--` (`chown=1:1`), quotes removed. */
  flags: string[];
  /** Everything after the keyword and flags, trimmed. */
  rest: string;
  /** The whole logical line (continuations joined), trimmed: what `Step N/M :` shows. */
  original: string;
  startLine: number;
  endLine: number;
}

/** A parsed Dockerfile. */
export interface ParsedDockerfile {
  escape: string;
  nodes: DockerfileNode[];
  warnings: string[];
}

const DIRECTIVE = /^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.*?)[ \t]*$/;
const WHITESPACE = /[\t\v\f\r ]+/;

/** Parses Dockerfile text into logical lines. Throws InvalidParameter on a bad directive. */
export function parseDockerfile(text: string): ParsedDockerfile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const escape = readEscapeDirective(lines);
  const continuation = new RegExp(`${escape === '\\' ? '\\\\' : '`'}[ \\t]*$`);
  const trimContinuation = (line: string): [string, boolean] =>
    continuation.test(line) ? [line.replace(continuation, ''), false] : [line, true];

  const nodes: DockerfileNode[] = [];
  const warnings: string[] = [];
  let index = 0;
  while (index < lines.length) {
    const first = lines[index]!.trimStart();
    index++;
    const startLine = index;
    if (first.startsWith('#')) continue;
    let [line, complete] = trimContinuation(first);
    if (complete && line.trim() === '') continue;
    let emptyContinuation = false;
    while (!complete && index < lines.length) {
      const next = lines[index]!;
      index++;
      if (next.trimStart().startsWith('#')) continue;
      if (next.trim() === '') {
        emptyContinuation = true;
        continue;
      }
      const [part, done] = trimContinuation(next);
      line += part;
      complete = done;
    }
    if (emptyContinuation) warnings.push(`[WARNING]: Empty continuation line found in:\n    ${line}`);
    if (line.trim() === '') continue;
    nodes.push(splitNode(line, startLine, index));
  }
  if (nodes.length === 0) throw invalidParameter('file with no instructions.');
  return { escape, nodes, warnings };
}

/** Reads the leading parser directives; returns the escape character. */
function readEscapeDirective(lines: readonly string[]): string {
  let escape: string | undefined;
  for (const raw of lines) {
    const match = DIRECTIVE.exec(raw);
    if (!match) break;
    const name = match[1]!.toLowerCase();
    if (name !== 'escape') continue; // `syntax` and unknown directives are accepted and ignored
    if (escape !== undefined) throw invalidParameter('only one escape parser directive can be used');
    const value = match[2]!;
    if (value !== '\\' && value !== '`') throw invalidParameter(`invalid ESCAPE '${value}'. Must be \` or \\`);
    escape = value;
  }
  return escape ?? '\\';
}

function splitNode(line: string, startLine: number, endLine: number): DockerfileNode {
  const trimmed = line.trim();
  const [word, after = ''] = splitFirst(trimmed);
  const { flags, rest } = extractFlags(after);
  return { keyword: word.toLowerCase(), flags, rest: rest.trim(), original: trimmed, startLine, endLine };
}

function splitFirst(text: string): [string, string?] {
  const match = WHITESPACE.exec(text);
  if (!match) return [text];
  return [text.slice(0, match.index), text.slice(match.index + match[0].length)];
}

/**
 * Takes the leading `--name[=value]` words off an instruction's arguments. Quotes inside a flag
 * word group characters and are removed; a bare `--` ends the flags.
 */
export function extractFlags(text: string): { flags: string[]; rest: string } {
  const flags: string[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
    if (!text.startsWith('--', pos)) return { flags, rest: text.slice(pos) };
    let word = '';
    let quote = '';
    let i = pos;
    for (; i < text.length; i++) {
      const ch = text[i]!;
      if (quote) {
        if (ch === quote) quote = '';
        else if (ch === '\\' && i + 1 < text.length) word += text[++i];
        else word += ch;
        continue;
      }
      if (/\s/.test(ch)) break;
      if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '\\' && i + 1 < text.length) word += text[++i];
      else word += ch;
    }
    pos = i;
    if (word === '--') return { flags, rest: text.slice(pos) };
    flags.push(word.slice(2));
  }
}

/** Splits on runs of blanks, as Docker's parser does for FROM, EXPOSE and list forms. */
export function splitWhitespace(text: string): string[] {
  return text.split(WHITESPACE).filter((w) => w !== '');
}
