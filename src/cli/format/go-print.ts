/**
 * Go's `fmt` printing rules for JSON-shaped values, as text/template applies them.
 *
 * Templates run over decoded JSON, which has lost Go's static types. Two heuristics restore what
 * the docker CLI prints for typed structs: an object whose keys are all exported Go identifiers
 * is a struct (`{v1 v2}` in field order), anything else is a map (`map[k:v]`, keys sorted); an
 * empty object nested in a map is an empty struct (`{}`, as in `ExposedPorts`).
 */

/** Marker for a Go value that prints as a struct even when its keys look like a map's. */
export type GoValue = unknown;

const GO_IDENT = /^[A-Z][A-Za-z0-9_]*$/;

/** True when a plain object reads like a Go struct rather than a map. */
export function isStructLike(obj: Record<string, unknown>): boolean {
  const keys = Object.keys(obj);
  return keys.length > 0 && keys.every((k) => GO_IDENT.test(k));
}

/** True for a plain object (not an array, not null, not a function). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** Formats a number the way Go's %v does for an int or a float64. */
export function formatGoNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf';
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 21) {
    const [mant, e] = n.toExponential().split('e');
    const en = Number(e);
    return `${mant}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  }
  return String(n);
}

/** Prints a value with Go's %v rules; `nested` is true inside a map, slice or struct. */
export function printGoValue(v: unknown, nested = false): string {
  if (v === undefined) return '<no value>';
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatGoNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'function') return '<func>';
  if (Array.isArray(v)) return `[${v.map((x) => printGoValue(x, true)).join(' ')}]`;
  if (typeof (v as { goString?: unknown }).goString === 'function') {
    return (v as { goString: () => string }).goString();
  }
  if (isPlainObject(v)) {
    if (isStructLike(v)) return `{${Object.values(v).map((x) => printGoValue(x, true)).join(' ')}}`;
    const keys = Object.keys(v);
    if (keys.length === 0) return nested ? '{}' : 'map[]';
    keys.sort();
    return `map[${keys.map((k) => `${k}:${printGoValue(v[k], true)}`).join(' ')}]`;
  }
  return String(v);
}

/** Go's json.Marshal (without HTML escaping): struct-like objects keep order, maps are sorted. */
export function marshalGoJson(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    return marshalGoJson((v as { toJSON: () => unknown }).toJSON());
  }
  if (Array.isArray(v)) return `[${v.map((x) => marshalGoJson(x)).join(',')}]`;
  if (isPlainObject(v)) {
    const keys = Object.keys(v).filter((k) => typeof v[k] !== 'function');
    if (!isStructLike(v)) keys.sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${marshalGoJson(v[k])}`).join(',')}}`;
  }
  return 'null';
}

/** Go's truth rule for `if`, `and`, `or`, `not`: zero values and empty containers are false. */
export function isGoTrue(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isPlainObject(v)) return isStructLike(v) || Object.keys(v).length > 0;
  return true;
}

/** Quotes a string like Go's %q / strconv.Quote. */
export function quoteGo(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/** A subset of Go's fmt.Sprintf: verbs s v q d t x X f e g %, with flags `-`, `0`, width, precision. */
export function sprintfGo(format: string, args: unknown[]): string {
  let out = '';
  let argi = 0;
  const re = /%([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g;
  let last = 0;
  for (let m = re.exec(format); m; m = re.exec(format)) {
    out += format.slice(last, m.index);
    last = re.lastIndex;
    const [, flags = '', width, prec, verb] = m;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const arg = args[argi++];
    let s = formatVerb(verb!, arg, prec === undefined ? undefined : Number(prec));
    if (width !== undefined && s.length < Number(width)) {
      const pad = Number(width) - s.length;
      if (flags.includes('-')) s += ' '.repeat(pad);
      else if (flags.includes('0') && /[dfx]/.test(verb!)) s = '0'.repeat(pad) + s;
      else s = ' '.repeat(pad) + s;
    }
    out += s;
  }
  out += format.slice(last);
  if (argi < args.length) {
    out += `%!(EXTRA ${args.slice(argi).map((a) => `${goTypeName(a)}=${printGoValue(a)}`).join(', ')})`;
  }
  return out;
}

function formatVerb(verb: string, arg: unknown, prec: number | undefined): string {
  switch (verb) {
    case 's':
    case 'v': {
      const s = printGoValue(arg);
      return verb === 's' && prec !== undefined ? s.slice(0, prec) : s;
    }
    case 'q':
      return typeof arg === 'string' ? quoteGo(arg) : printGoValue(arg);
    case 'd':
      return typeof arg === 'number' ? Math.trunc(arg).toString() : `%!d(${goTypeName(arg)}=${printGoValue(arg)})`;
    case 't':
      return typeof arg === 'boolean' ? String(arg) : `%!t(${goTypeName(arg)}=${printGoValue(arg)})`;
    case 'x':
    case 'X': {
      const s =
        typeof arg === 'number' ? Math.trunc(arg).toString(16) : Buffer.from(printGoValue(arg)).toString('hex');
      return verb === 'X' ? s.toUpperCase() : s;
    }
    case 'f':
    case 'e':
    case 'g': {
      if (typeof arg !== 'number') return `%!${verb}(${goTypeName(arg)}=${printGoValue(arg)})`;
      if (verb === 'f') return arg.toFixed(prec ?? 6);
      if (verb === 'e') return arg.toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2');
      return formatGoNumber(arg);
    }
    default:
      return `%!${verb}(${goTypeName(arg)}=${printGoValue(arg)})`;
  }
}

function goTypeName(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  if (v === null || v === undefined) return '<nil>';
  return 'map[string]interface {}';
}
