/**
 * The container's /etc/hosts and /etc/hostname, byte for byte as Docker 20.10 writes them
 * (libnetwork etchosts): the six default records, then `--add-host` entries, then one record per
 * legacy link, then the container's own address and hostname. Every record is `IP<TAB>names\n`.
 */
import { isIP } from 'node:net';
import { invalidParameter } from '../../errors.js';

/** A legacy link as the recipient's /etc/hosts shows it. */
export interface HostsLink {
  /** The source container's current address. */
  ip: string;
  /** The link alias (`--link name:alias`; equal to `name` without an alias). */
  alias: string;
  /** The source's hostname, which is its 12-hex short id unless set. */
  id: string;
  /** The source container's name, without the leading slash. */
  name: string;
}

/** Inputs of {@link renderHosts}. */
export interface HostsInput {
  hostname: string;
  domainname?: string;
  /** The container's own address; omitted for `--network none` (no own-address line). */
  ip?: string;
  /** `--add-host` entries as the API carries them: `name:ip` (the IP may be IPv6 or `host-gateway`). */
  extraHosts?: readonly string[];
  links?: readonly HostsLink[];
  /** The address `host-gateway` stands for (the bridge gateway by default). */
  hostGatewayIp?: string;
  /** `--network host`: the host's /etc/hosts text, copied as is unless there are extra hosts. */
  hostFile?: string;
}

const DEFAULT_RECORDS: readonly (readonly [string, string])[] = [
  ['127.0.0.1', 'localhost'],
  ['::1', 'localhost ip6-localhost ip6-loopback'],
  ['fe00::0', 'ip6-localnet'],
  ['ff00::0', 'ip6-mcastprefix'],
  ['ff02::1', 'ip6-allnodes'],
  ['ff02::2', 'ip6-allrouters'],
];

/** Renders /etc/hosts for a container. Throws InvalidParameter for a malformed `--add-host`. */
export function renderHosts(input: HostsInput): string {
  const extras = (input.extraHosts ?? []).map((entry) => parseExtraHost(entry, input.hostGatewayIp));
  if (input.hostFile !== undefined && extras.length === 0) return input.hostFile;
  const records: [string, string][] = DEFAULT_RECORDS.map(([ip, names]) => [ip, names]);
  for (const { name, ip } of extras) records.push([ip, name]);
  for (const link of input.links ?? []) {
    const name = link.name.replace(/^\//, '');
    records.push([link.ip, link.alias === name ? `${link.alias} ${link.id}` : `${link.alias} ${link.id} ${name}`]);
  }
  if (input.ip && input.hostFile === undefined) records.push([input.ip, ownNames(input.hostname, input.domainname)]);
  return records.map(([ip, names]) => `${ip}\t${names}\n`).join('');
}

/** Renders /etc/hostname: the hostname and a newline. */
export function renderHostname(hostname: string): string {
  return `${hostname}\n`;
}

/** The names of the own-address record: `fqdn short` when there is a domain part, else the hostname. */
function ownNames(hostname: string, domainname?: string): string {
  const fqdn = domainname ? `${hostname}.${domainname}` : hostname;
  const dot = fqdn.indexOf('.');
  return dot >= 0 ? `${fqdn} ${fqdn.slice(0, dot)}` : hostname;
}

/** Splits `name:ip` on the first colon and checks the address, with Docker's wording. */
export function parseExtraHost(entry: string, hostGatewayIp?: string): { name: string; ip: string } {
  const colon = entry.indexOf(':');
  if (colon <= 0) throw invalidParameter(`bad format for add-host: "${entry}"`);
  const name = entry.slice(0, colon);
  let ip = entry.slice(colon + 1);
  if (ip === 'host-gateway') {
    if (!hostGatewayIp) throw invalidParameter(`invalid IP address in add-host: "${ip}"`);
    ip = hostGatewayIp;
  }
  if (isIP(ip) === 0) throw invalidParameter(`invalid IP address in add-host: "${ip}"`);
  return { name, ip };
}
