/**
 * The temporary files of atomic writes (`.<name>.<12 hex>.tmp`) that a crash left before their
 * rename: removed at start-up from the directories where records are written. Only those
 * directories are read (never a container's upper layer, a layer's diff or a volume's data).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isAtomicTemp } from './atomic-file.js';

/** The record directories of a data root: fixed ones, and one level below some. */
async function recordDirs(dataRoot: string): Promise<string[]> {
  const below = async (dir: string) => (await fs.readdir(dir).catch(() => [] as string[])).map((d) => path.join(dir, d));
  return [
    path.join(dataRoot, 'image'), path.join(dataRoot, 'image', 'images'), path.join(dataRoot, 'network'), path.join(dataRoot, 'builder'),
    ...(await below(path.join(dataRoot, 'containers'))), ...(await below(path.join(dataRoot, 'volumes'))),
  ];
}

/** Removes the atomic-write temporaries under `dataRoot`; returns their paths. */
export async function removeStaleTemps(dataRoot: string): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of await recordDirs(dataRoot)) {
    for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
      if (!isAtomicTemp(name)) continue;
      await fs.rm(path.join(dir, name), { force: true });
      removed.push(path.join(dir, name));
    }
  }
  return removed;
}
