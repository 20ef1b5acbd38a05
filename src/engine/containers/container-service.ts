/**
 * Container lifecycle: create, start, stop, kill, restart, pause, rename, remove, wait, and what
 * happens when a container exits (auto-remove, restart policies). Host effects go through the
 * runner; records through the store.
 */
import { conflict, notFound, invalidParameter, notModified, messageOf, EngineError } from '../../errors.js';
import type { ContainerRecord, LinkRef } from './container-record.js';
import { runningRecord } from './container-record.js';
import type { ContainerStore } from './container-store.js';
import type { ContainerRunner } from './container-runner.js';
import { buildContainerRecord, type CreateBody } from './create-request.js';
import { validateName, generateName } from './names.js';
import type { EventSink, ImageProvider } from './ports.js';
import { AttachHub } from './attach-hub.js';
import { Waiters, type WaitCondition, type WaitResult } from './waiters.js';
import { shouldRestart, restartDelayMs } from './restart-policy.js';
import { exitCodeForStartError } from './start-error.js';
import { killResumes, normaliseSignal, signalNumber } from './signals.js';
import { buildProcessEnv } from '../links/link-env.js';
import { resolveLinkEntries, linksView, namesOf, planLinks, linkSources, type LinkPlan, type LinkSourceAccess } from './link-graph.js';
import { planBindings, type ActiveBinding } from '../ports/port-plan.js';
import { externalConnectivityError, type PortPublisher } from '../ports/port-publisher.js';
import { resolveMounts, tmpfsMountPoints } from '../volumes/mount-point.js';
import type { VolumeStore } from '../volumes/volume-store.js';
import { needsCopyUp, type VolumeMounter } from '../volumes/volume-mounter.js';
import type { ApiMount } from '../volumes/mount-spec.js';
import { volumeUsers, runningVolumeUsers, removeAnonymousVolumes, logVolumeEvents } from './volume-users.js';
import { logNetworkEvent, type NetworkOfMode } from './network-events.js';
import { RecordRetry } from './record-retry.js';

export interface ContainerServiceDeps {
  store: ContainerStore;
  runner: ContainerRunner;
  images: ImageProvider;
  events: EventSink;
  now: () => Date;
  randomId: () => string;
  random: () => number;
  ncpu: number;
  log: (line: string) => void;
  ports: PortPublisher;
  volumes: VolumeStore;
  mounter: VolumeMounter;
  /** The network of a network mode, for the network events (none for `container:<id>`). */
  networkOf?: NetworkOfMode;
}

export class ContainerService {
  readonly hub = new AttachHub();
  readonly waiters = new Waiters();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly exitListeners = new Map<string, (() => void)[]>();
  /** Exits being processed, so that concurrent callers wait for the same work. */
  private readonly exiting = new Map<string, Promise<void>>();
  private readonly restartTimers = new Map<string, NodeJS.Timeout>();
  private shuttingDown = false;
  /** Saves after an exit: they never hold up the waiters (a full disk), and are retried. */
  private readonly exitSaves: RecordRetry;

  constructor(readonly d: ContainerServiceDeps) {
    this.exitSaves = new RecordRetry(d.store, d.log);
  }

  get store(): ContainerStore {
    return this.d.store;
  }

  /** Serialises operations on one container. */
  private withLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(id) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const settled = next.catch(() => {});
    this.locks.set(id, settled);
    void settled.then(() => {
      if (this.locks.get(id) === settled) this.locks.delete(id);
    });
    return next;
  }

  private emit(rec: ContainerRecord, action: string, extra: Record<string, string> = {}): void {
    this.d.events.emit({ Type: 'container', Action: action, id: rec.id, attributes: { name: rec.name.slice(1), image: rec.image, ...extra } });
  }

  private nameConflict(name: string, holder: ContainerRecord): EngineError {
    return conflict(
      `Conflict. The container name "${name}" is already in use by container "${holder.id}". You have to remove (or rename) that container to be able to reuse that name.`,
    );
  }

  /** Parses `HostConfig.Links` entries into stored link references. */
  private resolveLinks(entries: string[] | null | undefined, selfName: string): LinkRef[] {
    return resolveLinkEntries(this.d.store, entries, selfName);
  }

  /** Normalised `HostConfig.Links` for inspect. */
  linksView(rec: ContainerRecord): string[] | null {
    return linksView(this.d.store, rec);
  }

  /** The container's own name and the link names pointing at it. */
  namesOf(rec: ContainerRecord): string[] {
    return namesOf(this.d.store, rec);
  }

  /** Link variables, hosts entries and live link data. */
  linkPlan(rec: ContainerRecord, strict = true): LinkPlan {
    return planLinks(this.d.store, rec, strict);
  }

  /** Address and exposed ports of each running link source. */
  linkSources(rec: ContainerRecord): LinkSourceAccess[] {
    return linkSources(this.d.store, rec);
  }

  /**
   * `POST /containers/create`. `beforeRecord` learns the id before the record is written (a
   * builder journals its step containers there, so that a crash can never leave one unlisted).
   */
  async create(nameParam: string | undefined, body: CreateBody, beforeRecord?: (id: string) => void): Promise<{ Id: string; Warnings: string[] }> {
    if (!body || typeof body !== 'object') throw invalidParameter('config cannot be empty in order to create a container');
    if (!body.Image) throw invalidParameter('Config.Image must not be empty');
    this.d.runner.startComing(); // `docker run` sends the start a few ms after this create
    let name: string;
    if (nameParam) {
      name = validateName(nameParam);
      const holder = this.d.store.byName(name);
      if (holder) throw this.nameConflict(name, holder);
    }
    const image = await this.d.images.resolve(body.Image);
    const id = this.d.randomId();
    beforeRecord?.(id);
    if (nameParam) {
      name = validateName(nameParam);
      const holder = this.d.store.byName(name);
      if (holder) throw this.nameConflict(name, holder);
    } else {
      name = '/' + generateName((n) => !!this.d.store.byName(n), this.d.random);
    }
    const mode = body.HostConfig?.NetworkMode ?? 'default';
    if ((mode === 'host' || mode === 'none') && body.HostConfig?.Links?.length) {
      throw invalidParameter(`conflicting options: ${mode} type networking can't be used with links. This would result in undefined behavior`);
    }
    // Docker says this at start (404); at create a 404 would make `docker run` try to pull the image.
    const joined = typeof mode === 'string' && mode.startsWith('container:') ? mode.slice('container:'.length) : undefined;
    if (joined !== undefined && !this.d.store.find(joined)) throw invalidParameter(`No such container: ${joined}`);
    const links = this.resolveLinks(body.HostConfig?.Links, name);
    const rec = buildContainerRecord(
      { id, name, created: this.d.now().toISOString(), body, image: { id: image.id, config: image.config }, links },
      this.d.ncpu,
    );
    const imageVolumes = Object.keys(image.config.Volumes ?? {});
    rec.mounts = await resolveMounts(
      {
        containerId: id, image: body.Image, imageVolumes,
        requestVolumes: Object.keys(body.Volumes ?? {}).filter((p) => !imageVolumes.includes(p)),
        binds: rec.hostConfig.Binds, mounts: (body.HostConfig?.Mounts as ApiMount[] | undefined) ?? null,
        volumesFrom: rec.hostConfig.VolumesFrom, labels: rec.config.Labels ?? {}, tmpfs: rec.hostConfig.Tmpfs as Record<string, string> | null,
      },
      { volumes: this.d.volumes, mountsOf: (ref) => this.d.store.find(ref)?.mounts ?? (this.d.store.find(ref) ? [] : undefined) },
    );
    // Copy-up happens at create, as in Docker (a data-only container that never runs still fills
    // its volumes); the rootfs stays mounted for the start that usually follows.
    if (rec.mounts.some(needsCopyUp)) {
      try {
        await this.d.mounter.populate(rec.mounts, await this.d.runner.mountRootfs(rec), (v) => runningVolumeUsers(this.d.store, v, id).length > 0);
      } catch (err) {
        await this.d.runner.teardown(id).catch(() => {});
        throw err;
      }
    }
    try {
      await this.d.store.save(rec);
    } catch (err) {
      await this.d.runner.teardown(id).catch(() => {});
      await this.d.store.delete(id).catch(() => {}); // the directory a failed save may leave
      throw err;
    }
    // Its conmon starts now and waits for the start, which `docker run` sends a few ms later.
    this.d.runner.prelaunch(rec);
    this.emit(rec, 'create');
    return { Id: id, Warnings: [] };
  }

  /** `POST /containers/{id}/start`. */
  start(ref: string): Promise<void> {
    const rec = this.d.store.require(ref);
    return this.withLock(rec.id, () => this.startLocked(rec.id, false));
  }

  private async startLocked(id: string, byPolicy: boolean): Promise<void> {
    const rec = this.d.store.get(id);
    if (!rec) throw notFound(`No such container: ${id}`);
    if (rec.state.Paused) throw conflict('cannot start a paused container, try unpause instead');
    if (rec.state.Running) {
      if (byPolicy) return;
      throw notModified();
    }
    this.d.runner.startComing();
    this.clearRestartTimer(id);
    let plan: LinkPlan;
    try {
      plan = this.linkPlan(rec);
    } catch (err) {
      this.d.runner.teardown(id).catch(() => {});
      throw err;
    }
    const env = buildProcessEnv({ hostname: rec.config.Hostname, tty: rec.config.Tty, linkEnv: plan.env, env: rec.config.Env });
    const mode = rec.hostConfig.NetworkMode;
    let active: ActiveBinding[] = [];
    const startedAt = this.d.now().toISOString();
    let written: Promise<void> | undefined;
    let ahead: ContainerRecord | undefined;
    try {
      if (mode !== 'host' && mode !== 'none' && !mode.startsWith('container:')) {
        const requests = planBindings(Object.keys(rec.config.ExposedPorts ?? {}), rec.hostConfig.PortBindings, rec.hostConfig.PublishAllPorts);
        active = await this.d.ports
          .reserve(id, requests, rec.lastPorts ?? [], (holder) => this.d.store.get(holder)?.name.slice(1) ?? holder)
          .catch((err) => {
            throw externalConnectivityError(rec.name.slice(1), this.d.randomId(), err);
          });
      }
      const result = await this.d.runner.start({
        rec,
        env,
        links: plan.hosts,
        liveLinks: plan.live,
        prepareMounts: (rootfs) => this.d.mounter.prepare([...(rec.mounts ?? []), ...tmpfsMountPoints(rec.hostConfig.Tmpfs as Record<string, string> | null)], rootfs),
        onEndpoint: (ep) => this.d.ports.connect(id, ep.ipAddress, active),
        linkSources: this.linkSources(rec),
        beforeStart: () => this.hub.connectPending(id, this.d.runner.attachSocketPath(id)),
        // The record of the run is made durable while runc creates the container. It lacks only
        // the pids, which start-up reconciliation reads back from runc and conmon after a crash.
        beforeCreate: (endpoint) => {
          ahead = runningRecord(rec, { startedAt, pid: 0, endpoint, active, byPolicy });
          written = this.d.store.saveAhead(ahead);
          written.catch(() => {}); // awaited below; a failure there fails the start
        },
      });
      Object.assign(rec, runningRecord(rec, { startedAt, pid: result.pid, conmonPid: result.conmonPid, endpoint: result.endpoint, active, byPolicy }));
      await written;
      // Another save of this record in the meantime wrote it as it was before the run.
      if (!ahead || !this.d.store.wroteLast(id, ahead)) await this.d.store.save(rec);
      logNetworkEvent(this.d.events, this.d.networkOf, rec, 'connect');
      logVolumeEvents(this.d.events, rec, 'mount');
      this.emit(rec, 'start');
      await this.refreshRecipients(rec);
      // A very short-lived container may have exited before the record said "running".
      if ((await this.d.runner.readExitCode(id)) !== undefined) void this.handleExit(id);
    } catch (err) {
      await this.d.ports.release(id);
      const message = messageOf(err);
      rec.state = { ...rec.state, Running: false, Restarting: false, ExitCode: exitCodeForStartError(message), Error: message };
      await this.exitSaves.save(rec);
      this.hub.endPending(id);
      // Docker removes an auto-remove container whose start failed (the CLI waits for "removed").
      if (rec.hostConfig.AutoRemove) await this.removeLocked(rec, true).catch(() => {});
      throw err;
    }
  }

  /** Keeps the /etc/hosts of running containers linked to `source` pointing at its address. */
  private async refreshRecipients(source: ContainerRecord): Promise<void> {
    for (const other of this.d.store.all()) {
      if (other.id === source.id || !other.state.Running || !other.links.some((l) => l.sourceId === source.id)) continue;
      const fresh = this.linkPlan(other, false);
      await this.d.runner.rewriteHosts(other, fresh.hosts).catch((e) => this.d.log(`hosts of ${other.id}: ${messageOf(e)}`));
      await this.d.runner.writeLiveLinks(other.id, fresh.live).catch((e) => this.d.log(`live links of ${other.id}: ${messageOf(e)}`));
      await this.d.runner.refreshLinkAccess(other, this.linkSources(other)).catch((e) => this.d.log(`link access of ${other.id}: ${messageOf(e)}`));
      this.emit(other, 'link-update', { source: source.name.slice(1) });
    }
  }

  /** The environment a new process of the container gets (exec): links computed afresh. */
  processEnv(rec: ContainerRecord): string[] {
    return buildProcessEnv({ hostname: rec.config.Hostname, tty: rec.config.Tty, linkEnv: this.linkPlan(rec, false).env, env: rec.config.Env });
  }

  /** Resolves when the current run of `id` has been processed as exited, or after `ms`. */
  private waitForExit(id: string, ms: number): Promise<boolean> {
    // An exit being processed right now: wait until its ports, network and mounts are released.
    const inProgress = this.exiting.get(id);
    if (inProgress) return inProgress.then(() => true);
    const rec = this.d.store.get(id);
    if (!rec || !rec.state.Running) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const l = this.exitListeners.get(id);
        if (l) this.exitListeners.set(id, l.filter((f) => f !== done));
        resolve(false);
      }, ms);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const list = this.exitListeners.get(id) ?? [];
      list.push(done);
      this.exitListeners.set(id, list);
    });
  }

  /** Sends a signal to the container and, once sent, logs Docker's `kill` event with its number. */
  private async signalAndLog(rec: ContainerRecord, signal: string): Promise<void> {
    await this.d.runner.signal(rec, signal);
    this.emit(rec, 'kill', { signal: String(signalNumber(signal) ?? signal) });
  }

  /** Signals then waits; SIGKILL after `timeoutSec`. */
  private async stopRun(rec: ContainerRecord, timeoutSec: number): Promise<void> {
    const signal = rec.config.StopSignal || 'SIGTERM';
    if (rec.state.Paused) await this.d.runner.runc.resume(rec.id).catch(() => {});
    if (timeoutSec !== 0) {
      await this.signalAndLog(rec, signal).catch(() => {});
      if (await this.waitForExit(rec.id, timeoutSec < 0 ? 2 ** 31 - 1 : timeoutSec * 1000)) return;
    }
    await this.signalAndLog(rec, 'KILL').catch(() => {});
    if (!(await this.waitForExit(rec.id, 10_000))) {
      // conmon is gone or the exit was missed: process it ourselves.
      await this.handleExit(rec.id, 137);
    }
  }

  /** `POST /containers/{id}/stop`. */
  async stop(ref: string, timeoutSec?: number): Promise<void> {
    const rec = this.d.store.require(ref);
    this.clearRestartTimer(rec.id);
    if (rec.state.Restarting) {
      rec.manuallyStopped = true;
      rec.state = { ...rec.state, Restarting: false, Status: 'exited' };
      await this.d.store.save(rec);
      return;
    }
    if (!rec.state.Running) throw notModified();
    rec.manuallyStopped = true;
    await this.d.store.save(rec);
    await this.stopRun(rec, timeoutSec ?? rec.config.StopTimeout ?? 10);
    this.emit(rec, 'stop');
  }

  /** `POST /containers/{id}/kill`. */
  async kill(ref: string, signal = 'KILL'): Promise<void> {
    const rec = this.d.store.require(ref);
    if (!rec.state.Running) throw conflict(`Cannot kill container: ${ref}: Container ${rec.id} is not running`);
    const sig = normaliseSignal(signal);
    const terminating = sig === 'KILL' || sig === '9';
    if (terminating) {
      rec.manuallyStopped = true;
      await this.d.store.save(rec);
    }
    await this.signalAndLog(rec, sig);
    if (killResumes(rec.state.Paused, rec.config.StopSignal, sig)) {
      // A frozen process takes its signal once it is thawed (Docker logs no `unpause` for it).
      await this.d.runner.runc.resume(rec.id).catch(() => {});
      if (rec.state.Running) {
        rec.state = { ...rec.state, Paused: false, Status: 'running' };
        await this.d.store.save(rec);
      }
    }
    if (terminating) await this.waitForExit(rec.id, 10_000);
  }

  /** `POST /containers/{id}/restart`. */
  async restart(ref: string, timeoutSec?: number): Promise<void> {
    const rec = this.d.store.require(ref);
    if (rec.state.Running) {
      rec.manuallyStopped = true;
      await this.d.store.save(rec);
      await this.stopRun(rec, timeoutSec ?? rec.config.StopTimeout ?? 10);
      this.emit(rec, 'stop');
    }
    await this.withLock(rec.id, () => this.startLocked(rec.id, false));
    this.emit(rec, 'restart');
  }

  async pause(ref: string): Promise<void> {
    const rec = this.d.store.require(ref);
    if (!rec.state.Running) throw conflict(`Container ${rec.id} is not running`);
    if (rec.state.Paused) throw conflict(`Container ${rec.id} is already paused`);
    await this.d.runner.runc.pause(rec.id);
    rec.state = { ...rec.state, Paused: true, Status: 'paused' };
    await this.d.store.save(rec);
    this.emit(rec, 'pause');
  }

  async unpause(ref: string): Promise<void> {
    const rec = this.d.store.require(ref);
    if (!rec.state.Paused) throw conflict(`Container ${rec.id} is not paused`);
    await this.d.runner.runc.resume(rec.id);
    rec.state = { ...rec.state, Paused: false, Status: 'running' };
    await this.d.store.save(rec);
    this.emit(rec, 'unpause');
  }

  /** `POST /containers/{id}/rename`. */
  async rename(ref: string, newName: string): Promise<void> {
    const rec = this.d.store.require(ref);
    if (!newName) throw invalidParameter('Neither old nor new names may be empty');
    const name = validateName(newName);
    if (name === rec.name) throw invalidParameter('Renaming a container with the same name as its current name');
    const holder = this.d.store.byName(name);
    if (holder) throw this.nameConflict(name, holder);
    const old = rec.name;
    rec.name = name;
    await this.d.store.save(rec);
    this.emit(rec, 'rename', { oldName: old });
  }

  /** `POST /containers/{id}/wait`. */
  async wait(ref: string, condition: WaitCondition, signal?: AbortSignal): Promise<WaitResult> {
    const rec = this.d.store.require(ref);
    if (condition === 'not-running' && !rec.state.Running && !rec.state.Restarting) {
      return { StatusCode: rec.state.ExitCode, Error: null };
    }
    const w = this.waiters.add(rec.id, condition);
    signal?.addEventListener('abort', w.cancel);
    return w.promise;
  }

  /** `DELETE /containers/{id}`. */
  async remove(ref: string, opts: { force: boolean; volumes: boolean; link: boolean }): Promise<void> {
    if (opts.link) return this.removeLink(ref);
    const rec = this.d.store.require(ref);
    if ((rec.state.Running || rec.state.Restarting) && !opts.force) {
      throw conflict(
        `You cannot remove a ${rec.state.Paused ? 'paused' : 'running'} container ${rec.id}. ${rec.state.Paused ? 'Unpause and then stop' : 'Stop'} the container before attempting removal or force remove`,
      );
    }
    this.clearRestartTimer(rec.id);
    if (rec.state.Running) {
      rec.manuallyStopped = true;
      (rec as ContainerRecord & { removing?: boolean }).removing = true;
      await this.stopRun(rec, 0);
    }
    await this.withLock(rec.id, () => this.removeLocked(rec, opts.volumes));
  }

  /** Ids of the containers that mount a volume. */
  volumeUsers(name: string): string[] {
    return volumeUsers(this.d.store, name);
  }

  private async removeLocked(rec: ContainerRecord, removeVolumes = false): Promise<void> {
    if (!this.d.store.get(rec.id)) return;
    // A conmon started at create writes its log file into the record's directory: end it first.
    await this.d.runner.dropPrelaunched(rec.id);
    await this.d.ports.release(rec.id);
    // Unmount first (the record's directory holds the mount point); the rest of the host cleanup
    // (runc state, network namespace) finishes after the container is gone from the API.
    await this.d.runner.unmountRootfs(rec.id);
    await this.d.store.delete(rec.id);
    if (removeVolumes) await removeAnonymousVolumes(this.d.store, this.d.volumes, rec, this.d.log);
    void this.d.runner.removeFiles(rec.id).catch((e) => this.d.log(`cleanup of ${rec.id}: ${messageOf(e)}`));
    for (const other of this.d.store.all()) {
      if (other.links.some((l) => l.sourceId === rec.id)) {
        other.links = other.links.filter((l) => l.sourceId !== rec.id);
        await this.d.store.save(other);
      }
    }
    this.hub.endPending(rec.id);
    this.waiters.removed(rec.id, rec.state.ExitCode);
    this.emit(rec, 'destroy');
  }

  /** `docker rm --link /recipient/alias`. */
  private async removeLink(ref: string): Promise<void> {
    const full = ref.startsWith('/') ? ref : '/' + ref;
    const slash = full.lastIndexOf('/');
    const parentName = full.slice(0, slash);
    const alias = full.slice(slash + 1);
    const parent = parentName ? this.d.store.byName(parentName) : undefined;
    if (!parent || slash === 0) throw invalidParameter(`Conflict, cannot remove the default link name of the container`);
    if (!parent.links.some((l) => l.alias === alias)) throw notFound(`No such container: ${full.slice(1)}`);
    parent.links = parent.links.filter((l) => l.alias !== alias);
    await this.d.store.save(parent);
  }

  /** Processes the end of a run: called by the exit watcher, stop paths and reconciliation. */
  async handleExit(id: string, fallbackCode = 255): Promise<void> {
    const running = this.exiting.get(id);
    if (running) return running;
    const rec = this.d.store.get(id);
    if (!rec || !rec.state.Running) return;
    const work = this.processExit(id, rec, fallbackCode).finally(() => this.exiting.delete(id));
    this.exiting.set(id, work);
    return work;
  }

  private async processExit(id: string, rec: ContainerRecord, fallbackCode: number): Promise<void> {
    const code = (await this.d.runner.readExitCode(id)) ?? fallbackCode;
    if (!rec.state.Running) return;
    const oom = await this.d.runner.oomKilled(id);
    // conmon wrote the exit file when the process ended: after a live restore that is long ago.
    const finishedAt = (await this.d.runner.exitTime(id)) ?? this.d.now();
    rec.state = {
      ...rec.state, Status: 'exited', Running: false, Paused: false, Restarting: false, OOMKilled: oom, Pid: 0,
      ExitCode: code, FinishedAt: finishedAt.toISOString(),
    };
    if (rec.endpoint) rec.lastIp = rec.endpoint.ipAddress;
    const published = rec.endpoint && rec.ports?.length ? { containerIp: rec.endpoint.ipAddress, active: rec.ports } : undefined;
    rec.endpoint = undefined;
    rec.conmonPid = undefined;
    rec.ports = undefined;
    const removing = (rec as ContainerRecord & { removing?: boolean }).removing;
    const autoRemove = rec.hostConfig.AutoRemove && !removing;
    // A container about to be auto-removed needs no durable "exited" record nor a separate teardown.
    try {
      if (!autoRemove) await this.exitSaves.save(rec);
      await this.d.ports.release(id, published);
      if (!autoRemove) await this.d.runner.teardown(id);
      await this.d.mounter
        .release(rec.mounts ?? [], (v) => runningVolumeUsers(this.d.store, v, id).length > 0)
        .catch((e) => this.d.log(`volumes of ${id}: ${messageOf(e)}`));
      this.emit(rec, 'die', { exitCode: String(code) });
      logNetworkEvent(this.d.events, this.d.networkOf, rec, 'disconnect');
      logVolumeEvents(this.d.events, rec, 'unmount');
    } finally {
      // Whatever failed above, the exit is known: everyone waiting for it hears of it.
      this.waiters.exited(id, code);
      for (const f of this.exitListeners.get(id) ?? []) f();
      this.exitListeners.delete(id);
    }
    if (autoRemove) {
      await this.withLock(id, () => this.removeLocked(rec, true)).catch((e) => this.d.log(`auto-remove ${id}: ${messageOf(e)}`));
      return;
    }
    const restart = shouldRestart({
      policy: rec.hostConfig.RestartPolicy, exitCode: code, restartCount: rec.restartCount,
      manuallyStopped: rec.manuallyStopped, stopping: this.shuttingDown || !!removing,
    });
    if (restart) this.scheduleRestart(rec);
  }

  private scheduleRestart(rec: ContainerRecord): void {
    rec.state = { ...rec.state, Restarting: true, Status: 'restarting' };
    void this.exitSaves.save(rec);
    const timer = setTimeout(() => {
      this.restartTimers.delete(rec.id);
      const cur = this.d.store.get(rec.id);
      if (!cur || !cur.state.Restarting) return;
      // Stay "restarting" until the new run is up, so nobody sees a transient "exited".
      cur.restartCount++;
      this.withLock(rec.id, () => this.startLocked(rec.id, true)).catch((e) => {
        this.d.log(`restart of ${rec.id} failed: ${messageOf(e)}`);
      });
    }, restartDelayMs(rec.restartCount));
    this.restartTimers.set(rec.id, timer);
  }

  private clearRestartTimer(id: string): void {
    const t = this.restartTimers.get(id);
    if (t) clearTimeout(t);
    this.restartTimers.delete(id);
  }

  /** Stops timers when the daemon exits (containers keep running: live restore). */
  shutdown(): void {
    this.shuttingDown = true;
    for (const t of this.restartTimers.values()) clearTimeout(t);
    this.exitSaves.stop();
  }
}
