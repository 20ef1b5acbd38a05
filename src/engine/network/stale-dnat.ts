/**
 * DNAT rules that lead nowhere: after a crash, the rules of a start that was cut short, or of an
 * exit the daemon never processed, stay in the bridge's DNAT chain (which is not flushed at
 * start, for the containers that kept running). Pure: picks them from `iptables -S` lines.
 */

/**
 * The rules (argv after `-A <chain>`) of `chain` in `lines` (`iptables -t nat -S <chain>`)
 * whose `--to-destination` address is not in `keep`.
 */
export function staleDnatRules(lines: readonly string[], chain: string, keep: ReadonlySet<string>): string[][] {
  const out: string[][] = [];
  for (const line of lines) {
    const words = line.trim().split(/\s+/);
    if (words[0] !== '-A' || words[1] !== chain) continue;
    const at = words.indexOf('--to-destination');
    const dest = at >= 0 ? words[at + 1] : undefined;
    if (!dest) continue;
    const ip = dest.split(':')[0]!;
    if (!keep.has(ip)) out.push(words.slice(2));
  }
  return out;
}
