/**
 * Writing COPY/ADD sources into a mounted image rootfs with plain Node fs: modes and times kept,
 * symlinks copied as links, owner 0:0 or the `--chown` identity, every path resolved inside the
 * rootfs (a symlink in the image never sends a write to the host). ADD of a local tar archive
 * (plain or gzip) is extracted through the injected safe extractor.
 */
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { invalidParameter } from '../../errors.js';
import type { CopySource, SourceEntry } from './build-context.js';
import { resolveInRoot } from '../../store/scoped-path.js';

/** Owner for copied files. */
export interface Owner {
  uid: number;
  gid: number;
}

/** Extracts a tar stream into a directory safely (no entry may leave `dest`). */
export type ExtractTar = (input: Readable, dest: string) => Promise<void>;

/** What copySources needs. */
export interface CopyOptions {
  rootfs: string;
  sources: readonly CopySource[];
  /** Absolute destination inside the image; a trailing `/` means "a directory". */
  dest: string;
  owner: Owner;
  /** Set for ADD: local archives are extracted with it. */
  extractTar?: ExtractTar;
}

/** Joins a COPY destination to WORKDIR, keeping a trailing slash (and `.` meaning the workdir as a directory). */
export function resolveDest(workingDir: string | undefined, dest: string): string {
  const dirLike = dest.endsWith('/') || dest === '.' || dest.endsWith('/.');
  const joined = path.posix.join('/', dest.startsWith('/') ? '' : (workingDir ?? '/'), dest);
  return dirLike && !joined.endsWith('/') ? `${joined}/` : joined;
}

/** Copies every source into the rootfs. */
export async function copySources(opts: CopyOptions): Promise<void> {
  for (const source of opts.sources) {
    const top = source.entries[0]!;
    if (source.isDir) {
      await copyTree(opts, source.entries, opts.dest);
      continue;
    }
    if (opts.extractTar && (await archiveKind(top.host))) {
      const destDir = await ensureDir(opts.rootfs, opts.dest, opts.owner, 0o755);
      await extractArchive(top.host, destDir, opts.extractTar);
      continue;
    }
    let target = opts.dest;
    const resolved = await resolveInRoot(opts.rootfs, target);
    const isDir = await fs.stat(resolved).then((s) => s.isDirectory(), () => false);
    if (target.endsWith('/') || isDir) target = path.posix.join(target, path.posix.basename(source.rel));
    await writeEntry(opts.rootfs, target, top, opts.owner);
  }
}

async function copyTree(opts: CopyOptions, entries: readonly SourceEntry[], dest: string): Promise<void> {
  const [top, ...rest] = entries;
  await ensureDir(opts.rootfs, dest, opts.owner, top!.stat.mode & 0o7777);
  for (const entry of rest) await writeEntry(opts.rootfs, path.posix.join(dest, entry.sub), entry, opts.owner);
}

/** Creates a directory (and missing parents, 0755 root) inside the rootfs; returns its host path. */
async function ensureDir(rootfs: string, inner: string, owner: Owner, mode: number): Promise<string> {
  const host = await resolveInRoot(rootfs, inner);
  const existing = await fs.stat(host).catch(() => undefined);
  if (existing?.isDirectory()) return host;
  if (existing) throw invalidParameter(`failed to copy files: cannot overwrite non-directory ${inner} with directory`);
  const parent = await resolveInRoot(rootfs, path.posix.dirname(inner.replace(/\/+$/, '') || '/'));
  await fs.mkdir(parent, { recursive: true, mode: 0o755 });
  await fs.mkdir(host, { mode });
  await fs.chmod(host, mode);
  await fs.chown(host, owner.uid, owner.gid);
  return host;
}

/** Writes one entry (file, directory or symlink) at `inner`, replacing what was there. */
async function writeEntry(rootfs: string, inner: string, entry: SourceEntry, owner: Owner): Promise<void> {
  const parent = await resolveInRoot(rootfs, path.posix.dirname(inner));
  await fs.mkdir(parent, { recursive: true, mode: 0o755 });
  const target = path.join(parent, path.posix.basename(inner));
  const st = entry.stat;
  const mode = st.mode & 0o7777;
  const existing = await fs.lstat(target).catch(() => undefined);
  if (st.isDirectory()) {
    if (existing && !existing.isDirectory()) await fs.rm(target, { force: true });
    if (!existing?.isDirectory()) await fs.mkdir(target, { mode });
    await fs.chmod(target, mode);
    await fs.chown(target, owner.uid, owner.gid);
    return;
  }
  if (existing?.isDirectory()) {
    throw invalidParameter(`failed to copy files: cannot overwrite directory ${inner} with non-directory`);
  }
  if (existing) await fs.rm(target, { force: true });
  if (st.isSymbolicLink()) {
    await fs.symlink(entry.link!, target);
    await fs.lchown(target, owner.uid, owner.gid);
    return;
  }
  if (!st.isFile()) return; // sockets, fifos and devices are not copied
  await fs.copyFile(entry.host, target);
  await fs.chmod(target, mode);
  await fs.chown(target, owner.uid, owner.gid);
  await fs.utimes(target, st.atime, st.mtime);
}

/** 'gzip' or 'tar' when the file is an archive ADD extracts, else undefined. */
export async function archiveKind(file: string): Promise<'gzip' | 'tar' | undefined> {
  const fh = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await fh.read(head, 0, 512, 0);
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
    if (bytesRead === 512 && isTarHeader(head)) return 'tar';
    return undefined;
  } finally {
    await fh.close();
  }
}

/** A tar header block: `ustar` magic, or a valid header checksum. */
export function isTarHeader(block: Buffer): boolean {
  if (block.subarray(257, 262).toString('latin1') === 'ustar') return true;
  const stored = parseInt(block.subarray(148, 156).toString('latin1').replace(/\0.*$/, '').trim(), 8);
  if (!Number.isFinite(stored)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  return sum === stored && block[0] !== 0;
}

async function extractArchive(file: string, destDir: string, extractTar: ExtractTar): Promise<void> {
  const kind = await archiveKind(file);
  const input = createReadStream(file);
  await extractTar(kind === 'gzip' ? input.pipe(createGunzip()) : input, destDir);
}

/** Resolves `--chown=user[:group]` against the rootfs's /etc/passwd and /etc/group. */
export async function resolveChown(rootfs: string, chown: string): Promise<Owner> {
  const parts = chown.split(':');
  const wrap = (msg: string) => invalidParameter(`unable to convert uid/gid chown string to host mapping: ${msg}`);
  if (parts.length > 2) throw wrap(`invalid chown string format: ${chown}`);
  const userStr = parts[0]!;
  const groupStr = parts.length === 2 ? parts[1]! : parts[0]!;
  const read = async (file: string) =>
    fs.readFile(await resolveInRoot(rootfs, file), 'utf8').catch(() => '');
  const lookup = async (name: string, file: string, kind: 'user' | 'group'): Promise<number> => {
    if (/^\d+$/.test(name)) return Number(name);
    for (const line of (await read(file)).split('\n')) {
      const f = line.split(':');
      if (f.length >= 3 && f[0] === name && /^\d+$/.test(f[2]!)) return Number(f[2]);
    }
    const what = kind === 'user' ? 'uid for user' : 'gid for group';
    throw wrap(`can't find ${what} ${name}: no such ${kind}: ${name}`);
  };
  return { uid: await lookup(userStr, '/etc/passwd', 'user'), gid: await lookup(groupStr, '/etc/group', 'group') };
}
