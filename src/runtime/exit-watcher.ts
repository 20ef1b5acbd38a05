/**
 * Watches conmon's exit directory: each file is named after a container id and holds its exit code
 * (platform-notes §3.4). A slow poll backs up inotify.
 */
import { watch, promises as fs, type FSWatcher } from 'node:fs';
import path from 'node:path';

export class ExitWatcher {
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dir: string,
    private readonly onExit: (id: string) => void,
    private readonly pollMs = 2000,
  ) {}

  async start(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    this.watcher = watch(this.dir, (_event, filename) => {
      if (filename && !filename.startsWith('.')) this.onExit(filename.toString());
    });
    this.timer = setInterval(() => void this.scan(), this.pollMs);
    this.timer.unref();
    await this.scan();
  }

  /** Reports every exit file present (the consumer ignores ids it already processed). */
  async scan(): Promise<void> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    for (const n of names) if (!n.startsWith('.')) this.onExit(n);
  }

  /**
   * Removes the exit file of `id` if it is older than `minAgeMs`: the exit of a container whose
   * record is gone (conmon writes it after a forced removal has cleaned up). The age keeps a
   * file that is still being looked at.
   */
  async discard(id: string, minAgeMs: number, now = Date.now()): Promise<boolean> {
    const file = path.join(this.dir, id);
    const st = await fs.stat(file).catch(() => undefined);
    if (!st || now - st.mtimeMs < minAgeMs) return false;
    await fs.rm(file, { force: true });
    return true;
  }

  stop(): void {
    this.watcher?.close();
    if (this.timer) clearInterval(this.timer);
  }
}
