/**
 * A crash journal of container ids: one empty file per id in a directory under
 * `<data-root>/tmp`, added before an operation changes the container and removed once it is
 * done. Those still listed at start-up are the operations a crash cut short.
 */
import { promises as fs, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** `<data-root>/tmp`: build contexts and the journals; emptied at every start, after recovery. */
export function daemonTmpRoot(dataRoot: string): string {
  return path.join(dataRoot, 'tmp');
}

/** The ids of containers under an operation (see the file's comment). */
export class ContainerJournal {
  readonly dir: string;

  /** `name`: the journal's directory under `<data-root>/tmp`, e.g. `build/steps`. */
  constructor(dataRoot: string, name: string) {
    this.dir = path.join(daemonTmpRoot(dataRoot), name);
  }

  /** The operation is about to change `id` (synchronous, so it is on disk before the change). */
  add(id: string): void {
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(path.join(this.dir, id), '');
  }

  /** The operation on `id` is over. */
  async remove(id: string): Promise<void> {
    await fs.rm(path.join(this.dir, id), { force: true });
  }

  /** The ids still listed: operations cut short. */
  async leftovers(): Promise<string[]> {
    return (await fs.readdir(this.dir).catch(() => [] as string[])).filter((f) => /^[0-9a-f]{64}$/.test(f));
  }
}
