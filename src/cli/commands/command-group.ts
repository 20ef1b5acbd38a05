/** A management command group (`wharf volume`, `wharf network`) without a known sub-command. */
import type { CliStdio } from '../cli-io.js';

/** The group's help as docker prints it (pure): sub-commands sorted, descriptions aligned. */
export function renderGroupHelp(group: string, title: string, commands: readonly { name: string; description: string }[]): string {
  const rows = [...commands].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((c) => {
    const sub = c.name.slice(group.length + 1);
    return `  ${sub.padEnd(11)} ${c.description}`;
  });
  return [`Usage:  wharf ${group} COMMAND`, '', title, '', 'Commands:', ...rows, '',
    `Run 'wharf ${group} COMMAND --help' for more information on a command.`, ''].join('\n');
}

/**
 * The group help (on stderr when bare, on stdout for `--help`), or docker's unknown-command
 * error (exit 1).
 */
export function runCommandGroup(
  stdio: CliStdio, rest: readonly string[], group: string, title: string, commands: readonly { name: string; description: string }[],
): number {
  const sub = rest[0];
  if (sub === undefined || sub === '--help' || sub === '-h') {
    (sub === undefined ? stdio.stderr : stdio.stdout).write(renderGroupHelp(group, title, commands));
    return 0;
  }
  stdio.stderr.write(`wharf: unknown command: wharf ${group} ${sub}\n\nUsage:  wharf ${group} COMMAND\n\nRun 'wharf ${group} --help' for more information\n`);
  return 1;
}
