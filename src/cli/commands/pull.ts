/**
 * `wharf pull [--platform P] NAME[:TAG|@DIGEST]`: the docker CLI's lines (`Using default tag:
 * latest`, the daemon's progress messages as a non-terminal shows them, then the reference).
 */
import { pullImage } from '../../client/images.js';
import { StatusError, type CliContext } from '../cli-io.js';
import { stringFlag, type CommandSpec } from '../command.js';
import { displayJsonMessages, JsonMessageError } from '../format/json-message.js';
import { registryAuthHeader } from '../registry-config.js';
import { familiarString, parseNormalizedReference } from '../../distribution/reference.js';

/** Runs a pull and prints what the docker CLI prints. */
export async function runPull(ctx: CliContext, o: { reference: string; platform: string }): Promise<number> {
  let ref;
  try {
    ref = parseNormalizedReference(o.reference);
  } catch (e) {
    throw new StatusError(1, (e as Error).message);
  }
  if (!ref.tag && !ref.digest) {
    ref.tag = 'latest';
    ctx.stdio.stdout.write('Using default tag: latest\n');
  }
  const shown = familiarString(ref);
  const res = await pullImage(ctx.client, { fromImage: shown, ...(o.platform ? { platform: o.platform } : {}), registryAuth: await registryAuthHeader(ctx.env, ref.domain) });
  try {
    await displayJsonMessages(res, ctx.stdio.stdout);
  } catch (e) {
    if (e instanceof JsonMessageError) throw new StatusError(1, e.message);
    throw e;
  }
  ctx.stdio.stdout.write(`${shown}\n`);
  return 0;
}

/** The `pull` verb. */
export const pullCommand: CommandSpec = {
  name: 'pull', usage: '[OPTIONS] NAME[:TAG|@DIGEST]', description: 'Pull an image or a repository from a registry',
  flags: [stringFlag('platform', undefined, 'Set platform if server is multi-platform capable')],
  minArgs: 1, maxArgs: 1,
  run: (ctx, f, args) => runPull(ctx, { reference: args[0]!, platform: f.string('platform') }),
};
