/**
 * The security flags of `run`/`create` as the docker CLI 28.2 turns them into the create body:
 * `--cap-add`/`--cap-drop` (normalised, sorted, unique), `--device` (checked and split),
 * `--device-cgroup-rule` (checked) and `--security-opt` (a seccomp file sent as its content).
 * Pure: the file reader is passed in.
 */
import { SpecError } from './port-spec.js';

/** One `--device` as the body carries it. */
export interface DeviceMapping {
  PathOnHost: string;
  PathInContainer: string;
  CgroupPermissions: string;
}

/** `--cap-add`/`--cap-drop` values: upper case, `CAP_` prefixed but `ALL`, sorted, no duplicates. */
export function normalizeCapFlags(names: readonly string[]): string[] {
  const caps = names.map((n) => {
    const upper = n.toUpperCase();
    return upper === 'ALL' || upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
  });
  return [...new Set(caps)].sort();
}

const validMode = (mode: string) => /^[rwm]{1,3}$/.test(mode) && new Set(mode).size === mode.length;
const clean = (p: string) => {
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return (p.startsWith('/') ? '/' : '') + parts.join('/') || (p.startsWith('/') ? '/' : '.');
};

/** Parses `--device HOST[:CONTAINER][:MODE]` with the docker CLI's checks, cleaning and messages. */
export function parseDeviceFlag(spec: string): DeviceMapping {
  const fields = spec.split(':');
  if (fields.length > 3 || fields[0] === '') throw new SpecError(`bad format for path: ${spec}`);
  const [src = '', second, third] = fields;
  let checked: string; // the path that must be absolute, as the CLI checks it
  let mapping: DeviceMapping;
  if (third !== undefined) {
    if (!validMode(third)) throw new SpecError(`bad mode specified: ${third}`);
    checked = second!;
    mapping = { PathOnHost: src, PathInContainer: second!, CgroupPermissions: third };
  } else if (second !== undefined && !validMode(second)) {
    checked = second;
    mapping = { PathOnHost: src, PathInContainer: clean(second), CgroupPermissions: 'rwm' };
  } else {
    checked = src;
    mapping = { PathOnHost: clean(src), PathInContainer: clean(src), CgroupPermissions: second ?? 'rwm' };
  }
  if (!checked.startsWith('/')) throw new SpecError(`${checked} is not an absolute path`);
  return mapping;
}

/** Checks a `--device-cgroup-rule` as the docker CLI does (a flag error when malformed). */
export function checkDeviceCgroupRule(rule: string): string {
  if (!/^[acb] ([0-9]+|\*):([0-9]+|\*) [rwm]{1,3}$/.test(rule)) throw new Error(`invalid device cgroup format '${rule}'`);
  return rule;
}

/**
 * Takes `systempaths=unconfined` out of the `--security-opt` values, as the docker CLI does: it
 * asks for no masked and no read-only paths (empty `MaskedPaths` and `ReadonlyPaths`) instead.
 */
export function splitSystemPaths(opts: readonly string[]): { rest: string[]; unconfinedPaths: boolean } {
  return { rest: opts.filter((o) => o !== 'systempaths=unconfined'), unconfinedPaths: opts.includes('systempaths=unconfined') };
}

/**
 * `--security-opt` values as the docker CLI sends them: each needs `=` or `:` and a value
 * (`no-new-privileges` alone excepted); `seccomp=<file>` becomes `seccomp=<the file's JSON,
 * compacted>` unless it names `builtin` or `unconfined`.
 */
export function securityOptsForBody(opts: readonly string[], readFile: (path: string) => string): string[] {
  return opts.map((opt) => {
    let sep = opt.indexOf('=');
    if (sep < 0 && opt !== 'no-new-privileges') sep = opt.indexOf(':');
    const key = sep < 0 ? opt : opt.slice(0, sep);
    const value = sep < 0 ? '' : opt.slice(sep + 1);
    if ((sep < 0 || value === '') && key !== 'no-new-privileges') throw new SpecError(`Invalid --security-opt: ${JSON.stringify(opt)}`);
    if (key !== 'seccomp' || value === 'builtin' || value === 'unconfined') return opt;
    let text: string;
    try {
      text = readFile(value);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new SpecError(`opening seccomp profile (${value}) failed: open ${value}: ${code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
    }
    try {
      JSON.parse(text);
    } catch (err) {
      throw new SpecError(`compacting json for seccomp profile (${value}) failed: ${(err as Error).message}`);
    }
    return `seccomp=${compactJson(text)}`;
  });
}

/** Valid JSON text without the whitespace between tokens (Go's json.Compact: numbers kept as written). */
function compactJson(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (!' \t\n\r'.includes(c)) out += c;
  }
  return out;
}
