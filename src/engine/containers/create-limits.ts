/**
 * Docker's checks of a create body's values, with Docker 20.10's wording (pure): limits, port
 * specifications, environment entries, extra hosts and healthcheck timings. The types were
 * checked at the API's door; this refuses well-typed values Docker refuses at create, and the
 * port keys that a later start, list or inspect could not read.
 */
import { isIP } from 'node:net';
import { invalidParameter } from '../../errors.js';
import { checkHostIp, parseHostPort } from '../ports/port-plan.js';
import type { HostConfig, PortBinding } from './container-record.js';
import { signalNumber } from './signals.js';
import type { CreateBody } from './container-record.js';

const MIN_MEMORY = 6 * 1024 * 1024;

function checkResources(h: Partial<HostConfig>, ncpu: number): void {
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  if (h.Memory && h.Memory < MIN_MEMORY) throw invalidParameter('Minimum memory limit allowed is 6MB');
  if (h.NanoCpus && (h.NanoCpus < 0.01e9 || h.NanoCpus > ncpu * 1e9)) {
    throw invalidParameter(`Range of CPUs is from 0.01 to ${ncpu}.00, as there are only ${ncpu} CPUs available`);
  }
  if (n(h.ShmSize) < 0) throw invalidParameter('SHM size can not be less than 0');
  const oom = n(h.OomScoreAdj);
  if (oom < -1000 || oom > 1000) throw invalidParameter(`Invalid value ${oom}, range for oom score adj is [-1000, 1000]`);
  const period = n(h.CpuPeriod);
  if (period !== 0 && (period < 1000 || period > 1000000)) {
    throw invalidParameter('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
  }
  const swappiness = h.MemorySwappiness;
  if (typeof swappiness === 'number' && swappiness !== -1 && (swappiness < 0 || swappiness > 100)) {
    throw invalidParameter(`Invalid value: ${swappiness}, valid memory swappiness range is 0-100`);
  }
}

/** A port key (`80`, `80/tcp`) that Wharf can publish and list; Docker's wording otherwise. */
export function checkPortKey(key: string): void {
  const slash = key.indexOf('/');
  const num = slash < 0 ? key : key.slice(0, slash);
  const proto = slash < 0 ? 'tcp' : key.slice(slash + 1);
  const port = /^\d{1,5}$/.test(num) ? Number(num) : NaN;
  if (!(port >= 1 && port <= 65535)) throw invalidParameter(`invalid port specification: "${num}"`);
  if (!['tcp', 'udp', 'sctp'].includes(proto)) throw invalidParameter(`invalid proto: ${proto}`);
}

function checkPorts(exposed: Record<string, object> | null | undefined, bindings: Record<string, PortBinding[] | null> | null | undefined): void {
  for (const key of Object.keys(exposed ?? {})) checkPortKey(key);
  for (const [key, list] of Object.entries(bindings ?? {})) {
    checkPortKey(key);
    for (const b of list ?? []) {
      parseHostPort(b?.HostPort ?? '');
      checkHostIp(b?.HostIp ?? '');
    }
  }
}

function checkEnv(env: string[] | null | undefined): void {
  for (const e of env ?? []) {
    if (e === '' || e.startsWith('=')) throw invalidParameter(`invalid environment variable: ${e}`);
  }
}

function checkExtraHosts(hosts: string[] | null | undefined): void {
  for (const h of hosts ?? []) {
    const colon = h.indexOf(':');
    if (colon <= 0) throw invalidParameter(`bad format for add-host: ${JSON.stringify(h)}`);
    const ip = h.slice(colon + 1);
    if (ip !== 'host-gateway' && !isIP(ip)) throw invalidParameter(`invalid IP address in add-host: ${JSON.stringify(ip)}`);
  }
}

function checkHealthcheck(hc: CreateBody['Healthcheck']): void {
  if (!hc || typeof hc !== 'object') return;
  const h = hc as Record<string, unknown>;
  for (const field of ['Interval', 'Timeout', 'StartPeriod']) {
    const v = h[field];
    if (typeof v === 'number' && v !== 0 && v < 1e6) throw invalidParameter(`${field} in Healthcheck cannot be less than 1ms`);
  }
  if (typeof h.Retries === 'number' && h.Retries < 0) throw invalidParameter('Retries in Healthcheck cannot be negative');
}

/** Docker's verifyContainerSettings: an absolute working directory, a known stop signal. */
function checkProcess(body: CreateBody): void {
  const wd = body.WorkingDir;
  if (wd && !wd.startsWith('/')) throw invalidParameter(`the working directory '${wd}' is invalid, it needs to be an absolute path`);
  if (body.StopSignal && signalNumber(body.StopSignal) === undefined) throw invalidParameter(`Invalid signal: ${body.StopSignal}`);
}

/** Throws InvalidParameter, worded as Docker 20.10 words it, for a value a create may not have. */
export function checkCreateLimits(body: CreateBody, ncpu: number): void {
  const h = body.HostConfig ?? {};
  checkProcess(body);
  checkResources(h, ncpu);
  checkPorts(body.ExposedPorts, h.PortBindings);
  checkEnv(body.Env);
  checkExtraHosts(h.ExtraHosts);
  checkHealthcheck(body.Healthcheck);
  const mode = h.NetworkMode ?? 'default';
  if (!['default', 'bridge', 'none', 'host', ''].includes(mode) && !mode.startsWith('container:')) {
    throw invalidParameter(`network ${mode} not found`);
  }
}
