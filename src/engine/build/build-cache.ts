/**
 * The classic builder's layer cache: cache key -> image id. The key is computed by the builder
 * from the parent image, the instruction after substitution, the resulting config and (for
 * COPY/ADD) the content digest. The file store keeps the index in one JSON file written atomically.
 */
import { createHash } from 'node:crypto';
import { readJsonIfExists, writeJsonAtomic } from '../../store/atomic-file.js';

/** Where cache entries live. */
export interface BuildCacheStore {
  get(key: string): Promise<string | undefined>;
  put(key: string, imageId: string): Promise<void>;
}

/** The parts of a cache key. */
export interface CacheKeyParts {
  parentId: string | null;
  /** The step as it ran: instruction after substitution (and build args for RUN). */
  step: string;
  /** Canonical JSON of the config the step produces. */
  config: string;
  /** Content digest of COPY/ADD sources, '' otherwise. */
  content: string;
}

/** sha256 over the key parts. */
export function computeCacheKey(parts: CacheKeyParts): string {
  const h = createHash('sha256');
  h.update(`parent ${parts.parentId ?? 'scratch'}\n`);
  h.update(`step ${parts.step}\n`);
  h.update(`config ${parts.config}\n`);
  h.update(`content ${parts.content}\n`);
  return h.digest('hex');
}

interface CacheFile {
  version: 1;
  entries: Record<string, string>;
}

/** A cache in memory (tests, or when no data root is wanted). */
export function createMemoryBuildCache(): BuildCacheStore & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    get: async (key) => entries.get(key),
    put: async (key, id) => {
      entries.set(key, id);
    },
  };
}

/** A cache persisted in `file` (e.g. `<data-root>/builder/cache.json`); writes are serialized. */
export function createFileBuildCache(file: string): BuildCacheStore {
  let chain: Promise<unknown> = Promise.resolve();
  const load = async (): Promise<CacheFile> => {
    const data = await readJsonIfExists<CacheFile>(file).catch(() => undefined);
    return data && data.version === 1 && data.entries && typeof data.entries === 'object'
      ? data
      : { version: 1, entries: {} };
  };
  return {
    get: async (key) => {
      await chain.catch(() => undefined);
      const value = (await load()).entries[key];
      return typeof value === 'string' ? value : undefined;
    },
    put: (key, imageId) => {
      const next = chain.catch(() => undefined).then(async () => {
        const data = await load();
        data.entries[key] = imageId;
        await writeJsonAtomic(file, data);
      });
      chain = next;
      return next;
    },
  };
}
