/**
 * /proc/<pid>/mountinfo, parsed (pure; proc(5)): one entry per mount, with the octal escapes
 * of paths (space, tab, newline, backslash) undone.
 */

export interface MountinfoEntry {
  /** The mount's root within its filesystem (field 4). */
  root: string;
  /** Where it is mounted (field 5). */
  mountPoint: string;
  /** The optional fields: `shared:N`, `master:N`, ... */
  optionalFields: string[];
  fstype: string;
  superOptions: string[];
}

function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** The mounts of a mountinfo text; lines that are not whole are skipped. */
export function parseMountinfo(text: string): MountinfoEntry[] {
  const entries: MountinfoEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    const dash = f.indexOf('-', 6);
    if (dash < 0 || f.length < dash + 4) continue;
    entries.push({
      root: unescape(f[3]!),
      mountPoint: unescape(f[4]!),
      optionalFields: f.slice(6, dash),
      fstype: f[dash + 1]!,
      superOptions: f[dash + 3]!.split(','),
    });
  }
  return entries;
}
