/**
 * wharfd: the Wharf daemon. Reads flags, writes the pidfile, listens on the unix sockets and
 * handles signals. Containers keep running when it exits (live restore).
 */
import { promises as fs, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDaemonArgs } from '../config/daemon-config.js';
import { startDaemon } from '../daemon/daemon.js';
import { messageOf } from '../errors.js';
import { readSmallFile } from '../store/small-files.js';
import { processRunning } from '../runtime/proc-stat.js';

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString()} wharfd: ${line}\n`);
}

async function main(): Promise<void> {
  let cfg;
  try {
    cfg = parseDaemonArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`wharfd: ${messageOf(err)}\n`);
    process.exit(125);
  }
  if (process.getuid && process.getuid() !== 0) {
    process.stderr.write('wharfd: must run as root\n');
    process.exit(1);
  }
  if (existsSync(cfg.pidfile)) {
    const pid = Number(readFileSync(cfg.pidfile, 'utf8').trim());
    if (pid && pid !== process.pid && processRunning(pid)) {
      process.stderr.write(`wharfd: pid file found, ensure wharfd is not running or delete ${cfg.pidfile}\n`);
      process.exit(1);
    }
  }
  await fs.mkdir(path.dirname(cfg.pidfile), { recursive: true });
  await fs.writeFile(cfg.pidfile, String(process.pid));
  const daemon = await startDaemon(cfg, log);
  for (const host of cfg.hosts) {
    const sock = host.slice('unix://'.length);
    await fs.mkdir(path.dirname(sock), { recursive: true });
    await fs.rm(sock, { force: true });
    await new Promise<void>((resolve, reject) => {
      daemon.server.once('error', reject);
      daemon.server.listen(sock, () => resolve());
    });
    await fs.chmod(sock, 0o660);
    log(`API listen on ${sock}`);
  }
  const stop = async (signal: string) => {
    log(`received ${signal}, shutting down (containers keep running)`);
    await daemon.shutdown();
    daemon.server.close();
    for (const host of cfg.hosts) await fs.rm(host.slice('unix://'.length), { force: true });
    // A daemon started meanwhile may have written its own pid there: leave that one alone.
    if (readSmallFile(cfg.pidfile)?.trim() === String(process.pid)) await fs.rm(cfg.pidfile, { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('uncaughtException', (err) => log(`uncaught: ${err.stack ?? err.message}`));
  process.on('unhandledRejection', (err) => log(`unhandled rejection: ${messageOf(err)}`));
}

main().catch((err) => {
  log(`failed to start: ${(err as Error).stack ?? messageOf(err)}`);
  process.exit(1);
});
