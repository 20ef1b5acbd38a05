/**
 * ARG / --build-arg scoping, as the classic builder does it: a --build-arg is visible only once
 * an ARG declares it (in the stage, or before the first FROM for FROM lines); the proxy variables
 * are allowed without a declaration; ENV wins over ARG of the same name. Pure.
 */

/** Proxy variables usable with --build-arg without a matching ARG. */
export const BUILTIN_ARGS: ReadonlySet<string> = new Set([
  'HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy',
  'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy',
]);

/** The build arguments of one build, and the declarations seen so far in the current stage. */
export class BuildArgs {
  private allowed = new Map<string, string | undefined>();
  private readonly meta = new Map<string, string | undefined>();
  private readonly referenced = new Set<string>();

  /** `fromOptions` holds --build-arg values; null means "declared without a value". */
  constructor(private readonly fromOptions: Readonly<Record<string, string | null>>) {}

  /** Declares an ARG in the current stage. */
  addArg(name: string, defaultValue: string | undefined): void {
    this.allowed.set(name, defaultValue);
    this.referenced.add(name);
  }

  /** Declares an ARG before the first FROM (visible to FROM lines and to later `ARG name`). */
  addMetaArg(name: string, defaultValue: string | undefined): void {
    this.addArg(name, defaultValue);
    this.meta.set(name, defaultValue);
  }

  /** Starts a new stage: stage declarations are forgotten, meta ARGs stay. */
  resetStage(): void {
    this.allowed = new Map();
  }

  /** The value of a declared ARG, or undefined when it has none. */
  private valueOf(name: string, defaultValue: string | undefined): string | undefined {
    const option = this.fromOptions[name];
    if (typeof option === 'string') return option;
    if (defaultValue === undefined) return this.meta.get(name) ?? undefined;
    return defaultValue;
  }

  /** All args visible now with a value: declared ones plus builtin proxies given as options. */
  allAllowed(): Map<string, string> {
    const out = new Map<string, string>();
    for (const name of BUILTIN_ARGS) {
      const option = this.fromOptions[name];
      if (typeof option === 'string') out.set(name, option);
    }
    for (const [name, def] of this.allowed) {
      const value = this.valueOf(name, def);
      if (value !== undefined) out.set(name, value);
    }
    return out;
  }

  /** Meta ARG values (for FROM substitution). */
  metaValues(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [name, def] of this.meta) {
      const value = this.valueOf(name, def);
      if (value !== undefined) out.set(name, value);
    }
    return out;
  }

  /** `K=V` for the allowed args not overridden by `env`, sorted. */
  filterAllowed(env: readonly string[]): string[] {
    const envKeys = new Set(env.map((e) => e.split('=', 1)[0]!));
    return [...this.allAllowed()]
      .filter(([k]) => !envKeys.has(k))
      .map(([k, v]) => `${k}=${v}`)
      .sort();
  }

  /** True when `name` is a declared arg or not a builtin proxy variable (it goes into RUN's cache key). */
  isReferencedOrNotBuiltin(name: string): boolean {
    return this.referenced.has(name) || !BUILTIN_ARGS.has(name);
  }

  /** The --build-arg names no ARG ever declared, sorted (Docker warns about them). */
  unusedOptions(): string[] {
    return Object.keys(this.fromOptions)
      .filter((k) => !this.referenced.has(k) && !BUILTIN_ARGS.has(k))
      .sort();
  }
}
