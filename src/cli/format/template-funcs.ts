/**
 * The function table of docker's templates: Go's builtins (and, or, not, len, index, slice, print,
 * printf, println, eq, ne, lt, le, gt, ge, urlquery) plus docker's own (json, split, join, title,
 * lower, upper, pad, truncate).
 */
import { isGoTrue, isPlainObject, marshalGoJson, printGoValue, sprintfGo } from './go-print.js';

/** A template function: takes evaluated arguments, returns a value or throws. */
export type TemplateFunc = (...args: unknown[]) => unknown;

function fail(msg: string): never {
  throw new Error(`template: :1: ${msg}`);
}

function compare(name: string, a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean' && (name === 'eq' || name === 'ne')) {
    return a === b ? 0 : 1;
  }
  if ((a === null || a === undefined) && (b === null || b === undefined) && (name === 'eq' || name === 'ne')) return 0;
  if (name === 'eq' || name === 'ne') {
    if (typeof a !== typeof b) fail(`error calling ${name}: incompatible types for comparison`);
    fail(`error calling ${name}: invalid type for comparison`);
  }
  return fail(`error calling ${name}: incompatible types for comparison`);
}

/** Go's `print`: spaces only between operands when neither is a string. */
function goPrint(args: unknown[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += printGoValue(a);
  });
  return out;
}

function titleCase(s: string): string {
  return s.replace(/(^|[^A-Za-z0-9_'])([a-z])/g, (_m, pre: string, c: string) => pre + c.toUpperCase());
}

function lengthOf(v: unknown): number {
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (Array.isArray(v)) return v.length;
  if (isPlainObject(v)) return Object.keys(v).length;
  return fail(`error calling len: len of type ${v === null ? '<nil>' : typeof v}`);
}

function indexOne(container: unknown, key: unknown): unknown {
  if (Array.isArray(container)) {
    if (typeof key !== 'number' || key < 0 || key >= container.length) {
      fail(`error calling index: index out of range: ${printGoValue(key)}`);
    }
    return container[key];
  }
  if (isPlainObject(container)) {
    const v = container[String(key)];
    return v === undefined ? null : v;
  }
  if (container === null || container === undefined) return fail('error calling index: index of untyped nil');
  if (typeof container === 'string' && typeof key === 'number') return container.charCodeAt(key);
  return fail(`error calling index: can't index item of type ${typeof container}`);
}

/** Builds a fresh function table (no shared mutable state). */
export function createTemplateFuncs(): Record<string, TemplateFunc> {
  return {
    and: (...args) => {
      for (const a of args) if (!isGoTrue(a)) return a;
      return args[args.length - 1];
    },
    or: (...args) => {
      for (const a of args) if (isGoTrue(a)) return a;
      return args[args.length - 1];
    },
    not: (a) => !isGoTrue(a),
    len: (a) => lengthOf(a),
    index: (container, ...keys) => keys.reduce((c, k) => indexOne(c, k), container),
    slice: (v, ...idx) => {
      const nums = idx.map(Number);
      if (typeof v === 'string' || Array.isArray(v)) return v.slice(nums[0] ?? 0, nums[1]);
      return fail("error calling slice: can't slice item");
    },
    print: (...args) => goPrint(args),
    printf: (format, ...args) => sprintfGo(String(format), args),
    println: (...args) => `${args.map((a) => printGoValue(a)).join(' ')}\n`,
    eq: (a, ...bs) => {
      if (bs.length === 0) fail('wrong number of args for eq: want at least 1 got 0');
      return bs.some((b) => compare('eq', a, b) === 0);
    },
    ne: (a, b) => compare('ne', a, b) !== 0,
    lt: (a, b) => compare('lt', a, b) < 0,
    le: (a, b) => compare('le', a, b) <= 0,
    gt: (a, b) => compare('gt', a, b) > 0,
    ge: (a, b) => compare('ge', a, b) >= 0,
    urlquery: (...args) => encodeURIComponent(goPrint(args)).replace(/%20/g, '+'),
    json: (v) => marshalGoJson(v),
    split: (s, sep) => String(s).split(String(sep)),
    join: (list, sep) => {
      if (list === null || list === undefined) return '';
      if (!Array.isArray(list)) return fail('error calling join: wrong type for value; expected []string');
      return list.map((x) => printGoValue(x)).join(String(sep));
    },
    title: (s) => titleCase(String(s)),
    lower: (s) => String(s).toLowerCase(),
    upper: (s) => String(s).toUpperCase(),
    pad: (s, before, after) => ' '.repeat(Number(before)) + String(s) + ' '.repeat(Number(after)),
    truncate: (s, n) => {
      const chars = [...String(s)];
      return chars.length > Number(n) ? chars.slice(0, Number(n)).join('') : String(s);
    },
  };
}
