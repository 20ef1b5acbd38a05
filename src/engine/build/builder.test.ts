import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build, planBuild, type BuildMessage, type BuildOptions } from './builder.js';
import { createFakeBuildDeps, type FakeRun } from './fake-build-deps.js';

const BUSYBOX = { 'busybox:latest': { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['sh'] } };
const s = (stream: string): BuildMessage => ({ stream });
const step = (n: number, m: number, text: string) => [s(`Step ${n}/${m} : ${text}`), s('\n')];
const img = (n: number) => `1a9e${n.toString(16).padStart(8, '0')}`;
const ctr = (n: number) => `c0de${n.toString(16).padStart(8, '0')}`;
const fullImg = (n: number) => `sha256:${img(n).padEnd(64, '0')}`;

async function setup(t: { after: (fn: () => Promise<void>) => void }, dockerfile: string, files: Record<string, string> = {}) {
  const contextDir = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-build-'));
  await fs.writeFile(path.join(contextDir, 'Dockerfile'), dockerfile);
  for (const [name, content] of Object.entries(files)) await fs.writeFile(path.join(contextDir, name), content);
  t.after(() => fs.rm(contextDir, { recursive: true, force: true }));
  const opts: BuildOptions = { contextDir, tags: ['cf-t'], buildArgs: {}, noCache: false, quiet: false, forceRm: true, rm: true };
  return opts;
}

function fake(t: { after: (fn: () => Promise<void>) => void }, script?: (argv: string[]) => FakeRun) {
  const deps = createFakeBuildDeps(BUSYBOX, script);
  t.after(() => deps.cleanup());
  return deps;
}

async function collect(opts: BuildOptions, deps: ReturnType<typeof createFakeBuildDeps>) {
  const messages: BuildMessage[] = [];
  const result = await build(opts, deps, (m) => messages.push(m));
  return { messages, result };
}

test('a small build: the exact stream, then cache hits on the second build', async (t) => {
  const opts = await setup(t, 'FROM busybox:latest\nENV A=1\nCOPY f.txt /f.txt\nRUN echo hi\nCMD ["sh"]\n', { 'f.txt': 'hello' });
  const deps = fake(t, () => ({ stdout: 'hi\n' }));
  const first = await collect(opts, deps);
  assert.deepEqual(first.messages, [
    ...step(1, 5, 'FROM busybox:latest'), s(' ---> ba5e00000001\n'),
    ...step(2, 5, 'ENV A=1'), s(` ---> Running in ${ctr(1)}\n`), s(`Removing intermediate container ${ctr(1)}\n`), s(` ---> ${img(2)}\n`),
    ...step(3, 5, 'COPY f.txt /f.txt'), s(` ---> ${img(3)}\n`),
    ...step(4, 5, 'RUN echo hi'), s(` ---> Running in ${ctr(3)}\n`), s('hi\n'), s(`Removing intermediate container ${ctr(3)}\n`), s(` ---> ${img(4)}\n`),
    ...step(5, 5, 'CMD ["sh"]'), s(` ---> Running in ${ctr(4)}\n`), s(`Removing intermediate container ${ctr(4)}\n`), s(` ---> ${img(5)}\n`),
    { aux: { ID: fullImg(5) } },
    s(`Successfully built ${img(5)}\n`),
    s('Successfully tagged cf-t:latest\n'),
  ]);
  assert.deepEqual(first.result, { imageId: fullImg(5), tags: ['cf-t:latest'] });
  assert.equal(await fs.readFile(path.join(deps.rootfsDirs[0]!, 'f.txt'), 'utf8'), 'hello');
  const final = deps.images.get(fullImg(5))!;
  assert.deepEqual(final.config, { Env: [...BUSYBOX['busybox:latest'].Env, 'A=1'], Cmd: ['sh'] });
  assert.deepEqual([...deps.images.values()].map((i) => i.createdBy).slice(1), [
    '/bin/sh -c #(nop)  ENV A=1',
    '/bin/sh -c #(nop)  COPY file:' + (deps.images.get(fullImg(3))!.createdBy.match(/file:([0-9a-f]{64})/)![1]) + ' in /f.txt ',
    '/bin/sh -c echo hi',
    '/bin/sh -c #(nop)  CMD ["sh"]',
  ]);
  assert.deepEqual(deps.runs[0]!.config, { Env: BUSYBOX['busybox:latest'].Env.concat('A=1'), Cmd: ['/bin/sh', '-c', 'echo hi'], Entrypoint: null });

  const second = await collect(opts, deps);
  assert.deepEqual(second.messages, [
    ...step(1, 5, 'FROM busybox:latest'), s(' ---> ba5e00000001\n'),
    ...step(2, 5, 'ENV A=1'), s(' ---> Using cache\n'), s(` ---> ${img(2)}\n`),
    ...step(3, 5, 'COPY f.txt /f.txt'), s(' ---> Using cache\n'), s(` ---> ${img(3)}\n`),
    ...step(4, 5, 'RUN echo hi'), s(' ---> Using cache\n'), s(` ---> ${img(4)}\n`),
    ...step(5, 5, 'CMD ["sh"]'), s(' ---> Using cache\n'), s(` ---> ${img(5)}\n`),
    { aux: { ID: fullImg(5) } },
    s(`Successfully built ${img(5)}\n`),
    s('Successfully tagged cf-t:latest\n'),
  ]);

  // a changed file busts the cache from the COPY on; --no-cache runs everything again
  await fs.writeFile(path.join(opts.contextDir, 'f.txt'), 'changed');
  const third = await collect(opts, deps);
  assert.deepEqual(third.messages.slice(5, 13), [
    s(' ---> Using cache\n'), s(` ---> ${img(2)}\n`), ...step(3, 5, 'COPY f.txt /f.txt'), s(` ---> ${img(6)}\n`), ...step(4, 5, 'RUN echo hi'), s(` ---> Running in ${ctr(6)}\n`),
  ]);
  const fourth = await collect({ ...opts, noCache: true }, deps);
  assert.equal(fourth.messages.filter((m) => 'stream' in m && m.stream === ' ---> Using cache\n').length, 0);
});

test('a failing RUN: stderr in red, the container removed with forcerm, the error object', async (t) => {
  const opts = await setup(t, 'FROM busybox:latest\nVOLUME /MountPointDemo\nRUN cat /MountPointDemo/date.txt\n');
  const deps = fake(t, () => ({ stderr: "cat: can't open '/MountPointDemo/date.txt': No such file or directory\n", exitCode: 1 }));
  const { messages, result } = await collect(opts, deps);
  const msg = "The command '/bin/sh -c cat /MountPointDemo/date.txt' returned a non-zero code: 1";
  assert.equal(result, undefined);
  assert.deepEqual(messages.slice(8), [
    ...step(3, 3, 'RUN cat /MountPointDemo/date.txt'),
    s(` ---> Running in ${ctr(2)}\n`),
    s("\u001b[91mcat: can't open '/MountPointDemo/date.txt': No such file or directory\n\u001b[0m"),
    s(`Removing intermediate container ${ctr(2)}\n`),
    { errorDetail: { code: 1, message: msg }, error: msg },
  ]);
  assert.deepEqual(deps.runs[0]!.config.Volumes, { '/MountPointDemo': {} });
  assert.equal(deps.tags.size, 0);

  // without forcerm (rm only) the failed container is left, as Docker does
  const deps2 = fake(t, () => ({ exitCode: 3 }));
  const kept = await collect({ ...opts, forceRm: false }, deps2);
  assert.equal(kept.messages.some((m) => 'stream' in m && m.stream.startsWith('Removing') && m.stream.includes(ctr(2))), false);
  assert.equal(deps2.calls.includes(`removeContainer ${ctr(2)}`), false);
});

test('quiet: only the image id on success; everything replayed on failure', async (t) => {
  const opts = await setup(t, 'FROM busybox:latest\nRUN $CMD\n');
  const ok = await collect({ ...opts, quiet: true }, fake(t));
  assert.deepEqual(ok.messages, [s(`${fullImg(2)}\n`)]);
  const bad = await collect({ ...opts, quiet: true }, fake(t, () => ({ exitCode: 127 })));
  assert.equal(bad.messages.length, 8);
  assert.deepEqual(bad.messages[7], {
    errorDetail: { code: 127, message: "The command '/bin/sh -c $CMD' returned a non-zero code: 127" },
    error: "The command '/bin/sh -c $CMD' returned a non-zero code: 127",
  });
});

test('errors before any output are thrown (the API answers with a status)', async (t) => {
  const opts = await setup(t, 'FROM busybox:latest\nFOO bar\n');
  await assert.rejects(collect(opts, fake(t)), { message: 'dockerfile parse error line 2: unknown instruction: FOO' });
  await assert.rejects(collect({ ...opts, tags: ['Bad'] }, fake(t)), { message: 'invalid reference format: repository name must be lowercase' });
  await assert.rejects(collect({ ...opts, dockerfileName: 'Missing' }, fake(t)), { message: 'Cannot locate specified Dockerfile: Missing' });
  const missing = await setup(t, 'FROM nothere\n');
  const { messages } = await collect(missing, fake(t));
  assert.deepEqual(messages.at(-1), { errorDetail: { message: 'No such image: nothere' }, error: 'No such image: nothere' });
});

test('ARG and --build-arg: scoping, RUN environment, history and the unused warning', async (t) => {
  const opts = await setup(t, 'ARG BASE=busybox\nFROM ${BASE}:latest\nARG V=1\nENV E=$V\nRUN echo $V\nARG BASE\nLABEL b=$BASE\n');
  const deps = fake(t);
  const { messages } = await collect({ ...opts, buildArgs: { V: '2', UNUSED: 'x', HTTP_PROXY: 'http://p' } }, deps);
  assert.deepEqual(messages.slice(0, 5), [...step(1, 7, 'ARG BASE=busybox'), ...step(2, 7, 'FROM ${BASE}:latest'), s(' ---> ba5e00000001\n')]);
  assert.deepEqual(deps.runs[0]!.config.Env, [...BUSYBOX['busybox:latest'].Env, 'E=2', 'HTTP_PROXY=http://p', 'V=2']);
  const created = [...deps.images.values()].map((i) => i.createdBy);
  assert.ok(created.includes('|1 V=2 /bin/sh -c echo $V'), created.join('\n'));
  assert.ok(created.includes('/bin/sh -c #(nop)  ARG V=1'));
  assert.ok(created.includes('/bin/sh -c #(nop)  LABEL b=busybox'));
  assert.ok(messages.some((m) => 'stream' in m && m.stream === '[Warning] One or more build-args [UNUSED] were not consumed\n'));
});

test('FROM scratch gets a default PATH; ENTRYPOINT drops the inherited CMD; stages by name; ONBUILD triggers run', async (t) => {
  const opts = await setup(t, [
    'FROM scratch AS base', 'ENV X=1', 'ONBUILD LABEL from=trigger',
    'FROM busybox:latest', 'ENTRYPOINT ["/bin/sh", "/start.sh"]',
    'FROM base', 'USER nobody',
  ].join('\n'));
  const deps = fake(t);
  const { messages, result } = await collect({ ...opts, tags: [] }, deps);
  const base = deps.images.get(fullImg(2))!.config;
  assert.deepEqual(base.Env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'X=1']);
  assert.deepEqual(deps.images.get(fullImg(4))!.config, { Env: BUSYBOX['busybox:latest'].Env, Cmd: null, Entrypoint: ['/bin/sh', '/start.sh'] });
  const texts = messages.map((m) => ('stream' in m ? m.stream : JSON.stringify(m)));
  const at = texts.indexOf('Step 6/7 : FROM base');
  assert.deepEqual(texts.slice(at, at + 6), [
    'Step 6/7 : FROM base', '\n', '# Executing 1 build trigger', '\n', ` ---> Running in ${ctr(4)}\n`, `Removing intermediate container ${ctr(4)}\n`,
  ]);
  const final = deps.images.get(result!.imageId)!.config;
  assert.deepEqual(final, { Env: base.Env, OnBuild: null, Labels: { from: 'trigger' }, User: 'nobody' });
  assert.equal(texts.filter((x) => x.startsWith('{"aux"')).length, 3);
  assert.equal(texts.at(-1), `Successfully built ${img(6)}\n`);
});

test('planBuild counts meta ARGs, FROMs and commands as steps', () => {
  const plan = planBuild('ARG A\nFROM a AS one\nRUN x\nFROM one\nCMD y\n');
  assert.equal(plan.totalSteps, 5);
  assert.deepEqual(plan.stages.map((st) => [st.from.image, st.from.stageName, st.commands.length]), [['a', 'one', 1], ['one', undefined, 1]]);
  assert.throws(() => planBuild('RUN x\n'), { message: 'no build stage in current context' });
});
