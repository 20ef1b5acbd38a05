/**
 * Variable substitution in Dockerfile words, following the rules of Docker's shell lexer:
 * `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR:+alt}`, `${VAR:?message}`; single quotes are literal,
 * double quotes allow substitution, the escape character makes the next character literal.
 * Quotes are removed from the result. Pure.
 */
import { invalidParameter } from '../../errors.js';

/** Looks a variable up; undefined when it is not set. */
export type VariableLookup = (name: string) => string | undefined;

/** Builds a lookup from `K=V` strings; the first entry for a name wins (as in Docker). */
export function lookupFromEnvList(env: readonly string[]): VariableLookup {
  const map = new Map<string, string>();
  for (const entry of env) {
    const eq = entry.indexOf('=');
    const key = eq < 0 ? entry : entry.slice(0, eq);
    if (!map.has(key)) map.set(key, eq < 0 ? '' : entry.slice(eq + 1));
  }
  return (name) => map.get(name);
}

/** Expands one word; whitespace is kept, quotes removed. */
export function processWord(word: string, lookup: VariableLookup, escape = '\\'): string {
  return new WordLexer(word, lookup, escape, false).run().join('');
}

/** Expands and splits into words at unquoted blanks (also blanks that came from a variable). */
export function processWords(word: string, lookup: VariableLookup, escape = '\\'): string[] {
  return new WordLexer(word, lookup, escape, true).run();
}

class WordLexer {
  private pos = 0;
  private readonly words: string[] = [];
  private current = '';
  private started = false;

  constructor(
    private readonly text: string,
    private readonly lookup: VariableLookup,
    private readonly escape: string,
    private readonly split: boolean,
  ) {}

  run(): string[] {
    this.current = this.readUntil('');
    this.flush();
    return this.split ? this.words : [this.words.join('')];
  }

  private flush(): void {
    if (this.started || this.current !== '') this.words.push(this.current);
    this.current = '';
    this.started = false;
  }

  /** Reads until `stop` (or the end when stop is ''); in split mode it also cuts words. */
  private readUntil(stop: string): string {
    const topLevel = stop === '';
    let out = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos]!;
      if (!topLevel && ch === stop) {
        this.pos++;
        return out;
      }
      this.pos++;
      if (ch === this.escape) {
        if (this.pos >= this.text.length) break;
        out += this.text[this.pos++];
      } else if (ch === "'") {
        out += this.readSingleQuoted();
        if (topLevel) this.started = true;
      } else if (ch === '"') {
        out += this.readDoubleQuoted();
        if (topLevel) this.started = true;
      } else if (ch === '$') {
        const value = this.readDollar();
        if (topLevel && this.split) out = this.appendSplitting(out, value);
        else out += value;
      } else if (topLevel && this.split && /\s/.test(ch)) {
        out = this.cut(out);
      } else out += ch;
    }
    if (!topLevel) throw invalidParameter(`missing '${stop}' in substitution: ${this.text}`);
    return out;
  }

  private cut(out: string): string {
    this.current = out;
    if (out !== '' || this.started) this.flush();
    this.current = '';
    return '';
  }

  private appendSplitting(out: string, value: string): string {
    const parts = value.split(/\s+/);
    out += parts[0];
    for (const part of parts.slice(1)) {
      out = this.cut(out);
      out += part;
    }
    return out;
  }

  private readSingleQuoted(): string {
    const end = this.text.indexOf("'", this.pos);
    if (end < 0) throw invalidParameter('unexpected end of statement while looking for matching single-quote');
    const value = this.text.slice(this.pos, end);
    this.pos = end + 1;
    return value;
  }

  private readDoubleQuoted(): string {
    let out = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos++]!;
      if (ch === '"') return out;
      if (ch === '$') out += this.readDollar();
      else if (ch === this.escape && this.pos < this.text.length) {
        const next = this.text[this.pos]!;
        if (next === '"' || next === '$' || next === this.escape) {
          out += next;
          this.pos++;
        } else out += ch;
      } else out += ch;
    }
    throw invalidParameter('unexpected end of statement while looking for matching double-quote');
  }

  private readName(): string {
    const match = /^[A-Za-z0-9_]+/.exec(this.text.slice(this.pos));
    const name = match ? match[0] : '';
    this.pos += name.length;
    return name;
  }

  private readDollar(): string {
    if (this.text[this.pos] !== '{') {
      const name = this.readName();
      return name === '' ? '$' : (this.lookup(name) ?? '');
    }
    this.pos++;
    const name = this.readName();
    const next = this.text[this.pos];
    if (next === '}') {
      this.pos++;
      return this.lookup(name) ?? '';
    }
    if (next !== ':') {
      if (next === undefined) throw invalidParameter(`missing '}' in substitution: ${this.text}`);
      throw invalidParameter(`unsupported modifier (${next}) in substitution: ${this.text}`);
    }
    const modifier = this.text[this.pos + 1];
    this.pos += 2;
    const word = this.readUntil('}');
    const value = this.lookup(name);
    const isSet = value !== undefined && value !== '';
    switch (modifier) {
      case '-':
        return isSet ? value : word;
      case '+':
        return isSet ? word : '';
      case '?':
        if (!isSet) throw invalidParameter(`${name}: ${word === '' ? 'is not allowed to be unset' : word}`);
        return value;
      default:
        throw invalidParameter(`unsupported modifier (${modifier ?? ''}) in substitution: ${this.text}`);
    }
  }
}
