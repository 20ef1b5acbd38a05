/**
 * `wharf create`, and the flags and option parsing it shares with `wharf run`.
 */
import { readFileSync } from 'node:fs';
import { createContainer } from '../../client/containers.js';
import type { CliContext } from '../cli-io.js';
import { boolFlag, listFlag, stringFlag, type CommandSpec } from '../command.js';
import {
  buildCreateBody, defaultCreateOptions, parseCpus, resolveEnv, type ContainerCreateOptions,
} from '../create-body.js';
import { FlagError, type FlagDef, type FlagValues } from '../flags.js';
import { parseRamBytes } from '../format/human-units.js';
import { SpecError } from '../port-spec.js';
import { terminalSize } from '../container-stream.js';
import { checkDeviceCgroupRule, parseDeviceFlag, securityOptsForBody, splitSystemPaths } from '../security-flags.js';

/** Flags shared by run and create. */
export const containerCreateFlags: FlagDef[] = [
  listFlag('add-host', undefined, 'Add a custom host-to-IP mapping (host:ip)'),
  listFlag('attach', 'a', 'Attach to STDIN, STDOUT or STDERR'),
  listFlag('cap-add', undefined, 'Add Linux capabilities'),
  listFlag('cap-drop', undefined, 'Drop Linux capabilities'),
  { long: 'cpus', type: 'string', typeName: 'decimal', description: 'Number of CPUs' },
  listFlag('device', undefined, 'Add a host device to the container'),
  listFlag('device-cgroup-rule', undefined, 'Add a rule to the cgroup allowed devices list'),
  stringFlag('entrypoint', undefined, 'Overwrite the default ENTRYPOINT of the image'),
  listFlag('env', 'e', 'Set environment variables'),
  listFlag('env-file', undefined, 'Read in a file of environment variables'),
  listFlag('expose', undefined, 'Expose a port or a range of ports'),
  stringFlag('hostname', 'h', 'Container host name'),
  boolFlag('interactive', 'i', 'Keep STDIN open even if not attached'),
  listFlag('label', 'l', 'Set meta data on a container'),
  listFlag('link', undefined, 'Add link to another container'),
  { long: 'memory', short: 'm', type: 'string', typeName: 'bytes', description: 'Memory limit' },
  stringFlag('name', undefined, 'Assign a name to the container'),
  stringFlag('network', undefined, 'Connect a container to a network', 'network'),
  stringFlag('net', undefined, 'Connect a container to a network', 'network'),
  { long: 'pids-limit', type: 'int', typeName: 'int', description: 'Tune container pids limit (set -1 for unlimited)' },
  stringFlag('platform', undefined, 'Set platform if server is multi-platform capable'),
  boolFlag('privileged', undefined, 'Give extended privileges to this container'),
  boolFlag('publish-all', 'P', 'Publish all exposed ports to random ports'),
  listFlag('publish', 'p', "Publish a container's port(s) to the host"),
  stringFlag('pull', undefined, 'Pull image before running ("always", "missing", "never")'),
  boolFlag('quiet', 'q', 'Suppress the pull output'),
  stringFlag('restart', undefined, 'Restart policy to apply when a container exits'),
  boolFlag('rm', undefined, 'Automatically remove the container and its associated anonymous volumes when it exits'),
  listFlag('security-opt', undefined, 'Security Options'),
  boolFlag('tty', 't', 'Allocate a pseudo-TTY'),
  stringFlag('user', 'u', 'Username or UID (format: <name|uid>[:<group|gid>])'),
  listFlag('volume', 'v', 'Bind mount a volume'),
  listFlag('volumes-from', undefined, 'Mount volumes from the specified container(s)'),
  stringFlag('workdir', 'w', 'Working directory inside the container'),
];

/** Reads the typed create options from parsed flags and positional args (IMAGE [COMMAND...]). */
export function readCreateOptions(
  ctx: CliContext,
  f: FlagValues,
  args: string[],
  detach: boolean,
): { options: ContainerCreateOptions; env: string[] } {
  const [image = '', ...command] = args;
  const o = defaultCreateOptions(image, command);
  o.name = f.optionalString('name');
  o.detach = detach;
  o.interactive = f.bool('interactive');
  o.tty = f.bool('tty');
  o.attach = f.list('attach');
  o.autoRemove = f.bool('rm');
  o.env = f.list('env');
  o.workdir = f.string('workdir');
  o.user = f.string('user');
  o.entrypoint = f.optionalString('entrypoint');
  o.hostname = f.string('hostname');
  o.expose = f.list('expose');
  o.publish = f.list('publish');
  o.publishAll = f.bool('publish-all');
  o.links = f.list('link');
  o.volumes = f.list('volume');
  o.volumesFrom = f.list('volumes-from');
  o.labels = f.list('label');
  o.network = f.optionalString('network') ?? f.optionalString('net') ?? 'default';
  o.restart = f.string('restart');
  o.addHosts = f.list('add-host');
  o.pidsLimit = f.int('pids-limit', 0);
  o.capAdd = f.list('cap-add');
  o.capDrop = f.list('cap-drop');
  o.privileged = f.bool('privileged');
  for (const rule of f.list('device-cgroup-rule')) {
    try {
      o.deviceCgroupRules.push(checkDeviceCgroupRule(rule));
    } catch (e) {
      throw new FlagError(`invalid argument "${rule}" for "--device-cgroup-rule" flag: ${(e as Error).message}`);
    }
  }
  o.devices = f.list('device').map(parseDeviceFlag);
  const securityOpts = f.list('security-opt');
  if (securityOpts.length) {
    const { rest, unconfinedPaths } = splitSystemPaths(securityOpts);
    o.unconfinedPaths = unconfinedPaths;
    o.securityOpt = securityOptsForBody(rest, (p) => readFileSync(p, 'utf8'));
  }
  const pull = f.string('pull', 'missing');
  if (!['always', 'missing', 'never'].includes(pull)) {
    throw new SpecError(`invalid pull option: '${pull}': must be one of "always", "missing" or "never"`);
  }
  if (f.changed('memory')) {
    try {
      o.memory = parseRamBytes(f.string('memory'));
    } catch (e) {
      throw new FlagError(`invalid argument "${f.string('memory')}" for "-m, --memory" flag: ${(e as Error).message}`);
    }
  }
  if (f.changed('cpus')) {
    try {
      o.nanoCpus = parseCpus(f.string('cpus'));
    } catch (e) {
      throw new FlagError(`invalid argument "${f.string('cpus')}" for "--cpus" flag: ${(e as Error).message}`);
    }
  }
  if (o.tty) o.consoleSize = terminalSize(ctx.stdio.stdout) ?? [0, 0];
  o.envFiles = f.list('env-file').map((path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch (e) {
      throw new SpecError(`open ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
    }
  });
  const env = resolveEnv(o.envFiles, o.env, (k) => ctx.env[k]);
  return { options: o, env };
}

/** Creates the container and returns its id, printing the daemon's warnings on stderr. */
export async function createFromOptions(ctx: CliContext, o: ContainerCreateOptions, env: string[]): Promise<string> {
  const body = buildCreateBody(o, env);
  const res = await createContainer(ctx.client, body, o.name);
  for (const w of res.Warnings ?? []) ctx.stdio.stderr.write(`WARNING: ${w}\n`);
  return res.Id;
}

/** The `create` spec. */
export const createCommand: CommandSpec = {
  name: 'create',
  usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  description: 'Create a new container',
  flags: containerCreateFlags,
  interspersed: false,
  minArgs: 1,
  run: async (ctx, f, args) => {
    const { options, env } = readCreateOptions(ctx, f, args, false);
    const id = await createFromOptions(ctx, options, env);
    ctx.stdio.stdout.write(`${id}\n`);
    return 0;
  },
};
