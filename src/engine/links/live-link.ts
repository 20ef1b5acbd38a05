/**
 * Live links (beyond Docker): each recipient sees the current data of each of its links under
 * /run/wharf/links/, as `<alias>.env` (the link variables, one per line) and `<alias>.json`. The
 * files are rewritten whenever a source restarts or moves, while the process environment stays
 * as Docker leaves it. Pure rendering; the runner writes the files.
 */

export const LIVE_LINKS_DIR = '/run/wharf/links';

export interface LiveLink {
  alias: string;
  /** The source's name without the slash. */
  name: string;
  id: string;
  ip: string;
  /** Exposed ports of the source, e.g. `5432/tcp`. */
  ports: string[];
  /** The link variables (what `--link` puts into the environment). */
  env: string[];
}

/** A file-system safe name for an alias (aliases may contain dots and dashes, not slashes). */
export function liveLinkFileBase(alias: string): string {
  return alias.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/** The two files of one link. */
export function renderLiveLink(link: LiveLink, updatedAt: string): { env: string; json: string } {
  return {
    env: link.env.join('\n') + '\n',
    json: JSON.stringify({ alias: link.alias, name: link.name, id: link.id, ip: link.ip, ports: link.ports, env: link.env, updatedAt }, null, 2) + '\n',
  };
}
