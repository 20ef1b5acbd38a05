/**
 * HEALTHCHECK: `NONE`, or `[--interval=D] [--timeout=D] [--start-period=D] [--retries=N] CMD ...`.
 * Durations use Go's syntax (`30s`, `1m30s`, `500ms`). Pure.
 */
import { parseFlags } from './instruction-flags.js';
import type { HealthConfig } from './image-config.js';

/** A parsed HEALTHCHECK, ready to become the image's Healthcheck. */
export type HealthcheckSpec = HealthConfig;

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Parses a Go duration (`1m30s`) into nanoseconds; throws on bad syntax. */
export function parseGoDuration(text: string): number {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let sign = 1;
  let body = text;
  if (body.startsWith('-') || body.startsWith('+')) {
    sign = body.startsWith('-') ? -1 : 1;
    body = body.slice(1);
  }
  if (body === '') throw new Error(`time: invalid duration "${text}"`);
  re.lastIndex = 0;
  let consumed = 0;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    total += Number(m[1]) * UNIT_NS[m[2]!]!;
    consumed = re.lastIndex;
  }
  if (consumed !== body.length) throw new Error(`time: invalid duration "${text}"`);
  return Math.round(sign * total);
}

/** Formats nanoseconds the way Go prints a time.Duration (`30s`, `1m30s`, `0s`). */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return '0s';
  if (ns < 1e9) {
    if (ns < 1e3) return `${ns}ns`;
    if (ns < 1e6) return `${ns / 1e3}µs`;
    return `${ns / 1e6}ms`;
  }
  let rest = ns / 1e9;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  rest -= m * 60;
  const s = `${Number(rest.toFixed(9))}s`;
  if (h > 0) return `${h}h${m}m${s}`;
  if (m > 0) return `${m}m${s}`;
  return s;
}

function readDuration(name: string, value: string | boolean | undefined): number {
  if (typeof value !== 'string' || value === '') return 0;
  const ns = parseGoDuration(value);
  if (ns < 1e6) throw new Error(`Interval "${name}" cannot be less than 1ms`);
  return ns;
}

/** Parses HEALTHCHECK flags and arguments. */
export function parseHealthcheck(flagWords: readonly string[], rest: string): HealthcheckSpec {
  const match = /^(\S+)\s*([\s\S]*)$/.exec(rest.trim());
  if (!match) throw new Error('HEALTHCHECK requires at least one argument');
  const type = match[1]!.toUpperCase();
  const args = match[2]!;
  if (type === 'NONE') {
    if (args !== '') throw new Error('HEALTHCHECK NONE takes no arguments');
    return { Test: ['NONE'] };
  }
  const flags = parseFlags(flagWords, {
    interval: 'string',
    timeout: 'string',
    'start-period': 'string',
    retries: 'string',
  });
  if (type !== 'CMD') throw new Error(`Unknown type "${type}" in HEALTHCHECK (try CMD)`);
  if (args === '') throw new Error('Missing command after HEALTHCHECK CMD');
  let test: string[];
  try {
    const parsed: unknown = JSON.parse(args);
    test = Array.isArray(parsed) && parsed.every((p) => typeof p === 'string') ? ['CMD', ...parsed] : ['CMD-SHELL', args];
  } catch {
    test = ['CMD-SHELL', args];
  }
  let retries = 0;
  if (typeof flags.retries === 'string' && flags.retries !== '') {
    retries = Number(flags.retries);
    if (!Number.isInteger(retries)) throw new Error(`strconv.ParseInt: parsing "${flags.retries}": invalid syntax`);
    if (retries < 1) throw new Error(`--retries must be at least 1 (not ${retries})`);
  }
  return {
    Test: test,
    Interval: readDuration('interval', flags.interval),
    Timeout: readDuration('timeout', flags.timeout),
    StartPeriod: readDuration('start-period', flags['start-period']),
    Retries: retries,
  };
}
