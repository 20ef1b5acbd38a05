/**
 * The extracted build context: reading the Dockerfile, `.dockerignore`, and resolving the
 * sources of COPY/ADD (wildcards, directories, symlinks kept inside the context, Docker's error
 * wording), plus the content digest that keys the layer cache.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { invalidParameter } from '../../errors.js';
import { cleanPath, IgnoreMatcher, readIgnorePatterns } from './dockerignore.js';
import { resolveInRoot } from '../../store/scoped-path.js';

/** One file system entry below a COPY/ADD source (`sub` is '' for the source itself). */
export interface SourceEntry {
  sub: string;
  host: string;
  stat: Stats;
  /** Symlink target, for symlinks. */
  link?: string;
}

/** A resolved COPY/ADD source. */
export interface CopySource {
  /** The context-relative path it was found at ('.' for the whole context). */
  rel: string;
  isDir: boolean;
  /** The source and, for a directory, everything below it that is not ignored; sorted. */
  entries: SourceEntry[];
}

const WILDCARD = /(^|[^\\])[*?[]/;

/** True when a COPY/ADD source is a remote URL. */
export function isRemoteUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** A build context directory with its `.dockerignore` rules. */
export class BuildContext {
  private constructor(readonly root: string, readonly ignore: IgnoreMatcher) {}

  /** Opens an extracted context; reads `.dockerignore` when present. */
  static async open(root: string): Promise<BuildContext> {
    const text = await fs.readFile(path.join(root, '.dockerignore'), 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    });
    return new BuildContext(root, new IgnoreMatcher(readIgnorePatterns(text)));
  }

  /**
   * Reads the Dockerfile. `Dockerfile` falls back to `dockerfile`, as in Docker. The name must
   * stay inside the context.
   */
  async readDockerfile(name: string): Promise<string> {
    const candidates = name === 'Dockerfile' ? ['Dockerfile', 'dockerfile'] : [name];
    for (const candidate of candidates) {
      const rel = cleanPath(candidate.replace(/^\/+/, ''));
      if (rel === '..' || rel.startsWith('../')) break;
      const host = await resolveInRoot(this.root, rel);
      const text = await fs.readFile(host, 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      if (text.length === 0) throw invalidParameter(`the Dockerfile (${name}) cannot be empty`);
      return text;
    }
    throw invalidParameter(`Cannot locate specified Dockerfile: ${name}`);
  }

  /** Resolves the sources of a COPY/ADD (`cmdName` is `COPY` or `ADD`). */
  async resolveSources(cmdName: string, sources: readonly string[], dest: string): Promise<CopySource[]> {
    const out: CopySource[] = [];
    for (const source of sources) {
      if (isRemoteUrl(source)) {
        if (cmdName === 'COPY') throw invalidParameter(`source can't be a URL for ${cmdName}`);
        throw invalidParameter(`${cmdName} failed: remote URLs are not supported by this builder: ${source}`);
      }
      const rel = cleanPath(source.replace(/^\/+/, '').replace(/^(\.\/)+/, ''));
      if (rel === '..' || rel.startsWith('../')) {
        throw invalidParameter(`${cmdName} failed: Forbidden path outside the build context: ${source} ()`);
      }
      const found = WILDCARD.test(rel) ? await this.matchWildcard(rel) : [await this.statSource(cmdName, rel)];
      out.push(...found);
    }
    if (out.length === 0) throw invalidParameter(`${cmdName} failed: no source files were specified`);
    if (out.length > 1 && !dest.endsWith('/')) {
      throw invalidParameter(
        `When using ${cmdName} with more than one source file, the destination must be a directory and end with a /`,
      );
    }
    return out;
  }

  private isIgnored(rel: string): boolean {
    return rel !== '.' && !this.ignore.empty && this.ignore.matches(rel);
  }

  private async statSource(cmdName: string, rel: string): Promise<CopySource> {
    const host = await resolveInRoot(this.root, rel === '.' ? '' : rel);
    const stat = await fs.stat(host).catch(() => undefined);
    if (!stat || this.isIgnored(rel)) {
      throw invalidParameter(
        `${cmdName} failed: file not found in build context or excluded by .dockerignore: stat ${rel}: file does not exist`,
      );
    }
    return this.describe(rel, host, stat);
  }

  private async describe(rel: string, host: string, stat: Stats): Promise<CopySource> {
    const entries: SourceEntry[] = [{ sub: '', host, stat }];
    if (stat.isDirectory()) await this.walk(host, rel === '.' ? '' : rel, '', entries);
    return { rel, isDir: stat.isDirectory(), entries };
  }

  /** Adds everything below `dir` (depth first, names sorted) that is not ignored. */
  private async walk(dir: string, relBase: string, sub: string, out: SourceEntry[]): Promise<void> {
    const names = (await fs.readdir(dir)).sort();
    for (const name of names) {
      const childSub = sub ? `${sub}/${name}` : name;
      const childRel = relBase ? `${relBase}/${childSub}` : childSub;
      if (this.isIgnored(childRel)) continue;
      const host = path.join(dir, name);
      const stat = await fs.lstat(host);
      const entry: SourceEntry = { sub: childSub, host, stat };
      if (stat.isSymbolicLink()) entry.link = await fs.readlink(host);
      out.push(entry);
      if (stat.isDirectory()) await this.walk(host, relBase, childSub, out);
    }
  }

  /** Matches a wildcard against every context path (Go filepath.Match rules); a matched directory is taken whole. */
  private async matchWildcard(pattern: string): Promise<CopySource[]> {
    const regex = globToRegex(pattern);
    const out: CopySource[] = [];
    const visit = async (dir: string, relDir: string): Promise<void> => {
      for (const name of (await fs.readdir(dir)).sort()) {
        const rel = relDir ? `${relDir}/${name}` : name;
        if (this.isIgnored(rel)) continue;
        const host = path.join(dir, name);
        const lstat = await fs.lstat(host);
        if (regex.test(rel)) {
          const resolved = await resolveInRoot(this.root, rel);
          const stat = await fs.stat(resolved).catch(() => undefined);
          if (stat) out.push(await this.describe(rel, resolved, stat));
        } else if (lstat.isDirectory()) await visit(host, rel);
      }
    };
    await visit(this.root, '');
    return out;
  }
}

/** Go's filepath.Match pattern as an anchored regex (`*` and `?` stop at `/`). */
export function globToRegex(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '\\' && i + 1 < pattern.length) re += `\\${pattern[++i]}`;
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) throw invalidParameter(`syntax error in pattern: ${pattern}`);
      let cls = pattern.slice(i + 1, end);
      if (cls.startsWith('^')) cls = `^${cls.slice(1)}`;
      re += `[${cls.replace(/\\(?!.)/g, '\\\\')}]`;
      i = end;
    } else re += ch.replace(/[.$^+(){}|\]]/g, '\\$&');
  }
  return new RegExp(`${re}$`);
}

/**
 * A digest of what a COPY/ADD would copy: names, types, modes, symlink targets and file bytes
 * (not times or owners). Two contexts with the same digest produce the same layer.
 */
export async function digestSources(sources: readonly CopySource[]): Promise<string> {
  const hash = createHash('sha256');
  for (const source of sources) {
    hash.update(`source ${source.rel}\n`);
    for (const entry of source.entries) {
      const st = entry.stat;
      const type = st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'link' : st.isFile() ? 'file' : 'other';
      hash.update(`${type} ${entry.sub} ${(st.mode & 0o7777).toString(8)} `);
      if (entry.link !== undefined) hash.update(`-> ${entry.link}`);
      if (type === 'file') hash.update(await hashFile(entry.host));
      hash.update('\n');
    }
  }
  return `sha256:${hash.digest('hex')}`;
}

function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => h.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}
