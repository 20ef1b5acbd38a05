/**
 * Resolves a container's `User` ("name", "uid", "uid:gid", "name:group") against the container's
 * own /etc/passwd and /etc/group text. Pure: the caller reads the files.
 */
import { invalidParameter } from '../../errors.js';

export interface ResolvedUser {
  uid: number;
  gid: number;
  home?: string;
}

function findEntry(text: string | undefined, key: string): string[] | undefined {
  for (const line of (text ?? '').split('\n')) {
    const f = line.split(':');
    if (f.length >= 3 && (f[0] === key || f[2] === key)) return f;
  }
  return undefined;
}

/** Docker's rules: numeric ids need no entry; names must exist. */
export function resolveUser(spec: string, passwd: string | undefined, group: string | undefined): ResolvedUser {
  if (!spec) {
    const root = findEntry(passwd, '0');
    return { uid: 0, gid: 0, ...(root?.[5] ? { home: root[5] } : {}) };
  }
  const [userPart, groupPart] = spec.split(':') as [string, string | undefined];
  let uid: number;
  let gid: number;
  let home: string | undefined;
  const entry = findEntry(passwd, userPart);
  if (/^\d+$/.test(userPart)) {
    uid = Number(userPart);
    gid = entry ? Number(entry[3]) : 0;
    home = entry?.[5];
  } else {
    if (!entry) throw invalidParameter(`unable to find user ${userPart}: no matching entries in passwd file`);
    uid = Number(entry[2]);
    gid = Number(entry[3]);
    home = entry[5];
  }
  if (groupPart !== undefined && groupPart !== '') {
    if (/^\d+$/.test(groupPart)) gid = Number(groupPart);
    else {
      const g = findEntry(group, groupPart);
      if (!g) throw invalidParameter(`unable to find group ${groupPart}: no matching entries in group file`);
      gid = Number(g[2]);
    }
  }
  return { uid, gid, ...(home ? { home } : {}) };
}
