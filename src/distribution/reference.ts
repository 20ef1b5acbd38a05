/**
 * Image references as the distribution library that dockerd vendors parses them (pure):
 * `busybox` is `docker.io/library/busybox:latest`, `host:port/repo`, `repo@sha256:…`,
 * `repo:tag@sha256:…`. Errors carry Docker's wording (`invalid reference format`,
 * `invalid reference format: repository name must be lowercase`, `invalid tag format`).
 */
import { invalidParameter } from '../errors.js';

/** A fully qualified reference: the registry's domain, the path in it, a tag and/or a digest. */
export interface RegistryReference {
  /** `docker.io`, `127.0.0.1:5000`, `registry.example.com`. */
  domain: string;
  /** The repository path in the registry, e.g. `library/busybox`, `cf-hello`. */
  path: string;
  tag?: string;
  digest?: string;
}

/** Docker Hub's canonical domain. */
export const DOCKER_HUB = 'docker.io';

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*';
const NAME = `(?:${DOMAIN}\\/)?${PATH_COMPONENT}(?:\\/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const TAG_ONLY = new RegExp(`^${TAG}$`);
const ID_ONLY = /^[a-f0-9]{64}$/;
const NAME_MAX = 255;

/** True for a valid tag (`[\w][\w.-]{0,127}`). */
export function isValidTag(tag: string): boolean {
  return TAG_ONLY.test(tag);
}

const invalid = () => invalidParameter('invalid reference format');

/** Checks a digest as go-digest does (only sha256 is known here). */
export function checkDigest(digest: string): string {
  const colon = digest.indexOf(':');
  if (colon <= 0 || colon === digest.length - 1) throw invalidParameter('invalid checksum digest format');
  const alg = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  if (alg !== 'sha256') throw invalidParameter('unsupported digest algorithm');
  if (!/^[a-f0-9]+$/.test(hex)) throw invalidParameter('invalid checksum digest format');
  if (hex.length !== 64) throw invalidParameter('invalid checksum digest length');
  return digest;
}

/**
 * Parses what a user types (`docker pull X`) into a fully qualified reference, as
 * `reference.ParseNormalizedNamed` does: the first component is a domain only when it holds a
 * `.` or a `:` or is `localhost` (or has capitals); Docker Hub names get `library/`.
 */
export function parseNormalizedReference(text: string): RegistryReference {
  if (ID_ONLY.test(text)) throw invalidParameter(`invalid repository name (${text}), cannot specify 64-byte hexadecimal strings`);
  const slash = text.indexOf('/');
  let domain = DOCKER_HUB;
  let remainder = text;
  if (slash >= 0) {
    const head = text.slice(0, slash);
    if (/[.:]/.test(head) || head === 'localhost' || head.toLowerCase() !== head) {
      domain = head;
      remainder = text.slice(slash + 1);
    }
  }
  if (domain === 'index.docker.io') domain = DOCKER_HUB;
  if (domain === DOCKER_HUB && !remainder.includes('/')) remainder = `library/${remainder}`;
  const colon = remainder.indexOf(':');
  const remoteName = colon >= 0 ? remainder.slice(0, colon) : remainder;
  if (remoteName.toLowerCase() !== remoteName) throw invalidParameter('invalid reference format: repository name must be lowercase');
  return parseQualified(`${domain}/${remainder}`);
}

/** Parses a reference that already names its domain (reference.Parse plus the domain split). */
function parseQualified(text: string): RegistryReference {
  const m = REFERENCE.exec(text);
  if (!m) {
    if (text === '') throw invalidParameter('repository name must have at least one component');
    if (REFERENCE.test(text.toLowerCase())) throw invalidParameter('invalid reference format: repository name must be lowercase');
    throw invalid();
  }
  const name = m[1]!;
  if (name.length > NAME_MAX) throw invalidParameter(`repository name must not be more than ${NAME_MAX} characters`);
  const slash = name.indexOf('/');
  const ref: RegistryReference = { domain: name.slice(0, slash), path: name.slice(slash + 1) };
  if (m[2] !== undefined) ref.tag = m[2];
  if (m[3] !== undefined) ref.digest = checkDigest(m[3]);
  return ref;
}

/**
 * What dockerd makes of `fromImage` and `tag` (`POST /images/create`): the tag may be a digest;
 * a bad tag is `invalid tag format`. Without either, the tag is `latest`.
 */
export function pullReference(fromImage: string, tag: string): RegistryReference {
  const ref = parseNormalizedReference(fromImage);
  if (tag !== '') {
    if (/^[^:]+:/.test(tag) && !TAG_ONLY.test(tag)) {
      let digest: string | undefined;
      try {
        digest = checkDigest(tag);
      } catch {
        digest = undefined;
      }
      if (digest) return { domain: ref.domain, path: ref.path, digest };
    }
    if (!TAG_ONLY.test(tag)) throw invalidParameter('invalid tag format');
    return { domain: ref.domain, path: ref.path, tag, ...(ref.digest ? { digest: ref.digest } : {}) };
  }
  if (!ref.tag && !ref.digest) ref.tag = 'latest';
  return ref;
}

/** The repository as Docker shows it: `busybox`, `user/app`, `127.0.0.1:5000/cf-hello`. */
export function familiarName(ref: Pick<RegistryReference, 'domain' | 'path'>): string {
  if (ref.domain !== DOCKER_HUB) return `${ref.domain}/${ref.path}`;
  const rest = ref.path.startsWith('library/') ? ref.path.slice('library/'.length) : ref.path;
  return rest.includes('/') ? ref.path : rest;
}

/** The reference as Docker shows it (`reference.FamiliarString`): name, `:tag`, `@digest`. */
export function familiarString(ref: RegistryReference): string {
  return familiarName(ref) + (ref.tag ? `:${ref.tag}` : '') + (ref.digest ? `@${ref.digest}` : '');
}

/** What the image store keeps for the tag of a pulled image: `name:tag`. */
export function tagReference(ref: RegistryReference): string | undefined {
  return ref.tag && !ref.digest ? `${familiarName(ref)}:${ref.tag}` : undefined;
}

/** What the image store keeps as a digest reference: `name@sha256:…`. */
export function digestReference(ref: Pick<RegistryReference, 'domain' | 'path'>, digest: string): string {
  return `${familiarName(ref)}@${digest}`;
}
