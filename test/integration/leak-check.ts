/**
 * Finds what a test daemon left on the host that belongs to no running container: files in its
 * temporary directories, layers no image uses, container directories no record owns, overlay
 * mounts, network namespaces, veths, conmon/runc processes and DNAT rules. For the crash tests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chainIdsOf } from '../../src/engine/images/layer-store.js';
import type { TestDaemon } from './daemon-harness.js';

/** The containers the daemon reports: every id, and the running ones with their addresses. */
export interface Observed {
  all: Set<string>;
  running: Map<string, string>;
}

/** Lists the daemon's containers through the docker CLI (and inspects each: that must work). */
export function observe(d: TestDaemon): Observed {
  const ps = d.docker(['ps', '-aq', '--no-trunc']);
  if (ps.code !== 0) throw new Error(`docker ps -a failed: ${ps.stderr}`);
  const all = new Set(ps.stdout.split('\n').filter(Boolean));
  const running = new Map<string, string>();
  if (all.size) {
    const r = d.docker(['inspect', '-f', '{{.Id}} {{.State.Running}} {{.NetworkSettings.IPAddress}}', ...all]);
    if (r.code !== 0) throw new Error(`docker inspect of every container failed: ${r.stderr}`);
    for (const line of r.stdout.split('\n').filter(Boolean)) {
      const [id, run, ip] = line.split(' ');
      if (run === 'true') running.set(id!, ip ?? '');
    }
  }
  return { all, running };
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function argvOf(pid: string): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

/** Files left in the daemon's temporary directories. */
export function tempLeaks(d: TestDaemon): string[] {
  const out: string[] = [];
  for (const dir of [path.join(d.dataRoot, 'image', 'tmp'), path.join(d.dataRoot, 'tmp')]) {
    for (const f of list(dir)) if (!(dir.endsWith('tmp') && f === 'build' && list(path.join(dir, f)).length === 0)) out.push(path.join(dir, f));
  }
  for (const f of list(path.join(d.dataRoot, 'image', 'layers'))) if (f.startsWith('tmp-')) out.push(f);
  // Atomic writes cut before their rename (`.<name>.<12 hex>.tmp`) in the record directories.
  const recordDirs = [
    path.join(d.dataRoot, 'image'), path.join(d.dataRoot, 'image', 'images'),
    ...list(path.join(d.dataRoot, 'containers')).map((id) => path.join(d.dataRoot, 'containers', id)),
  ];
  for (const dir of recordDirs) for (const f of list(dir)) if (/^\..+\.[0-9a-f]{12}\.tmp$/.test(f)) out.push(path.join(dir, f));
  return out;
}

/** Layer directories no image uses, `l/` links that lead nowhere, and used layers without a link. */
export function layerLeaks(d: TestDaemon): string[] {
  const root = path.join(d.dataRoot, 'image');
  const used = new Set<string>();
  for (const f of list(path.join(root, 'images'))) {
    if (!f.endsWith('.json')) continue;
    const cfg = JSON.parse(readFileSync(path.join(root, 'images', f), 'utf8')) as { rootfs?: { diff_ids?: string[] } };
    for (const c of chainIdsOf(cfg.rootfs?.diff_ids ?? [])) used.add(c.replace(/^sha256:/, ''));
  }
  const out: string[] = [];
  const layers = list(path.join(root, 'layers')).filter((f) => !f.startsWith('tmp-'));
  for (const l of layers) if (!used.has(l)) out.push(`layer ${l} used by no image`);
  for (const l of list(path.join(root, 'l'))) if (!existsSync(path.join(root, 'l', l))) out.push(`dangling link l/${l}`);
  return out;
}

/** Everything held for containers that are not running, or for no container at all. */
export function hostLeaks(d: TestDaemon, o: Observed): string[] {
  const out: string[] = [];
  const runningShort = new Set([...o.running.keys()].map((id) => id.slice(0, 12)));
  for (const id of list(path.join(d.dataRoot, 'containers'))) if (!o.all.has(id)) out.push(`container directory ${id} of no container`);
  for (const id of list(path.join(d.execRoot, 'containers'))) if (!o.all.has(id)) out.push(`run directory ${id} of no container`);
  for (const id of list(path.join(d.execRoot, 'runc'))) if (!o.running.has(id)) out.push(`runc state of ${id}, which is not running`);
  for (const id of list(path.join(d.execRoot, 'exec'))) {
    const live = list('/proc').some((pid) => /^\d+$/.test(pid) && argvOf(pid).includes(path.join(d.execRoot, 'exec', id)));
    if (!live) out.push(`exec session directory ${id} with no process`);
  }
  const mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
  const prefix = path.join(d.dataRoot, 'containers') + '/';
  for (const line of mountinfo.split('\n')) {
    const point = line.split(' ')[4] ?? '';
    if (!point.startsWith(prefix)) continue;
    const id = point.slice(prefix.length).split('/')[0]!;
    if (!o.running.has(id)) out.push(`mount ${point} of a container that is not running`);
  }
  for (const ns of list('/run/netns')) {
    if (ns.startsWith(`${d.bridge}-`) && !runningShort.has(ns.slice(d.bridge.length + 1))) out.push(`netns ${ns} of a container that is not running`);
  }
  const veths = (spawnSync('ip', ['-o', 'link', 'show', 'master', d.bridge], { encoding: 'utf8' }).stdout ?? '').split('\n').filter(Boolean);
  const onBridge = [...o.running.values()].filter((ip) => ip !== '').length;
  if (veths.length > onBridge) out.push(`${veths.length} veths on ${d.bridge} for ${onBridge} running containers`);
  for (const pid of list('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const argv = argvOf(pid);
    if (!argv.some((a) => a.startsWith(d.execRoot))) continue;
    if (argv[0]?.endsWith('conmon')) {
      const id = argv[argv.indexOf('-c') + 1] ?? '';
      if (!argv.includes('--exec') && !o.running.has(id)) out.push(`conmon ${pid} of ${id.slice(0, 12)}, which is not running`);
    } else if (argv.includes('create') || argv.includes('start') || argv.includes('init')) {
      const id = argv.at(-1) ?? '';
      if (!o.running.has(id)) out.push(`runtime process ${pid} (${argv.join(' ').slice(0, 120)})`);
    }
  }
  const nat = spawnSync('iptables-save', ['-t', 'nat'], { encoding: 'utf8' }).stdout ?? '';
  const ips = new Set(o.running.values());
  for (const line of nat.split('\n')) {
    if (!line.startsWith(`-A ${d.bridge.toUpperCase()}-DNAT `)) continue;
    const to = /--to-destination (\d+\.\d+\.\d+\.\d+)/.exec(line)?.[1];
    if (to && !ips.has(to)) out.push(`DNAT rule for ${to}, no running container's address: ${line}`);
  }
  const filter = spawnSync('iptables-save', ['-t', 'filter'], { encoding: 'utf8' }).stdout ?? '';
  for (const line of filter.split('\n')) {
    if (!line.startsWith(`-A ${d.bridge.toUpperCase()}-`)) continue;
    for (const m of line.matchAll(/-[sd] (\d+\.\d+\.\d+\.\d+)\/32/g)) {
      if (!ips.has(m[1]!)) out.push(`filter rule for ${m[1]}, no running container's address: ${line}`);
    }
  }
  return out;
}

/** Every leak at once (polling briefly: a namespace or a process may take a moment to go). */
export async function allLeaks(d: TestDaemon): Promise<string[]> {
  let leaks: string[] = [];
  for (let i = 0; i < 40; i++) {
    const o = observe(d);
    leaks = [...tempLeaks(d), ...layerLeaks(d), ...hostLeaks(d, o)];
    if (leaks.length === 0) return leaks;
    await new Promise((r) => setTimeout(r, 100));
  }
  return leaks;
}

let nextPort = 20000 + Math.floor(Math.random() * 8000);
/**
 * A `-p` value on 127.0.0.1 with a host port of its own: engine-chosen ports start at the same
 * number in every daemon, and other daemons on this machine may hold it.
 */
export function publishArg(): string {
  nextPort = nextPort >= 29999 ? 20000 : nextPort + 1;
  return `127.0.0.1:${nextPort}:80`;
}
