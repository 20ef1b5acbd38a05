/**
 * Running the instructions of a stage, one image per step, with the classic builder's output:
 * ` ---> Running in <id>`, `Removing intermediate container <id>`, ` ---> Using cache`.
 * The side effects go through BuildDeps; the decisions (config, cache keys, messages) are here.
 */
import { promises as fs } from 'node:fs';
import { invalidParameter } from '../../errors.js';
import { computeCacheKey } from './build-cache.js';
import { BuildArgs } from './build-args.js';
import { digestSources, type BuildContext, type CopySource } from './build-context.js';
import { BuildOutput, CommandFailedError } from './build-output.js';
import type { BuildDeps, BuildOptions } from './build-types.js';
import {
  applyConfigInstruction, CONFIG_KINDS, nopCreatedBy, resolveCommandLine,
} from './config-instructions.js';
import { canonicalJson, cloneImageConfig, shortId, type ImageConfig } from './image-config.js';
import type { CommandLine, Instruction } from './instructions.js';
import { copySources, resolveChown, resolveDest } from './rootfs-copy.js';
import { resolveInRoot } from '../../store/scoped-path.js';
import { lookupFromEnvList, processWord, type VariableLookup } from './shell-lex.js';

/** The state of the stage being built. */
export interface StageState {
  imageId: string | null;
  config: ImageConfig;
  cmdSet: boolean;
  /** After the first cache miss of a stage, later steps are not looked up (as in Docker). */
  cacheBusted: boolean;
}

/** Dispatches instructions of one build. */
export class StepRunner {
  constructor(
    private readonly deps: BuildDeps,
    private readonly out: BuildOutput,
    private readonly opts: BuildOptions,
    private readonly context: BuildContext,
    readonly args: BuildArgs,
    private readonly escape: string,
  ) {}

  /** Variables visible to substitution: ENV first, then the allowed build args. */
  lookup(state: StageState): VariableLookup {
    const env = state.config.Env ?? [];
    return lookupFromEnvList([...env, ...this.args.filterAllowed(env)]);
  }

  /** Runs one instruction of the current stage. */
  async dispatch(state: StageState, instr: Instruction): Promise<void> {
    if (instr.kind === 'arg') {
      const word = (w: string) => processWord(w, this.lookup(state), this.escape);
      const name = word(instr.name);
      const def = instr.defaultValue === undefined ? undefined : word(instr.defaultValue);
      this.args.addArg(name, def);
      await this.commitConfig(state, state.config, `ARG ${name}${def === undefined ? '' : `=${def}`}`);
      return;
    }
    if (instr.kind === 'run') return this.run(state, instr.command);
    if (instr.kind === 'copy' || instr.kind === 'add') return this.copy(state, instr);
    if (instr.kind === 'workdir') return this.workdir(state, instr);
    if (!CONFIG_KINDS.has(instr.kind)) throw invalidParameter(`${instr.kind.toUpperCase()} is not valid here`);
    const change = applyConfigInstruction(instr, state.config, {
      lookup: this.lookup(state), escape: this.escape, cmdSet: state.cmdSet,
    });
    state.cmdSet = change.cmdSet;
    await this.commitConfig(state, change.config, change.comment);
  }

  /** Looks a step up in the cache; prints ` ---> Using cache` and moves the stage on a hit. */
  private async probe(state: StageState, key: string, config: ImageConfig): Promise<boolean> {
    if (this.opts.noCache || state.cacheBusted) return false;
    const cached = await this.deps.cache.get(key);
    const valid = cached !== undefined && (await this.deps.resolveImage(cached).then(() => true, () => false));
    if (!valid) {
      state.cacheBusted = true;
      return false;
    }
    this.out.stream(' ---> Using cache\n');
    state.imageId = cached!;
    state.config = config;
    return true;
  }

  private cacheKey(state: StageState, step: string, config: ImageConfig, content = ''): string {
    return computeCacheKey({ parentId: state.imageId, step, config: canonicalJson(config), content });
  }

  private async finishStep(state: StageState, key: string, imageId: string, config: ImageConfig): Promise<void> {
    state.imageId = imageId;
    state.config = config;
    await this.deps.cache.put(key, imageId);
  }

  private get removeAfterSuccess(): boolean {
    return this.opts.rm || this.opts.forceRm;
  }

  private async removeIntermediate(containerId: string): Promise<void> {
    await this.deps.removeContainer(containerId);
    this.out.stream(`Removing intermediate container ${shortId(containerId)}\n`);
  }

  /** A step that only changes the config (Docker still reports a container for it). */
  private async commitConfig(state: StageState, config: ImageConfig, comment: string): Promise<void> {
    const key = this.cacheKey(state, comment, config);
    if (await this.probe(state, key, config)) return;
    const containerId = this.deps.randomId();
    this.out.stream(` ---> Running in ${shortId(containerId)}\n`);
    const imageId = await this.deps.commitConfigOnly(state.imageId, config, nopCreatedBy(config, comment));
    if (this.removeAfterSuccess) this.out.stream(`Removing intermediate container ${shortId(containerId)}\n`);
    await this.finishStep(state, key, imageId, config);
  }

  private async run(state: StageState, command: CommandLine): Promise<void> {
    const argv = resolveCommandLine(command, state.config);
    const env = state.config.Env ?? [];
    const argEnv = this.args.filterAllowed(env);
    let saveCmd = argv;
    if (argEnv.length > 0) {
      const keyed = argEnv.filter((e) => this.args.isReferencedOrNotBuiltin(e.split('=', 1)[0]!));
      saveCmd = [`|${keyed.length}`, ...keyed, ...argv];
    }
    const createdBy = saveCmd.join(' ');
    const key = this.cacheKey(state, `RUN ${JSON.stringify(saveCmd)}`, state.config);
    if (await this.probe(state, key, state.config)) return;

    const runConfig = cloneImageConfig(state.config);
    runConfig.Cmd = argv;
    runConfig.Entrypoint = null;
    runConfig.Env = [...env, ...argEnv];
    delete runConfig.Healthcheck;
    const writers = this.out.processWriters();
    let created: string | undefined;
    let result: { containerId: string; exitCode: number };
    try {
      result = await this.deps.runStep({ imageId: state.imageId, config: runConfig }, {
        created: (id) => {
          created = id;
          this.out.stream(` ---> Running in ${shortId(id)}\n`);
        },
        output: writers.write,
      });
    } catch (err) {
      writers.end();
      if (this.opts.forceRm && created) await this.removeIntermediate(created);
      throw err;
    }
    writers.end();
    if (result.exitCode !== 0) {
      if (this.opts.forceRm) await this.removeIntermediate(result.containerId);
      throw new CommandFailedError(argv, result.exitCode);
    }
    const imageId = await this.deps.commitContainer(result.containerId, state.config, createdBy);
    if (this.removeAfterSuccess) await this.removeIntermediate(result.containerId);
    await this.finishStep(state, key, imageId, state.config);
  }

  private async copy(state: StageState, instr: Extract<Instruction, { kind: 'copy' | 'add' }>): Promise<void> {
    const name = instr.kind.toUpperCase();
    if (instr.from !== undefined) throw invalidParameter(`${name} --from is not supported by this builder`);
    const lookup = this.lookup(state);
    const word = (w: string) => processWord(w, lookup, this.escape);
    const sources = instr.sources.map(word);
    const dest = word(instr.dest);
    const chown = instr.chown === undefined ? undefined : word(instr.chown);
    const found = await this.context.resolveSources(name, sources, dest);
    const digest = await digestSources(found);
    const comment = `${name} ${chown ? `--chown=${chown} ` : ''}${sourceHash(found, digest)} in ${dest} `;
    const key = this.cacheKey(state, comment, state.config, digest);
    if (await this.probe(state, key, state.config)) return;

    const destPath = resolveDest(state.config.WorkingDir, dest);
    const step = await this.deps.copyIntoContainerStep({ imageId: state.imageId, config: state.config });
    try {
      const owner = chown ? await resolveChown(step.rootfs, chown) : { uid: 0, gid: 0 };
      await copySources({
        rootfs: step.rootfs, sources: found, dest: destPath, owner,
        ...(instr.kind === 'add' ? { extractTar: this.deps.extractTar } : {}),
      });
      const imageId = await this.deps.commitContainer(step.containerId, state.config, nopCreatedBy(state.config, comment));
      await this.finishStep(state, key, imageId, state.config);
    } finally {
      await this.deps.removeContainer(step.containerId).catch(() => undefined);
    }
  }

  private async workdir(state: StageState, instr: Instruction): Promise<void> {
    const change = applyConfigInstruction(instr, state.config, {
      lookup: this.lookup(state), escape: this.escape, cmdSet: state.cmdSet,
    });
    const config = change.config;
    const key = this.cacheKey(state, change.comment, config);
    if (await this.probe(state, key, config)) return;
    const step = await this.deps.copyIntoContainerStep({ imageId: state.imageId, config });
    this.out.stream(` ---> Running in ${shortId(step.containerId)}\n`);
    let removed = false;
    try {
      const dir = await resolveInRoot(step.rootfs, config.WorkingDir ?? '/');
      await fs.mkdir(dir, { recursive: true, mode: 0o755 });
      const imageId = await this.deps.commitContainer(step.containerId, config, nopCreatedBy(config, change.comment));
      if (this.removeAfterSuccess) {
        await this.removeIntermediate(step.containerId);
        removed = true;
      }
      await this.finishStep(state, key, imageId, config);
    } finally {
      if (!removed) await this.deps.removeContainer(step.containerId).catch(() => undefined);
    }
  }
}

/** Docker's source description in COPY history: `file:<hex>`, `dir:<hex>` or `multi:<hex>`. */
function sourceHash(sources: readonly CopySource[], digest: string): string {
  const hex = digest.replace(/^sha256:/, '');
  if (sources.length > 1) return `multi:${hex}`;
  return `${sources[0]!.isDir ? 'dir' : 'file'}:${hex}`;
}
