/**
 * `docker push` and `docker login` with the real docker CLI against the real reference registry
 * (docker-registry 2.8): dockerd's lines, `Layer already exists` on a second push, a mount from
 * another repository, pull back with the same digest, skopeo's view of the manifest, and login
 * and push to a registry with htpasswd Basic auth.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TestDaemon, REPO } from './daemon-harness.js';
import { TestRegistry, freePort, sha256 } from './registry-harness.js';

const d = new TestDaemon();
const reg = new TestRegistry();
const DOCKER_V2 = 'application/vnd.docker.distribution.manifest.v2+json';

/** What the registry serves for a tag: digest, size and document. */
async function served(host: string, repo: string, ref: string, auth?: string) {
  const r = await fetch(`http://${host}/v2/${repo}/manifests/${ref}`, { headers: { Accept: DOCKER_V2, ...(auth ? { Authorization: auth } : {}) } });
  assert.equal(r.status, 200, `manifest ${repo}:${ref}`);
  const bytes = Buffer.from(await r.arrayBuffer());
  return { digest: sha256(bytes), size: bytes.length, type: r.headers.get('content-type'), manifest: JSON.parse(bytes.toString()) as { config: { digest: string }; layers: { digest: string; mediaType: string }[] } };
}

/** The docker CLI's output lines without progress bars (what it prints without a terminal). */
const lines = (out: string) => out.split('\n').filter(Boolean);
const diffIds = (image: string) => JSON.parse(d.docker(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', image]).stdout) as string[];
const short = (digest: string) => digest.slice(7, 19);

before(async () => {
  await reg.start();
  await d.start();
  d.importBusybox();
});
after(async () => {
  await d.stop();
  await reg.stop();
});

test('push of busybox and of a 3-layer image: dockerd\'s lines, the digest the registry serves, already-existing layers, a mount, pull back', async () => {
  const R = reg.host;
  assert.equal(d.docker(['tag', 'busybox:latest', `${R}/cf-box:1`]).code, 0);
  const bb = diffIds('busybox:latest');
  const first = d.docker(['push', `${R}/cf-box:1`]);
  assert.equal(first.code, 0, first.stderr);
  const box = await served(R, 'cf-box', '1');
  assert.deepEqual(lines(first.stdout), [
    `The push refers to repository [${R}/cf-box]`,
    `${short(bb[0]!)}: Preparing`,
    `${short(bb[0]!)}: Pushed`,
    `1: digest: ${box.digest} size: ${box.size}`,
  ]);
  assert.equal(box.type, DOCKER_V2);

  const build = d.docker(['build', '-q', '-t', `${R}/cf-three:v1`, '-'], 'FROM busybox\nRUN echo a > /a\nRUN echo b > /b\nCMD ["cat", "/a", "/b"]\n');
  assert.equal(build.code, 0, build.stderr);
  const three = diffIds(`${R}/cf-three:v1`);
  assert.equal(three.length, 3);
  const p1 = d.docker(['push', `${R}/cf-three:v1`]);
  assert.equal(p1.code, 0, p1.stderr);
  const m1 = await served(R, 'cf-three', 'v1');
  // The busybox layer went to cf-box as the same gzip: it is mounted from there.
  const out1 = lines(p1.stdout);
  assert.deepEqual(out1.slice(0, 4), [`The push refers to repository [${R}/cf-three]`, ...three.map((x) => `${short(x)}: Preparing`)]);
  // The uploads run at once: their final lines come in any order.
  assert.deepEqual(out1.slice(4, -1).sort(), [`${short(three[0]!)}: Mounted from cf-box`, `${short(three[1]!)}: Pushed`, `${short(three[2]!)}: Pushed`].sort());
  assert.equal(out1.at(-1), `v1: digest: ${m1.digest} size: ${m1.size}`);
  assert.equal(m1.manifest.layers[0]!.digest, box.manifest.layers[0]!.digest);
  assert.equal(m1.manifest.config.digest, d.docker(['image', 'inspect', '--format', '{{.Id}}', `${R}/cf-three:v1`]).stdout.trim());

  const p2 = d.docker(['push', `${R}/cf-three:v1`]);
  assert.equal(p2.code, 0, p2.stderr);
  const out2 = lines(p2.stdout).filter((l) => !l.endsWith(': Preparing'));
  assert.deepEqual(out2.slice(1, -1).sort(), three.map((x) => `${short(x)}: Layer already exists`).sort());
  assert.equal(out2.at(-1), `v1: digest: ${m1.digest} size: ${m1.size}`);
  assert.equal(d.docker(['image', 'inspect', '--format', '{{json .RepoDigests}}', `${R}/cf-three:v1`]).stdout.trim(), JSON.stringify([`${R}/cf-three@${m1.digest}`]));

  // skopeo reads what was pushed as a Docker schema2 image of 3 layers.
  const sk = spawnSync('skopeo', ['inspect', '--tls-verify=false', `docker://${R}/cf-three:v1`], { encoding: 'utf8' });
  assert.equal(sk.status, 0, sk.stderr);
  const info = JSON.parse(sk.stdout) as { Digest: string; Layers: string[] };
  assert.equal(info.Digest, m1.digest);
  assert.deepEqual(info.Layers, m1.manifest.layers.map((l) => l.digest));

  // Removed locally and pulled back: the same image, the same manifest digest; runs.
  assert.equal(d.docker(['rmi', `${R}/cf-three:v1`]).code, 0);
  const pull = d.docker(['pull', `${R}/cf-three:v1`]);
  assert.equal(pull.code, 0, pull.stderr);
  assert.match(pull.stdout, new RegExp(`Digest: ${m1.digest}\n`));
  assert.deepEqual(diffIds(`${R}/cf-three:v1`), three);
  assert.equal(d.docker(['run', '--rm', `${R}/cf-three:v1`]).stdout, 'a\nb\n');

  // A pulled image pushed to another repository: every layer is mounted from where it came from.
  assert.equal(d.docker(['tag', `${R}/cf-three:v1`, `${R}/cf-copy:v1`]).code, 0);
  const p3 = d.docker(['push', `${R}/cf-copy:v1`]);
  assert.equal(p3.code, 0, p3.stderr);
  const out3 = lines(p3.stdout).filter((l) => !l.endsWith(': Preparing'));
  assert.deepEqual(out3.slice(1, -1).sort(), three.map((x) => `${short(x)}: Mounted from cf-three`).sort());
  assert.equal(out3.at(-1), `v1: digest: ${m1.digest} size: ${m1.size}`);
});

test('push errors in dockerd\'s words: no registry there, no such repository, no such tag, a bad tag', async () => {
  const R = reg.host;
  const down = `127.0.0.1:${await freePort()}`;
  assert.equal(d.docker(['tag', 'busybox:latest', `${down}/cf-busybox:1`]).code, 0);
  const refused = d.docker(['push', `${down}/cf-busybox:1`]);
  assert.equal(refused.code, 1);
  // No layer line before the registry has answered, as dockerd.
  assert.equal(refused.stdout, `The push refers to repository [${down}/cf-busybox]\n`);
  assert.equal(refused.stderr.trim(), `Get "http://${down}/v2/": dial tcp ${down}: connect: connection refused`);
  const never = d.docker(['push', `${R}/cf-never:1`]);
  assert.equal(never.code, 1);
  assert.equal(never.stderr.trim(), `An image does not exist locally with the tag: ${R}/cf-never`);
  assert.equal(d.docker(['tag', 'busybox:latest', `${R}/cf-tagged:v1`]).code, 0);
  const noTag = d.docker(['push', `${R}/cf-tagged:v2`]);
  assert.equal(noTag.code, 1);
  assert.equal(noTag.stderr.trim(), `tag does not exist: ${R}/cf-tagged:v2`);
  const api = spawnSync('curl', ['-s', '-w', '\n%{http_code}', '-X', 'POST', '--unix-socket', d.sock, `http://x/images/${R}/cf-tagged/push?tag=bad:tag`], { encoding: 'utf8' });
  assert.deepEqual(api.stdout.split('\n'), ['{"message":"invalid tag format"}', '', '500']);
});

test('docker login against htpasswd: a wrong password is refused in dockerd\'s words; with the right one the CLI stores it and the push works', async () => {
  const priv = new TestRegistry({ user: 'cf-user', password: 'cf-s3cret!' });
  await priv.start();
  const saved = process.env.DOCKER_CONFIG;
  const cfgDir = path.join(d.dir, 'login-config');
  mkdirSync(cfgDir, { recursive: true });
  process.env.DOCKER_CONFIG = cfgDir;
  try {
    const P = priv.host;
    assert.equal(d.docker(['tag', 'busybox:latest', `${P}/cf-private:box`]).code, 0);
    const anon = d.docker(['push', `${P}/cf-private:box`]);
    assert.equal(anon.code, 1);
    assert.equal(anon.stderr.trim(), 'no basic auth credentials');
    const wrong = d.docker(['login', '-u', 'cf-user', '--password-stdin', P], 'wrong\n');
    assert.equal(wrong.code, 1);
    assert.equal(wrong.stderr.trim(), `Error response from daemon: login attempt to http://${P}/v2/ failed with status: 401 Unauthorized`);
    assert.equal(existsSync(path.join(cfgDir, 'config.json')) && (JSON.parse(readFileSync(path.join(cfgDir, 'config.json'), 'utf8')) as { auths?: Record<string, unknown> }).auths?.[P] !== undefined, false);
    const ok = d.docker(['login', '-u', 'cf-user', '--password-stdin', P], 'cf-s3cret!\n');
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Login Succeeded/);
    const push = d.docker(['push', `${P}/cf-private:box`]);
    assert.equal(push.code, 0, push.stderr);
    const auth = 'Basic ' + Buffer.from('cf-user:cf-s3cret!').toString('base64');
    const m = await served(P, 'cf-private', 'box', auth);
    assert.equal(lines(push.stdout).at(-1), `box: digest: ${m.digest} size: ${m.size}`);
    // Credentials the registry no longer takes: the distribution client's words for a bare 401.
    writeFileSync(path.join(cfgDir, 'config.json'), JSON.stringify({ auths: { [P]: { auth: Buffer.from('cf-user:stale').toString('base64') } } }));
    const stale = d.docker(['push', `${P}/cf-private:box`]);
    assert.equal(stale.code, 1);
    assert.equal(stale.stderr.trim(), 'unauthorized: authentication required');
  } finally {
    if (saved === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = saved;
    await priv.stop();
  }
});

test('wharf login / push / pull / logout share the docker CLI\'s config.json', async () => {
  const priv = new TestRegistry({ user: 'cf-user', password: 'cf-s3cret!' });
  await priv.start();
  const cfgDir = path.join(d.dir, 'wharf-config');
  const wharf = (args: string[], input?: string) => {
    const r = spawnSync(process.execPath, [path.join(REPO, 'dist/src/bin/wharf.js'), ...args], { env: { ...process.env, WHARF_HOST: `unix://${d.sock}`, DOCKER_CONFIG: cfgDir }, input, encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  try {
    const P = priv.host;
    const wrong = wharf(['login', '-u', 'cf-user', '--password-stdin', P], 'nope\n');
    assert.equal(wrong.code, 1);
    assert.equal(wrong.stderr.trim(), `Error response from daemon: login attempt to http://${P}/v2/ failed with status: 401 Unauthorized`);
    assert.equal(existsSync(path.join(cfgDir, 'config.json')), false);
    const ok = wharf(['login', '-u', 'cf-user', '--password-stdin', P], 'cf-s3cret!\n');
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, 'Login Succeeded\n');
    assert.deepEqual(JSON.parse(readFileSync(path.join(cfgDir, 'config.json'), 'utf8')), { auths: { [P]: { auth: Buffer.from('cf-user:cf-s3cret!').toString('base64') } } });
    assert.equal(d.docker(['tag', 'busybox:latest', `${P}/cf-wharf:1`]).code, 0);
    const push = wharf(['push', `${P}/cf-wharf:1`]);
    assert.equal(push.code, 0, push.stderr);
    const m = await served(P, 'cf-wharf', '1', 'Basic ' + Buffer.from('cf-user:cf-s3cret!').toString('base64'));
    assert.equal(push.stdout.split('\n').filter(Boolean).at(-1), `1: digest: ${m.digest} size: ${m.size}`);
    assert.equal(d.docker(['rmi', `${P}/cf-wharf:1`]).code, 0);
    const pull = wharf(['pull', `${P}/cf-wharf:1`]);
    assert.equal(pull.code, 0, pull.stderr);
    assert.match(pull.stdout, new RegExp(`Digest: ${m.digest}\n`));
    const out = wharf(['logout', P]);
    assert.equal(out.stdout, `Removing login credentials for ${P}\n`);
    assert.deepEqual(JSON.parse(readFileSync(path.join(cfgDir, 'config.json'), 'utf8')), { auths: {} });
    const denied = wharf(['push', `${P}/cf-wharf:1`]);
    assert.equal(denied.code, 1);
    assert.equal(denied.stderr.trim(), 'no basic auth credentials');
  } finally {
    await priv.stop();
  }
});
