/**
 * The real reference registry (Debian's docker-registry, distribution 2.8) for pull tests: its
 * own config.yml, storage and a free port on 127.0.0.1, stopped by its pid. Also a small
 * uploader speaking the distribution API (monolithic blob uploads, manifest PUT), for images
 * skopeo cannot write as they are (an OCI index, an uncompressed layer).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const REGISTRY_BIN = '/usr/bin/docker-registry';

/** A free TCP port on 127.0.0.1 (closed again before it is returned). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export const sha256 = (b: Buffer | string) => 'sha256:' + createHash('sha256').update(b).digest('hex');

export class TestRegistry {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'wharf-reg-'));
  readonly storage = path.join(this.dir, 'data');
  port = 0;
  proc?: ChildProcess;
  log = '';

  /** `htpasswd`: the one user (bcrypt, `htpasswd -B`) that registry accepts with Basic auth. */
  constructor(readonly htpasswd?: { user: string; password: string }) {}

  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Starts the registry (deletes enabled) and waits until `/v2/` answers. */
  async start(): Promise<void> {
    this.port = await freePort();
    writeFileSync(path.join(this.dir, 'config.yml'), [
      'version: 0.1', 'log:', '  level: warn', '  accesslog:', '    disabled: false',
      'storage:', '  filesystem:', `    rootdirectory: ${this.storage}`, '  delete:', '    enabled: true',
      'http:', `  addr: "127.0.0.1:${this.port}"`,
      ...(this.htpasswd ? ['auth:', '  htpasswd:', '    realm: wharf-test', `    path: ${path.join(this.dir, 'htpasswd')}`] : []), '',
    ].join('\n'));
    if (this.htpasswd) {
      const h = spawnSync('htpasswd', ['-Bbn', this.htpasswd.user, this.htpasswd.password], { encoding: 'utf8' });
      if (h.status !== 0) throw new Error(`htpasswd: ${h.stderr}`);
      writeFileSync(path.join(this.dir, 'htpasswd'), h.stdout);
    }
    this.proc = spawn(REGISTRY_BIN, ['serve', path.join(this.dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout!.on('data', (d) => (this.log += d));
    this.proc.stderr!.on('data', (d) => (this.log += d));
    for (let i = 0; i < 100; i++) {
      const ok = await fetch(`http://${this.host}/v2/`).then((r) => r.ok || r.status === 401, () => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the registry did not start:\n${this.log}`);
  }

  /** Stops the registry by its pid and removes its files. */
  async stop(): Promise<void> {
    const p = this.proc;
    if (p && p.exitCode === null) {
      const gone = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      await gone;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** `skopeo copy SRC docker://HOST/DEST` over plain HTTP. */
  skopeo(src: string, dest: string, extra: string[] = []): void {
    const creds = this.htpasswd ? ['--dest-creds', `${this.htpasswd.user}:${this.htpasswd.password}`] : [];
    const r = spawnSync('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', ...creds, ...extra, src, `docker://${this.host}/${dest}`], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`skopeo copy failed: ${r.stderr}`);
  }

  /** Uploads a blob (monolithic) unless the registry has it; returns its digest. */
  async putBlob(repo: string, bytes: Buffer): Promise<string> {
    const digest = sha256(bytes);
    const head = await fetch(`http://${this.host}/v2/${repo}/blobs/${digest}`, { method: 'HEAD' });
    if (head.ok) return digest;
    const start = await fetch(`http://${this.host}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
    if (start.status !== 202) throw new Error(`upload start: ${start.status}`);
    const loc = new URL(start.headers.get('location')!, `http://${this.host}`);
    loc.searchParams.set('digest', digest);
    const put = await fetch(loc, { method: 'PUT', body: bytes, headers: { 'Content-Type': 'application/octet-stream' } });
    if (put.status !== 201) throw new Error(`upload: ${put.status} ${await put.text()}`);
    return digest;
  }

  /** Puts a manifest under a tag (or digest); returns its digest. */
  async putManifest(repo: string, ref: string, manifest: object, mediaType: string): Promise<string> {
    const bytes = Buffer.from(JSON.stringify(manifest));
    const r = await fetch(`http://${this.host}/v2/${repo}/manifests/${ref}`, { method: 'PUT', body: bytes, headers: { 'Content-Type': mediaType } });
    if (r.status !== 201) throw new Error(`manifest put: ${r.status} ${await r.text()}`);
    return sha256(bytes);
  }

  /** Sizes of the answers the access log shows for GETs of a blob, with their statuses. */
  blobAnswers(digest: string): { status: number; bytes: number }[] {
    const re = new RegExp(`"GET /v2/[^ ]*/blobs/${digest} HTTP/1\\.1" (\\d+) (\\d+)`, 'g');
    return [...this.log.matchAll(re)].map((m) => ({ status: Number(m[1]), bytes: Number(m[2]) }));
  }

  /** The file where the registry keeps a blob's bytes (to corrupt it). */
  blobFile(digest: string): string {
    const hex = digest.slice(7);
    const f = path.join(this.storage, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
    if (!existsSync(f)) throw new Error(`no blob file for ${digest}`);
    return f;
  }
}
