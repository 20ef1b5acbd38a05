/**
 * Query parameters checked at the door (pure), declared per route like the bodies: integers must
 * be integers, JSON-valued parameters (build args, labels, ...) are decoded against their schema.
 * Booleans need no check: Docker reads anything but '', 0, no, false and none as true.
 */
import { invalidParameter, messageOf } from '../../errors.js';
import { decodeValue, describeValue } from './check-value.js';
import { nestsDeeperThan, MAX_JSON_DEPTH } from './json-body.js';
import { arrayOf, bool, int64, mapOf, str, strings, stringMap, strPtr, struct, type Schema } from './schema.js';

/** How one query parameter is checked. */
export type QueryParam =
  | { kind: 'int' }
  /** Docker's filters: `{"key": ["value"]}` or `{"key": {"value": true}}`. */
  | { kind: 'filters' }
  | { kind: 'json'; schema: Schema; what: string }
  | { kind: 'oneOf'; values: readonly string[] };

/** The query parameters of a route that are checked; others are left to the handler. */
export type QuerySpec = Readonly<Record<string, QueryParam>>;

const int: QueryParam = { kind: 'int' };
const json = (schema: Schema, what: string): QueryParam => ({ kind: 'json', schema, what });

/** `POST /build` (Docker 20.10's newImageBuildOptions). */
export const buildQuery: QuerySpec = {
  memory: int, memswap: int, cpushares: int, cpuquota: int, cpuperiod: int, shmsize: int,
  buildargs: json(mapOf(strPtr), 'build args'),
  labels: json(stringMap, 'labels'),
  cachefrom: json(strings, 'cache from'),
  ulimits: json(arrayOf(struct({ Name: str, Hard: int64, Soft: int64 }, true)), 'ulimit settings'),
  version: { kind: 'oneOf', values: ['', '1', '2'] },
};

/** `filters`, on every route that takes it (lists, prunes, events). */
export const commonQuery: QuerySpec = { filters: { kind: 'filters' } };

const filterValues = [arrayOf(str), mapOf(bool)] as const;

function checkFilters(key: string, value: string): void {
  const parsed = parseQueryJson(value, 'filter');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidParameter(`invalid filter: ${key} must be an object, got ${describeValue(parsed)}`);
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    const schema = filterValues[Array.isArray(v) ? 0 : 1];
    try {
      decodeValue(schema, v, `${key}[${JSON.stringify(k)}]`);
    } catch (err) {
      throw invalidParameter(`invalid filter: ${messageOf(err)}`, err);
    }
  }
}

/** JSON.parse of a query value, after the nesting check; `what` names it in errors. */
function parseQueryJson(value: string, what: string): unknown {
  if (nestsDeeperThan(value, MAX_JSON_DEPTH)) throw invalidParameter(`error reading ${what}: nested deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(value);
  } catch (err) {
    throw invalidParameter(`error reading ${what}: ${messageOf(err)}`, err);
  }
}

function checkOne(key: string, value: string, p: QueryParam): void {
  switch (p.kind) {
    case 'filters':
      if (value !== '') checkFilters(key, value);
      return;
    case 'int':
      if (value !== '' && !/^[+-]?\d{1,19}$/.test(value)) throw invalidParameter(`invalid value for ${key}: ${JSON.stringify(value)}: must be an integer`);
      return;
    case 'oneOf':
      if (!p.values.includes(value)) throw invalidParameter(`invalid ${key} ${JSON.stringify(value)}`);
      return;
    case 'json': {
      if (value === '') return;
      const parsed = parseQueryJson(value, p.what);
      try {
        decodeValue(p.schema, parsed, key);
      } catch (err) {
        throw invalidParameter(`error reading ${p.what}: ${messageOf(err)}`, err);
      }
    }
  }
}

/** Throws InvalidParameter for the first query parameter of `spec` that has a bad value. */
export function checkQuery(spec: QuerySpec, query: URLSearchParams): void {
  for (const key of Object.keys(spec)) {
    for (const value of query.getAll(key)) checkOne(key, value, spec[key]!);
  }
}
