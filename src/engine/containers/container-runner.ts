/**
 * Starts and tears down one run of a container on the host: overlay rootfs, network endpoint,
 * /etc files, config.json, conmon (which runs `runc create`), then `runc start`.
 * It makes no lifecycle decisions; the container service does.
 *
 * What lasts goes under the data root (upper layer, log, rootfs mount point). What a run makes
 * and the next start makes again (the OCI bundle's config.json, /etc/hosts, /etc/hostname,
 * /etc/resolv.conf, live-link files, conmon's FIFOs) goes in the run directory under the exec
 * root, which is tmpfs: no inode of the data root's filesystem is made or freed per start.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildRuntimeSpec } from '../../oci/runtime-spec.js';
import { attachName, type Launched } from '../../runtime/conmon.js';
import { ConmonLauncher } from './conmon-launcher.js';
import { mountOverlay, unmountOverlay } from '../../runtime/overlay.js';
import { Runc } from '../../runtime/runc.js';
import { createCgroupLockWarmer } from '../../runtime/cgroup-lock-warmer.js';
import { liveParentPid } from '../../runtime/proc-stat.js';
import type { ContainerRecord, NetworkEndpoint } from './container-record.js';
import type { ImageProvider, LinkHostEntry, NetworkProvider } from './ports.js';
import { resolveUser } from './user-lookup.js';
import { nodeSignal } from './signals.js';
import { resolveInRoot } from '../../store/scoped-path.js';
import { ensureDir, exists, readFileInside, readSmallFile, removeFile, writeSmallFile } from '../../store/small-files.js';
import { RECORD_MODE, ROOT_DIR_MODE } from '../../store/private-modes.js';
import { liveLinkFileBase, renderLiveLink, type LiveLink } from '../links/live-link.js';
import { ContainerSecurity } from './container-security.js';
import { gatherDevices, hostDevices } from '../../runtime/host-devices.js';
import { kernelMissingSubArchitectures } from '../../runtime/kernel-abis.js';
import { goArchOf, parseKernelVersion } from '../../oci/seccomp/seccomp-profile.js';

export interface EnginePaths {
  dataRoot: string;
  execRoot: string;
  /** Persistent per-container directories (bundle, logs, upper layer). */
  containersDir: string;
  exitDir: string;
  socketDir: string;
  runcRoot: string;
}

/** Everything the runner needs to know about a run that the record does not hold. */
export interface RunPlan {
  rec: ContainerRecord;
  env: string[];
  links: LinkHostEntry[];
  preferredIp?: string;
  /** Called between `runc create` and `runc start`: attach clients connect here. */
  beforeStart?: () => Promise<void>;
  /** Prepares volumes and binds once the rootfs is mounted (copy-up needs the image content). */
  prepareMounts?: (rootfs: string) => Promise<{ source: string; destination: string; readonly: boolean; propagation?: string; tmpfs?: string }[]>;
  /** Current data of each link, written under /run/wharf/links in the container. */
  liveLinks?: LiveLink[];
  /** Sources of the container's links (address, exposed ports), for the icc=false exceptions. */
  linkSources?: { sourceIp: string; ports: { proto: string; port: number }[] }[];
  /** Called once the network endpoint exists, before the process is created (port DNAT). */
  onEndpoint?: (ep: NetworkEndpoint) => Promise<void>;
  /**
   * Called when everything is ready and `runc create` is about to run: the record of the run can
   * be written now, while runc works, instead of after it.
   */
  beforeCreate?: (endpoint: NetworkEndpoint | undefined) => void;
}

export interface RunResult {
  pid: number;
  conmonPid?: number;
  endpoint?: NetworkEndpoint;
}

export class ContainerRunner {
  readonly runc: Runc;
  private readonly conmons: ConmonLauncher;
  private readonly cgroupLock = createCgroupLockWarmer();
  /** Capabilities, seccomp and devices of each start (the default profile translated once per capability set). */
  readonly security: ContainerSecurity;

  constructor(
    readonly paths: EnginePaths,
    private readonly images: ImageProvider,
    private readonly network: NetworkProvider,
    allowedCaps: Set<string> | undefined,
    /** How long a conmon started at create waits for the start (see conmon-launcher.ts). */
    conmonWaitMs?: number,
  ) {
    this.runc = new Runc(paths.runcRoot);
    this.security = new ContainerSecurity({
      allowedCaps, gatherDevices, hostDevices,
      target: { goArch: goArchOf(process.arch), kernel: parseKernelVersion(os.release()), missingSubArches: kernelMissingSubArchitectures(os.release()) },
    });
    this.conmons = new ConmonLauncher(
      {
        exitDir: paths.exitDir, socketDir: paths.socketDir,
        runDir: (id) => this.persistDir(id), logPath: (id) => this.logPath(id),
      },
      this.runc,
      conmonWaitMs,
    );
  }

  /** Sends off every conmon still waiting at its runtime gate (the daemon is stopping). */
  async close(): Promise<void> {
    this.conmons.close();
  }

  /**
   * A create or a start (or an exec) has arrived: the kernel's cgroup migration lock, which runc
   * will take, starts warming now (see runtime/cgroup-lock-warmer.ts).
   */
  startComing(): void {
    this.cgroupLock?.poke();
  }

  /** Starts the container's conmon at create, to wait for the start (see conmon-launcher.ts). */
  prelaunch(rec: ContainerRecord): void {
    this.conmons.prelaunch(rec);
  }

  /** Ends the conmon started at create, if it still waits (before the record's files go). */
  async dropPrelaunched(id: string): Promise<void> {
    await this.conmons.drop(id);
  }

  bundleDir(id: string): string {
    return path.join(this.paths.containersDir, id);
  }

  /** The run directory (exec root): conmon's files, the OCI bundle and the /etc files of a run. */
  persistDir(id: string): string {
    return path.join(this.paths.execRoot, 'containers', id);
  }

  /**
   * A file of the current run. Containers started by a build that kept these files in the
   * data root still find them there.
   */
  runFile(id: string, name: string): string {
    const current = path.join(this.persistDir(id), name);
    const older = path.join(this.bundleDir(id), name);
    return !exists(current) && exists(older) ? older : current;
  }

  logPath(id: string): string {
    return path.join(this.bundleDir(id), 'ctr.log');
  }

  attachSocketPath(id: string): string {
    return path.join(this.paths.socketDir, attachName(id), 'attach');
  }

  rootfsDir(id: string): string {
    return path.join(this.bundleDir(id), 'rootfs');
  }

  /** Mounts the container's rootfs (idempotent). Used by start, commit, build COPY. */
  async mountRootfs(rec: ContainerRecord): Promise<string> {
    const dir = this.bundleDir(rec.id);
    const spec = await this.images.mountSpec(rec.imageId);
    let { lowerdirs } = spec;
    if (lowerdirs.length === 0) {
      // FROM scratch: overlay wants one lower directory, so give it an empty one.
      await fs.mkdir(path.join(dir, 'empty'), { recursive: true });
      lowerdirs = [path.join(dir, 'empty')];
    }
    await mountOverlay({
      cwd: spec.cwd, lowerdirs, upperdir: path.join(dir, 'upper'), workdir: path.join(dir, 'work'), target: this.rootfsDir(rec.id),
    });
    return this.rootfsDir(rec.id);
  }

  upperDir(id: string): string {
    return path.join(this.bundleDir(id), 'upper');
  }

  /** Prepares everything and starts the container; on failure undoes what it did. */
  async start(plan: RunPlan): Promise<RunResult> {
    const { rec } = plan;
    const persist = this.persistDir(rec.id);
    ensureDir(persist, ROOT_DIR_MODE);
    removeFile(path.join(this.paths.exitDir, rec.id));
    removeFile(path.join(persist, 'exit'));
    removeFile(path.join(persist, 'oom'));
    if (this.hasRuncState(rec.id)) await this.runc.delete(rec.id, true);
    let endpoint: NetworkEndpoint | undefined;
    let netnsPath: string | undefined;
    const mode = rec.hostConfig.NetworkMode;
    // conmon waits at the gate while the rootfs and the network are set up.
    const { gate, launching } = (await this.conmons.waiting(rec)) ?? {};
    try {
      const security = this.security.specFor(rec.hostConfig);
      // The rootfs and the network do not depend on each other: set them up side by side.
      const connectNetwork = async () => {
        if (mode === 'host') return;
        if (mode === 'none') {
          netnsPath = (await this.network.connectNone(rec.id)).netnsPath;
          return;
        }
        endpoint = await this.network.connect(rec.id, plan.preferredIp);
        netnsPath = endpoint.netnsPath;
        if (plan.onEndpoint) await plan.onEndpoint(endpoint);
        const ip = endpoint.ipAddress;
        if (plan.linkSources?.length) await this.network.allowLinks(rec.id, plan.linkSources.map((l) => ({ recipientIp: ip, ...l })));
      };
      const [rootfs] = await Promise.all([this.mountRootfs(rec), connectNetwork()]);
      const binds = plan.prepareMounts ? await plan.prepareMounts(rootfs) : [];
      // Parents before children, so a mount inside another mount lands on top of it.
      binds.sort((a, b) => a.destination.split('/').length - b.destination.split('/').length);
      const hosts = await this.network.renderHosts({
        hostname: rec.config.Hostname,
        ...(endpoint ? { ip: endpoint.ipAddress } : {}),
        links: plan.links,
        hostMode: mode === 'host',
      });
      writeSmallFile(path.join(persist, 'hosts'), hosts);
      writeSmallFile(path.join(persist, 'hostname'), rec.config.Hostname + '\n');
      if (rec.links.length) await this.writeLiveLinks(rec.id, plan.liveLinks ?? []);
      writeSmallFile(path.join(persist, 'resolv.conf'), await this.network.renderResolvConf());
      const user = resolveUser(rec.config.User, readFileInside(rootfs, 'etc/passwd'), readFileInside(rootfs, 'etc/group'));
      const env = plan.env.some((e) => e.startsWith('HOME=')) || !user.home ? plan.env : [...plan.env, `HOME=${user.home}`];
      const spec = buildRuntimeSpec({
        args: [rec.path, ...rec.args],
        env,
        cwd: rec.config.WorkingDir || '/',
        user,
        terminal: rec.config.Tty,
        hostname: rec.config.Hostname,
        ...(netnsPath ? { netnsPath } : {}),
        hostNetwork: mode === 'host',
        cgroupsPath: `/wharf/${rec.id}`,
        rootfs,
        etcFiles: { hosts: path.join(persist, 'hosts'), hostname: path.join(persist, 'hostname'), resolvConf: path.join(persist, 'resolv.conf') },
        ...(rec.links.length ? { liveLinksDir: path.join(persist, 'links') } : {}),
        binds,
        memoryBytes: rec.hostConfig.Memory,
        nanoCpus: rec.hostConfig.NanoCpus,
        pidsLimit: rec.hostConfig.PidsLimit ?? 0,
        readonlyRootfs: rec.hostConfig.ReadonlyRootfs,
        security,
      });
      if (rec.config.WorkingDir) {
        // Symlinks on the way resolve inside the rootfs, never to a directory of the host.
        const workdir = await resolveInRoot(rootfs, rec.config.WorkingDir).catch(() => undefined);
        try {
          if (workdir) ensureDir(workdir);
        } catch {
          // runc reports a working directory it cannot use
        }
      }
      plan.beforeCreate?.(endpoint);
      let launched: Launched;
      if (gate) {
        await gate.open(JSON.stringify(spec));
        launched = await launching!;
      } else {
        writeSmallFile(path.join(persist, 'config.json'), JSON.stringify(spec), RECORD_MODE);
        launched = await this.conmons.launchNow(rec);
      }
      if (plan.beforeStart) await plan.beforeStart().catch(() => {});
      await this.runc.startCreated(rec.id, launched.pid);
      const conmonPid = this.conmonPid(rec.id);
      return { pid: launched.pid, ...(conmonPid ? { conmonPid } : {}), ...(endpoint ? { endpoint } : {}) };
    } catch (err) {
      if (gate) {
        gate.abandon();
        await launching!.catch(() => {});
      }
      await this.teardown(rec.id);
      throw err;
    } finally {
      gate?.close();
    }
  }

  /**
   * Rewrites a running container's /etc/hosts in place (same inode: the file is bind-mounted),
   * for example when a linked source came back with a new address.
   */
  async rewriteHosts(rec: ContainerRecord, links: LinkHostEntry[]): Promise<void> {
    const text = await this.network.renderHosts({
      hostname: rec.config.Hostname,
      ...(rec.endpoint ? { ip: rec.endpoint.ipAddress } : {}),
      links,
      hostMode: rec.hostConfig.NetworkMode === 'host',
    });
    await fs.writeFile(this.runFile(rec.id, 'hosts'), text);
  }

  /**
   * Writes `<alias>.env` and `<alias>.json` for each link into the directory mounted at
   * /run/wharf/links (atomic renames, so a reader never sees half a file); removes stale ones.
   */
  async writeLiveLinks(id: string, links: LiveLink[]): Promise<void> {
    const dir = this.runFile(id, 'links');
    await fs.mkdir(dir, { recursive: true });
    const keep = new Set<string>();
    const now = new Date().toISOString();
    for (const l of links) {
      const base = liveLinkFileBase(l.alias);
      const files = renderLiveLink(l, now);
      for (const [name, text] of [[`${base}.env`, files.env], [`${base}.json`, files.json]] as const) {
        // Replace by rename (readers never see half a file); no fsync: these are rebuilt at start.
        await fs.writeFile(path.join(dir, `.${name}.tmp`), text);
        await fs.rename(path.join(dir, `.${name}.tmp`), path.join(dir, name));
      }
      keep.add(`${base}.env`).add(`${base}.json`);
    }
    for (const f of await fs.readdir(dir)) if (!keep.has(f) && !f.startsWith('.')) await fs.rm(path.join(dir, f), { force: true });
  }

  /** Re-opens a running recipient's icc=false link exceptions (a source moved, or after a restart). */
  async refreshLinkAccess(rec: ContainerRecord, sources: { sourceIp: string; ports: { proto: string; port: number }[] }[]): Promise<void> {
    if (!rec.endpoint) return;
    const ip = rec.endpoint.ipAddress;
    await this.network.revokeLinks(rec.id);
    await this.network.allowLinks(rec.id, sources.map((l) => ({ recipientIp: ip, ...l })));
  }

  /**
   * Sends a signal to the container's init, as `runc kill` does. When the init is known and
   * still the child of the container's conmon (so its pid was not reused), the daemon signals it
   * itself; otherwise runc does.
   */
  async signal(rec: ContainerRecord, signal: string): Promise<void> {
    const pid = rec.state.Pid;
    const sig = nodeSignal(signal);
    if (pid > 0 && rec.conmonPid && sig !== undefined && liveParentPid(pid) === rec.conmonPid) {
      try {
        process.kill(pid, sig);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ESRCH') return; // exited meanwhile
      }
    }
    await this.runc.kill(rec.id, signal);
  }

  /** Unmounts the container's rootfs if mounted. */
  async unmountRootfs(id: string): Promise<void> {
    await unmountOverlay(this.rootfsDir(id));
  }

  /** Undoes a run: runc state, rootfs mount, network. Safe to call more than once. */
  async teardown(id: string): Promise<void> {
    await this.conmons.drop(id);
    if (this.hasRuncState(id)) await this.runc.delete(id, true).catch(() => {});
    await unmountOverlay(this.rootfsDir(id)).catch(() => {});
    await this.network.revokeLinks(id).catch(() => {});
    await this.network.disconnect(id).catch(() => {});
    await fs.rm(path.join(this.paths.socketDir, attachName(id)), { force: true, recursive: true }).catch(() => {});
  }

  /** The pid conmon wrote for the container's current run, if any. */
  conmonPid(id: string): number | undefined {
    return Number(readSmallFile(path.join(this.persistDir(id), 'conmon.pid')) ?? '0') || undefined;
  }

  /** True when runc still has state for the container (saves spawning runc when it has none). */
  private hasRuncState(id: string): boolean {
    return exists(path.join(this.paths.runcRoot, id));
  }

  /** Reads the exit code conmon recorded, if any. */
  async readExitCode(id: string): Promise<number | undefined> {
    for (const file of [path.join(this.paths.exitDir, id), path.join(this.persistDir(id), 'exit')]) {
      const text = readSmallFile(file)?.trim(); // undefined: not written yet
      if (text) return Number(text);
    }
    return undefined;
  }

  /** When conmon recorded the exit (its exit file's mtime): the real end of the run. */
  async exitTime(id: string): Promise<Date | undefined> {
    for (const file of [path.join(this.paths.exitDir, id), path.join(this.persistDir(id), 'exit')]) {
      const st = await fs.stat(file).catch(() => undefined);
      if (st?.isFile() && st.size > 0) return st.mtime;
    }
    return undefined;
  }

  async oomKilled(id: string): Promise<boolean> {
    return exists(path.join(this.persistDir(id), 'oom'));
  }

  /** Resizes the terminal of a tty container through conmon's ctl FIFO. */
  async resize(id: string, rows: number, cols: number): Promise<void> {
    const ctl = this.runFile(id, 'ctl');
    const fh = await fs.open(ctl, 'a').catch(() => undefined);
    if (!fh) return;
    try {
      await fh.write(`1 ${rows} ${cols}\n`);
    } finally {
      await fh.close();
    }
  }

  /** Removes every file of the container. */
  /** Ids that have runc state or a runtime directory here but are not in `known`. */
  async leftoverIds(known: ReadonlySet<string>): Promise<string[]> {
    const list = (dir: string) => fs.readdir(dir).catch(() => [] as string[]);
    const [runc, persist] = await Promise.all([list(this.paths.runcRoot), list(path.join(this.paths.execRoot, 'containers'))]);
    return [...new Set([...runc, ...persist])].filter((id) => /^[0-9a-f]{64}$/.test(id) && !known.has(id));
  }

  async removeFiles(id: string): Promise<void> {
    await this.teardown(id);
    await fs.rm(this.persistDir(id), { recursive: true, force: true });
    await fs.rm(path.join(this.paths.exitDir, id), { force: true });
  }
}
