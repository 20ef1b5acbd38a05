/**
 * Thin adapter over /proc/sys: read and write kernel settings such as `net/ipv4/ip_forward`
 * (slash-separated, so interface names containing dots need no escaping).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { invalidParameter } from '../errors.js';

function sysctlPath(key: string): string {
  if (!/^[A-Za-z0-9_.\-/]+$/.test(key) || key.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw invalidParameter(`invalid sysctl key ${JSON.stringify(key)}`);
  }
  return `/proc/sys/${key}`;
}

/** Reads a sysctl, trimmed; undefined when it does not exist. */
export async function readSysctl(key: string): Promise<string | undefined> {
  try {
    return (await readFile(sysctlPath(key), 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Writes a sysctl. */
export async function writeSysctl(key: string, value: string): Promise<void> {
  await writeFile(sysctlPath(key), `${value}\n`);
}
