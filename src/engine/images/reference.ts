/**
 * Image references as Docker normalises them (pure): `busybox` → `busybox:latest`,
 * `docker.io/library/busybox` → `busybox:latest`, `host:5000/a/b:t` kept.
 */
import { invalidParameter } from '../../errors.js';

export interface ParsedReference {
  /** Repository without the tag, e.g. `busybox` or `localhost:5000/team/app`. */
  repo: string;
  tag: string;
  digest?: string;
}

const NAME = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/** Parses and normalises; throws Docker's "invalid reference format" errors. */
export function parseReference(ref: string): ParsedReference {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw invalidParameter(`invalid reference format`);
  }
  let tag = 'latest';
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalidParameter(`invalid reference format`);
  }
  let domain = '';
  const first = rest.indexOf('/');
  if (first >= 0) {
    const head = rest.slice(0, first);
    if (head.includes('.') || head.includes(':') || head === 'localhost') {
      domain = head;
      rest = rest.slice(first + 1);
    }
  }
  if (domain === 'docker.io' || domain === 'index.docker.io') {
    domain = '';
    if (rest.startsWith('library/')) rest = rest.slice('library/'.length);
  }
  if (rest !== rest.toLowerCase() && NAME.test(rest.toLowerCase())) {
    throw invalidParameter(`invalid reference format: repository name must be lowercase`);
  }
  if (!rest || !NAME.test(rest) || ref.length > 255) throw invalidParameter(`invalid reference format`);
  return { repo: domain ? `${domain}/${rest}` : rest, tag, ...(digest ? { digest } : {}) };
}

/** `repo:tag` form of a reference. */
export function normaliseReference(ref: string): string {
  const p = parseReference(ref);
  return `${p.repo}:${p.tag}`;
}
