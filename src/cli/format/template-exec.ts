/**
 * Runs a parsed Go template over JSON-shaped data with Go's rules: field access on maps and on
 * context objects (whose methods take arguments, like `.Label "k"`), variables and their scopes,
 * `range` over slices and sorted map keys, pipelines passing the previous result as the last
 * argument, and the function table from template-funcs.ts.
 */
import { isGoTrue, isPlainObject, printGoValue } from './go-print.js';
import { parseTemplate, type Operand, type Pipeline, type TemplateNode } from './template-parse.js';
import { createTemplateFuncs, type TemplateFunc } from './template-funcs.js';

/** An execution error, worded like Go's (`template: :1:2: executing "" at <.Foo>: ...`). */
export class TemplateExecError extends Error {
  override readonly name = 'TemplateExecError';
}

/** Options for executing a template. */
export interface TemplateOptions {
  /** Extra or overriding functions. */
  funcs?: Record<string, TemplateFunc>;
  /**
   * How a JSON `null` under a key prints: docker's typed structs print a nil slice as `[]` and a
   * nil map as `map[]`. Return 'slice' or 'map' to get that, undefined for `<nil>`.
   */
  nullHint?: (key: string) => 'slice' | 'map' | undefined;
}

/** A typed nil slice: prints `[]`, marshals as `null`. */
class NilSlice extends Array<unknown> {
  toJSON(): null {
    return null;
  }
}

/** A typed nil map: prints `map[]`, marshals as `null`. */
class NilMap {
  goString(): string {
    return 'map[]';
  }
  toJSON(): null {
    return null;
  }
}

/** A compiled template: parse once, execute many times. */
export class GoTemplate {
  private readonly nodes: TemplateNode[];
  private readonly funcs: Record<string, TemplateFunc>;

  constructor(
    source: string,
    private readonly options: TemplateOptions = {},
  ) {
    this.funcs = { ...createTemplateFuncs(), ...options.funcs };
    this.nodes = parseTemplate(source);
    this.checkFuncs(this.nodes);
  }

  /** Executes the template over `data` and returns the text. */
  execute(data: unknown): string {
    const state: ExecState = { out: [], vars: [{ name: '$', value: data }] };
    this.walkList(state, this.nodes, data);
    return state.out.join('');
  }

  private checkFuncs(nodes: TemplateNode[]): void {
    const checkPipe = (p: Pipeline) => {
      for (const cmd of p.cmds) {
        for (const a of cmd.args) {
          if (a.type === 'ident' && !(a.name in this.funcs)) {
            throw new TemplateExecError(`template: :1: function "${a.name}" not defined`);
          }
          if (a.type === 'paren') checkPipe(a.pipe);
        }
      }
    };
    for (const n of nodes) {
      if (n.type === 'text') continue;
      checkPipe(n.pipe);
      if (n.type !== 'action') {
        this.checkFuncs(n.list);
        if (n.elseList) this.checkFuncs(n.elseList);
      }
    }
  }

  private walkList(state: ExecState, nodes: TemplateNode[], dot: unknown): void {
    for (const node of nodes) this.walk(state, node, dot);
  }

  private walk(state: ExecState, node: TemplateNode, dot: unknown): void {
    switch (node.type) {
      case 'text':
        state.out.push(node.text);
        return;
      case 'action': {
        const v = this.evalPipeline(state, node.pipe, dot);
        if (node.pipe.decl.length === 0) state.out.push(printGoValue(v));
        return;
      }
      case 'if':
      case 'with': {
        const mark = state.vars.length;
        const v = this.evalPipeline(state, node.pipe, dot);
        if (isGoTrue(v)) this.walkList(state, node.list, node.type === 'with' ? v : dot);
        else if (node.elseList) this.walkList(state, node.elseList, dot);
        state.vars.length = mark;
        return;
      }
      case 'range':
        this.walkRange(state, node, dot);
        return;
    }
  }

  private walkRange(state: ExecState, node: Extract<TemplateNode, { type: 'range' }>, dot: unknown): void {
    const mark = state.vars.length;
    const decl = node.pipe.decl;
    const v = this.evalPipeline(state, { ...node.pipe, decl: [] }, dot);
    const items: [unknown, unknown][] = [];
    if (Array.isArray(v)) v.forEach((x, i) => items.push([i, x]));
    else if (isPlainObject(v)) for (const k of Object.keys(v).sort()) items.push([k, v[k]]);
    else if (typeof v === 'number') for (let i = 0; i < v; i++) items.push([i, i]);
    else if (v !== null && v !== undefined) {
      throw new TemplateExecError(`template: :1: range can't iterate over ${printGoValue(v)}`);
    }
    if (items.length === 0) {
      if (node.elseList) this.walkList(state, node.elseList, dot);
      return;
    }
    for (const [k, x] of items) {
      const inner = state.vars.length;
      if (decl.length === 1) state.vars.push({ name: decl[0]!, value: x });
      else if (decl.length >= 2) {
        state.vars.push({ name: decl[0]!, value: k });
        state.vars.push({ name: decl[1]!, value: x });
      }
      this.walkList(state, node.list, x);
      state.vars.length = inner;
    }
    state.vars.length = mark;
  }

  private evalPipeline(state: ExecState, pipe: Pipeline, dot: unknown): unknown {
    let value: unknown = undefined;
    let first = true;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(state, cmd.args, dot, first ? NO_FINAL : value);
      first = false;
    }
    for (const name of pipe.decl) {
      if (pipe.assign) {
        const slot = [...state.vars].reverse().find((s) => s.name === name);
        if (!slot) throw new TemplateExecError(`template: :1: undefined variable: ${name}`);
        slot.value = value;
      } else {
        state.vars.push({ name, value });
      }
    }
    return value;
  }

  private evalCommand(state: ExecState, args: Operand[], dot: unknown, final: unknown): unknown {
    const head = args[0]!;
    const rest = args.slice(1);
    if (head.type === 'ident') {
      const fn = this.funcs[head.name]!;
      const vals = rest.map((a) => this.evalArg(state, a, dot));
      if (final !== NO_FINAL) vals.push(final);
      return fn(...vals);
    }
    if (head.type === 'field' || head.type === 'var' || head.type === 'paren') {
      const extra = rest.map((a) => this.evalArg(state, a, dot));
      if (final !== NO_FINAL) extra.push(final);
      return this.evalOperand(state, head, dot, extra);
    }
    if (rest.length > 0 || final !== NO_FINAL) {
      throw new TemplateExecError(`template: :1: can't give argument to non-function ${describe(head)}`);
    }
    return this.evalArg(state, head, dot);
  }

  private evalArg(state: ExecState, a: Operand, dot: unknown): unknown {
    switch (a.type) {
      case 'string':
      case 'number':
      case 'bool':
        return a.value;
      case 'nil':
        return null;
      case 'ident':
        return this.funcs[a.name]!();
      default:
        return this.evalOperand(state, a, dot, []);
    }
  }

  private evalOperand(state: ExecState, a: Operand, dot: unknown, args: unknown[]): unknown {
    let base: unknown;
    let names: string[];
    if (a.type === 'field') {
      base = dot;
      names = a.names;
    } else if (a.type === 'var') {
      const slot = [...state.vars].reverse().find((s) => s.name === a.name);
      if (!slot) throw new TemplateExecError(`template: :1: undefined variable "${a.name}"`);
      base = slot.value;
      names = a.names;
    } else if (a.type === 'paren') {
      base = this.evalPipeline(state, a.pipe, dot);
      names = a.names;
    } else {
      return this.evalArg(state, a, dot);
    }
    if (names.length === 0) {
      if (args.length) throw new TemplateExecError(`template: :1: can't give argument to non-function ${describe(a)}`);
      return base;
    }
    let cur = base;
    const at = a.type === 'paren' ? '1' : a.at;
    names.forEach((name, i) => {
      const last = i === names.length - 1;
      cur = this.evalField(cur, name, last ? args : [], describe(a), at);
    });
    return cur;
  }

  private evalField(receiver: unknown, name: string, args: unknown[], where: string, pos: string): unknown {
    const at = `template: :${pos}: executing "" at <${where}>`;
    if (receiver === null || receiver === undefined || receiver instanceof NilMap) {
      throw new TemplateExecError(`${at}: nil pointer evaluating interface {}.${name}`);
    }
    if (typeof receiver !== 'object' || Array.isArray(receiver)) {
      throw new TemplateExecError(`${at}: can't evaluate field ${name} in type ${goKind(receiver)}`);
    }
    const obj = receiver as Record<string, unknown>;
    const isContext = Object.getPrototypeOf(obj) !== Object.prototype && Object.getPrototypeOf(obj) !== null;
    if (isContext) {
      const member = (obj as Record<string, unknown>)[name];
      if (typeof member === 'function') return (member as (...a: unknown[]) => unknown).apply(obj, args);
      if (member === undefined || name.startsWith('_')) {
        throw new TemplateExecError(`${at}: can't evaluate field ${name} in type ${obj.constructor.name}`);
      }
      if (args.length) throw new TemplateExecError(`${at}: ${name} is not a method but has arguments`);
      return member;
    }
    if (args.length) throw new TemplateExecError(`${at}: ${name} is not a method but has arguments`);
    if (!(name in obj)) throw new TemplateExecError(`${at}: map has no entry for key "${name}"`);
    const v = obj[name];
    if (v === null) {
      const hint = this.options.nullHint?.(name);
      if (hint) return hint === 'slice' ? new NilSlice() : new NilMap();
    }
    return v;
  }
}

const NO_FINAL = Symbol('no-final');

interface ExecState {
  out: string[];
  vars: { name: string; value: unknown }[];
}

function describe(a: Operand): string {
  switch (a.type) {
    case 'field':
      return a.names.length ? `.${a.names.join('.')}` : '.';
    case 'var':
      return a.name + a.names.map((n) => `.${n}`).join('');
    case 'paren':
      return `(...)${a.names.map((n) => `.${n}`).join('')}`;
    default:
      return a.type;
  }
}

function goKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  return 'interface {}';
}

/** Convenience: parse and execute in one go. */
export function renderTemplate(source: string, data: unknown, options?: TemplateOptions): string {
  return new GoTemplate(source, options).execute(data);
}
