/**
 * Checks and normalizes `-t` names before a build starts, as Docker does: a tag is added when
 * missing (`web` -> `web:latest`), digests are refused, and the name is shown in its familiar form.
 */
import { invalidParameter } from '../../errors.js';

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::\d+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/** Returns `name:tag` in familiar form, or throws InvalidParameter with Docker's wording. */
export function normalizeBuildTag(ref: string): string {
  if (ref.includes('@')) throw invalidParameter('build tag cannot contain a digest');
  let name = ref;
  let tag = 'latest';
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/')) {
    name = ref.slice(0, colon);
    tag = ref.slice(colon + 1);
    if (!TAG.test(tag)) throw invalidParameter('invalid reference format');
  }
  const parts = name.split('/');
  const hasDomain = parts.length > 1 && (parts[0]!.includes('.') || parts[0]!.includes(':') || parts[0] === 'localhost');
  const path = hasDomain ? parts.slice(1) : parts;
  if (hasDomain && !DOMAIN.test(parts[0]!)) throw invalidParameter('invalid reference format');
  if (name.length > 255) throw invalidParameter('invalid reference format: repository name must not be more than 255 characters');
  if (path.length === 0 || !path.every((c) => COMPONENT.test(c))) {
    if (path.every((c) => COMPONENT.test(c.toLowerCase()))) {
      throw invalidParameter('invalid reference format: repository name must be lowercase');
    }
    throw invalidParameter('invalid reference format');
  }
  let familiar = name;
  if (familiar.startsWith('docker.io/')) familiar = familiar.slice('docker.io/'.length);
  if (familiar.startsWith('library/') && familiar.split('/').length === 2) familiar = familiar.slice('library/'.length);
  return `${familiar}:${tag}`;
}
