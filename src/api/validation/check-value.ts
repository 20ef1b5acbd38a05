/**
 * The one checker of request bodies against a `Schema` (pure). It decodes as Go's encoding/json
 * would: fields are matched by name (exactly, else ignoring case), unknown fields are dropped,
 * null becomes the zero value unless the type keeps it, a strslice's single string becomes a
 * list. A value of the wrong type stops it with a `SchemaMismatch` naming the field's path.
 *
 * It walks only where the schema goes, so its cost follows the schema, not the body.
 */
import type { IntWidth, Schema } from './schema.js';

/** A value that does not fit its type: where, what was expected, what came. */
export class SchemaMismatch extends Error {
  override readonly name = 'SchemaMismatch';

  constructor(
    readonly path: string,
    readonly expected: string,
    readonly got: string,
  ) {
    super(`${path || 'body'} must be ${expected}, got ${got}`);
  }
}

/**
 * The integers each width takes, as doubles. ±2^63 and 2^64 themselves are out: JSON.parse reads
 * 9223372036854775807 as 2^63, which prints as 9223372036854776000, a number Go's int64 refuses,
 * so storing it would break every later inspect by the docker CLI.
 */
const INT_RANGE: Record<IntWidth, [number, number, string]> = {
  int64: [-(2 ** 63) + 1024, 2 ** 63 - 1024, 'an integer of magnitude below 2^63'],
  uint16: [0, 65535, 'an integer from 0 to 65535'],
  uint32: [0, 2 ** 32 - 1, 'an integer from 0 to 4294967295'],
  uint64: [0, 2 ** 64 - 2048, 'an integer from 0 to below 2^64'],
};

/** What a schema expects, in words. */
export function describeSchema(s: Schema): string {
  switch (s.kind) {
    case 'string': return 'a string';
    case 'bool': return 'a boolean';
    case 'int': return INT_RANGE[s.width][2];
    case 'strslice': return 'a string or a list of strings';
    case 'array': return 'a list';
    case 'map': return 'an object';
    case 'object': return 'an object';
  }
}

/** What came instead, in words (short: strings are cut at 40 characters). */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'number') return `number ${v}`;
  if (typeof v === 'boolean') return `boolean ${v}`;
  return 'an object';
}

function fail(path: string, s: Schema, v: unknown): never {
  throw new SchemaMismatch(path, describeSchema(s), describeValue(v));
}

/** Go's zero value of a non-nullable type. */
function zeroOf(s: Schema): unknown {
  switch (s.kind) {
    case 'string': return '';
    case 'bool': return false;
    case 'int': return 0;
    case 'object': return {};
    default: return null;
  }
}

const lowerIndex = new WeakMap<object, Map<string, string>>();

/** The schema's field name for a JSON key: exact, else case-insensitive (as Go matches). */
function fieldName(fields: Readonly<Record<string, Schema>>, key: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(fields, key)) return key;
  let index = lowerIndex.get(fields);
  if (!index) {
    index = new Map(Object.keys(fields).map((k) => [k.toLowerCase(), k]));
    lowerIndex.set(fields, index);
  }
  return index.get(key.toLowerCase());
}

/** Sets a key even when it is `__proto__` (a JSON key, not the prototype). */
function put(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

const keyPath = (path: string, key: string) => `${path}[${JSON.stringify(key.length > 40 ? key.slice(0, 40) + '…' : key)}]`;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Decodes `value` as `schema`; `path` names it in errors (e.g. `HostConfig.Memory`). */
export function decodeValue(schema: Schema, value: unknown, path = ''): unknown {
  if (value === null || value === undefined) return schema.nullable ? null : zeroOf(schema);
  switch (schema.kind) {
    case 'string':
      if (typeof value !== 'string') fail(path, schema, value);
      return value;
    case 'bool':
      if (typeof value !== 'boolean') fail(path, schema, value);
      return value;
    case 'int': {
      const [lo, hi] = INT_RANGE[schema.width];
      if (typeof value !== 'number' || !Number.isInteger(value)) throw new SchemaMismatch(path, 'an integer', describeValue(value));
      if (value < lo || value > hi) fail(path, schema, value);
      return value;
    }
    case 'strslice':
      if (typeof value === 'string') return [value];
      if (!Array.isArray(value)) fail(path, schema, value);
      value.forEach((x, i) => {
        if (typeof x !== 'string') throw new SchemaMismatch(`${path}[${i}]`, 'a string', describeValue(x));
      });
      return value;
    case 'array':
      if (!Array.isArray(value)) fail(path, schema, value);
      return value.map((x, i) => decodeValue(schema.of, x, `${path}[${i}]`));
    case 'map': {
      if (!isPlainObject(value)) fail(path, schema, value);
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) put(out, key, decodeValue(schema.of, value[key], keyPath(path, key)));
      return out;
    }
    case 'object': {
      if (!isPlainObject(value)) fail(path, schema, value);
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        const name = fieldName(schema.fields, key);
        if (name === undefined) continue;
        out[name] = decodeValue(schema.fields[name]!, value[key], path ? `${path}.${name}` : name);
      }
      return out;
    }
  }
}
