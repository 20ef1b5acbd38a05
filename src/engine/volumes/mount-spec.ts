/**
 * Parses the mount requests of a create body (pure): `HostConfig.Binds` (`-v src:dst[:opts]`),
 * `HostConfig.Mounts` (`--mount`), and the anonymous volumes of `Config.Volumes`.
 */
import path from 'node:path';
import { invalidParameter } from '../../errors.js';

export interface MountRequest {
  type: 'volume' | 'bind';
  /** Volume name; empty for an anonymous volume. */
  name: string;
  /** Host path of a bind mount. */
  source: string;
  destination: string;
  rw: boolean;
  /** The mode text as Docker shows it (`ro`, `rw`, `z`, ... or ''). */
  mode: string;
  /** Fill a new empty volume with the image's content at the destination. */
  copyData: boolean;
  propagation: string;
}

const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const MODES = new Set(['ro', 'rw', 'z', 'Z', 'nocopy', 'rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave', 'consistent', 'cached', 'delegated']);

/** Validates a volume name with Docker's rule. */
export function validateVolumeName(name: string): void {
  if (!VOLUME_NAME.test(name) || name.length > 255) {
    throw invalidParameter(`create ${name}: "${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`);
  }
}

function cleanDestination(dst: string, spec: string): string {
  if (!dst.startsWith('/')) throw invalidParameter(`invalid mount config for type "volume": invalid mount path: '${dst}' mount path must be absolute`);
  const clean = path.posix.normalize(dst);
  if (clean === '/') throw invalidParameter(`invalid specification: destination can't be '/' in '${spec}'`);
  return clean.replace(/\/$/, '');
}

/** Parses one `-v` entry: `name:/dst`, `/host:/dst`, with `:ro`, `:rw`, `:nocopy`, ... */
export function parseBind(spec: string): MountRequest {
  const parts = spec.split(':');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) throw invalidParameter(`invalid volume specification: '${spec}'`);
  const [src, dst, opts = ''] = parts as [string, string, string?];
  const modes = opts ? opts.split(',') : [];
  for (const m of modes) if (!MODES.has(m)) throw invalidParameter(`invalid mode: ${m}`);
  const rw = !modes.includes('ro');
  const destination = cleanDestination(dst, spec);
  const isBind = src.startsWith('/');
  if (!isBind) validateVolumeName(src);
  if (isBind && modes.includes('nocopy')) throw invalidParameter(`invalid mode: nocopy`);
  return {
    type: isBind ? 'bind' : 'volume',
    name: isBind ? '' : src,
    source: isBind ? path.posix.normalize(src).replace(/(.)\/$/, '$1') : '',
    destination,
    rw,
    mode: opts,
    copyData: !isBind && !modes.includes('nocopy'),
    propagation: isBind ? modes.find((m) => /^r?(private|shared|slave)$/.test(m)) ?? 'rprivate' : '',
  };
}

/** One `--mount` entry as the API carries it. */
export interface ApiMount {
  Type?: string;
  Source?: string;
  Target?: string;
  ReadOnly?: boolean;
  VolumeOptions?: { NoCopy?: boolean };
  BindOptions?: { Propagation?: string };
}

/** Parses a `HostConfig.Mounts` entry (`--mount type=volume|bind,...`). */
export function parseApiMount(m: ApiMount): MountRequest {
  const type = m.Type ?? 'volume';
  if (type !== 'volume' && type !== 'bind') throw invalidParameter(`mount type ${type} is not supported`);
  if (!m.Target) throw invalidParameter(`invalid mount config for type "${type}": field Target must not be empty`);
  const destination = cleanDestination(m.Target, m.Target);
  if (type === 'bind') {
    if (!m.Source || !m.Source.startsWith('/')) throw invalidParameter(`invalid mount config for type "bind": invalid mount path: '${m.Source ?? ''}' mount path must be absolute`);
    return { type, name: '', source: m.Source, destination, rw: !m.ReadOnly, mode: '', copyData: false, propagation: m.BindOptions?.Propagation || 'rprivate' };
  }
  if (m.Source) validateVolumeName(m.Source);
  return { type, name: m.Source ?? '', source: '', destination, rw: !m.ReadOnly, mode: '', copyData: !m.VolumeOptions?.NoCopy, propagation: '' };
}

/** An anonymous volume for a `Config.Volumes` path (`-v /path`, image `VOLUME`). */
export function anonymousVolume(destination: string): MountRequest {
  return { type: 'volume', name: '', source: '', destination: cleanDestination(destination, destination), rw: true, mode: '', copyData: true, propagation: '' };
}

/** `c[:ro|:rw]` of `--volumes-from`. */
export function parseVolumesFrom(spec: string): { container: string; mode: '' | 'ro' | 'rw' } {
  const [container, mode = ''] = spec.split(':');
  if (!container || !['', 'ro', 'rw'].includes(mode)) throw invalidParameter(`invalid mode for volumes-from: ${spec}`);
  return { container, mode: mode as '' | 'ro' | 'rw' };
}
