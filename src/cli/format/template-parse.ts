/**
 * Parser for the subset of Go's text/template that docker users write in `--format` and
 * `inspect -f`: text, actions with pipelines, fields, variables, literals, function calls,
 * parentheses, `if`/`else if`/`else`, `range` (with `$k, $v :=`), `with`, comments and
 * the `{{-` / `-}}` trim markers. The result is a plain tree, run by template-exec.ts.
 */

/** An argument or operand inside a command. */
export type Operand =
  | { type: 'field'; names: string[]; at: string } // .A.B (names empty for `.`); at = "line:col"
  | { type: 'var'; name: string; names: string[]; at: string } // $x.A
  | { type: 'ident'; name: string } // a function name
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'nil' }
  | { type: 'paren'; pipe: Pipeline; names: string[] }; // (pipeline).A

/** One command of a pipeline: its first operand applied to the rest. */
export interface Command {
  args: Operand[];
}

/** `$a, $b := cmd | cmd`. */
export interface Pipeline {
  decl: string[];
  assign: boolean; // `=` instead of `:=`
  cmds: Command[];
}

/** A node of the template tree. */
export type TemplateNode =
  | { type: 'text'; text: string }
  | { type: 'action'; pipe: Pipeline }
  | { type: 'if' | 'with'; pipe: Pipeline; list: TemplateNode[]; elseList: TemplateNode[] | null }
  | { type: 'range'; pipe: Pipeline; list: TemplateNode[]; elseList: TemplateNode[] | null };

/** A parse error, worded like Go's (`template: :1: unexpected ...`). */
export class TemplateParseError extends Error {
  override readonly name = 'TemplateParseError';
}

interface RawAction {
  body: string;
  line: number;
  /** Index of the body's first character in the source. */
  offset: number;
  src: string;
}

type Piece = { kind: 'text'; text: string } | { kind: 'action'; action: RawAction };

/** Splits the source into text and action bodies, applying trim markers. */
function splitTemplate(src: string): Piece[] {
  const pieces: Piece[] = [];
  let pos = 0;
  let trimNext = false;
  while (pos <= src.length) {
    const open = src.indexOf('{{', pos);
    let text = open < 0 ? src.slice(pos) : src.slice(pos, open);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (open < 0) {
      if (text) pieces.push({ kind: 'text', text });
      break;
    }
    let start = open + 2;
    const line = src.slice(0, open).split('\n').length;
    if (/^-[ \t\r\n]/.test(src.slice(start))) {
      text = text.replace(/\s+$/, '');
      start += 1;
    }
    if (text) pieces.push({ kind: 'text', text });
    const close = findClose(src, start, line);
    if (close < 0) {
      lexAction({ body: src.slice(start), line, offset: start, src });
      throw new TemplateParseError(`template: :${line}: unclosed action`);
    }
    let body = src.slice(start, close);
    trimNext = false;
    if (/[ \t\r\n]-$/.test(body)) {
      body = body.slice(0, -1);
      trimNext = true;
    }
    pieces.push({ kind: 'action', action: { body, line, offset: start, src } });
    pos = close + 2;
  }
  return pieces;
}

function findClose(src: string, start: number, line: number): number {
  let i = start;
  while (i < src.length) {
    const ch = src[i];
    if (ch === '"' || ch === '`' || ch === "'") {
      const end = ch === '`' ? src.indexOf('`', i + 1) : skipQuoted(src, i);
      if (end < 0) throw new TemplateParseError(`template: :${line}: unterminated quoted string`);
      i = end + 1;
      continue;
    }
    if (src.startsWith('}}', i)) return i;
    i++;
  }
  return -1;
}

function skipQuoted(src: string, i: number): number {
  const q = src[i];
  for (let j = i + 1; j < src.length; j++) {
    if (src[j] === '\\') j++;
    else if (src[j] === q) return j;
    else if (src[j] === '\n') return -1;
  }
  return -1;
}

type Token =
  | { t: 'field'; names: string[]; at: string }
  | { t: 'var'; name: string; names: string[]; at: string }
  | { t: 'ident'; name: string }
  | { t: 'string'; value: string }
  | { t: 'number'; value: number }
  | { t: 'op'; value: '|' | '(' | ')' | ':=' | '=' | ',' }
  | { t: 'fields'; names: string[] }; // .A.B right after a `)`

function lexAction(action: RawAction): Token[] {
  const { body, line, offset, src } = action;
  const toks: Token[] = [];
  let i = 0;
  const at = (): string => {
    const abs = offset + i;
    const lineStart = src.lastIndexOf('\n', abs - 1) + 1;
    return `${src.slice(0, abs).split('\n').length}:${abs - lineStart}`;
  };
  const err = (msg: string) => new TemplateParseError(`template: :${line}: ${msg}`);
  let lastNameAt = '';
  const readNames = (): string[] => {
    const names: string[] = [];
    while (body[i] === '.' && /[A-Za-z_]/.test(body[i + 1] ?? '')) {
      lastNameAt = at();
      i++;
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(body.slice(i))!;
      names.push(m[0]);
      i += m[0].length;
    }
    return names;
  };
  while (i < body.length) {
    const ch = body[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '"') {
      const end = skipQuoted(body, i);
      if (end < 0) throw err('unterminated quoted string');
      toks.push({ t: 'string', value: JSON.parse(body.slice(i, end + 1).replace(/\\'/g, "'")) as string });
      i = end + 1;
    } else if (ch === '`') {
      const end = body.indexOf('`', i + 1);
      toks.push({ t: 'string', value: body.slice(i + 1, end) });
      i = end + 1;
    } else if (ch === "'") {
      const end = skipQuoted(body, i);
      if (end < 0) throw err('unterminated character constant');
      toks.push({ t: 'number', value: (JSON.parse(`"${body.slice(i + 1, end)}"`) as string).codePointAt(0)! });
      i = end + 1;
    } else if (ch === '.') {
      if (toks.length > 0 && i > 0 && body[i - 1] === ')') {
        toks.push({ t: 'fields', names: readNames() });
        continue;
      }
      if (/[0-9]/.test(body[i + 1] ?? '')) {
        const m = /^\.[0-9]+/.exec(body.slice(i))!;
        toks.push({ t: 'number', value: Number(m[0]) });
        i += m[0].length;
        continue;
      }
      const pos = at();
      const names = readNames();
      if (names.length === 0) i++;
      toks.push({ t: 'field', names, at: names.length ? lastNameAt : pos });
    } else if (ch === '$') {
      const pos = at();
      const m = /^\$[A-Za-z0-9_]*/.exec(body.slice(i))!;
      i += m[0].length;
      const names = readNames();
      toks.push({ t: 'var', name: m[0], names, at: names.length ? lastNameAt : pos });
    } else if (ch === ':' && body[i + 1] === '=') {
      toks.push({ t: 'op', value: ':=' });
      i += 2;
    } else if ('|()=,'.includes(ch)) {
      toks.push({ t: 'op', value: ch as '|' });
      i++;
    } else if (/[-+0-9]/.test(ch)) {
      const m = /^[-+]?(0x[0-9a-fA-F]+|[0-9]*\.?[0-9]+(e[-+]?[0-9]+)?)/.exec(body.slice(i));
      if (!m || m[0] === '-' || m[0] === '+') throw err(`bad number syntax: "${ch}"`);
      toks.push({ t: 'number', value: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(body.slice(i))!;
      toks.push({ t: 'ident', name: m[0] });
      i += m[0].length;
    } else {
      const cp = ch.codePointAt(0)!;
      throw err(`bad character U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${ch}'`);
    }
  }
  return toks;
}

class PipelineParser {
  private i = 0;
  constructor(
    private readonly toks: Token[],
    private readonly line: number,
  ) {}

  private err(msg: string): TemplateParseError {
    return new TemplateParseError(`template: :${this.line}: ${msg}`);
  }

  atEnd(): boolean {
    return this.i >= this.toks.length;
  }

  parsePipeline(allowDecl: boolean, stopAtParen = false): Pipeline {
    const pipe: Pipeline = { decl: [], assign: false, cmds: [] };
    if (allowDecl) this.parseDecl(pipe);
    for (;;) {
      const args: Operand[] = [];
      while (!this.atEnd()) {
        const tok = this.toks[this.i]!;
        if (tok.t === 'op' && (tok.value === '|' || tok.value === ')')) break;
        args.push(this.parseOperand());
      }
      if (args.length === 0) throw this.err(pipe.cmds.length ? 'missing command' : 'missing value for command');
      pipe.cmds.push({ args });
      const tok = this.toks[this.i];
      if (tok?.t === 'op' && tok.value === '|') {
        this.i++;
        continue;
      }
      if (tok?.t === 'op' && tok.value === ')' && !stopAtParen) throw this.err('unexpected right paren');
      return pipe;
    }
  }

  private parseDecl(pipe: Pipeline): void {
    const save = this.i;
    const vars: string[] = [];
    while (this.toks[this.i]?.t === 'var') {
      const v = this.toks[this.i] as { name: string; names: string[] };
      if (v.names.length) break;
      vars.push(v.name);
      this.i++;
      const next = this.toks[this.i];
      if (next?.t === 'op' && next.value === ',') {
        this.i++;
        continue;
      }
      if (next?.t === 'op' && (next.value === ':=' || next.value === '=')) {
        this.i++;
        pipe.decl = vars;
        pipe.assign = next.value === '=';
        return;
      }
      break;
    }
    this.i = save;
  }

  private parseOperand(): Operand {
    const tok = this.toks[this.i++]!;
    switch (tok.t) {
      case 'field':
        return { type: 'field', names: tok.names, at: tok.at };
      case 'var':
        return { type: 'var', name: tok.name, names: tok.names, at: tok.at };
      case 'string':
        return { type: 'string', value: tok.value };
      case 'number':
        return { type: 'number', value: tok.value };
      case 'ident':
        if (tok.name === 'true' || tok.name === 'false') return { type: 'bool', value: tok.name === 'true' };
        if (tok.name === 'nil') return { type: 'nil' };
        return { type: 'ident', name: tok.name };
      case 'op': {
        if (tok.value !== '(') throw this.err(`unexpected "${tok.value}" in command`);
        const pipe = this.parsePipeline(false, true);
        const close = this.toks[this.i++];
        if (!(close?.t === 'op' && close.value === ')')) throw this.err('unclosed left paren');
        let names: string[] = [];
        const next = this.toks[this.i];
        if (next?.t === 'fields') {
          names = next.names;
          this.i++;
        }
        return { type: 'paren', pipe, names };
      }
      default:
        throw this.err('unexpected token');
    }
  }
}

/** Parses a template source into its node list. */
export function parseTemplate(src: string): TemplateNode[] {
  const pieces = splitTemplate(src);
  let idx = 0;
  const parseList = (): { list: TemplateNode[]; end: 'end' | 'else' | 'eof'; elseBody?: RawAction } => {
    const list: TemplateNode[] = [];
    while (idx < pieces.length) {
      const piece = pieces[idx++]!;
      if (piece.kind === 'text') {
        list.push({ type: 'text', text: piece.text });
        continue;
      }
      const { body, line } = piece.action;
      const trimmed = body.trim();
      if (trimmed.startsWith('/*')) {
        if (!trimmed.endsWith('*/')) throw new TemplateParseError(`template: :${line}: unclosed comment`);
        continue;
      }
      const toks = lexAction(piece.action);
      if (toks.length === 0) throw new TemplateParseError(`template: :${line}: missing value for command`);
      const head = toks[0]!;
      const keyword = head.t === 'ident' ? head.name : '';
      if (keyword === 'end') return { list, end: 'end' };
      if (keyword === 'else') {
        const skip = body.length - body.replace(/^\s*else/, '').length;
        const elseBody = { ...piece.action, body: body.slice(skip), offset: piece.action.offset + skip };
        return { list, end: 'else', elseBody };
      }
      if (keyword === 'if' || keyword === 'with' || keyword === 'range') {
        list.push(parseControl(keyword, toks.slice(1), line));
        continue;
      }
      if (['define', 'template', 'block', 'break', 'continue'].includes(keyword)) {
        throw new TemplateParseError(`template: :${line}: unsupported action "${keyword}"`);
      }
      const parser = new PipelineParser(toks, line);
      list.push({ type: 'action', pipe: parser.parsePipeline(true) });
    }
    return { list, end: 'eof' };
  };
  const parseControl = (kind: 'if' | 'with' | 'range', toks: Token[], line: number): TemplateNode => {
    const pipe = new PipelineParser(toks, line).parsePipeline(true);
    const body = parseList();
    if (body.end === 'eof') throw new TemplateParseError(`template: :${line}: unexpected EOF`);
    let elseList: TemplateNode[] | null = null;
    if (body.end === 'else') {
      const rest = lexAction(body.elseBody!);
      const head = rest[0];
      if (head?.t === 'ident' && (head.name === 'if' || head.name === 'with') && kind !== 'range') {
        // `else if` / `else with`: a nested control that consumes the shared {{end}}.
        elseList = [parseControl(head.name as 'if' | 'with', rest.slice(1), body.elseBody!.line)];
      } else {
        const tail = parseList();
        if (tail.end !== 'end') throw new TemplateParseError(`template: :${line}: expected end; found ${tail.end}`);
        elseList = tail.list;
      }
    }
    return { type: kind, pipe, list: body.list, elseList };
  };
  const top = parseList();
  if (top.end !== 'eof') throw new TemplateParseError(`template: :1: unexpected {{${top.end}}}`);
  return top.list;
}
