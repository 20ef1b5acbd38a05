/**
 * dockerd's JSON progress messages of a pull (pure), so the docker CLI draws its usual lines and
 * bars: `Pulling from`, per layer `Pulling fs layer`, `Waiting`, `Downloading`, `Verifying
 * Checksum`, `Download complete`, `Extracting`, `Pull complete` or `Already exists`, then
 * `Digest:` and `Status:`. Layers are named by the first 12 hex digits of their blob digest.
 */

/** One message of the stream (jsonmessage.JSONMessage). */
export interface ProgressMessage {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  progress?: string;
  error?: string;
  errorDetail?: { message: string };
  /** Extra data for the client (a push's `{Tag, Digest, Size}`). */
  aux?: Record<string, unknown>;
}

/** The id of a layer in progress lines. */
export function layerId(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

/** A status line of a layer without a bar (the CLI prints it without a terminal too). */
export function layerStatus(digest: string, status: string): ProgressMessage {
  return { status, progressDetail: {}, id: layerId(digest) };
}

/** Go's units.HumanSize: 4 significant digits, decimal units. */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toPrecision(4))}${units[i]}`;
}

/** The bar dockerd renders into `progress`: `[=====>     ]  1.2MB/3.4MB`. */
export function progressBar(current: number, total: number): string {
  const half = total > 0 ? Math.min(50, Math.floor(Math.floor((current / total) * 100) / 2)) : 0;
  const box = total > 0 ? `[${'='.repeat(half)}>${' '.repeat(50 - half)}] ` : '';
  const numbers = total > 0 ? `${humanSize(current).padStart(8)}/${humanSize(total)}` : humanSize(current).padStart(8);
  return box + numbers;
}

/** A layer's progress with a bar (`Downloading`, `Extracting`). */
export function layerProgress(digest: string, status: string, current: number, total: number): ProgressMessage {
  return { status, progressDetail: { current, total }, progress: progressBar(current, total), id: layerId(digest) };
}

/** A message the CLI prints as it is (`Digest: …`, `Status: …`), or `id: text` with an id. */
export function statusMessage(status: string, id?: string): ProgressMessage {
  return id ? { status, id } : { status };
}

/** An error in the stream, once output has begun. */
export function errorMessage(message: string): ProgressMessage {
  return { errorDetail: { message }, error: message };
}
