/**
 * A deterministic generator of bad Engine API requests (pure, seeded): for a body schema it sets
 * one to three of its fields, at any depth, to a wrong type, an extreme number or an odd string,
 * or leaves required fields out. The same seed gives the same requests, so a failure found by
 * the fuzz test can be replayed with `WHARF_FUZZ_SEED=<seed>`.
 */
import type { Schema } from '../../src/api/validation/schema.js';

/** A seeded PRNG (mulberry32): numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One field of a schema: its path (`*` stands for a map key, `0` for a list element). */
export interface FieldPath {
  path: string[];
  schema: Schema;
}

/** Every field of a schema, at every depth. */
export function fieldsOf(schema: Schema, prefix: string[] = []): FieldPath[] {
  const out: FieldPath[] = prefix.length ? [{ path: prefix, schema }] : [];
  if (schema.kind === 'object') for (const [k, s] of Object.entries(schema.fields)) out.push(...fieldsOf(s, [...prefix, k]));
  if (schema.kind === 'map') out.push(...fieldsOf(schema.of, [...prefix, '*']));
  if (schema.kind === 'array') out.push(...fieldsOf(schema.of, [...prefix, '0']));
  return out;
}

/** Strings that have broken engines: empty, long, NUL, unicode, paths, specs, format verbs. */
export const ODD_STRINGS: readonly string[] = [
  '', ' ', 'x'.repeat(10000), 'a\u0000b', '\u0000', '💥ü\u202e', '\ud800', '../../x', '../', '/', '.', 'container:../../x', 'container:',
  'abc/tcp', '80/xyz', '99999', '-5', '0', '%s%n', '${HOME}', 'a\nb', 'a=b', '=', ':', 'host:notip', 'on-failure', 'host', 'none',
  '9223372036854775808', 'NaN', 'Infinity', '-1', '1e400', 'true', 'null', '{}', '[]', '/etc/passwd:/x', 'nofile',
];

/** Numbers at the edges of Go's integer types and beyond. */
export const EXTREME_NUMBERS: readonly number[] = [
  0, -1, 1, -5, 1.5, 2 ** 31, 2 ** 32, 2 ** 53 + 2, 2 ** 63, -(2 ** 63), 2 ** 64, 1e308, -1e308, 65536, 1000, 6 * 1024 * 1024, 1e-9,
];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

/** A value that is wrong, extreme or odd (sometimes of the right type, to reach the range checks). */
export function oddValue(rand: () => number, depth = 0): unknown {
  const r = rand();
  if (r < 0.3) return pick(rand, ODD_STRINGS);
  if (r < 0.55) return pick(rand, EXTREME_NUMBERS);
  if (r < 0.62) return rand() < 0.5;
  if (r < 0.7) return null;
  if (depth > 2) return {};
  if (r < 0.85) return Array.from({ length: 1 + Math.floor(rand() * 3) }, () => oddValue(rand, depth + 1));
  return { [pick(rand, ODD_STRINGS).slice(0, 20) || 'k']: oddValue(rand, depth + 1) };
}

/** An odd value of the field's own type (extreme integers, odd strings), to reach the range checks and the store. */
export function typedOddValue(rand: () => number, schema: Schema, depth = 0): unknown {
  switch (schema.kind) {
    case 'string': return pick(rand, ODD_STRINGS);
    case 'bool': return rand() < 0.5;
    case 'int': return pick(rand, EXTREME_NUMBERS.filter(Number.isInteger));
    case 'strslice': return rand() < 0.3 ? pick(rand, ODD_STRINGS) : [pick(rand, ODD_STRINGS)];
    case 'array': return depth > 3 ? [] : [typedOddValue(rand, schema.of, depth + 1)];
    case 'map': return depth > 3 ? {} : { [pick(rand, ODD_STRINGS).slice(0, 30)]: typedOddValue(rand, schema.of, depth + 1) };
    case 'object': {
      const out: Record<string, unknown> = {};
      const keys = Object.keys(schema.fields);
      if (keys.length && depth <= 3) {
        const k = pick(rand, keys);
        out[k] = typedOddValue(rand, schema.fields[k]!, depth + 1);
      }
      return out;
    }
  }
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown, rand: () => number): void {
  let cur: Record<string, unknown> = target;
  path.forEach((seg, i) => {
    const key = seg === '*' ? pick(rand, ['a', '80/tcp', '53/udp', '/data', 'abc/tcp', '', '../x', 'default']) : seg;
    if (i === path.length - 1) {
      cur[key] = value;
      return;
    }
    const next = cur[key];
    const wantList = path[i + 1] === '0';
    if (typeof next !== 'object' || next === null || Array.isArray(next) !== wantList) cur[key] = wantList ? [] : {};
    cur = cur[key] as Record<string, unknown>;
  });
}

/** A body from `base` with one to three fields of `schema` set to odd values, or one left out. */
export function fuzzBody(rand: () => number, schema: Schema, base: Record<string, unknown>): Record<string, unknown> {
  const body = structuredClone(base);
  if (rand() < 0.08) {
    const keys = Object.keys(body);
    if (keys.length) delete body[pick(rand, keys)];
    return body;
  }
  const fields = fieldsOf(schema);
  const n = 1 + Math.floor(rand() * 3);
  for (let i = 0; i < n; i++) {
    const f = pick(rand, fields);
    setPath(body, f.path, rand() < 0.6 ? typedOddValue(rand, f.schema) : oddValue(rand), rand);
  }
  return body;
}

/** A query string with one or two of `params` set to odd values (JSON-valued ones get odd JSON). */
export function fuzzQuery(rand: () => number, params: readonly string[], jsonParams: readonly string[]): string {
  const q = new URLSearchParams();
  const n = 1 + Math.floor(rand() * 2);
  for (let i = 0; i < n; i++) {
    const p = pick(rand, params);
    const v = jsonParams.includes(p) && rand() < 0.7 ? JSON.stringify(rand() < 0.5 ? { a: oddValue(rand) } : oddValue(rand)) : String(oddValue(rand));
    q.append(p, v.slice(0, 2000).replace(/[\ud800-\udfff]/g, '\ufffd'));
  }
  return q.toString();
}
