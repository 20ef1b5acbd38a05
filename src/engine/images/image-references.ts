/**
 * The two kinds of image references the store keeps in one map (pure), as Docker's reference
 * store does: tags (`name:tag`) and digest references (`name@sha256:…`, the `RepoDigests` of a
 * pulled image: the manifest it came from).
 */
import { parseReference } from './reference.js';

/** True for a digest reference key (`name@sha256:…`). */
export function isDigestReference(key: string): boolean {
  return key.includes('@');
}

/** The store key of what a user typed: `name@digest` when it has a digest, else `name:tag`. */
export function referenceKey(ref: string): string {
  const p = parseReference(ref);
  return p.digest ? `${p.repo}@${p.digest}` : `${p.repo}:${p.tag}`;
}

/** The repository of a key (`name` of `name:tag` or `name@digest`). */
export function repositoryOf(key: string): string {
  const at = key.indexOf('@');
  if (at >= 0) return key.slice(0, at);
  return key.slice(0, key.lastIndexOf(':'));
}

/**
 * After the tag `untagged` of image `id` is removed: the digest references of the same
 * repository that go with it, when no other tag of that repository still names the image
 * (moby's ImageDelete rule).
 */
export function digestReferencesToDrop(refs: Record<string, string>, id: string, untagged: string): string[] {
  if (isDigestReference(untagged)) return [];
  const repo = repositoryOf(untagged);
  const mine = Object.keys(refs).filter((k) => refs[k] === id && repositoryOf(k) === repo);
  if (mine.some((k) => !isDigestReference(k))) return [];
  return mine.filter(isDigestReference).sort();
}
