/**
 * A small declarative description of the Engine API's JSON types, as Go's encoding/json sees
 * them: the data that `check-value.ts` reads. Each constructor mirrors a Go type, so a schema
 * can be checked line by line against moby's `api/types`.
 *
 * `nullable` says whether Go keeps a JSON null as such (pointer, slice, map); for the others
 * (string, bool, numbers, plain structs) Go's decoder leaves the zero value, and so does ours.
 */

/** The integer widths the Engine API uses (Go's int is 64 bits on Linux). */
export type IntWidth = 'int64' | 'uint16' | 'uint32' | 'uint64';

/** One type of the schema. */
export type Schema =
  | { kind: 'string'; nullable?: boolean }
  | { kind: 'bool'; nullable?: boolean }
  | { kind: 'int'; width: IntWidth; nullable?: boolean }
  /** A string list that also takes one string (Docker's strslice.StrSlice). */
  | { kind: 'strslice'; nullable: true }
  | { kind: 'array'; of: Schema; nullable: true }
  | { kind: 'map'; of: Schema; nullable: true }
  | { kind: 'object'; fields: Readonly<Record<string, Schema>>; nullable?: boolean };

/** Go `string`. */
export const str: Schema = { kind: 'string' };
/** Go `*string`. */
export const strPtr: Schema = { kind: 'string', nullable: true };
/** Go `bool`. */
export const bool: Schema = { kind: 'bool' };
/** Go `*bool`. */
export const boolPtr: Schema = { kind: 'bool', nullable: true };
/** Go `int`/`int64`. */
export const int64: Schema = { kind: 'int', width: 'int64' };
/** Go `*int`/`*int64`. */
export const int64Ptr: Schema = { kind: 'int', width: 'int64', nullable: true };
/** Go `uint16`. */
export const uint16: Schema = { kind: 'int', width: 'uint16' };
/** Go `uint32` (os.FileMode). */
export const uint32: Schema = { kind: 'int', width: 'uint32' };
/** Go `uint64`. */
export const uint64: Schema = { kind: 'int', width: 'uint64' };
/** Docker's `strslice.StrSlice`: a list of strings, or one string. */
export const strslice: Schema = { kind: 'strslice', nullable: true };

/** Go `[]T`. */
export function arrayOf(of: Schema): Schema {
  return { kind: 'array', of, nullable: true };
}

/** Go `map[string]T`. */
export function mapOf(of: Schema): Schema {
  return { kind: 'map', of, nullable: true };
}

/** A Go struct (`nullable` for a pointer to one). */
export function struct(fields: Record<string, Schema>, nullable = false): Schema {
  return { kind: 'object', fields, nullable };
}

/** Go `[]string`. */
export const strings: Schema = arrayOf(str);
/** Go `map[string]string`. */
export const stringMap: Schema = mapOf(str);
/** Go `map[string]struct{}` (PortSet, Volumes). */
export const emptyStructMap: Schema = mapOf(struct({}));
