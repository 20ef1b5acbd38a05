/**
 * Legacy link environment variables, as Docker 20.10 computes them at start. Pure.
 *
 * For alias `db`: DB_PORT (lowest exposed port, tcp first), a _START/_END group for each run of
 * consecutive ports, DB_PORT_<p>_<PROTO> with _ADDR/_PORT/_PROTO per port, DB_NAME and
 * DB_ENV_<VAR> for the source's variables except HOME and PATH.
 */

export interface LinkSource {
  /** `/<recipient name>/<alias>` */
  linkName: string;
  alias: string;
  ip: string;
  /** Keys of the source's ExposedPorts, e.g. `5432/tcp`. */
  exposedPorts: string[];
  /** The source's Config.Env. */
  env: string[] | null;
}

interface Port {
  num: number;
  proto: string;
}

function parsePort(spec: string): Port {
  const [num, proto] = spec.split('/');
  return { num: Number(num), proto: (proto || 'tcp').toLowerCase() };
}

/** Ascending by number; for the same number tcp comes first. */
function sortPorts(ports: Port[]): Port[] {
  return [...ports].sort((a, b) => a.num - b.num || (a.proto === 'tcp' ? -1 : b.proto === 'tcp' ? 1 : 0));
}

/** Index of the last port of the run of consecutive numbers that starts at `index`. */
function lastContiguous(ports: Port[], index: number): number {
  let value = ports[index]!.num;
  for (let i = index + 1; i < ports.length; i++) {
    if (ports[i]!.num > value + 1) return i - 1;
    value++;
  }
  return ports.length - 1;
}

/** The alias as an environment prefix: upper-case, `-` becomes `_`. */
export function envPrefix(alias: string): string {
  return alias.toUpperCase().replace(/-/g, '_');
}

/** The variables one link adds to the recipient's environment, in Docker's order. */
export function renderLinkEnv(link: LinkSource): string[] {
  const a = envPrefix(link.alias);
  const ip = link.ip;
  const ports = sortPorts(link.exposedPorts.map(parsePort));
  const env: string[] = [];
  if (ports.length) env.push(`${a}_PORT=${ports[0]!.proto}://${ip}:${ports[0]!.num}`);
  for (let i = 0; i < ports.length; ) {
    const j = lastContiguous(ports, i);
    if (j > i + 1) {
      const p = ports[i]!;
      const q = ports[j]!;
      const P = p.proto.toUpperCase();
      env.push(`${a}_PORT_${p.num}_${P}_START=${p.proto}://${ip}:${p.num}`);
      env.push(`${a}_PORT_${p.num}_${P}_ADDR=${ip}`);
      env.push(`${a}_PORT_${p.num}_${P}_PROTO=${p.proto}`);
      env.push(`${a}_PORT_${p.num}_${P}_PORT_START=${p.num}`);
      env.push(`${a}_PORT_${p.num}_${q.proto.toUpperCase()}_END=${q.proto}://${ip}:${q.num}`);
      env.push(`${a}_PORT_${p.num}_${q.proto.toUpperCase()}_PORT_END=${q.num}`);
      i = j + 1;
    } else i++;
  }
  for (const p of ports) {
    const P = p.proto.toUpperCase();
    env.push(`${a}_PORT_${p.num}_${P}=${p.proto}://${ip}:${p.num}`);
    env.push(`${a}_PORT_${p.num}_${P}_ADDR=${ip}`);
    env.push(`${a}_PORT_${p.num}_${P}_PORT=${p.num}`);
    env.push(`${a}_PORT_${p.num}_${P}_PROTO=${p.proto}`);
  }
  env.push(`${a}_NAME=${link.linkName}`);
  for (const v of link.env ?? []) {
    const eq = v.indexOf('=');
    if (eq < 0) continue;
    const key = v.slice(0, eq);
    if (key === 'HOME' || key === 'PATH') continue;
    env.push(`${a}_ENV_${key}=${v.slice(eq + 1)}`);
  }
  return env;
}

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * The process environment of a container: PATH, HOSTNAME, TERM (tty), the link variables, then
 * the container's own variables replacing or appending (runc adds HOME when it is missing).
 */
export function buildProcessEnv(opts: { hostname: string; tty: boolean; linkEnv: string[]; env: string[] | null }): string[] {
  const out = [DEFAULT_PATH, `HOSTNAME=${opts.hostname}`, ...(opts.tty ? ['TERM=xterm'] : []), ...opts.linkEnv];
  const keyOf = (e: string) => (e.includes('=') ? e.slice(0, e.indexOf('=')) : e);
  for (const v of opts.env ?? []) {
    const i = out.findIndex((e) => keyOf(e) === keyOf(v));
    // A name without `=` unsets the variable, as Docker's ReplaceOrAppendEnvValues does (runc refuses it).
    if (!v.includes('=')) {
      if (i >= 0) out.splice(i, 1);
    } else if (i >= 0) out[i] = v;
    else out.push(v);
  }
  return out;
}
