/**
 * The docker CLI's credential store, which `wharf login`/`logout` share with it:
 * `$DOCKER_CONFIG/config.json` (else `~/.docker/config.json`), `auths` by registry host with the
 * base64 of `user:password` in `auth`; other keys of the file are kept as they are. Also the
 * `X-Registry-Auth` header a pull or push sends (base64url JSON of the AuthConfig).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { homedir } from 'node:os';
import { writeFileAtomic } from '../store/atomic-file.js';
import { DOCKER_HUB } from '../distribution/reference.js';

/** The key Docker Hub's credentials are stored under. */
export const HUB_KEY = 'https://index.docker.io/v1/';

type ConfigFile = Record<string, unknown> & { auths?: Record<string, { auth?: string }> };

/** Where the config file is. */
export function configFile(env: Record<string, string | undefined>): string {
  return path.join(env.DOCKER_CONFIG || path.join(env.HOME || homedir(), '.docker'), 'config.json');
}

/** The `auths` key of a registry domain. */
export function authKey(domain: string): string {
  return domain === DOCKER_HUB ? HUB_KEY : domain;
}

async function readConfig(file: string): Promise<ConfigFile> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as ConfigFile;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
}

async function writeConfig(file: string, cfg: ConfigFile): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, JSON.stringify(cfg, null, '\t'), 0o600);
}

/** Stores credentials for a registry. */
export async function saveCredentials(env: Record<string, string | undefined>, domain: string, username: string, password: string): Promise<void> {
  const file = configFile(env);
  const cfg = await readConfig(file);
  cfg.auths = { ...(cfg.auths ?? {}), [authKey(domain)]: { auth: Buffer.from(`${username}:${password}`).toString('base64') } };
  await writeConfig(file, cfg);
}

/** Removes a registry's credentials; false when there were none. */
export async function removeCredentials(env: Record<string, string | undefined>, domain: string): Promise<boolean> {
  const file = configFile(env);
  const cfg = await readConfig(file);
  if (!cfg.auths?.[authKey(domain)]) return false;
  delete cfg.auths[authKey(domain)];
  await writeConfig(file, cfg);
  return true;
}

/** The `X-Registry-Auth` value for a registry: its stored credentials, or none (`e30=`, `{}`). */
export async function registryAuthHeader(env: Record<string, string | undefined>, domain: string): Promise<string> {
  const cfg = await readConfig(configFile(env)).catch(() => ({}) as ConfigFile);
  const auth = cfg.auths?.[authKey(domain)]?.auth;
  const plain = auth ? Buffer.from(auth, 'base64').toString('utf8') : '';
  const colon = plain.indexOf(':');
  const body = colon > 0 ? { username: plain.slice(0, colon), password: plain.slice(colon + 1), serveraddress: authKey(domain) } : {};
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}
