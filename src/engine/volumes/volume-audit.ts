/**
 * The orphan audit (beyond Docker): volumes no container references, with size, age and creator,
 * and stray directories under the volumes root that no volume record owns (the leak the classic
 * guides warn about).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { VolumeStore } from './volume-store.js';
import { assertNothingMounted } from './local-driver.js';

export interface AuditEntry {
  Kind: 'volume' | 'stray-directory';
  Name: string;
  Path: string;
  Size: number;
  AgeSeconds: number;
  CreatedBy: string;
  Container?: string;
  Image?: string;
}

async function dirSize(dir: string): Promise<number> {
  let total = 0;
  for (const e of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? await dirSize(p) : (await fs.lstat(p).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

/** Lists what no container uses. */
export async function auditVolumes(volumes: VolumeStore, users: (name: string) => string[], now: Date): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for (const v of volumes.all()) {
    if (users(v.Name).length) continue;
    out.push({
      Kind: 'volume', Name: v.Name, Path: volumes.dataPath(v.Name), Size: await volumes.size(v.Name),
      AgeSeconds: Math.max(0, Math.round((now.getTime() - Date.parse(v.CreatedAt)) / 1000)), CreatedBy: v.Provenance.createdBy,
      ...(v.Provenance.container ? { Container: v.Provenance.container } : {}), ...(v.Provenance.image ? { Image: v.Provenance.image } : {}),
    });
  }
  for (const name of await fs.readdir(volumes.root).catch(() => [] as string[])) {
    if (volumes.get(name)) continue;
    const p = path.join(volumes.root, name);
    const st = await fs.lstat(p).catch(() => undefined);
    if (!st?.isDirectory()) continue;
    out.push({ Kind: 'stray-directory', Name: name, Path: p, Size: await dirSize(p), AgeSeconds: Math.round((now.getTime() - st.mtimeMs) / 1000), CreatedBy: 'unknown' });
  }
  return out;
}

/** Removes what the audit lists; returns what was removed. */
export async function pruneAudit(volumes: VolumeStore, users: (name: string) => string[], now: Date): Promise<AuditEntry[]> {
  const found = await auditVolumes(volumes, users, now);
  for (const e of found) {
    if (e.Kind === 'volume') await volumes.remove(e.Name, users);
    else {
      await assertNothingMounted(e.Path);
      await fs.rm(e.Path, { recursive: true, force: true });
    }
  }
  return found;
}
