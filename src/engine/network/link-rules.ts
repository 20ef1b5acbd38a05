/**
 * With `--icc=false`, containers on the bridge cannot reach each other, except a link recipient
 * reaching the exposed ports of its source (Docker's legacy-link exception). Pure rule builder.
 */
import { type RuleSpec, chainNamesFor } from './bridge-rules.js';

export interface LinkAccess {
  recipientIp: string;
  sourceIp: string;
  /** The source's exposed ports. */
  ports: { proto: string; port: number }[];
}

/** Two ACCEPT rules per exposed port: recipient → source:port, and the answers back. */
export function buildLinkRules(bridge: string, link: LinkAccess): RuleSpec[] {
  const chain = chainNamesFor(bridge).forward;
  return link.ports.flatMap(({ proto, port }) => [
    {
      table: 'filter' as const,
      chain,
      rule: ['-i', bridge, '-o', bridge, '-s', link.recipientIp, '-d', link.sourceIp, '-p', proto, '-m', proto, '--dport', String(port), '-j', 'ACCEPT'],
    },
    {
      table: 'filter' as const,
      chain,
      rule: ['-i', bridge, '-o', bridge, '-s', link.sourceIp, '-d', link.recipientIp, '-p', proto, '-m', proto, '--sport', String(port), '-j', 'ACCEPT'],
    },
  ]);
}
