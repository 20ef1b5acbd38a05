/**
 * Ids and creation times of the host and none networks, made once and kept in
 * `<state dir>/predefined-networks.json` (the bridge network keeps its own in its state file).
 */
import path from 'node:path';
import { readJsonIfExists, writeJsonAtomic } from '../../store/atomic-file.js';

export interface PredefinedIdentity {
  id: string;
  created: string;
}

interface Persisted {
  host: PredefinedIdentity;
  none: PredefinedIdentity;
}

const FILE = 'predefined-networks.json';
const valid = (x: unknown): x is PredefinedIdentity =>
  !!x && typeof (x as PredefinedIdentity).id === 'string' && /^[0-9a-f]{64}$/.test((x as PredefinedIdentity).id) &&
  typeof (x as PredefinedIdentity).created === 'string';

/** Loads the identities, making (and saving) any that are missing or unreadable. */
export async function loadPredefinedNetworks(stateDir: string, randomId: () => string, now: () => Date): Promise<Persisted> {
  const file = path.join(stateDir, FILE);
  const saved = await readJsonIfExists<Partial<Persisted>>(file).catch(() => undefined);
  const make = (): PredefinedIdentity => ({ id: randomId(), created: now().toISOString() });
  const out: Persisted = { host: valid(saved?.host) ? saved!.host : make(), none: valid(saved?.none) ? saved!.none : make() };
  if (JSON.stringify(out) !== JSON.stringify(saved)) await writeJsonAtomic(file, out);
  return out;
}
