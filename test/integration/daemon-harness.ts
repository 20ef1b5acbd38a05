/**
 * Starts a private wharfd for integration tests: its own socket, roots and bridge, so it
 * coexists with other daemons. Drives it with the real docker CLI.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
export const DOCKER = '/usr/local/bin/docker';

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

export class TestDaemon {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'wharf-it-'));
  readonly sock = path.join(this.dir, 'w.sock');
  readonly bridge = 'wharfi' + randomBytes(3).toString('hex');
  readonly dataRoot = path.join(this.dir, 'data');
  readonly execRoot = path.join(this.dir, 'run');
  proc?: ChildProcess;
  log = '';

  /** Extra wharfd flags, e.g. `--icc=false`. */
  constructor(readonly extraArgs: string[] = []) {}

  args(): string[] {
    return ['-H', `unix://${this.sock}`, '--data-root', this.dataRoot, '--exec-root', this.execRoot, '-p', path.join(this.dir, 'w.pid'), '-b', this.bridge, ...this.extraArgs];
  }

  /** Starts wharfd and waits for its socket. */
  async start(): Promise<void> {
    this.proc = spawn('node', [path.join(REPO, 'dist/src/bin/wharfd.js'), ...this.args()], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout!.on('data', (d) => (this.log += d));
    this.proc.stderr!.on('data', (d) => (this.log += d));
    for (let i = 0; i < 100; i++) {
      if (existsSync(this.sock) && this.docker(['version']).code === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`wharfd did not start:\n${this.log}`);
  }

  /** Kills wharfd with SIGKILL (containers must survive). */
  async kill9(): Promise<void> {
    const p = this.proc;
    if (!p) return;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await gone;
    this.proc = undefined;
  }

  /** Runs the real docker CLI against this daemon. */
  docker(args: string[], input?: string | Buffer): CliResult {
    const r = spawnSync(DOCKER, args, {
      env: { ...process.env, DOCKER_HOST: `unix://${this.sock}`, DOCKER_CLI_HINTS: 'false', DOCKER_BUILDKIT: '0' },
      input,
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', code: r.status ?? -1 };
  }

  /** Imports busybox:latest made from the host's busybox-static. */
  importBusybox(): void {
    const tar = spawnSync(path.join(REPO, 'scripts/make-busybox-tar.sh'), [], { maxBuffer: 64 << 20 });
    const r = this.docker(['import', '-', 'busybox:latest'], tar.stdout);
    if (r.code !== 0) throw new Error(`import failed: ${r.stderr}`);
  }

  /** Removes every container, stops the daemon, removes the bridge and the files. */
  async stop(): Promise<void> {
    const ids = this.docker(['ps', '-aq']).stdout.split('\n').filter(Boolean);
    if (ids.length) this.docker(['rm', '-f', ...ids]);
    if (this.proc) {
      const p = this.proc;
      const gone = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      await gone;
    }
    spawnSync('ip', ['link', 'del', this.bridge]);
    uninstallChains(this.bridge);
    unmountUnder(this.dir); // the exec root's tmpfs, and anything a failed test left mounted
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Unmounts every mount below `dir`, deepest first (lazily when one is still in use). */
export function unmountUnder(dir: string): void {
  const points = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((p) => p.startsWith(dir + '/'))
    .sort((a, b) => b.length - a.length);
  for (const p of points) {
    if (spawnSync('umount', [p]).status !== 0) spawnSync('umount', ['-l', p]);
  }
}

/** Removes a test bridge's chains and the jumps to them. */
export function uninstallChains(bridge: string): void {
  const up = bridge.toUpperCase();
  const dump = spawnSync('iptables-save', [], { encoding: 'utf8' }).stdout ?? '';
  let table = 'filter';
  for (const line of dump.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1);
    if (line.startsWith('-A ') && line.includes(`-j ${up}-`) && !line.startsWith(`-A ${up}-`)) {
      spawnSync('iptables', ['-w', '-t', table, '-D', ...line.slice(3).split(' ')]);
    }
  }
  for (const t of ['filter', 'nat']) {
    for (const suffix of ['FORWARD', 'INPUT', 'POSTROUTING', 'DNAT']) {
      spawnSync('iptables', ['-w', '-t', t, '-F', `${up}-${suffix}`]);
      spawnSync('iptables', ['-w', '-t', t, '-X', `${up}-${suffix}`]);
    }
  }
}

/** Reads a file or returns ''. */
export function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Pids of the conmons that monitor container `id` (by their -c argument). */
export function conmonsOf(id: string): number[] {
  const pids: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    const argv = (() => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      } catch {
        return [];
      }
    })();
    if (argv[0]?.endsWith('conmon') && argv[argv.indexOf('-c') + 1] === id) pids.push(Number(p));
  }
  return pids;
}

/** Polls `check` every 50 ms for up to `ms`; its last answer. */
export async function until(check: () => boolean, ms = 5000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (check()) return true;
  return check();
}
