/**
 * Parses the mount requests of a create body (pure): `HostConfig.Binds` (`-v src:dst[:opts]`),
 * `HostConfig.Mounts` (`--mount`), and the anonymous volumes of `Config.Volumes`. Checks and
 * their order follow Docker 20.10's Linux mount parser, so errors carry Docker's wording.
 */
import path from 'node:path';
import { invalidParameter, type EngineError } from '../../errors.js';

export interface MountRequest {
  type: 'volume' | 'bind' | 'tmpfs';
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
  /** `--mount type=bind`: the source must exist (`-v` creates it instead). */
  sourceMustExist?: boolean;
  /** mount(8) data of a tmpfs (`size=...,mode=...`). */
  tmpfsData?: string;
}

const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const RW_MODES = new Set(['ro', 'rw']);
const LABEL_MODES = new Set(['z', 'Z']);
const PROPAGATION_MODES = new Set(['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave']);
const CONSISTENCY_MODES = new Set(['consistent', 'cached', 'delegated']);

/** Validates a volume name with the local driver's rules and wording. */
export function validateVolumeName(name: string): void {
  if (name.length === 1) {
    throw invalidParameter(`create ${name}: volume name is too short, names should be at least two alphanumeric characters`);
  }
  if (!VOLUME_NAME.test(name) || name.length > 255) {
    throw invalidParameter(`create ${name}: "${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`);
  }
}

/** True for a valid `-v` mode list: known words, at most one of each kind (Docker's rule). */
export function isValidMountMode(mode: string): boolean {
  if (mode === '') return true;
  const counts = [0, 0, 0, 0, 0];
  for (const o of mode.split(',')) {
    const kind = RW_MODES.has(o) ? 0 : LABEL_MODES.has(o) ? 1 : PROPAGATION_MODES.has(o) ? 2 : o === 'nocopy' ? 3 : CONSISTENCY_MODES.has(o) ? 4 : -1;
    if (kind < 0) return false;
    counts[kind]! += 1;
  }
  return counts.every((c) => c <= 1);
}

function mountConfigError(type: string, msg: string, wrapSpec?: string): EngineError {
  const inner = `invalid mount config for type "${type}": ${msg}`;
  return invalidParameter(wrapSpec === undefined ? inner : `invalid volume specification: '${wrapSpec}': ${inner}`);
}

interface RawMount {
  type: string;
  source: string;
  target: string;
  readOnly: boolean;
  hasVolumeOptions: boolean;
  hasBindOptions: boolean;
  propagation: string;
}

/** Docker's validateMountConfig: target, then type-specific fields. Returns the clean target. */
function validateMountConfig(m: RawMount, wrapSpec?: string): string {
  const fail = (msg: string) => mountConfigError(m.type, msg, wrapSpec);
  if (m.target === '') throw fail('field Target must not be empty');
  if (path.posix.normalize(m.target) === '/' || path.posix.normalize(m.target) === '//') throw fail("invalid specification: destination can't be '/'");
  if (!m.target.startsWith('/')) throw fail(`invalid mount path: '${m.target}' mount path must be absolute`);
  switch (m.type) {
    case 'bind':
      if (m.source === '') throw fail('field Source must not be empty');
      if (m.propagation && !PROPAGATION_MODES.has(m.propagation)) throw fail(`invalid propagation mode: ${m.propagation}`);
      if (m.hasVolumeOptions) throw fail('field VolumeOptions must not be specified');
      if (!m.source.startsWith('/')) throw fail(`invalid mount path: '${m.source}' mount path must be absolute`);
      break;
    case 'volume':
      if (m.hasBindOptions) throw fail('field BindOptions must not be specified');
      if (m.source === '' && m.readOnly) throw fail('must not set ReadOnly mode when using anonymous volumes');
      break;
    case 'tmpfs':
      if (m.hasBindOptions) throw fail('field BindOptions must not be specified');
      if (m.source !== '') throw fail('field Source must not be specified');
      break;
    default:
      throw fail('mount type unknown');
  }
  return path.posix.normalize(m.target).replace(/\/+$/, '');
}

function cleanSource(src: string): string {
  return path.posix.normalize(src).replace(/(.)\/+$/, '$1');
}

/**
 * Parses one `HostConfig.Binds` entry: `name:/dst`, `/host:/dst`, `/dst` (an anonymous volume),
 * with modes such as `ro`, `rw`, `nocopy`, `z`, `rshared`.
 */
export function parseBind(spec: string): MountRequest {
  const arr = spec.split(':');
  if (arr[0] === '') throw invalidParameter(`invalid volume specification: '${spec}'`);
  let source = '';
  let target: string;
  let mode = '';
  if (arr.length === 1) {
    target = arr[0]!;
  } else if (arr.length === 2) {
    // `/foo:rw` names a destination and a mode: volumes cannot carry a mode.
    if (isValidMountMode(arr[1]!)) throw invalidParameter(`invalid volume specification: '${spec}'`);
    [source, target] = arr as [string, string];
  } else if (arr.length === 3) {
    [source, target, mode] = arr as [string, string, string];
  } else {
    throw invalidParameter(`invalid volume specification: '${spec}'`);
  }
  if (!isValidMountMode(mode)) throw invalidParameter(`invalid mode: ${mode}`);
  const modes = mode ? mode.split(',') : [];
  const type = source.startsWith('/') ? 'bind' : 'volume';
  const propagation = modes.find((m) => PROPAGATION_MODES.has(m)) ?? '';
  const destination = validateMountConfig(
    { type, source, target, readOnly: modes.includes('ro'), hasVolumeOptions: modes.includes('nocopy'), hasBindOptions: false, propagation },
    spec,
  );
  if (type === 'volume' && source) validateVolumeName(source);
  return {
    type,
    name: type === 'volume' ? source : '',
    source: type === 'bind' ? cleanSource(source) : '',
    destination,
    rw: !modes.includes('ro'),
    mode,
    copyData: type === 'volume' && !modes.includes('nocopy'),
    propagation: type === 'bind' ? propagation || 'rprivate' : '',
  };
}

/** One `--mount` entry as the API carries it. */
export interface ApiMount {
  Type?: string;
  Source?: string;
  Target?: string;
  ReadOnly?: boolean;
  VolumeOptions?: { NoCopy?: boolean; Labels?: Record<string, string> } | null;
  BindOptions?: { Propagation?: string } | null;
  TmpfsOptions?: { SizeBytes?: number; Mode?: number } | null;
}

/** Docker's ConvertTmpfsOptions: `size=<bytes>` (in k/m/g when exact), `mode=<octal>`, `ro`. */
export function tmpfsData(opts: ApiMount['TmpfsOptions'], readOnly: boolean): string {
  const out: string[] = [];
  const size = opts?.SizeBytes ?? 0;
  if (size < 0) throw invalidParameter('invalid mount config for type "tmpfs": invalid tmpfs option: size must not be negative');
  if (size > 0) {
    const units: [number, string][] = [[1 << 30, 'g'], [1 << 20, 'm'], [1 << 10, 'k']];
    const unit = units.find(([u]) => size % u === 0);
    out.push(`size=${unit ? `${size / unit[0]}${unit[1]}` : size}`);
  }
  if (opts?.Mode) out.push(`mode=${opts.Mode.toString(8)}`);
  if (readOnly) out.push('ro');
  return out.join(',');
}

/** Parses a `HostConfig.Mounts` entry (`--mount type=volume|bind|tmpfs,...`). */
export function parseApiMount(m: ApiMount): MountRequest {
  const type = m.Type ?? '';
  const source = m.Source ?? '';
  const destination = validateMountConfig({
    type, source, target: m.Target ?? '', readOnly: !!m.ReadOnly, hasVolumeOptions: !!m.VolumeOptions,
    hasBindOptions: !!m.BindOptions, propagation: m.BindOptions?.Propagation ?? '',
  });
  const rw = !m.ReadOnly;
  if (type === 'bind') {
    return {
      type, name: '', source: cleanSource(source), destination, rw, mode: '', copyData: false,
      propagation: m.BindOptions?.Propagation || 'rprivate', sourceMustExist: true,
    };
  }
  if (type === 'tmpfs') {
    return { type, name: '', source: '', destination, rw, mode: '', copyData: false, propagation: '', tmpfsData: tmpfsData(m.TmpfsOptions, !rw) };
  }
  if (source) validateVolumeName(source);
  return { type: 'volume', name: source, source: '', destination, rw, mode: '', copyData: !m.VolumeOptions?.NoCopy, propagation: '' };
}

/** An anonymous volume for a `Config.Volumes` path (`-v /path`, image `VOLUME`). */
export function anonymousVolume(destination: string): MountRequest {
  const clean = validateMountConfig({
    type: 'volume', source: '', target: destination, readOnly: false, hasVolumeOptions: false, hasBindOptions: false, propagation: '',
  });
  return { type: 'volume', name: '', source: '', destination: clean, rw: true, mode: '', copyData: true, propagation: '' };
}

/** `c[:mode]` of `--volumes-from`; the mode may be any valid mount mode (`ro`, `rw`, `ro,z`). */
export function parseVolumesFrom(spec: string): { container: string; mode: string } {
  if (spec === '') throw invalidParameter('volumes-from specification cannot be an empty string');
  const cut = spec.indexOf(':');
  if (cut < 0) return { container: spec, mode: '' };
  const container = spec.slice(0, cut);
  const mode = spec.slice(cut + 1);
  if (!isValidMountMode(mode)) throw invalidParameter(`invalid mode: ${mode}`);
  // Propagation and copy modes are inherited from the source container, never set here.
  if (mode.split(',').some((m) => PROPAGATION_MODES.has(m) || m === 'nocopy')) throw invalidParameter(`invalid volume specification: '${spec}'`);
  return { container, mode };
}

/** Docker's ReadWrite: a mode list allows writes unless it says `ro`. */
export function isReadWriteMode(mode: string): boolean {
  return !mode.split(',').includes('ro');
}

/** One `--tmpfs dst[:opts]` (`HostConfig.Tmpfs`): not listed in Mounts, mounted at start. */
export interface TmpfsFlag {
  destination: string;
  data: string;
}

/** Validates `HostConfig.Tmpfs` destinations as Docker does (absolute, not `/`). */
export function parseTmpfsFlags(tmpfs: Record<string, string> | null | undefined): TmpfsFlag[] {
  return Object.entries(tmpfs ?? {}).map(([dest, data]) => {
    if (path.posix.normalize(dest) === '/') throw invalidParameter("invalid specification: destination can't be '/'");
    if (!dest.startsWith('/')) throw invalidParameter(`invalid mount path: '${dest}' mount path must be absolute`);
    return { destination: path.posix.normalize(dest).replace(/\/+$/, ''), data: typeof data === 'string' ? data : '' };
  });
}
