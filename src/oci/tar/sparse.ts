/**
 * GNU sparse files in PAX archives (pure). `tar --sparse --format=posix` stores a file with holes
 * as its data blocks only, and says where they go in `GNU.sparse.*` records:
 *
 * - 0.0: `GNU.sparse.size` (the real size), then one `GNU.sparse.offset` and one
 *   `GNU.sparse.numbytes` record per block (the same keys repeated);
 * - 0.1: `GNU.sparse.size`, `GNU.sparse.numblocks`, `GNU.sparse.name` and `GNU.sparse.map`
 *   (`offset,numbytes,offset,numbytes,...`);
 * - 1.0: `GNU.sparse.major=1`, `GNU.sparse.minor=0`, `GNU.sparse.name`, `GNU.sparse.realsize`;
 *   the map is at the start of the member's data, in decimal lines.
 *
 * Docker reads all three (Go's archive/tar) and writes the whole file, holes as zeros. Wharf
 * vets the real name like any other, then hands GNU tar the entry with its sparse records
 * rewritten from what it parsed (no record passes through unread), and GNU tar restores it.
 * The old GNU format (type 'S') Docker refuses; so does Wharf (see `checkEntryType`).
 */

/** What an entry's PAX records say about it being sparse. */
export interface SparseInfo {
  /** '0.1' stands for 0.0 too: both carry the map in the records, written back as 0.1. */
  version: '0.1' | '1.0';
  /** The size of the file once its holes are restored. */
  realSize: number;
  /** The map (0.x only; 1.0 keeps it in the member's data, which passes through unchanged). */
  map?: number[];
}

const KEY = 'GNU.sparse.';

/**
 * PAX records in order, with the repeated 0.0 keys folded into one `GNU.sparse.map` as Go's
 * reader does. Later records override earlier ones, as in decodePax.
 */
export function foldSparseRecords(records: [string, string][]): Record<string, string> {
  const out: Record<string, string> = {};
  const blocks: string[] = [];
  for (const [k, v] of records) {
    if (k === `${KEY}offset` || k === `${KEY}numbytes`) blocks.push(v);
    else out[k] = v;
  }
  if (blocks.length) out[`${KEY}map`] = blocks.join(',');
  return out;
}

function wholeNumber(text: string | undefined, what: string): number {
  if (text === undefined || !/^\d{1,15}$/.test(text)) throw new Error(`invalid GNU sparse ${what}: ${JSON.stringify(text)}`);
  return Number(text);
}

/**
 * The sparse layout of an entry from its PAX records and its real name, or undefined when it is
 * not sparse. Throws on a version it does not know or a map that does not fit the size.
 */
export function sparseInfoOf(pax: Record<string, string>): { info: SparseInfo; name?: string } | undefined {
  const major = pax[`${KEY}major`];
  const minor = pax[`${KEY}minor`];
  const name = pax[`${KEY}name`];
  let version: SparseInfo['version'];
  if (major === '1' && minor === '0') version = '1.0';
  else if ((major === '0' && (minor === '0' || minor === '1')) || (major === undefined && minor === undefined && pax[`${KEY}map`] !== undefined)) version = '0.1';
  else if (major !== undefined || minor !== undefined) throw new Error(`unsupported GNU sparse format ${major}.${minor}`);
  else return undefined;
  const realSize = wholeNumber(pax[`${KEY}size`] ?? pax[`${KEY}realsize`], 'size');
  const info: SparseInfo = { version, realSize };
  if (version === '0.1') {
    const map = (pax[`${KEY}map`] ?? '').split(',').filter((s) => s !== '').map((s) => wholeNumber(s, 'map entry'));
    const blocks = pax[`${KEY}numblocks`];
    if (map.length % 2 !== 0 || (blocks !== undefined && wholeNumber(blocks, 'block count') * 2 !== map.length)) {
      throw new Error('invalid GNU sparse map');
    }
    checkSparseMap(map, realSize);
    info.map = map;
  }
  return { info, ...(name !== undefined ? { name } : {}) };
}

/** Throws unless the blocks (offset, length pairs) are in order, apart and inside the file. */
export function checkSparseMap(map: readonly number[], realSize: number): void {
  let end = 0;
  for (let i = 0; i < map.length; i += 2) {
    const offset = map[i]!;
    const length = map[i + 1]!;
    if (offset < end || offset + length > realSize) throw new Error('invalid GNU sparse map');
    end = offset + length;
  }
}

/** The bytes of data a 0.x map says the member holds (the sum of its block lengths). */
export function storedSize(map: readonly number[]): number {
  let n = 0;
  for (let i = 1; i < map.length; i += 2) n += map[i]!;
  return n;
}

/**
 * The PAX records that tell GNU tar how to restore the entry `name`, in the order GNU tar itself
 * writes them (the block count before the map).
 */
export function sparseRecords(info: SparseInfo, name: string): Record<string, string> {
  if (info.version === '1.0') {
    return { [`${KEY}major`]: '1', [`${KEY}minor`]: '0', [`${KEY}name`]: name, [`${KEY}realsize`]: String(info.realSize) };
  }
  const map = info.map ?? [];
  return {
    [`${KEY}size`]: String(info.realSize), [`${KEY}numblocks`]: String(map.length / 2), [`${KEY}name`]: name, [`${KEY}map`]: map.join(','),
  };
}
