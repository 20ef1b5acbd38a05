/**
 * Port specifications as the docker CLI reads them (`-p`, `--expose`), turned into
 * `ExposedPorts` keys and `PortBindings` entries. Pure.
 */

/** One host binding of a container port. */
export interface PortBinding {
  HostIp: string;
  HostPort: string;
}

/** A container port key ("80/tcp") and the binding for it. */
export interface PortMapping {
  port: string;
  binding: PortBinding;
}

/** A client-side validation error (printed as `wharf: <message>` with exit 125). */
export class SpecError extends Error {
  override readonly name = 'SpecError';
}

function parseRange(text: string): [number, number] | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start > 65535 || end > 65535 || end < start) return undefined;
  return [start, end];
}

function splitProto(spec: string): [string, string] {
  const slash = spec.lastIndexOf('/');
  if (slash < 0) return [spec, 'tcp'];
  const proto = spec.slice(slash + 1).toLowerCase();
  if (!['tcp', 'udp', 'sctp'].includes(proto)) throw new SpecError(`invalid proto: ${proto}`);
  return [spec.slice(0, slash), proto];
}

/** Parses one `-p` value into its mappings (`ip:host:container/proto` and the shorter forms). */
export function parsePortSpec(spec: string): PortMapping[] {
  const [rest, proto] = splitProto(spec);
  let ip = '';
  let hostPart = '';
  let containerPart: string;
  let body = rest;
  if (body.startsWith('[')) {
    const close = body.indexOf(']');
    if (close < 0) throw new SpecError(`invalid IP address: ${body}`);
    ip = body.slice(1, close);
    body = body.slice(close + 1).replace(/^:/, '');
    const parts = body.split(':');
    if (parts.length !== 2) throw new SpecError(`invalid port format: ${spec}`);
    [hostPart, containerPart] = parts as [string, string];
  } else {
    const parts = body.split(':');
    if (parts.length === 1) containerPart = parts[0]!;
    else if (parts.length === 2) [hostPart, containerPart] = parts as [string, string];
    else if (parts.length === 3) [ip, hostPart, containerPart] = parts as [string, string, string];
    else {
      // an unbracketed IPv6 address: the last two parts are the ports
      containerPart = parts.pop()!;
      hostPart = parts.pop()!;
      ip = parts.join(':');
    }
  }
  if (ip && !/^[0-9.]+$/.test(ip) && !ip.includes(':')) throw new SpecError(`invalid IP address: ${ip}`);
  if (!containerPart) throw new SpecError(`no port specified: ${spec}<empty>`);
  const cRange = parseRange(containerPart);
  if (!cRange) throw new SpecError(`invalid containerPort: ${containerPart}`);
  let hRange: [number, number] | undefined;
  if (hostPart) {
    hRange = parseRange(hostPart);
    if (!hRange) throw new SpecError(`invalid hostPort: ${hostPart}`);
  }
  const cLen = cRange[1] - cRange[0];
  if (hRange) {
    const hLen = hRange[1] - hRange[0];
    if (cLen !== hLen && cLen !== 0) {
      throw new SpecError(`invalid ranges specified for container and host Ports: ${containerPart} and ${hostPart}`);
    }
  }
  const out: PortMapping[] = [];
  for (let i = 0; i <= cLen; i++) {
    let hostPort = '';
    if (hRange) {
      if (cLen === 0 && hRange[1] !== hRange[0]) hostPort = `${hRange[0]}-${hRange[1]}`;
      else hostPort = String(hRange[0] + i);
    }
    out.push({ port: `${cRange[0] + i}/${proto}`, binding: { HostIp: ip, HostPort: hostPort } });
  }
  return out;
}

/** Parses one `--expose` value ("82", "82-84", "53/udp") into port keys. */
export function parseExposeSpec(spec: string): string[] {
  const [rest, proto] = splitProto(spec);
  const range = parseRange(rest);
  if (!range) throw new SpecError(`invalid range format for --expose: ${spec}, error: invalid syntax`);
  const out: string[] = [];
  for (let p = range[0]; p <= range[1]; p++) out.push(`${p}/${proto}`);
  return out;
}
