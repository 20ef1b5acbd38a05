/**
 * Which daemon the CLI talks to: `-H/--host`, else WHARF_HOST, else DOCKER_HOST, else the default
 * socket. Only `unix://` addresses (and bare absolute paths) are supported.
 */

/** The daemon socket used when nothing else is configured. */
export const DEFAULT_HOST = 'unix:///run/wharf.sock';

/** Picks the host address from the flag and the environment, in priority order. */
export function resolveHost(flagHost: string | undefined, env: Record<string, string | undefined>): string {
  return flagHost || env['WHARF_HOST'] || env['DOCKER_HOST'] || DEFAULT_HOST;
}

/** Turns `unix:///path` (or `/path`) into the socket path; throws on other schemes. */
export function socketPathOf(host: string): string {
  if (host.startsWith('unix://')) {
    const path = host.slice('unix://'.length);
    if (!path) throw new Error(`invalid host: ${host}`);
    return path;
  }
  if (host.startsWith('/')) return host;
  throw new Error(`unsupported host scheme: ${host} (only unix:// sockets are supported)`);
}
