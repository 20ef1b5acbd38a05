/**
 * Matches `METHOD /v1.xx/path` against the routes. Pure: no I/O.
 * Patterns use `:name` for one segment and `*name` for one or more segments (image names carry
 * slashes), e.g. `/images/*name/json`.
 */
import type { Route } from './route.js';

export const API_VERSION = '1.41';
export const MIN_API_VERSION = '1.12';

export interface Match {
  route: Route;
  params: Record<string, string>;
}

interface Compiled {
  route: Route;
  regex: RegExp;
  names: string[];
}

/** Splits an optional `/v1.xx` prefix off a path. */
export function splitVersion(pathname: string): { version: string | undefined; path: string } {
  const m = /^\/v(\d+\.\d+)(\/.*)$/.exec(pathname);
  if (m) return { version: m[1], path: m[2]! };
  return { version: undefined, path: pathname };
}

/** Compares API versions like '1.41' numerically. */
export function compareVersions(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number) as [number, number];
  const [bm, bn] = b.split('.').map(Number) as [number, number];
  return am !== bm ? am - bm : an - bn;
}

function compile(route: Route): Compiled {
  const names: string[] = [];
  const parts = route.path.split('/').map((seg) => {
    if (seg.startsWith(':')) {
      names.push(seg.slice(1));
      return '([^/]+)';
    }
    if (seg.startsWith('*')) {
      names.push(seg.slice(1));
      return '(.+?)';
    }
    return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  return { route, regex: new RegExp('^' + parts.join('/') + '/?$'), names };
}

/** Decodes `%xx` escapes; a malformed escape is kept as written (it then names nothing). */
function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export class Router {
  private readonly compiled: Compiled[];

  constructor(routes: Route[]) {
    this.compiled = routes.map(compile);
  }

  /** Finds the route for a method and an unversioned path; HEAD falls back to GET. */
  match(method: string, path: string): Match | undefined {
    const tryMethod = (m: string): Match | undefined => {
      for (const c of this.compiled) {
        if (c.route.method !== m) continue;
        const hit = c.regex.exec(path);
        if (!hit) continue;
        const params: Record<string, string> = {};
        c.names.forEach((n, i) => {
          params[n] = decodeSegment(hit[i + 1]!);
        });
        return { route: c.route, params };
      }
      return undefined;
    };
    return tryMethod(method) ?? (method === 'HEAD' ? tryMethod('GET') : undefined);
  }

  /** True when some route has this path under another method (for 405 vs 404). */
  hasPath(path: string): boolean {
    return this.compiled.some((c) => c.regex.test(path));
  }
}
