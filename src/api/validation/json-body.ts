/**
 * Reading a JSON request body at the door (pure): the nesting is measured before JSON.parse (a
 * deeply nested value parses, but any later recursive walk of it overflows the stack), then the
 * value is decoded against the route's schema. Every refusal is an InvalidParameter worded
 * `invalid JSON: ...`, which names the field and the type it must have.
 */
import { invalidParameter, messageOf } from '../../errors.js';
import { decodeValue, SchemaMismatch } from './check-value.js';
import type { Schema } from './schema.js';

/** The deepest nesting of arrays and objects a JSON body may have (Engine bodies need under 10). */
export const MAX_JSON_DEPTH = 100;

/** The largest JSON body read into memory (build contexts, loads and imports are streamed, not JSON). */
export const MAX_JSON_BODY_BYTES = 4 * 1024 * 1024;

const QUOTE = 0x22, BACKSLASH = 0x5c, OPEN_BRACE = 0x7b, OPEN_BRACKET = 0x5b, CLOSE_BRACE = 0x7d, CLOSE_BRACKET = 0x5d;

/** True when `text` nests arrays and objects deeper than `limit` (strings are skipped). */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return false;
}

/**
 * Parses `text` and decodes it as `schema` (or returns the parsed value when there is none).
 * Throws InvalidParameter for bad syntax, too deep a nesting and a value of the wrong type.
 */
export function parseJsonBody(text: string, schema?: Schema): unknown {
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw invalidParameter(`invalid JSON: nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw invalidParameter(`invalid JSON: ${messageOf(err)}`, err);
  }
  if (!schema) return value;
  try {
    return decodeValue(schema, value);
  } catch (err) {
    if (err instanceof SchemaMismatch) throw invalidParameter(`invalid JSON: ${err.message}`, err);
    throw err;
  }
}
