/**
 * Host port bookkeeping (pure state): which container holds which (address, port, protocol),
 * Docker's conflict rule (a wildcard address overlaps every address), and engine-chosen ports
 * from the ephemeral range, preferring the port a container had before.
 */
import { conflict } from '../../errors.js';
import type { ActiveBinding, RequestedBinding } from './port-plan.js';

interface Holding extends ActiveBinding {
  containerId: string;
}

export class PortAllocator {
  private readonly held: Holding[] = [];
  private cursor: number;

  constructor(private readonly range: [number, number]) {
    this.cursor = range[0];
  }

  /** The container holding a port that overlaps (ip, port, proto), if any. */
  holder(hostIp: string, port: number, proto: string): string | undefined {
    return this.held.find((h) => h.hostPort === port && h.proto === proto && (h.hostIp === '' || hostIp === '' || h.hostIp === hostIp))?.containerId;
  }

  private isFree(hostIp: string, port: number, proto: string): boolean {
    return this.holder(hostIp, port, proto) === undefined;
  }

  private pickAuto(r: RequestedBinding, preferred: number | undefined): number {
    if (preferred && this.isFree(r.hostIp, preferred, r.proto)) return preferred;
    const [lo, hi] = this.range;
    const span = hi - lo + 1;
    for (let i = 0; i < span; i++) {
      const port = lo + ((this.cursor - lo + i) % span);
      if (this.isFree(r.hostIp, port, r.proto)) {
        this.cursor = port + 1 > hi ? lo : port + 1;
        return port;
      }
    }
    throw conflict(`Bind for ${r.hostIp || '0.0.0.0'}:0 failed: no free port in ${lo}-${hi}`);
  }

  /**
   * Decides host ports for all of a container's requests, or throws (allocating nothing) with
   * Docker's wording plus the name of the holder: `Bind for 0.0.0.0:80 failed: port is already
   * allocated`.
   */
  allocate(
    containerId: string,
    requests: RequestedBinding[],
    previous: ActiveBinding[],
    nameOf: (id: string) => string,
  ): ActiveBinding[] {
    const taken: Holding[] = [];
    try {
      for (const r of requests) {
        let port: number;
        if (r.hostPortLo === 0) {
          const prev = previous.find((p) => p.proto === r.proto && p.containerPort === r.containerPort && p.hostIp === r.hostIp);
          port = this.pickAuto(r, prev?.hostPort);
        } else if (r.hostPortLo === r.hostPortHi) {
          port = r.hostPortLo;
          const h = this.holder(r.hostIp, port, r.proto);
          if (h) {
            throw conflict(`Bind for ${r.hostIp || '0.0.0.0'}:${port} failed: port is already allocated${h !== containerId ? ` (held by container ${nameOf(h)})` : ''}`);
          }
        } else {
          port = 0;
          for (let p = r.hostPortLo; p <= r.hostPortHi; p++) {
            if (this.isFree(r.hostIp, p, r.proto)) {
              port = p;
              break;
            }
          }
          if (!port) throw conflict(`Bind for ${r.hostIp || '0.0.0.0'}:${r.hostPortHi} failed: port is already allocated`);
        }
        const h: Holding = { containerId, proto: r.proto, containerPort: r.containerPort, hostIp: r.hostIp, hostPort: port };
        this.held.push(h);
        taken.push(h);
      }
    } catch (err) {
      for (const t of taken) this.held.splice(this.held.indexOf(t), 1);
      throw err;
    }
    return taken.map(({ containerId: _c, ...b }) => b);
  }

  /** Marks bindings of a container found running at daemon start as held. */
  reserve(containerId: string, bindings: ActiveBinding[]): void {
    for (const b of bindings) this.held.push({ containerId, ...b });
  }

  release(containerId: string): void {
    for (let i = this.held.length - 1; i >= 0; i--) if (this.held[i]!.containerId === containerId) this.held.splice(i, 1);
  }
}
