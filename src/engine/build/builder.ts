/**
 * The classic builder (`DOCKER_BUILDKIT=0 docker build`): parses the Dockerfile, runs its stages
 * step by step through BuildDeps, and writes the same message stream as Docker 20.10:
 * `Step N/M : ...`, ` ---> <id>`, `{"aux":{"ID":...}}`, `Successfully built`, `Successfully tagged`.
 */
import { invalidParameter } from '../../errors.js';
import { BuildArgs } from './build-args.js';
import { BuildContext } from './build-context.js';
import { BuildOutput, type EmitFn } from './build-output.js';
import { StepRunner, type StageState } from './build-steps.js';
import { normalizeBuildTag } from './build-tags.js';
import type { BuildDeps, BuildOptions, BuildResult } from './build-types.js';
import { parseDockerfile } from './dockerfile-parser.js';
import { cloneImageConfig, shortId, type ImageConfig } from './image-config.js';
import { parseInstruction, type Instruction, type SourcedInstruction } from './instructions.js';
import { lookupFromEnvList, processWord } from './shell-lex.js';

export type { BuildDeps, BuildOptions, BuildResult } from './build-types.js';
export type { BuildMessage, EmitFn } from './build-output.js';

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

type FromInstruction = Extract<SourcedInstruction, { kind: 'from' }>;
type ArgInstruction = Extract<SourcedInstruction, { kind: 'arg' }>;

/** A Dockerfile split the way the builder runs it. */
export interface BuildPlan {
  escape: string;
  warnings: string[];
  metaArgs: ArgInstruction[];
  stages: { from: FromInstruction; commands: SourcedInstruction[] }[];
  totalSteps: number;
}

/** Parses Dockerfile text into meta ARGs and stages; all syntax errors surface here. */
export function planBuild(text: string): BuildPlan {
  const parsed = parseDockerfile(text);
  const metaArgs: ArgInstruction[] = [];
  const stages: BuildPlan['stages'] = [];
  for (const node of parsed.nodes) {
    const instr = parseInstruction(node, parsed.escape);
    if (instr.kind === 'from') stages.push({ from: instr, commands: [] });
    else if (stages.length > 0) stages[stages.length - 1]!.commands.push(instr);
    else if (instr.kind === 'arg') metaArgs.push(instr);
    else throw invalidParameter('no build stage in current context');
  }
  if (stages.length === 0) throw invalidParameter('no build stage in current context');
  const totalSteps = metaArgs.length + stages.reduce((n, s) => n + 1 + s.commands.length, 0);
  return { escape: parsed.escape, warnings: parsed.warnings, metaArgs, stages, totalSteps };
}

/**
 * Runs one build. Messages go to `emit`. Resolves with the result, or with undefined when the
 * build failed and the failure was reported on the stream; rejects when it failed before any
 * message was sent (the API then answers with an error status, as dockerd does).
 */
export async function build(opts: BuildOptions, deps: BuildDeps, emit: EmitFn): Promise<BuildResult | undefined> {
  const out = new BuildOutput(emit, opts.quiet);
  try {
    const result = await runBuild(opts, deps, out);
    if (opts.quiet) out.finishQuiet(result.imageId);
    return result;
  } catch (err) {
    if (!out.fail(err)) throw err;
    return undefined;
  }
}

async function runBuild(opts: BuildOptions, deps: BuildDeps, out: BuildOutput): Promise<BuildResult> {
  const tags = opts.tags.map(normalizeBuildTag);
  const context = await BuildContext.open(opts.contextDir);
  const plan = planBuild(await context.readDockerfile(opts.dockerfileName || 'Dockerfile'));
  for (const warning of plan.warnings) out.stderr(`${warning}\n`);

  const args = new BuildArgs(opts.buildArgs);
  const runner = new StepRunner(deps, out, opts, context, args, plan.escape);
  let step = 0;
  const printStep = (original: string) => {
    step++;
    out.stream(`Step ${step}/${plan.totalSteps} : ${original}`);
    out.stream('\n');
  };

  for (const meta of plan.metaArgs) {
    printStep(meta.original);
    const lookup = lookupFromEnvList([...args.allAllowed()].map(([k, v]) => `${k}=${v}`));
    const name = processWord(meta.name, lookup, plan.escape);
    const def = meta.defaultValue === undefined ? undefined : processWord(meta.defaultValue, lookup, plan.escape);
    args.addMetaArg(name, def);
  }

  const stageResults = new Map<string, { imageId: string | null; config: ImageConfig }>();
  let last: StageState | undefined;
  for (const stage of plan.stages) {
    args.resetStage();
    printStep(stage.from.original);
    const state = await beginStage(stage.from, deps, args, plan.escape, stageResults);
    const triggers = state.config.OnBuild ?? [];
    if (triggers.length > 0) {
      state.config.OnBuild = null;
      await runTriggers(triggers, state, runner, out);
    }
    out.stream(` ---> ${state.imageId ? shortId(state.imageId) : ''}\n`);
    for (const instr of stage.commands) {
      printStep(instr.original);
      await runner.dispatch(state, instr);
      out.stream(` ---> ${state.imageId ? shortId(state.imageId) : ''}\n`);
    }
    if (state.imageId) out.aux(state.imageId);
    if (stage.from.stageName) stageResults.set(stage.from.stageName, { imageId: state.imageId, config: state.config });
    last = state;
  }

  const unused = args.unusedOptions();
  if (unused.length > 0) out.stream(`[Warning] One or more build-args [${unused.join(' ')}] were not consumed\n`);
  const imageId = last?.imageId;
  if (!imageId) throw invalidParameter('No image was generated. Is your Dockerfile empty?');
  out.stream(`Successfully built ${shortId(imageId)}\n`);
  for (const tag of tags) {
    await deps.tag(imageId, tag);
    out.stream(`Successfully tagged ${tag}\n`);
  }
  return { imageId: imageId.startsWith('sha256:') ? imageId : `sha256:${imageId}`, tags };
}

async function beginStage(
  from: FromInstruction,
  deps: BuildDeps,
  args: BuildArgs,
  escape: string,
  stageResults: ReadonlyMap<string, { imageId: string | null; config: ImageConfig }>,
): Promise<StageState> {
  const metaLookup = lookupFromEnvList([...args.metaValues()].map(([k, v]) => `${k}=${v}`));
  const ref = processWord(from.image, metaLookup, escape);
  if (ref === '') throw invalidParameter('base name (' + from.image + ') should not be blank');
  let imageId: string | null;
  let config: ImageConfig;
  const previous = stageResults.get(ref.toLowerCase());
  if (previous) {
    ({ imageId, config } = previous);
  } else if (ref.toLowerCase() === 'scratch') {
    imageId = null;
    config = deps.scratchConfig();
  } else {
    ({ id: imageId, config } = await deps.resolveImage(ref));
  }
  const copy = cloneImageConfig(config ?? {});
  const env = copy.Env ?? [];
  if (!env.some((e) => e.startsWith('PATH='))) copy.Env = [...env, DEFAULT_PATH];
  return { imageId, config: copy, cmdSet: false, cacheBusted: false };
}

/** Runs a base image's ONBUILD triggers as part of the FROM step. */
async function runTriggers(triggers: readonly string[], state: StageState, runner: StepRunner, out: BuildOutput): Promise<void> {
  out.stream(`# Executing ${triggers.length} build trigger`);
  if (triggers.length > 1) out.stream('s');
  out.stream('\n');
  for (const trigger of triggers) {
    const parsed = parseDockerfile(trigger);
    const instr: Instruction = parseInstruction(parsed.nodes[0]!, parsed.escape);
    if (instr.kind === 'from' || instr.kind === 'onbuild' || instr.kind === 'maintainer') {
      throw invalidParameter(`${instr.kind.toUpperCase()} isn't allowed as an ONBUILD trigger`);
    }
    await runner.dispatch(state, instr);
  }
}
