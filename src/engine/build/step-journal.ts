/**
 * The containers of the build steps under way, one empty file per container under
 * `<data-root>/tmp/build/steps/`. A build cut by a crash leaves its step containers (a RUN may
 * even go on running); start-up removes the ones listed here, then empties `<data-root>/tmp`
 * (the extracted build contexts). The images the finished steps committed stay: they are the
 * build cache, as in Docker.
 */
import { promises as fs, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { messageOf } from '../../errors.js';

/** `<data-root>/tmp`: build contexts and the step journal; emptied at every start. */
export function daemonTmpRoot(dataRoot: string): string {
  return path.join(dataRoot, 'tmp');
}

/** The journal of step containers: one empty file per container that a build step made. */
export class BuildStepJournal {
  readonly dir: string;

  constructor(dataRoot: string) {
    this.dir = path.join(daemonTmpRoot(dataRoot), 'build', 'steps');
  }

  /** A step container is about to be created (its record is not written yet). */
  created(id: string): void {
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(path.join(this.dir, id), '');
  }

  /** The step container is gone. */
  async removed(id: string): Promise<void> {
    await fs.rm(path.join(this.dir, id), { force: true });
  }

  /** The step containers of builds cut short. */
  async leftovers(): Promise<string[]> {
    return (await fs.readdir(this.dir).catch(() => [] as string[])).filter((f) => /^[0-9a-f]{64}$/.test(f));
  }
}

/**
 * Start-up: removes the step containers of builds cut short (with `remove`, a forced removal
 * that says whether there was a container), then empties `<data-root>/tmp`.
 */
export async function finishCutBuilds(dataRoot: string, remove: (id: string) => Promise<boolean>, log: (line: string) => void): Promise<void> {
  const journal = new BuildStepJournal(dataRoot);
  for (const id of await journal.leftovers()) {
    await remove(id).then(
      (was) => was && log(`removed container ${id} of a build cut short`),
      (e) => log(`container ${id} of a build cut short: ${messageOf(e)}`),
    );
  }
  await fs.rm(daemonTmpRoot(dataRoot), { recursive: true, force: true });
}
