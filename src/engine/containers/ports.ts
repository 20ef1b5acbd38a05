/**
 * The small interfaces the container service needs from the rest of the engine. The composition
 * root (bin/wharfd) adapts the real image store and bridge network to them; tests use fakes.
 */
import type { ImageRuntimeConfig } from './create-request.js';
import type { NetworkEndpoint } from './container-record.js';

export interface ImageProvider {
  /** Resolves a reference; throws NotFound `No such image: x:latest`. */
  resolve(ref: string): Promise<{ id: string; config: ImageRuntimeConfig }>;
  /** Overlay lower directories (relative to cwd, top-most first) of a container of an image. */
  mountSpec(imageId: string): Promise<{ cwd: string; lowerdirs: string[] }>;
}

export interface LinkHostEntry {
  ip: string;
  alias: string;
  id: string;
  name: string;
}

export interface NetworkProvider {
  connect(containerId: string, preferredIp?: string): Promise<NetworkEndpoint>;
  connectNone(containerId: string): Promise<{ netnsPath: string; sandboxKey: string }>;
  disconnect(containerId: string): Promise<void>;
  reserve(containerId: string, ip: string): void;
  bridgeInfo(): { name: string; bridge: string; networkId: string; subnet: string; gateway: string; prefixLen: number };
  renderHosts(opts: { hostname: string; ip?: string; links?: LinkHostEntry[]; hostMode?: boolean }): Promise<string>;
  renderResolvConf(): Promise<string>;
  /** icc=false: open the recipient → source exposed-port paths of legacy links. */
  allowLinks(recipientId: string, links: { recipientIp: string; sourceIp: string; ports: { proto: string; port: number }[] }[]): Promise<void>;
  revokeLinks(recipientId: string): Promise<void>;
  /** Removes DNAT rules leading to no address in `keep` (left by a crash); how many went. */
  pruneDnat(keep: ReadonlySet<string>): Promise<number>;
}

/** Events for `GET /events` and for live links (issue 3). */
export interface EventSink {
  emit(event: { Type: string; Action: string; id: string; attributes: Record<string, string> }): void;
}
