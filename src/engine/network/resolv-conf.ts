/**
 * The container's /etc/resolv.conf, as Docker 20.10 derives it from the host's (libnetwork
 * resolvconf): loopback nameservers (127.x, ::1) are dropped because they would point at the
 * container's own loopback, IPv6 nameservers are dropped (IPv6 is off), and when no nameserver
 * is left Google's public resolvers are appended. `--dns`, `--dns-search` and `--dns-option`
 * replace the matching parts of the host's file instead.
 */

/** Per-container DNS settings (`--dns`, `--dns-search`, `--dns-option`). */
export interface DnsOverrides {
  dns?: readonly string[];
  dnsSearch?: readonly string[];
  dnsOptions?: readonly string[];
}

const IPV4_BLOCK = '(25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)';
const IPV4 = `(${IPV4_BLOCK}\\.){3}${IPV4_BLOCK}`;
const IPV6 = '([0-9A-Fa-f]{0,4}:){2,7}([0-9A-Fa-f]{0,4})(%\\w+)?';
const LOCALHOST_NS = new RegExp('^nameserver\\s+((127\\.([0-9]{1,3}\\.){2}[0-9]{1,3})|(::1)$)\\s*\\n*', 'gm');
const IPV6_NS = new RegExp(`^nameserver\\s+${IPV6}\\s*\\n*`, 'gm');
const ANY_NS = new RegExp(`^\\s*nameserver\\s*((${IPV4})|(${IPV6}))\\s*$`);
const SEARCH = /^\s*search\s*((\S+\s*)*)$/;
const OPTIONS = /^\s*options\s*((\S+\s*)*)$/;

/** Docker's fallback resolvers when the host has none usable. */
export const DEFAULT_NAMESERVERS: readonly string[] = ['8.8.8.8', '8.8.4.4'];

/** Renders the container's resolv.conf from the host's text. */
export function renderResolvConf(hostText: string, overrides: DnsOverrides = {}): string {
  const { dns = [], dnsSearch = [], dnsOptions = [] } = overrides;
  if (dns.length > 0 || dnsSearch.length > 0 || dnsOptions.length > 0) {
    return buildResolvConf(
      dns.length > 0 ? dns : listNameservers(hostText),
      dnsSearch.length > 0 ? dnsSearch : lastFields(hostText, SEARCH),
      dnsOptions.length > 0 ? dnsOptions : lastFields(hostText, OPTIONS),
    );
  }
  let cleaned = hostText.replace(LOCALHOST_NS, '').replace(IPV6_NS, '');
  if (listNameservers(cleaned).length === 0) {
    cleaned += '\n' + DEFAULT_NAMESERVERS.map((ns) => `nameserver ${ns}`).join('\n');
  }
  return cleaned;
}

/** The nameserver addresses of a resolv.conf text (comments stripped). */
export function listNameservers(text: string): string[] {
  return contentLines(text)
    .map((line) => ANY_NS.exec(line)?.[1])
    .filter((ns): ns is string => ns !== undefined);
}

function lastFields(text: string, pattern: RegExp): string[] {
  let fields: string[] = [];
  for (const line of contentLines(text)) {
    const m = pattern.exec(line);
    if (m) fields = (m[1] ?? '').split(/\s+/).filter((f) => f !== '');
  }
  return fields;
}

function contentLines(text: string): string[] {
  return text.split('\n').map((line) => {
    const hash = line.indexOf('#');
    return hash === -1 ? line : line.slice(0, hash);
  });
}

function buildResolvConf(nameservers: readonly string[], search: readonly string[], options: readonly string[]): string {
  let out = '';
  const searchText = search.join(' ');
  if (search.length > 0 && searchText.trim() !== '.') out += `search ${searchText}\n`;
  for (const ns of nameservers) out += `nameserver ${ns}\n`;
  const optionsText = options.join(' ');
  if (options.length > 0 && optionsText.trim() !== '') out += `options ${optionsText}\n`;
  return out;
}
