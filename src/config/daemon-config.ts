/**
 * wharfd's settings: defaults, then flags (dockerd's names). Pure: argv in, config or error out.
 */
import { invalidParameter } from '../errors.js';
import { checkInsecureRegistry } from '../distribution/registry-policy.js';

export interface DaemonConfig {
  hosts: string[];
  dataRoot: string;
  execRoot: string;
  pidfile: string;
  bridge: string;
  bip?: string;
  iptables: boolean;
  icc: boolean;
  userlandProxy: boolean;
  liveRestore: boolean;
  debug: boolean;
  /** `--insecure-registry`: CIDRs or `host[:port]` reached without verified TLS (127.0.0.0/8 always is). */
  insecureRegistries: string[];
  /** `--max-concurrent-downloads`: layers a pull downloads at once (dockerd's default 3). */
  maxConcurrentDownloads: number;
}

export const DEFAULT_CONFIG: DaemonConfig = {
  hosts: ['unix:///run/wharf.sock'],
  dataRoot: '/var/lib/wharf',
  execRoot: '/run/wharf',
  pidfile: '/run/wharf.pid',
  bridge: 'wharf0',
  iptables: true,
  icc: true,
  // Wharf publishes every port, 127.0.0.1 included, with kernel DNAT (route_localnet + SNAT);
  // `--userland-proxy=true` keeps Docker's arrangement of leaving loopback to a proxy.
  userlandProxy: false,
  liveRestore: true,
  debug: false,
  insecureRegistries: [],
  maxConcurrentDownloads: 3,
};

type Kind = 'string' | 'bool' | 'list' | 'int';
const FLAGS: Record<string, { key: keyof DaemonConfig; kind: Kind }> = {
  '-H': { key: 'hosts', kind: 'list' },
  '--host': { key: 'hosts', kind: 'list' },
  '--data-root': { key: 'dataRoot', kind: 'string' },
  '--exec-root': { key: 'execRoot', kind: 'string' },
  '-p': { key: 'pidfile', kind: 'string' },
  '--pidfile': { key: 'pidfile', kind: 'string' },
  '-b': { key: 'bridge', kind: 'string' },
  '--bridge': { key: 'bridge', kind: 'string' },
  '--bip': { key: 'bip', kind: 'string' },
  '--iptables': { key: 'iptables', kind: 'bool' },
  '--icc': { key: 'icc', kind: 'bool' },
  '--userland-proxy': { key: 'userlandProxy', kind: 'bool' },
  '--live-restore': { key: 'liveRestore', kind: 'bool' },
  '-D': { key: 'debug', kind: 'bool' },
  '--debug': { key: 'debug', kind: 'bool' },
  '--insecure-registry': { key: 'insecureRegistries', kind: 'list' },
  '--max-concurrent-downloads': { key: 'maxConcurrentDownloads', kind: 'int' },
};

function parseBool(flag: string, v: string): boolean {
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  throw invalidParameter(`invalid argument "${v}" for "${flag}" flag: strconv.ParseBool: parsing "${v}": invalid syntax`);
}

/** Parses wharfd's argv (without node and script). Boolean flags take `--flag=false` form. */
export function parseDaemonArgs(argv: string[]): DaemonConfig {
  const cfg: DaemonConfig = { ...DEFAULT_CONFIG, hosts: [], insecureRegistries: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const spec = FLAGS[name];
    if (!spec) throw invalidParameter(arg.startsWith('-') ? `unknown flag: ${name}` : `wharfd takes no arguments, got "${arg}"`);
    if (spec.kind === 'bool') {
      (cfg as unknown as Record<string, unknown>)[spec.key] = eq > 0 ? parseBool(name, arg.slice(eq + 1)) : true;
      continue;
    }
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else value = argv[++i];
    if (value === undefined || value === '') throw invalidParameter(`flag needs an argument: ${name}`);
    if (spec.kind === 'list') (cfg[spec.key] as string[]).push(spec.key === 'insecureRegistries' ? checkInsecureRegistry(value) : value);
    else if (spec.kind === 'int') {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < 1) throw invalidParameter(`invalid argument "${value}" for "${name}" flag: must be a positive integer`);
      (cfg as unknown as Record<string, unknown>)[spec.key] = n;
    } else (cfg as unknown as Record<string, unknown>)[spec.key] = value;
  }
  if (cfg.hosts.length === 0) cfg.hosts = [...DEFAULT_CONFIG.hosts];
  for (const h of cfg.hosts) {
    if (!h.startsWith('unix://')) throw invalidParameter(`only unix:// hosts are supported, got ${h}`);
  }
  if (!/^[a-zA-Z0-9_.-]{1,15}$/.test(cfg.bridge)) throw invalidParameter(`invalid bridge name: ${cfg.bridge}`);
  return cfg;
}
