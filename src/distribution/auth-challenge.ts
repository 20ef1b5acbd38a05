/**
 * Registry authentication data (pure): `WWW-Authenticate` challenges (RFC 7235, as the
 * distribution client reads them), the token answer of a Bearer realm, and the
 * `X-Registry-Auth` header the docker CLI sends (base64url JSON of an AuthConfig).
 */

/** One challenge: `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`. */
export interface AuthChallenge {
  scheme: 'bearer' | 'basic' | string;
  params: Record<string, string>;
}

/** The credentials of an `X-Registry-Auth` header (`docker login`'s AuthConfig). */
export interface RegistryCredentials {
  username?: string;
  password?: string;
  identityToken?: string;
  registryToken?: string;
}

/** Parses every challenge of the `WWW-Authenticate` header values (case-insensitive schemes). */
export function parseChallenges(values: string[]): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  for (const value of values) {
    let rest = value.trim();
    let current: AuthChallenge | undefined;
    while (rest) {
      const param = /^([A-Za-z0-9_!#$%&'*+.^`|~-]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^\s,]*)\s*,?\s*/.exec(rest);
      if (param && current) {
        current.params[param[1]!.toLowerCase()] = param[3] !== undefined ? param[3].replace(/\\(.)/g, '$1') : param[2]!;
        rest = rest.slice(param[0].length);
        continue;
      }
      const scheme = /^([A-Za-z0-9_!#$%&'*+.^`|~-]+)\s*,?\s*/.exec(rest);
      if (!scheme) break;
      current = { scheme: scheme[1]!.toLowerCase(), params: {} };
      out.push(current);
      rest = rest.slice(scheme[0].length);
    }
  }
  return out;
}

/** The token of a token server's answer (`token`, or OAuth's `access_token`) and how long it lasts. */
export function parseTokenAnswer(body: string, nowMs: number): { token: string; expiresAtMs: number } {
  let raw: { token?: unknown; access_token?: unknown; expires_in?: unknown; issued_at?: unknown };
  try {
    raw = JSON.parse(body) as typeof raw;
  } catch {
    throw new Error('unable to decode token response: not JSON');
  }
  const token = typeof raw.token === 'string' && raw.token ? raw.token : typeof raw.access_token === 'string' ? raw.access_token : '';
  if (!token) throw new Error('authorization server did not include a token in the response');
  // As the distribution client: at least 60 s; counted from issued_at when the server gives it.
  const seconds = typeof raw.expires_in === 'number' && raw.expires_in >= 60 ? raw.expires_in : 60;
  const issued = typeof raw.issued_at === 'string' ? Date.parse(raw.issued_at) : NaN;
  return { token, expiresAtMs: (Number.isFinite(issued) ? issued : nowMs) + seconds * 1000 };
}

/**
 * Decodes `X-Registry-Auth` (base64url or standard base64 JSON, as the CLI and older clients send
 * it). An empty, `{}` or undecodable header means no credentials, as dockerd treats it.
 */
export function decodeRegistryAuth(header: string | undefined): RegistryCredentials | undefined {
  if (!header) return undefined;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(Buffer.from(header.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== 'object') return undefined;
  const str = (k: string) => (typeof raw[k] === 'string' && raw[k] !== '' ? (raw[k] as string) : undefined);
  let username = str('username');
  let password = str('password');
  const auth = str('auth');
  if (!username && auth) {
    const plain = Buffer.from(auth, 'base64').toString('utf8');
    const colon = plain.indexOf(':');
    if (colon > 0) {
      username = plain.slice(0, colon);
      password = plain.slice(colon + 1);
    }
  }
  const creds: RegistryCredentials = {
    ...(username ? { username } : {}), ...(password ? { password } : {}),
    ...(str('identitytoken') ? { identityToken: str('identitytoken')! } : {}),
    ...(str('registrytoken') ? { registryToken: str('registrytoken')! } : {}),
  };
  return Object.keys(creds).length ? creds : undefined;
}

/** The `Authorization` value of Basic credentials. */
export function basicAuthorization(creds: RegistryCredentials): string | undefined {
  if (!creds.username) return undefined;
  return 'Basic ' + Buffer.from(`${creds.username}:${creds.password ?? ''}`).toString('base64');
}
