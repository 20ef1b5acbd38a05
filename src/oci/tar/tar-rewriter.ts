/**
 * A streaming tar filter: parses entries as they pass and lets a callback keep, drop or replace
 * each one, while file data streams through untouched. Used to vet hostile archives and to
 * translate whiteouts between the OCI and overlay forms, in constant memory.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { BLOCK, decodeHeader, decodePax, encodeHeader, isZeroBlock, padding, type EntryFilter, type TarEntry } from './tar-header.js';
import { checkEntryType } from './entry-checks.js';
import { sparseInfoOf, storedSize } from './sparse.js';

export type { EntryFilter } from './tar-header.js';

export class TarRewriter extends Transform {
  private buf = Buffer.alloc(0);
  private state: 'header' | 'meta' | 'data' | 'end' = 'header';
  private remaining = 0;
  private pad = 0;
  private passData = false;
  private metaType = '';
  private metaBody: Buffer[] = [];
  private pax: Record<string, string> = {};
  private longName?: string;
  private longLink?: string;

  /** `finish` may return entries (headers only) to append before the end-of-archive blocks. */
  constructor(
    private readonly entryFilter: EntryFilter,
    private readonly finish: () => TarEntry[] = () => [],
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    try {
      this.process();
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    if (this.state === 'data' && this.remaining > 0) return done(new Error('tar archive is truncated'));
    try {
      for (const e of this.finish()) this.push(encodeHeader({ ...e, size: 0 }));
    } catch (err) {
      return done(err as Error);
    }
    this.push(Buffer.alloc(BLOCK * 2));
    done();
  }

  private takeBytes(n: number): Buffer {
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  private process(): void {
    for (;;) {
      if (this.state === 'end') {
        this.buf = Buffer.alloc(0);
        return;
      }
      if (this.state === 'data' || this.state === 'meta') {
        if (this.remaining > 0) {
          if (this.buf.length === 0) return;
          const part = this.takeBytes(Math.min(this.remaining, this.buf.length));
          this.remaining -= part.length;
          if (this.state === 'meta') this.metaBody.push(part);
          else if (this.passData) this.push(part);
          if (this.remaining > 0) return;
          if (this.state === 'data' && this.passData && this.pad) this.push(Buffer.alloc(this.pad));
        }
        if (this.pad > 0) {
          const skip = Math.min(this.pad, this.buf.length);
          this.takeBytes(skip);
          this.pad -= skip;
          if (this.pad > 0) return;
        }
        if (this.state === 'meta') this.finishMeta();
        this.state = 'header';
        continue;
      }
      if (this.buf.length < BLOCK) return;
      const block = this.takeBytes(BLOCK);
      if (isZeroBlock(block)) {
        this.state = 'end';
        continue;
      }
      const h = decodeHeader(block);
      if (h.size < 0 || !Number.isSafeInteger(h.size)) throw new Error(`invalid size for tar entry ${h.name}`);
      if (['x', 'g', 'L', 'K'].includes(h.type)) {
        if (h.size > 1 << 20) throw new Error('tar extended header is too large');
        this.state = 'meta';
        this.metaType = h.type;
        this.metaBody = [];
        this.remaining = h.size;
        this.pad = padding(h.size);
        continue;
      }
      checkEntryType(h.type);
      const entry: TarEntry = { ...h, pax: {} };
      for (const [k, v] of Object.entries(this.pax)) {
        if (k === 'path') entry.name = v;
        else if (k === 'linkpath') entry.linkname = v;
        else if (k === 'size') entry.size = Number(v);
        else if (k.startsWith('SCHILY.xattr.') || k === 'uname' || k === 'gname') entry.pax[k] = v;
      }
      if (this.longName !== undefined) entry.name = this.longName;
      if (this.longLink !== undefined) entry.linkname = this.longLink;
      if (entry.type === '0') this.readSparse(entry);
      this.pax = {};
      this.longName = undefined;
      this.longLink = undefined;
      const dataSize = ['1', '2', '3', '4', '5', '6'].includes(entry.type) ? 0 : entry.size;
      const out = this.entryFilter(entry);
      this.passData = false;
      if (out && out.length) {
        const last = out[out.length - 1]!;
        this.passData = last.size === dataSize && dataSize > 0;
        for (const e of out) this.push(encodeHeader(e));
      }
      this.state = 'data';
      this.remaining = dataSize;
      this.pad = padding(dataSize);
    }
  }

  /** A GNU sparse file (PAX formats): its real name and layout, checked against its data. */
  private readSparse(entry: TarEntry): void {
    let found: ReturnType<typeof sparseInfoOf>;
    try {
      found = sparseInfoOf(this.pax);
    } catch (err) {
      throw new Error(`tar entry ${JSON.stringify(entry.name)}: ${(err as Error).message}`);
    }
    if (!found) return;
    if (found.info.map && storedSize(found.info.map) !== entry.size) {
      throw new Error(`tar entry ${JSON.stringify(entry.name)}: the GNU sparse map does not match the data stored`);
    }
    entry.sparse = found.info;
    if (found.name !== undefined) entry.name = found.name; // as Go's reader: the real name wins
  }

  private finishMeta(): void {
    const body = Buffer.concat(this.metaBody);
    const text = () => body.toString('utf8').replace(/\0+$/, '');
    if (this.metaType === 'x') Object.assign(this.pax, decodePax(body));
    else if (this.metaType === 'L') this.longName = text();
    else if (this.metaType === 'K') this.longLink = text();
  }
}
