/**
 * Image manifests a registry serves (pure): Docker schema2 and manifest lists, OCI image
 * manifests and indexes. Schema1 is refused, and a list without the wanted platform gets
 * dockerd's error. Layer media types tell how a blob is compressed.
 */
import { invalidParameter, notFound, notImplemented } from '../errors.js';
import { checkDigest } from './reference.js';

export const MEDIA = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  schema1: 'application/vnd.docker.distribution.manifest.v1+json',
  schema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
} as const;

/** The `Accept` header of a manifest request, in dockerd's order of preference. */
export const MANIFEST_ACCEPT = [MEDIA.dockerManifest, MEDIA.dockerList, MEDIA.ociManifest, MEDIA.ociIndex].join(', ');

/** A content descriptor. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  urls?: string[];
  platform?: Platform;
}

/** An OS/architecture/variant triple. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** What a manifest document is: an image (config + layers) or a list of images. */
export type ParsedManifest =
  | { kind: 'image'; mediaType: string; config: Descriptor; layers: Descriptor[] }
  | { kind: 'list'; mediaType: string; manifests: Descriptor[] };

/** How a layer blob is stored. */
export type LayerCompression = 'gzip' | 'none' | 'zstd';

const LAYER_TYPES: Record<string, LayerCompression> = {
  'application/vnd.docker.image.rootfs.diff.tar.gzip': 'gzip',
  'application/vnd.docker.image.rootfs.diff.tar': 'none',
  'application/vnd.oci.image.layer.v1.tar+gzip': 'gzip',
  'application/vnd.oci.image.layer.v1.tar': 'none',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip': 'gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar': 'none',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip': 'gzip',
  'application/vnd.oci.image.layer.v1.tar+zstd': 'zstd',
};

const bad = (what: string) => invalidParameter(`invalid manifest: ${what}`);

function descriptor(raw: unknown, what: string): Descriptor {
  const d = raw as Partial<Descriptor> | null;
  if (!d || typeof d !== 'object' || typeof d.digest !== 'string' || typeof d.size !== 'number' || d.size < 0) throw bad(`${what} is not a valid descriptor`);
  try {
    checkDigest(d.digest);
  } catch {
    throw bad(`${what} has an invalid digest ${JSON.stringify(d.digest)}`);
  }
  const p = d.platform as Partial<Platform> | undefined;
  return {
    mediaType: typeof d.mediaType === 'string' ? d.mediaType : '', digest: d.digest, size: d.size,
    ...(Array.isArray(d.urls) ? { urls: d.urls.filter((u): u is string => typeof u === 'string') } : {}),
    ...(p && typeof p.os === 'string' && typeof p.architecture === 'string'
      ? { platform: { os: p.os, architecture: p.architecture, ...(typeof p.variant === 'string' && p.variant ? { variant: p.variant } : {}) } }
      : {}),
  };
}

/**
 * Parses a manifest; `contentType` is the registry's `Content-Type`, the document's own
 * `mediaType` wins when the header is generic (OCI documents may omit it).
 */
export function parseManifest(bytes: Buffer, contentType: string): ParsedManifest {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw bad('not JSON');
  }
  if (!raw || typeof raw !== 'object') throw bad('not an object');
  const header = contentType.split(';')[0]!.trim();
  let type = typeof raw.mediaType === 'string' ? raw.mediaType : header;
  if (type === '' || type === 'application/json') type = Array.isArray(raw.manifests) ? MEDIA.ociIndex : raw.schemaVersion === 1 ? MEDIA.schema1 : MEDIA.ociManifest;
  if (type === MEDIA.schema1 || type === MEDIA.schema1Signed || raw.schemaVersion === 1) {
    throw notImplemented('Docker Image manifest version 2, schema 1 is not supported: ask the author of the image to push it again as Docker schema 2 or OCI');
  }
  if (type === MEDIA.dockerList || type === MEDIA.ociIndex) {
    if (!Array.isArray(raw.manifests)) throw bad('manifests is not a list');
    return { kind: 'list', mediaType: type, manifests: raw.manifests.map((m, i) => descriptor(m, `manifests[${i}]`)) };
  }
  if (type === MEDIA.dockerManifest || type === MEDIA.ociManifest) {
    if (!Array.isArray(raw.layers)) throw bad('layers is not a list');
    return { kind: 'image', mediaType: type, config: descriptor(raw.config, 'config'), layers: raw.layers.map((l, i) => descriptor(l, `layers[${i}]`)) };
  }
  throw invalidParameter(`unsupported manifest media type and no default available: ${type}`);
}

/** How a layer of this media type is compressed; foreign and unknown types are refused. */
export function layerCompression(layer: Descriptor): LayerCompression {
  const c = LAYER_TYPES[layer.mediaType];
  if (!c) throw invalidParameter(`unsupported layer media type ${layer.mediaType}`);
  return c;
}

/** Parses `--platform` / `platform=` (`os[/arch[/variant]]`), with containerd's normalisation. */
export function parsePlatform(text: string): Platform {
  const parts = text.toLowerCase().split('/');
  if (parts.length > 3 || parts.some((p) => !/^[a-z0-9_-]+$/.test(p))) throw invalidParameter(`"${text}": invalid platform: unknown operating system or architecture`);
  const variant = parts[2];
  let os = parts[0]!;
  let architecture = parts[1];
  if (!architecture) {
    if (os !== 'linux' && os !== 'windows' && os !== 'darwin') [os, architecture] = ['linux', os];
    else architecture = 'amd64';
  }
  const arch = normaliseArch(architecture, variant);
  return { os, ...arch };
}

function normaliseArch(architecture: string, variant?: string): { architecture: string; variant?: string } {
  switch (architecture) {
    case 'x86_64': case 'x86-64': case 'amd64': return { architecture: 'amd64', ...(variant && variant !== 'v1' ? { variant } : {}) };
    case 'i386': case '386': return { architecture: '386' };
    case 'aarch64': case 'arm64': return { architecture: 'arm64', ...(variant && variant !== 'v8' ? { variant } : {}) };
    case 'armhf': return { architecture: 'arm', variant: 'v7' };
    case 'armel': return { architecture: 'arm', variant: 'v6' };
    case 'arm': return { architecture: 'arm', variant: variant || 'v7' };
    default: return { architecture, ...(variant ? { variant } : {}) };
  }
}

/** `linux/arm/v7` form of a platform. */
export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** True when a list entry (or an image's config) runs on the wanted platform. */
export function platformMatches(want: Platform, have: Platform): boolean {
  const h = { os: have.os.toLowerCase(), ...normaliseArch(have.architecture.toLowerCase(), have.variant?.toLowerCase()) };
  return h.os === want.os && h.architecture === want.architecture && (h.variant ?? '') === (want.variant ?? '');
}

/** The first entry of a manifest list for `want`, or dockerd's error. */
export function selectManifest(list: Descriptor[], want: Platform): Descriptor {
  // An exact match first; without a wanted variant, any variant of the architecture will do.
  const hit = list.find((d) => d.platform && platformMatches(want, d.platform))
    ?? (want.variant ? undefined : list.find((d) => d.platform && platformMatches(want, { ...d.platform, variant: '' })));
  if (!hit) throw notFound(`no matching manifest for ${formatPlatform(want)} in the manifest list entries`);
  return hit;
}
