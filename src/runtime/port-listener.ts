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

/** A held host port. TCP ports can also forward connections (IPv6 addresses, which DNAT cannot). */
export interface HeldPort {
  release(): void;
  /** Forward every new connection to the container (allowHalfOpen on both sides). */
  forwardTo(ip: string, port: number): void;
}

/** Binds the port; resolves with a handle that releases it. */
export function holdPort(proto: 'tcp' | 'udp' | 'sctp', ip: string, port: number): Promise<HeldPort> {
  const family = ip.includes(':') ? 6 : 4;
  const host = ip || '0.0.0.0';
  return new Promise((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException) =>
      reject(systemError(`Error starting userland proxy: ${listenErrorText(proto, ip, port, err.code).replace(`${proto}4`, `${proto}${family}`)}`, err));
    if (proto === 'udp') {
      const sock = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');
      sock.once('error', fail);
      sock.bind({ address: host, port, exclusive: true }, () => {
        sock.removeListener('error', fail);
        sock.on('error', () => {});
        sock.unref();
        resolve({ release: () => sock.close(), forwardTo: () => {} });
      });
      return;
    }
    let target: { ip: string; port: number } | undefined;
    const server = net.createServer({ allowHalfOpen: true }, (c) => {
      if (!target) return c.destroy();
      const up = net.connect({ host: target.ip, port: target.port, allowHalfOpen: true });
      c.pipe(up);
      up.pipe(c);
      const kill = () => {
        c.destroy();
        up.destroy();
      };
      c.on('error', kill);
      up.on('error', kill);
      c.on('close', () => up.destroy());
      up.on('close', () => c.destroy());
    });
    server.once('error', fail);
    server.listen({ host, port, exclusive: true }, () => {
      server.removeListener('error', fail);
      server.unref();
      resolve({ release: () => server.close(), forwardTo: (tip, tport) => (target = { ip: tip, port: tport }) });
    });
  });
}
