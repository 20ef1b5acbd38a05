/**
 * `.dockerignore`: reading the patterns and matching context paths against them with Docker's
 * rules (`*`, `?`, `[...]`, `**` for any number of directories, `!` exceptions, last match wins,
 * a pattern that matches a parent directory excludes everything below it). Pure.
 */
import { invalidParameter } from '../../errors.js';

interface Pattern {
  regex: RegExp;
  exclusion: boolean;
  depth: number;
}

/** Matches context-relative paths (`a/b.txt`, no leading `./`) against ignore patterns. */
export class IgnoreMatcher {
  private readonly patterns: Pattern[];

  constructor(patterns: readonly string[]) {
    this.patterns = patterns.map(compilePattern);
  }

  /** True when there are no patterns at all. */
  get empty(): boolean {
    return this.patterns.length === 0;
  }

  /** True when `file` is excluded from the build context. */
  matches(file: string): boolean {
    const parent = dirname(file);
    const parentDirs = parent.split('/');
    let matched = false;
    for (const pattern of this.patterns) {
      let match = pattern.regex.test(file);
      if (!match && parent !== '.' && pattern.depth <= parentDirs.length) {
        match = pattern.regex.test(parentDirs.slice(0, pattern.depth).join('/'));
      }
      if (match) matched = !pattern.exclusion;
    }
    return matched;
  }
}

/** Reads `.dockerignore` text into patterns: comments and blanks dropped, paths cleaned. */
export function readIgnorePatterns(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (raw.startsWith('#')) continue;
    let line = raw.trim();
    if (line === '') continue;
    let invert = false;
    if (line.startsWith('!')) {
      invert = true;
      line = line.slice(1).trim();
    }
    if (line.length > 0) {
      line = cleanPath(line);
      if (line.length > 1 && line.startsWith('/')) line = line.slice(1);
    }
    out.push(invert ? `!${line}` : line);
  }
  return out;
}

/** A lexical path clean like Go's filepath.Clean, for relative and absolute paths. */
export function cleanPath(p: string): string {
  const absolute = p.startsWith('/');
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!absolute) parts.push('..');
    } else parts.push(seg);
  }
  const joined = parts.join('/');
  if (absolute) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i);
}

function compilePattern(raw: string): Pattern {
  let text = raw.trim();
  let exclusion = false;
  if (text.startsWith('!')) {
    exclusion = true;
    text = text.slice(1);
    if (text === '') throw invalidParameter('illegal exclusion pattern: "!"');
  }
  text = cleanPath(text);
  let re = '^';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '*') {
      if (text[i + 1] === '*') {
        i++;
        if (text[i + 1] === '/') i++;
        re += i + 1 >= text.length ? '.*' : '(.*/)?';
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (ch === '\\') {
      if (i + 1 < text.length) re += `\\${text[++i]}`;
      else re += '\\\\';
    } else if (ch === '[' || ch === ']') re += ch;
    else re += ch.replace(/[.$^+(){}|]/g, '\\$&');
  }
  re += '$';
  let regex: RegExp;
  try {
    regex = new RegExp(re);
  } catch (err) {
    throw invalidParameter(`syntax error in pattern: ${raw}`, err);
  }
  return { regex, exclusion, depth: text.split('/').length };
}
