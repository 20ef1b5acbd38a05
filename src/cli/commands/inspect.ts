/**
 * `wharf inspect` and `wharf image inspect`: raw JSON (indented like docker) or a Go template per
 * object. Without `--type`, a name is tried as a container, then as an image, a network and a
 * volume, like the docker CLI (`Error: No such object: x`).
 */
import { ApiError } from '../../client/api-error.js';
import type { EngineClient } from '../../client/engine-client.js';
import { StatusError, type CliContext } from '../cli-io.js';
import { boolFlag, stringFlag, type CommandSpec } from '../command.js';
import { indentJson } from '../format/json-indent.js';
import { GoTemplate } from '../format/template-exec.js';
import { TemplateParseError } from '../format/template-parse.js';

/** Options of `wharf inspect`. */
export interface InspectOptions {
  names: string[];
  format: string;
  type: string;
  size: boolean;
}

const TYPES = ['config', 'container', 'image', 'network', 'node', 'plugin', 'secret', 'service', 'task', 'volume'];

/** Keys whose JSON `null` is a typed nil slice (`[]`) or map (`map[]`) in docker's structs. */
const NIL_SLICES = new Set([
  'Args', 'Binds', 'Cmd', 'Entrypoint', 'Env', 'Links', 'VolumesFrom', 'ExecIDs', 'RepoTags', 'RepoDigests',
  'Dns', 'DnsOptions', 'DnsSearch', 'ExtraHosts', 'CapAdd', 'CapDrop', 'GroupAdd', 'SecurityOpt', 'OnBuild',
  'Aliases', 'Mounts', 'Layers', 'Shell', 'DNSNames', 'Devices', 'Ulimits', 'MaskedPaths', 'ReadonlyPaths',
]);
const NIL_MAPS = new Set(['Volumes', 'ExposedPorts', 'Labels', 'PortBindings', 'Ports', 'Networks', 'Options', 'DriverOpts', 'Tmpfs', 'Sysctls', 'StorageOpt']);

/** The null-hint used for inspect templates. */
export function inspectNullHint(key: string): 'slice' | 'map' | undefined {
  if (NIL_SLICES.has(key)) return 'slice';
  if (NIL_MAPS.has(key)) return 'map';
  return undefined;
}

async function fetchRaw(client: EngineClient, kind: string, name: string, size: boolean): Promise<string> {
  const enc = (s: string) => s.split('/').map(encodeURIComponent).join('/');
  const paths: Record<string, string> = {
    container: `/containers/${encodeURIComponent(name)}/json`,
    image: `/images/${enc(name)}/json`,
    network: `/networks/${encodeURIComponent(name)}`,
    volume: `/volumes/${encodeURIComponent(name)}`,
    plugin: `/plugins/${encodeURIComponent(name)}/json`,
  };
  const path = paths[kind];
  if (!path) throw new ApiError(404, `unsupported type ${kind}`);
  const res = await client.request('GET', path, { query: kind === 'container' && size ? { size: 1 } : undefined });
  return res.body.toString('utf8');
}

async function findObject(ctx: CliContext, o: InspectOptions, name: string): Promise<string> {
  if (o.type) return fetchRaw(ctx.client, o.type, name, o.size);
  for (const kind of ['container', 'image', 'network', 'volume', 'plugin']) {
    try {
      return await fetchRaw(ctx.client, kind, name, o.size);
    } catch (e) {
      if (!(e instanceof ApiError) || (e.statusCode !== 404 && e.statusCode !== 400)) throw e;
    }
  }
  throw new Error(`No such object: ${name}`);
}

/** Compiles an inspect `-f` template (Docker's escapes, exit 64 on a parse error). */
export function compileTemplate(format: string): GoTemplate | undefined {
  if (!format) return undefined;
  try {
    return new GoTemplate(format.replace(/\\t/g, '\t').replace(/\\n/g, '\n'), { nullHint: inspectNullHint });
  } catch (e) {
    throw new StatusError(64, `template parsing error: ${(e as Error).message}`);
  }
}

/** Prints each object as JSON or through the template; failures are listed after. */
export async function runInspect(ctx: CliContext, o: InspectOptions): Promise<number> {
  if (o.type && !TYPES.includes(o.type)) {
    throw new StatusError(1, `unknown type: "${o.type}": must be one of ${TYPES.map((t) => `"${t}"`).join(', ')}`);
  }
  const tmpl = compileTemplate(o.format);
  const raws: string[] = [];
  const errors: string[] = [];
  let out = '';
  for (const name of o.names) {
    let raw: string;
    try {
      raw = await findObject(ctx, o, name);
    } catch (e) {
      errors.push(e instanceof ApiError ? `Error response from daemon: ${e.message}` : `Error: ${(e as Error).message}`);
      continue;
    }
    if (!tmpl) {
      raws.push(raw.trim());
      continue;
    }
    try {
      out += tmpl.execute(JSON.parse(raw)) + '\n';
    } catch (e) {
      if (e instanceof TemplateParseError) throw new StatusError(64, `template parsing error: ${e.message}`);
      ctx.stdio.stdout.write(out + '\n');
      throw new StatusError(1, `template parsing error: ${(e as Error).message}`);
    }
  }
  if (!tmpl) out = indentJson(`[${raws.join(',')}]`) + '\n';
  ctx.stdio.stdout.write(out);
  if (errors.length) throw new StatusError(1, errors.join('\n'));
  return 0;
}

const inspectFlags = [
  stringFlag('format', 'f', 'Format output using a custom template'),
  boolFlag('size', 's', 'Display total file sizes if the type is container'),
];

/** The `inspect` spec. */
export const inspectCommand: CommandSpec = {
  name: 'inspect',
  usage: '[OPTIONS] NAME|ID [NAME|ID...]',
  description: 'Return low-level information on Docker objects',
  flags: [...inspectFlags, stringFlag('type', undefined, 'Only inspect objects of the given type')],
  minArgs: 1,
  run: (ctx, f, args) =>
    runInspect(ctx, { names: args, format: f.string('format'), type: f.string('type'), size: f.bool('size') }),
};

/** `image inspect`: the same with the type fixed. */
export const imageInspectCommand: CommandSpec = {
  name: 'image inspect',
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  description: 'Display detailed information on one or more images',
  flags: [stringFlag('format', 'f', 'Format output using a custom template')],
  minArgs: 1,
  run: (ctx, f, args) => runInspect(ctx, { names: args, format: f.string('format'), type: 'image', size: false }),
};
