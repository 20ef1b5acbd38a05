/**
 * `wharf port`: list a container's published ports from `NetworkSettings.Ports`
 * (`80/tcp -> 0.0.0.0:8080`), or the bindings of one port.
 */
import { inspectContainer } from '../../client/containers.js';
import { StatusError, type CliContext } from '../cli-io.js';
import type { CommandSpec } from '../command.js';

type PortMap = Record<string, { HostIp: string; HostPort: string }[] | null>;

function hostPort(ip: string, port: string): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Renders `port` output lines for a ports map (pure). */
export function renderPortLines(ports: PortMap, privatePort: string | undefined, name: string): string[] {
  if (privatePort !== undefined) {
    const [num = '', proto = 'tcp'] = privatePort.split('/');
    if (!/^\d+$/.test(num)) throw new StatusError(1, `Error: invalid port (${num}): invalid syntax`);
    const bindings = ports[`${num}/${proto}`];
    if (!bindings || bindings.length === 0) {
      throw new StatusError(1, `Error: No public port '${privatePort}' published for ${name}`);
    }
    return bindings.map((b) => hostPort(b.HostIp, b.HostPort));
  }
  const keys = Object.keys(ports).sort((a, b) => {
    const [pa = '', ta = ''] = a.split('/');
    const [pb = '', tb = ''] = b.split('/');
    return Number(pa) - Number(pb) || (ta < tb ? -1 : ta > tb ? 1 : 0);
  });
  const lines: string[] = [];
  for (const k of keys) for (const b of ports[k] ?? []) lines.push(`${k} -> ${hostPort(b.HostIp, b.HostPort)}`);
  return lines;
}

/** Prints the port mappings of a container. */
export async function runPort(ctx: CliContext, o: { container: string; privatePort?: string }): Promise<number> {
  const info = await inspectContainer(ctx.client, o.container);
  const ports = (info.NetworkSettings?.Ports ?? {}) as PortMap;
  const lines = renderPortLines(ports, o.privatePort, o.container);
  ctx.stdio.stdout.write(lines.map((l) => `${l}\n`).join(''));
  return 0;
}

/** The `port` spec. */
export const portCommand: CommandSpec = {
  name: 'port',
  usage: 'CONTAINER [PRIVATE_PORT[/PROTO]]',
  description: 'List port mappings or a specific mapping for the container',
  flags: [],
  minArgs: 1,
  maxArgs: 2,
  run: (ctx, _f, args) => runPort(ctx, { container: args[0]!, privatePort: args[1] }),
};
