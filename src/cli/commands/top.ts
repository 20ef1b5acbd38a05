/**
 * `wharf top`: the processes of a container, as a table (tabwriter, min width 20).
 */
import { topContainer } from '../../client/containers.js';
import type { CliContext } from '../cli-io.js';
import type { CommandSpec } from '../command.js';
import { alignTabs } from '../format/tabwriter.js';

/** Renders the `top` table (pure). */
export function renderTop(titles: string[], processes: string[][]): string {
  const text = [titles, ...processes].map((row) => row.join('\t')).join('\n') + '\n';
  return alignTabs(text, { minWidth: 20, padding: 3 });
}

/** Prints the processes of a container. */
export async function runTop(ctx: CliContext, o: { container: string; psArgs: string }): Promise<number> {
  const top = await topContainer(ctx.client, o.container, o.psArgs);
  ctx.stdio.stdout.write(renderTop(top.Titles, top.Processes ?? []));
  return 0;
}

/** The `top` spec. */
export const topCommand: CommandSpec = {
  name: 'top',
  usage: 'CONTAINER [ps OPTIONS]',
  description: 'Display the running processes of a container',
  flags: [],
  interspersed: false,
  minArgs: 1,
  run: (ctx, _f, args) => runTop(ctx, { container: args[0]!, psArgs: args.slice(1).join(' ') }),
};
