/**
 * The composition root of wharfd: builds every service from the config and returns the API
 * server. The one place that knows every concrete class.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import type { DaemonConfig } from '../config/daemon-config.js';
import { createApiServer } from '../api/server.js';
import { containerRoutes } from '../api/routes/containers.js';
import { execRoutes } from '../api/routes/exec.js';
import { systemRoutes } from '../api/routes/system.js';
import { ContainerStore } from '../engine/containers/container-store.js';
import { ContainerRunner, type EnginePaths } from '../engine/containers/container-runner.js';
import { ContainerService } from '../engine/containers/container-service.js';
import { ContainerQueries } from '../engine/containers/container-queries.js';
import { ExecService } from '../engine/containers/exec-service.js';
import { reconcileContainers } from '../engine/containers/reconcile.js';
import { finishCutOperations } from './crash-recovery.js';
import { EventBus } from '../engine/events/event-bus.js';
import { BridgeNetwork } from '../engine/network/bridge-network.js';
import { createBridgeHost } from '../runtime/bridge-host.js';
import { ExitWatcher } from '../runtime/exit-watcher.js';
import { ensureVolatileExecRoot } from '../runtime/volatile-exec-root.js';
import { releaseStaleGates } from '../runtime/runtime-gate.js';
import { privateModeRules, tightenPrivateModes } from '../store/private-modes.js';
import { networkProvider } from './network-adapter.js';
import { VolumeStore } from '../engine/volumes/volume-store.js';
import { VolumeMounter } from '../engine/volumes/volume-mounter.js';
import { volumeRoutes, volumeUsage } from '../api/routes/volumes.js';
import { networkRoutes } from '../api/routes/networks.js';
import { networkWiring } from './network-wiring.js';
import { sendJson } from '../api/respond.js';
import { PortPublisher, readEphemeralRange } from '../engine/ports/port-publisher.js';
import { imageWiring } from './image-wiring.js';
import { registryInfo } from '../distribution/registry-policy.js';
import { buildWiring } from './build-wiring.js';
import { WHARF_VERSION } from '../api/routes/system.js';
import { invalidParameter } from '../errors.js';
import { capsFromMask } from '../oci/capabilities.js';

export interface Daemon {
  server: http.Server;
  shutdown(): Promise<void>;
}

/** Capabilities in the host's bounding set (root here lacks CAP_SYS_RESOURCE). */
function hostCapabilities(): Set<string> | undefined {
  try {
    const hex = /CapBnd:\s*([0-9a-f]+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return hex ? capsFromMask(hex) : undefined;
  } catch {
    return undefined;
  }
}

/** An exit file of an unknown container this old is a leftover of a forced removal. */
const STALE_EXIT_MS = 10_000;

export async function startDaemon(cfg: DaemonConfig, log: (line: string) => void): Promise<Daemon> {
  const paths: EnginePaths = {
    dataRoot: cfg.dataRoot,
    execRoot: cfg.execRoot,
    containersDir: path.join(cfg.dataRoot, 'containers'),
    exitDir: path.join(cfg.execRoot, 'exits'),
    socketDir: path.join(cfg.execRoot, 'socks'),
    runcRoot: path.join(cfg.execRoot, 'runc'),
  };
  // `<exec-root>/socks/<12 hex>/attach` must fit a unix socket path (107 bytes).
  if (Buffer.byteLength(path.join(paths.socketDir, 'x'.repeat(12), 'attach')) > 107) {
    throw invalidParameter(`--exec-root ${cfg.execRoot} is too long: attach sockets under it would exceed the unix socket path limit`);
  }
  await ensureVolatileExecRoot(cfg.execRoot, log);
  // runcs that wait at the gate of a daemon that died before writing them a spec: end them.
  for (const dir of releaseStaleGates(path.join(cfg.execRoot, 'containers'))) log(`ended a runtime left waiting in ${dir}`);
  // Makes the roots and their top directories, and takes from other users what an older wharfd left them.
  const tightened = await tightenPrivateModes(privateModeRules(cfg.dataRoot, cfg.execRoot));
  if (tightened.length) log(`made ${tightened.length} entries of the data and exec roots private to root (they were open to other users)`);
  const now = () => new Date();
  const randomId = () => randomBytes(32).toString('hex');
  const events = new EventBus(now);

  const bridge = new BridgeNetwork(
    { bridge: cfg.bridge, ...(cfg.bip ? { bip: cfg.bip } : {}), iptables: cfg.iptables, icc: cfg.icc, userlandProxy: cfg.userlandProxy, stateDir: path.join(cfg.dataRoot, 'network') },
    { host: createBridgeHost(), randomHex: (n) => randomBytes(Math.ceil(n / 2)).toString('hex').slice(0, n) },
  );
  await bridge.init();
  const network = networkProvider(bridge);
  const images = await imageWiring(cfg.dataRoot, now, log, cfg);

  const volumes = new VolumeStore(path.join(cfg.dataRoot, 'volumes'), now, randomId, events);
  await volumes.init();
  const store = new ContainerStore(paths.containersDir);
  await store.load(log);
  // WHARF_CONMON_WAIT_MS: how long a created container's conmon waits for the start (tests).
  const conmonWaitMs = Number(process.env.WHARF_CONMON_WAIT_MS) || undefined;
  const runner = new ContainerRunner(paths, images.provider, network, hostCapabilities(), conmonWaitMs);
  const nets = await networkWiring(bridge, store, { dataRoot: cfg.dataRoot, icc: cfg.icc, randomId, now });
  const service = new ContainerService({
    store, runner, images: images.provider, events, now, randomId, random: Math.random, ncpu: os.cpus().length, log,
    ports: new PortPublisher(bridge, readEphemeralRange()),
    volumes,
    mounter: new VolumeMounter(volumes),
    networkOf: nets.networkOf,
  });
  const queries = new ContainerQueries({
    service, runner, network: () => ({ name: 'bridge', networkId: bridge.info().networkId }), imageMatches: images.matches, now,
  });
  const execs = new ExecService(service, runner, randomId);

  const watcher = new ExitWatcher(paths.exitDir, (id) => {
    const rec = store.get(id);
    if (rec?.state.Running) void service.handleExit(id).catch((e) => log(`exit of ${id}: ${(e as Error).message}`));
    // The exit of a removed container (conmon records it after `rm -f` has cleaned up) would
    // otherwise stay in the exit directory for good.
    else if (!rec && /^[0-9a-f]{64}$/.test(id)) void watcher.discard(id, STALE_EXIT_MS).catch(() => {});
  });
  await reconcileContainers(service, runner, network, log);
  await finishCutOperations(cfg.dataRoot, service, log);
  await watcher.start();

  const info = () => {
    const all = store.all();
    return {
      ID: bridge.info().networkId.slice(0, 12), Containers: all.length,
      ContainersRunning: all.filter((r) => r.state.Running && !r.state.Paused).length,
      ContainersPaused: all.filter((r) => r.state.Paused).length,
      ContainersStopped: all.filter((r) => !r.state.Running).length,
      Images: images.count(), Driver: 'overlay2', DriverStatus: [['Backing Filesystem', 'extfs']],
      Plugins: { Volume: ['local'], Network: ['bridge', 'host', 'none'], Log: ['json-file'] },
      MemoryLimit: true, SwapLimit: true, CpuCfsPeriod: true, CpuCfsQuota: true, PidsLimit: true, IPv4Forwarding: true,
      BridgeNfIptables: true, Debug: cfg.debug, NFd: 0, NGoroutines: 0, SystemTime: now().toISOString(), LoggingDriver: 'json-file',
      CgroupDriver: 'cgroupfs', CgroupVersion: '1', KernelVersion: os.release(), OperatingSystem: 'Wharf', OSType: 'linux', Architecture: 'x86_64',
      NCPU: os.cpus().length, MemTotal: os.totalmem(), DockerRootDir: cfg.dataRoot, Name: os.hostname(), Labels: [], ExperimentalBuild: false,
      ServerVersion: WHARF_VERSION, Runtimes: { runc: { path: runner.runc.binary } }, DefaultRuntime: 'runc', LiveRestoreEnabled: cfg.liveRestore,
      // Docker's default seccomp profile applies to every container; no AppArmor or SELinux here.
      Isolation: '', InitBinary: '', SecurityOptions: ['name=seccomp,profile=default'], Warnings: [],
      RegistryConfig: registryInfo(cfg.insecureRegistries),
    };
  };

  const server = createApiServer({
    routes: [
      ...systemRoutes({ info, events }),
      ...containerRoutes({ service, queries, runner }),
      ...execRoutes(execs),
      ...volumeRoutes({ volumes, users: (name) => service.volumeUsers(name), now }),
      ...networkRoutes(nets),
      {
        method: 'GET',
        path: '/system/df',
        handler: async (c) => {
          const imgs = await images.store.list({ all: true, filters: {} });
          const layersSize = imgs.reduce((n, i) => n + (i.Size as number), 0);
          const containers = queries.list({ all: true, limit: 0, filters: {} }).map((ctr) => ({ ...ctr, SizeRw: 0, SizeRootFs: 0 }));
          const used = (id: unknown) => store.all().filter((r) => r.imageId === id).length;
          sendJson(c.res, 200, {
            LayersSize: layersSize, Images: imgs.map((i) => ({ ...i, Containers: used(i.Id) })), Containers: containers,
            Volumes: await volumeUsage({ volumes, users: (name) => service.volumeUsers(name), now }), BuildCache: [],
          });
        },
      },
      ...images.routes({ service, runner }),
      ...buildWiring({ dataRoot: cfg.dataRoot, images, service, runner, randomId }),
    ],
    log,
  });
  return {
    server,
    async shutdown() {
      watcher.stop();
      service.shutdown();
      await runner.close();
    },
  };
}
