/**
 * `wharf push NAME[:TAG]`, `wharf login [-u U] [-p P | --password-stdin] [SERVER]` and
 * `wharf logout [SERVER]`, with the docker CLI's lines; credentials live in the docker CLI's
 * own `config.json`, so the two CLIs share a login.
 */
import { loginRegistry, pushImage } from '../../client/images.js';
import { readAll } from '../../client/engine-client.js';
import { StatusError, type CliContext } from '../cli-io.js';
import { boolFlag, stringFlag, type CommandSpec } from '../command.js';
import { displayJsonMessages, JsonMessageError } from '../format/json-message.js';
import { familiarName, parseNormalizedReference, DOCKER_HUB } from '../../distribution/reference.js';
import { loginDomain } from '../../distribution/registry-login.js';
import { authKey, registryAuthHeader, removeCredentials, saveCredentials } from '../registry-config.js';

/** Runs a push and prints what the docker CLI prints. */
async function runPush(ctx: CliContext, reference: string): Promise<number> {
  let ref;
  try {
    ref = parseNormalizedReference(reference);
  } catch (e) {
    throw new StatusError(1, (e as Error).message);
  }
  if (ref.digest) throw new StatusError(1, 'cannot push a digest reference');
  if (!ref.tag) {
    ref.tag = 'latest';
    ctx.stdio.stdout.write('Using default tag: latest\n');
  }
  const res = await pushImage(ctx.client, { name: familiarName(ref), tag: ref.tag, registryAuth: await registryAuthHeader(ctx.env, ref.domain) });
  try {
    await displayJsonMessages(res, ctx.stdio.stdout);
  } catch (e) {
    if (e instanceof JsonMessageError) throw new StatusError(1, e.message);
    throw e;
  }
  return 0;
}

/** The registry a login or logout names (Docker Hub when none). */
function serverOf(arg: string | undefined): string {
  try {
    return loginDomain(arg);
  } catch (e) {
    throw new StatusError(1, (e as Error).message);
  }
}

async function runLogin(ctx: CliContext, o: { server?: string; username: string; password: string; passwordStdin: boolean }): Promise<number> {
  let password = o.password;
  if (o.passwordStdin) {
    if (password) throw new StatusError(1, '--password and --password-stdin are mutually exclusive');
    if (!o.username) throw new StatusError(1, 'Must provide --username with --password-stdin');
    password = (await readAll(ctx.stdio.stdin)).toString('utf8').replace(/\r?\n$/, '');
  } else if (password) {
    ctx.stdio.stderr.write('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');
  }
  if (!o.username || !password) throw new StatusError(1, 'Error: Cannot perform an interactive login from a non TTY device');
  const domain = serverOf(o.server);
  const answer = await loginRegistry(ctx.client, { username: o.username, password, serveraddress: domain === DOCKER_HUB ? authKey(domain) : domain });
  await saveCredentials(ctx.env, domain, o.username, password);
  ctx.stdio.stdout.write(`${answer.Status}\n`);
  return 0;
}

async function runLogout(ctx: CliContext, server?: string): Promise<number> {
  const domain = serverOf(server);
  const key = authKey(domain);
  if (await removeCredentials(ctx.env, domain)) ctx.stdio.stdout.write(`Removing login credentials for ${key}\n`);
  else ctx.stdio.stdout.write(`Not logged in to ${key}\n`);
  return 0;
}

/** The `push`, `login` and `logout` verbs. */
export const registryCommands: CommandSpec[] = [
  {
    name: 'push', usage: '[OPTIONS] NAME[:TAG]', description: 'Push an image or a repository to a registry',
    flags: [], minArgs: 1, maxArgs: 1,
    run: (ctx, _f, args) => runPush(ctx, args[0]!),
  },
  {
    name: 'login', usage: '[OPTIONS] [SERVER]', description: 'Log in to a Docker registry',
    flags: [stringFlag('username', 'u', 'Username'), stringFlag('password', 'p', 'Password'), boolFlag('password-stdin', undefined, 'Take the password from stdin')],
    minArgs: 0, maxArgs: 1,
    run: (ctx, f, args) => runLogin(ctx, { ...(args[0] ? { server: args[0] } : {}), username: f.string('username'), password: f.string('password'), passwordStdin: f.bool('password-stdin') }),
  },
  {
    name: 'logout', usage: '[SERVER]', description: 'Log out from a Docker registry',
    flags: [], minArgs: 0, maxArgs: 1,
    run: (ctx, _f, args) => runLogout(ctx, args[0]),
  },
];
