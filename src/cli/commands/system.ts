/**
 * `wharf version` and `wharf info`: the client's own facts plus the daemon's, in docker's layout,
 * or through a `--format` template.
 */
import { getInfo, getVersion } from '../../client/system.js';
import { StatusError, type CliContext } from '../cli-io.js';
import { stringFlag, type CommandSpec } from '../command.js';
import { humanSize } from '../format/human-units.js';
import { alignTabs } from '../format/tabwriter.js';
import { GoTemplate } from '../format/template-exec.js';

/** The CLI's version. */
export const CLIENT_VERSION = '0.1.0';

type Json = Record<string, unknown>;

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** Renders `version` text from the client facts and the daemon's `/version` (pure). */
export function renderVersion(client: Json, server: Json | undefined, serverError?: string): string {
  const lines = [
    'Client:',
    ` Version:\t${str(client['Version'])}`,
    ` API version:\t${str(client['ApiVersion'])}`,
    ` Node version:\t${str(client['NodeVersion'])}`,
    ` OS/Arch:\t${str(client['Os'])}/${str(client['Arch'])}`,
    ` Context:\tdefault`,
  ];
  if (server) {
    const platform = (server['Platform'] as Json | undefined)?.['Name'];
    lines.push('', platform ? `Server: ${str(platform)}` : 'Server:');
    const components = (server['Components'] as Json[] | undefined) ?? [
      { Name: 'Engine', Version: server['Version'], Details: {} },
    ];
    for (const c of components) {
      const details = (c['Details'] as Json | undefined) ?? {};
      lines.push(` ${str(c['Name'])}:`, `  Version:\t${str(c['Version'])}`);
      if (c['Name'] === 'Engine') {
        lines.push(
          `  API version:\t${str(server['ApiVersion'])} (minimum version ${str(server['MinAPIVersion'])})`,
          `  Go version:\t${str(server['GoVersion'])}`,
          `  Git commit:\t${str(server['GitCommit'])}`,
          `  Built:\t${str(server['BuildTime'])}`,
          `  OS/Arch:\t${str(server['Os'])}/${str(server['Arch'])}`,
          `  Experimental:\t${str(server['Experimental'] ?? false)}`,
        );
      } else {
        for (const k of Object.keys(details).sort()) lines.push(`  ${k}:\t${str(details[k])}`);
      }
    }
  }
  let text = alignTabs(lines.join('\n') + '\n', { minWidth: 20, padding: 1 });
  if (serverError) text += serverError + '\n';
  return text;
}

/** Prints the versions of client and daemon. */
export async function runVersion(ctx: CliContext, o: { format: string }): Promise<number> {
  const client: Json = {
    Version: CLIENT_VERSION,
    ApiVersion: ctx.client.apiVersion,
    NodeVersion: process.version,
    Os: 'linux',
    Arch: process.arch === 'x64' ? 'amd64' : process.arch,
  };
  let server: Json | undefined;
  let error: string | undefined;
  try {
    server = await getVersion(ctx.client);
    client['ApiVersion'] = ctx.client.apiVersion;
  } catch (e) {
    error = (e as Error).message;
  }
  if (o.format) {
    const out = new GoTemplate(o.format).execute({ Client: client, Server: server ?? null });
    ctx.stdio.stdout.write(out + '\n');
  } else {
    ctx.stdio.stdout.write(renderVersion(client, server));
  }
  if (error) throw new StatusError(1, error);
  return 0;
}

/** Renders the `info` text from the daemon's `/info` (pure). */
export function renderInfo(info: Json, clientVersion: string): string {
  const lines = [
    'Client:',
    ` Version:    ${clientVersion}`,
    ' Context:    default',
    ' Debug Mode: false',
    '',
    'Server:',
    ` Containers: ${str(info['Containers'])}`,
    `  Running: ${str(info['ContainersRunning'])}`,
    `  Paused: ${str(info['ContainersPaused'])}`,
    `  Stopped: ${str(info['ContainersStopped'])}`,
    ` Images: ${str(info['Images'])}`,
    ` Server Version: ${str(info['ServerVersion'])}`,
    ` Storage Driver: ${str(info['Driver'])}`,
    ` Logging Driver: ${str(info['LoggingDriver'])}`,
    ` Cgroup Driver: ${str(info['CgroupDriver'])}`,
    ` Cgroup Version: ${str(info['CgroupVersion'])}`,
    ` Kernel Version: ${str(info['KernelVersion'])}`,
    ` Operating System: ${str(info['OperatingSystem'])}`,
    ` OSType: ${str(info['OSType'])}`,
    ` Architecture: ${str(info['Architecture'])}`,
    ` CPUs: ${str(info['NCPU'])}`,
    ` Total Memory: ${typeof info['MemTotal'] === 'number' ? humanBinary(info['MemTotal']) : ''}`,
    ` Name: ${str(info['Name'])}`,
    ` ID: ${str(info['ID'])}`,
    ` Docker Root Dir: ${str(info['DockerRootDir'])}`,
    ` Debug Mode: ${str(info['Debug'] ?? false)}`,
    ` Experimental: ${str(info['ExperimentalBuild'] ?? false)}`,
    ` Live Restore Enabled: ${str(info['LiveRestoreEnabled'] ?? false)}`,
  ];
  return lines.join('\n') + '\n';
}

/** go-units BytesSize: binary units with 4 significant digits ("1.944GiB"). */
function humanBinary(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return humanSize(v, 4).replace(/B$/, '') + units[i];
}

/** Prints daemon-wide information. */
export async function runInfo(ctx: CliContext, o: { format: string }): Promise<number> {
  const info = await getInfo(ctx.client);
  if (o.format) {
    ctx.stdio.stdout.write(new GoTemplate(o.format === 'json' ? '{{json .}}' : o.format).execute(info) + '\n');
  } else {
    ctx.stdio.stdout.write(renderInfo(info, CLIENT_VERSION));
  }
  return 0;
}

/** The system verb specs. */
export const systemCommands: CommandSpec[] = [
  {
    name: 'version', usage: '[OPTIONS]', description: 'Show the Docker version information',
    flags: [stringFlag('format', 'f', 'Format output using a custom template')], maxArgs: 0,
    run: (ctx, f) => runVersion(ctx, { format: f.string('format') }),
  },
  {
    name: 'info', usage: '[OPTIONS]', description: 'Display system-wide information',
    flags: [stringFlag('format', 'f', 'Format output using a custom template')], maxArgs: 0,
    run: (ctx, f) => runInfo(ctx, { format: f.string('format') }),
  },
];
