import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BuildContext, digestSources, globToRegex } from './build-context.js';
import { copySources, resolveChown, resolveDest } from './rootfs-copy.js';

async function makeContext(files: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-ctx-'));
  for (const [name, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), content);
  }
  return dir;
}

test('sources: files, directories, wildcards, .dockerignore and escapes', async (t) => {
  const dir = await makeContext({
    'Dockerfile': 'FROM scratch\n', '.dockerignore': 'secret.txt\nlogs\n', 'a.txt': 'A', 'b.txt': 'B',
    'secret.txt': 'S', 'logs/x.log': 'L', 'src/main.c': 'int main;', 'src/notes/n.txt': 'N',
  });
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.symlink('/etc/passwd', path.join(dir, 'src/link'));
  const ctx = await BuildContext.open(dir);

  const wild = await ctx.resolveSources('COPY', ['*.txt'], '/d/');
  assert.deepEqual(wild.map((s) => s.rel), ['a.txt', 'b.txt']);
  const whole = await ctx.resolveSources('COPY', ['.'], '/app');
  assert.deepEqual(whole[0]!.entries.map((e) => e.sub), [
    '', '.dockerignore', 'Dockerfile', 'a.txt', 'b.txt', 'src', 'src/link', 'src/main.c', 'src/notes', 'src/notes/n.txt',
  ]);
  await assert.rejects(ctx.resolveSources('COPY', ['secret.txt'], '/x'), {
    message: 'COPY failed: file not found in build context or excluded by .dockerignore: stat secret.txt: file does not exist',
  });
  await assert.rejects(ctx.resolveSources('COPY', ['logs/x.log'], '/x'), { message: /excluded by .dockerignore/ });
  await assert.rejects(ctx.resolveSources('COPY', ['../etc/passwd'], '/x'), {
    message: 'COPY failed: Forbidden path outside the build context: ../etc/passwd ()',
  });
  await assert.rejects(ctx.resolveSources('COPY', ['a.txt', 'b.txt'], '/x'), {
    message: 'When using COPY with more than one source file, the destination must be a directory and end with a /',
  });
  await assert.rejects(ctx.resolveSources('COPY', ['*.none'], '/x/'), { message: 'COPY failed: no source files were specified' });
  await assert.rejects(ctx.resolveSources('ADD', ['http://example.com/x'], '/x'), { message: /remote URLs are not supported/ });
  // a symlink to an absolute path resolves inside the context, never to the host file
  await assert.rejects(ctx.resolveSources('COPY', ['src/link'], '/x'), { message: /file not found/ });
  assert.equal(await ctx.readDockerfile('Dockerfile'), 'FROM scratch\n');
  await assert.rejects(ctx.readDockerfile('Nope'), { message: 'Cannot locate specified Dockerfile: Nope' });
});

test('the digest follows content and modes, not times', async (t) => {
  const a = await makeContext({ 'f.txt': 'same' });
  const b = await makeContext({ 'f.txt': 'same' });
  t.after(async () => {
    await fs.rm(a, { recursive: true, force: true });
    await fs.rm(b, { recursive: true, force: true });
  });
  await fs.utimes(path.join(b, 'f.txt'), 1000, 1000);
  const digest = async (root: string) => digestSources(await (await BuildContext.open(root)).resolveSources('COPY', ['f.txt'], '/'));
  assert.equal(await digest(a), await digest(b));
  await fs.chmod(path.join(b, 'f.txt'), 0o755);
  assert.notEqual(await digest(a), await digest(b));
});

test('copying into a rootfs keeps modes and links and stays inside the rootfs', async (t) => {
  const ctxDir = await makeContext({ 'start.sh': '#!/bin/sh\n', 'tree/a': 'a', 'tree/sub/b': 'b' });
  const rootfs = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-rootfs-'));
  t.after(async () => {
    await fs.rm(ctxDir, { recursive: true, force: true });
    await fs.rm(rootfs, { recursive: true, force: true });
  });
  await fs.chmod(path.join(ctxDir, 'start.sh'), 0o755);
  await fs.symlink('a', path.join(ctxDir, 'tree/link'));
  await fs.mkdir(path.join(rootfs, 'etc'));
  await fs.writeFile(path.join(rootfs, 'etc/passwd'), 'root:x:0:0::/root:/bin/sh\nweb:x:33:34::/:/bin/sh\n');
  await fs.writeFile(path.join(rootfs, 'etc/group'), 'root:x:0:\nwww:x:34:\n');
  await fs.symlink('/etc', path.join(rootfs, 'escape')); // absolute link: must resolve inside rootfs
  const ctx = await BuildContext.open(ctxDir);

  await copySources({ rootfs, sources: await ctx.resolveSources('COPY', ['start.sh'], '/'), dest: '/start.sh', owner: { uid: 0, gid: 0 } });
  assert.equal((await fs.stat(path.join(rootfs, 'start.sh'))).mode & 0o777, 0o755);
  await copySources({ rootfs, sources: await ctx.resolveSources('COPY', ['tree'], '/'), dest: resolveDest('/app', 'dst/'), owner: { uid: 33, gid: 34 } });
  assert.equal(await fs.readFile(path.join(rootfs, 'app/dst/sub/b'), 'utf8'), 'b');
  assert.equal(await fs.readlink(path.join(rootfs, 'app/dst/link')), 'a');
  assert.equal((await fs.stat(path.join(rootfs, 'app/dst/a'))).uid, 33);
  await copySources({ rootfs, sources: await ctx.resolveSources('COPY', ['start.sh'], '/'), dest: '/escape/', owner: { uid: 0, gid: 0 } });
  assert.equal(await fs.readFile(path.join(rootfs, 'etc/start.sh'), 'utf8'), '#!/bin/sh\n');

  assert.deepEqual(await resolveChown(rootfs, 'web:www'), { uid: 33, gid: 34 });
  assert.deepEqual(await resolveChown(rootfs, '1000'), { uid: 1000, gid: 1000 });
  await assert.rejects(resolveChown(rootfs, 'nobody'), {
    message: 'unable to convert uid/gid chown string to host mapping: can\'t find uid for user nobody: no such user: nobody',
  });
});

test('resolveDest and globToRegex', () => {
  assert.deepEqual([resolveDest('/app', '.'), resolveDest(undefined, 'x'), resolveDest('/w', '/abs/'), resolveDest('/w', 'd/')],
    ['/app/', '/x', '/abs/', '/w/d/']);
  assert.equal(globToRegex('src/*.c').test('src/main.c'), true);
  assert.equal(globToRegex('*.c').test('src/main.c'), false);
  assert.equal(globToRegex('file[0-9].txt').test('file7.txt'), true);
});

test('ADD extracts a local tar or tar.gz archive through the injected extractor; COPY copies it as a file', async (t) => {
  const ctxDir = await makeContext({ 'inner/hello.txt': 'hi' });
  const rootfs = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-rootfs-'));
  t.after(async () => {
    await fs.rm(ctxDir, { recursive: true, force: true });
    await fs.rm(rootfs, { recursive: true, force: true });
  });
  const { execFileSync } = await import('node:child_process');
  execFileSync('tar', ['-C', path.join(ctxDir, 'inner'), '-czf', path.join(ctxDir, 'a.tar.gz'), 'hello.txt']);
  const ctx = await BuildContext.open(ctxDir);
  const calls: { dest: string; bytes: number }[] = [];
  const extractTar = async (input: NodeJS.ReadableStream, dest: string) => {
    let bytes = 0;
    for await (const chunk of input) bytes += (chunk as Buffer).length;
    calls.push({ dest, bytes });
  };
  const sources = await ctx.resolveSources('ADD', ['a.tar.gz'], '/opt/');
  await copySources({ rootfs, sources, dest: '/opt/', owner: { uid: 0, gid: 0 }, extractTar });
  assert.deepEqual(calls, [{ dest: path.join(rootfs, 'opt'), bytes: 10240 }]);
  await copySources({ rootfs, sources, dest: '/copy/', owner: { uid: 0, gid: 0 } });
  assert.ok((await fs.stat(path.join(rootfs, 'copy/a.tar.gz'))).isFile());
});
