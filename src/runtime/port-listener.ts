/**
 * Holds a published host port open in the daemon (one process for every port), so that no
 * other program can take it and so that a bad address fails the way Docker's proxy fails.
 * Traffic itself is DNATed by the kernel before it reaches these sockets.
 */
import net from 'node:net';
import dgram from 'node:dgram';
import { systemError } from '../errors.js';

const REASONS: Record<string, string> = {
  EADDRNOTAVAIL: 'bind: cannot assign requested address',
  EADDRINUSE: 'bind: address already in use',
  EACCES: 'bind: permission denied',
};

/** Go's wording for a failed listen, e.g. `listen tcp4 1.2.3.4:80: bind: cannot assign requested address`. */
export function listenErrorText(proto: string, ip: string, port: number, code: string | undefined): string {
  return `listen ${proto}4 ${ip || '0.0.0.0'}:${port}: ${REASONS[code ?? ''] ?? `bind: ${code ?? 'error'}`}`;
}

/** Binds the port; resolves with a function that releases it. */
export function holdPort(proto: 'tcp' | 'udp' | 'sctp', ip: string, port: number): Promise<() => void> {
  const host = ip || '0.0.0.0';
  return new Promise((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException) => reject(systemError(`Error starting userland proxy: ${listenErrorText(proto, ip, port, err.code)}`, err));
    if (proto === 'udp') {
      const sock = dgram.createSocket('udp4');
      sock.once('error', fail);
      sock.bind({ address: host, port, exclusive: true }, () => {
        sock.removeListener('error', fail);
        sock.on('error', () => {});
        sock.unref();
        resolve(() => sock.close());
      });
      return;
    }
    const server = net.createServer((c) => c.destroy());
    server.once('error', fail);
    server.listen({ host, port, exclusive: true }, () => {
      server.removeListener('error', fail);
      server.unref();
      resolve(() => server.close());
    });
  });
}
