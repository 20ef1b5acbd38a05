/**
 * The image `config` object as the classic builder reads and writes it (Docker's container Config
 * fields that an image carries). Unknown fields from a base image are kept as they are.
 */

/** Docker's HealthConfig; durations are nanoseconds, as in the image JSON. */
export interface HealthConfig {
  Test: string[];
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  Retries?: number;
}

/** An image's runtime configuration (the `config` member of an image config blob). */
export interface ImageConfig {
  User?: string;
  ExposedPorts?: Record<string, Record<string, never>> | null;
  Env?: string[] | null;
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Volumes?: Record<string, Record<string, never>> | null;
  WorkingDir?: string;
  Labels?: Record<string, string> | null;
  OnBuild?: string[] | null;
  StopSignal?: string;
  Healthcheck?: HealthConfig;
  Shell?: string[];
  ArgsEscaped?: boolean;
  [other: string]: unknown;
}

/** A deep copy, so a step never mutates the config of the image it started from. */
export function cloneImageConfig(config: ImageConfig): ImageConfig {
  return structuredClone(config);
}

/** JSON with object keys sorted at every level: a stable text for cache keys. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** Returns `set` with `key` added, keys kept in Go's sorted map order. */
export function addToSet(
  set: Record<string, Record<string, never>> | null | undefined,
  keys: readonly string[],
): Record<string, Record<string, never>> {
  const all = new Set([...Object.keys(set ?? {}), ...keys]);
  const out: Record<string, Record<string, never>> = {};
  for (const key of [...all].sort()) out[key] = {};
  return out;
}

/** The default shell of the classic builder on Linux. */
export const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c'];

/** The 12-hex short form of an image or container id (with or without `sha256:`). */
export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}
