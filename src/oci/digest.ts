/** Content digests of the OCI image spec (pure): `sha256:<hex>` of bytes, and layer chain ids. */
import { createHash } from 'node:crypto';

/** The `sha256:<hex>` digest of `bytes` (a string counts as its UTF-8 bytes). */
export function sha256Digest(bytes: Buffer | string): string {
  return 'sha256:' + createHash('sha256').update(bytes).digest('hex');
}

/** Chain id of a layer on top of `parent` (OCI image spec). */
export function chainIdOf(parent: string | null, diffId: string): string {
  return parent ? sha256Digest(`${parent} ${diffId}`) : diffId;
}

/** Chain ids of a stack of diff ids, bottom first. */
export function chainIdsOf(diffIds: readonly string[]): string[] {
  const out: string[] = [];
  for (const d of diffIds) out.push(chainIdOf(out.at(-1) ?? null, d));
  return out;
}
