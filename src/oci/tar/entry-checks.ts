/**
 * What Docker 20.10 refuses in an archive, with its wording (pure). Measured against dockerd
 * 20.10.24 with `docker import`, `docker build` and the Engine API:
 *
 * - an entry type its unpacker does not handle (GNU's old sparse 'S', contiguous '7', volume
 *   labels, ...), in layers and in build contexts alike:
 *   `Error processing tar file(exit status 1): unhandled tar header type 83` (500);
 * - a path that comes twice in a layer (a file appended again, a directory listed twice, a file
 *   after a symlink of the same name), which its layer store refuses:
 *   `Error processing tar file(duplicates of file paths not supported): ` (500).
 *
 * A build context, an `ADD`ed archive or the outer tar of `docker load` may repeat a path in
 * Docker (the last entry wins), and so here too, with one exception: an entry in place of a
 * symlink made earlier by the same archive. Docker writes the later entry; GNU tar, which
 * writes Wharf's files, keeps the symlink (it makes symlinks last, for safety), so the archive
 * would come out with the wrong content. That one is refused.
 */
import { invalidParameter, systemError, type EngineError } from '../../errors.js';
import type { EntryFilter } from './tar-header.js';

/** Docker's wording for an archive its unpacker refused (`detail` in parentheses). */
export function tarFileError(detail: string, output = ''): EngineError {
  return systemError(`Error processing tar file(${detail}): ${output}`);
}

/** Entry types an unpacked archive may hold: Docker's list (file, links, devices, dir, FIFO). */
const HANDLED_TYPES = new Set(['0', '1', '2', '3', '4', '5', '6']);

/** Throws Docker's error for an entry type it does not unpack (the type as a decimal code). */
export function checkEntryType(type: string): void {
  if (!HANDLED_TYPES.has(type)) throw tarFileError('exit status 1', `unhandled tar header type ${type.charCodeAt(0)}`);
}

/**
 * Refuses repeated paths. `layer`: any path seen before (Docker's layer store). `archive`: only
 * an entry in place of an earlier symlink of the same name. Expects the cleaned names that
 * `safePathFilter` passes on (directories end with '/').
 */
export function uniquePathFilter(mode: 'layer' | 'archive', next: EntryFilter = (e) => [e]): EntryFilter {
  const seen = new Map<string, string>();
  return (e) => {
    const key = e.name.replace(/\/$/, '') || '.';
    const before = seen.get(key);
    if (before !== undefined) {
      if (mode === 'layer') throw tarFileError('duplicates of file paths not supported');
      if (before === '2') {
        throw invalidParameter(`tar entry ${JSON.stringify(key)} comes after a symlink of the same name in the archive: not supported`);
      }
    }
    seen.set(key, e.type);
    return next(e);
  };
}
