/**
 * `docker pull` with the real docker CLI against the real reference registry (docker-registry
 * 2.8, started on 127.0.0.1 with its own config): images put there by skopeo from `docker save`
 * archives, and by hand (an OCI index with two platforms, an uncompressed OCI layer).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TestDaemon, REPO, DOCKER } from './daemon-harness.js';
import { TestRegistry, freePort, sha256 } from './registry-harness.js';
import { gzipSync } from 'node:zlib';
import { encodeHeader, padding, type TarEntry } from '../../src/oci/tar/tar-header.js';

const d = new TestDaemon();
const reg = new TestRegistry();
const DOCKER_V2 = 'application/vnd.docker.distribution.manifest.v2+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** What the registry serves for a tag: the manifest's digest and document. */
async function served(repo: string, ref: string, accept = `${DOCKER_V2}, ${OCI_MANIFEST}, ${OCI_INDEX}`) {
  const r = await fetch(`http://${reg.host}/v2/${repo}/manifests/${ref}`, { headers: { Accept: accept } });
  const bytes = Buffer.from(await r.arrayBuffer());
  return { digest: sha256(bytes), manifest: JSON.parse(bytes.toString()) as { config: { digest: string }; layers: { digest: string; size: number }[] } };
}

/** Pushes a local image of the harness daemon with `docker save` and skopeo. */
function push(image: string, dest: string): void {
  const tar = path.join(d.dir, `${dest.replace(/[/:]/g, '_')}.tar`);
  const r = d.docker(['save', '-o', tar, image]);
  assert.equal(r.code, 0, r.stderr);
  reg.skopeo(`docker-archive:${tar}:${image}`, dest);
}

const short = (digest: string) => digest.slice(7, 19);
const layerDirs = () => readdirSync(path.join(d.dataRoot, 'image/layers')).sort();
const tmpLeft = () => (existsSync(path.join(d.dataRoot, 'image/tmp')) ? readdirSync(path.join(d.dataRoot, 'image/tmp')) : []);

before(async () => {
  await reg.start();
  await d.start();
  d.importBusybox();
  const builds = [['cf-three', ['RUN echo a > /a', 'RUN echo b > /b']], ['cf-liar', ['RUN echo liar > /liar']], ['cf-big', ['RUN dd if=/dev/urandom of=/big bs=1M count=96']]] as const;
  for (const [name, steps] of builds) {
    const r = d.docker(['build', '-q', '-t', name, '-'], ['FROM busybox', ...steps, 'CMD ["cat", "/a", "/b"]'].join('\n') + '\n');
    assert.equal(r.code, 0, r.stderr);
  }
  push('busybox:latest', 'cf-bb:1');
  push('cf-three:latest', 'cf-three:latest');
  push('cf-liar:latest', 'cf-liar:1');
  push('cf-big:latest', 'cf-big:1');
  const r = d.docker(['save', '-o', path.join(d.dir, 'busybox.tar'), 'busybox:latest']);
  assert.equal(r.code, 0, r.stderr);
  for (const i of ['cf-three', 'cf-liar', 'cf-big', 'busybox']) assert.equal(d.docker(['rmi', i]).code, 0);
});
after(async () => {
  await d.stop();
  await reg.stop();
});

test('pull by tag: dockerd progress lines, RepoDigests, docker images --digests, run; again: up to date', async () => {
  const { digest, manifest } = await served('cf-bb', '1');
  const r = d.docker(['pull', `${reg.host}/cf-bb:1`]);
  assert.equal(r.code, 0, r.stderr + d.log);
  assert.equal(r.stdout, [
    '1: Pulling from cf-bb', `${short(manifest.layers[0]!.digest)}: Pulling fs layer`, `${short(manifest.layers[0]!.digest)}: Verifying Checksum`,
    `${short(manifest.layers[0]!.digest)}: Download complete`, `${short(manifest.layers[0]!.digest)}: Pull complete`,
    `Digest: ${digest}`, `Status: Downloaded newer image for ${reg.host}/cf-bb:1`, `${reg.host}/cf-bb:1`, '',
  ].join('\n'));
  assert.equal(d.docker(['inspect', '-f', '{{.Id}} {{.RepoTags}} {{.RepoDigests}}', `${reg.host}/cf-bb:1`]).stdout.trim(),
    `${manifest.config.digest} [${reg.host}/cf-bb:1] [${reg.host}/cf-bb@${digest}]`);
  assert.match(d.docker(['images', '--digests', '--format', '{{.Repository}} {{.Tag}} {{.Digest}}']).stdout, new RegExp(`^${reg.host}/cf-bb 1 ${digest}$`, 'm'));
  assert.equal(d.docker(['run', '--rm', `${reg.host}/cf-bb:1`, 'echo', 'pulled']).stdout, 'pulled\n');
  const upToDate = ['1: Pulling from cf-bb', `Digest: ${digest}`, `Status: Image is up to date for ${reg.host}/cf-bb:1`, `${reg.host}/cf-bb:1`, ''].join('\n');
  assert.equal(d.docker(['pull', `${reg.host}/cf-bb:1`]).stdout, upToDate);
  // wharf's own CLI prints the same lines.
  const w = spawnSync('node', [path.join(REPO, 'dist/src/bin/wharf.js'), 'pull', `${reg.host}/cf-bb:1`], { env: { ...process.env, WHARF_HOST: `unix://${d.sock}` }, encoding: 'utf8' });
  assert.equal(w.stdout, upToDate, w.stderr);
});

test('a shared layer already exists; the others are downloaded; the image runs; pull by digest', async () => {
  const { digest, manifest } = await served('cf-three', 'latest');
  const r = d.docker(['pull', `${reg.host}/cf-three`]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], 'Using default tag: latest');
  assert.equal(lines[1], 'latest: Pulling from cf-three');
  assert.ok(lines.includes(`${short(manifest.layers[0]!.digest)}: Already exists`), r.stdout);
  for (const l of manifest.layers.slice(1)) assert.ok(lines.includes(`${short(l.digest)}: Pull complete`), r.stdout);
  assert.deepEqual(lines.slice(-4), [`Digest: ${digest}`, `Status: Downloaded newer image for ${reg.host}/cf-three:latest`, `${reg.host}/cf-three:latest`, '']);
  assert.equal(d.docker(['run', '--rm', `${reg.host}/cf-three`]).stdout, 'a\nb\n');

  assert.equal(d.docker(['rmi', `${reg.host}/cf-three`]).code, 0);
  const byDigest = d.docker(['pull', `${reg.host}/cf-three@${digest}`]);
  assert.equal(byDigest.code, 0, byDigest.stderr);
  assert.match(byDigest.stdout, new RegExp(`^${reg.host}/cf-three@${digest}: Pulling from cf-three\n`));
  assert.match(byDigest.stdout, new RegExp(`Status: Downloaded newer image for ${reg.host}/cf-three@${digest}\n${reg.host}/cf-three@${digest}\n$`));
  assert.equal(d.docker(['inspect', '-f', '{{.RepoTags}} {{.RepoDigests}}', `${reg.host}/cf-three@${digest}`]).stdout.trim(), `[] [${reg.host}/cf-three@${digest}]`);
  assert.equal(d.docker(['run', '--rm', `${reg.host}/cf-three@${digest}`]).stdout, 'a\nb\n');
  assert.match(d.docker(['pull', `${reg.host}/cf-three@${digest}`]).stdout, /Status: Image is up to date for /);
});

test('an OCI index: linux/amd64 is chosen, an uncompressed OCI layer unpacks, RepoDigests hold the index digest', async () => {
  // Base: the busybox layer, as the registry holds it for cf-bb (gzip); top: a plain tar per platform.
  const bb = await served('cf-bb', '1');
  const bbConfig = JSON.parse(await (await fetch(`http://${reg.host}/v2/cf-bb/blobs/${bb.manifest.config.digest}`)).text()) as { rootfs: { diff_ids: string[] } };
  const bbLayer = Buffer.from(await (await fetch(`http://${reg.host}/v2/cf-bb/blobs/${bb.manifest.layers[0]!.digest}`)).arrayBuffer());
  await reg.putBlob('cf-multi', bbLayer);
  const entries = [];
  for (const arch of ['arm64', 'amd64']) {
    const src = path.join(d.dir, `plat-${arch}`);
    mkdirSync(path.join(src, 'etc'), { recursive: true });
    writeFileSync(path.join(src, 'etc/platform'), `linux/${arch}\n`);
    const tar = spawnSync('tar', ['-C', src, '--owner=0', '--group=0', '--mtime=@0', '-cf', '-', 'etc']).stdout;
    const config = Buffer.from(JSON.stringify({
      architecture: arch, os: 'linux', created: '2020-01-01T00:00:00Z', config: { Cmd: ['cat', '/etc/platform'] },
      rootfs: { type: 'layers', diff_ids: [bbConfig.rootfs.diff_ids[0], sha256(tar)] }, history: [{ created: '2020-01-01T00:00:00Z' }, { created: '2020-01-01T00:00:00Z' }],
    }));
    const manifest = {
      schemaVersion: 2, mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: await reg.putBlob('cf-multi', config), size: config.length },
      layers: [
        { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: bb.manifest.layers[0]!.digest, size: bbLayer.length },
        { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: await reg.putBlob('cf-multi', tar), size: tar.length },
      ],
    };
    const digest = await reg.putManifest('cf-multi', sha256(JSON.stringify(manifest)), manifest, OCI_MANIFEST);
    entries.push({ mediaType: OCI_MANIFEST, digest, size: JSON.stringify(manifest).length, platform: { architecture: arch, os: 'linux', ...(arch === 'arm64' ? { variant: 'v8' } : {}) } });
  }
  const index = await reg.putManifest('cf-multi', '1', { schemaVersion: 2, mediaType: OCI_INDEX, manifests: entries }, OCI_INDEX);
  const r = d.docker(['pull', `${reg.host}/cf-multi:1`]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`Digest: ${index}\nStatus: Downloaded newer image for ${reg.host}/cf-multi:1\n`));
  assert.equal(d.docker(['inspect', '-f', '{{.Architecture}} {{.RepoDigests}}', `${reg.host}/cf-multi:1`]).stdout.trim(), `amd64 [${reg.host}/cf-multi@${index}]`);
  assert.equal(d.docker(['run', '--rm', `${reg.host}/cf-multi:1`]).stdout, 'linux/amd64\n');
  const none = d.docker(['pull', '--platform', 'linux/s390x', `${reg.host}/cf-multi:1`]);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /no matching manifest for linux\/s390x in the manifest list entries/);
});

test("a missing tag or repository, and a registry that is not there, get dockerd's errors", async () => {
  const tag = d.docker(['pull', `${reg.host}/cf-bb:nosuch`]);
  assert.equal(tag.code, 1);
  assert.equal(tag.stderr.trim(), `Error response from daemon: manifest for ${reg.host}/cf-bb:nosuch not found: manifest unknown: manifest unknown`);
  const repo = d.docker(['pull', `${reg.host}/cf-nosuch:1`]);
  assert.equal(repo.stderr.trim(), `Error response from daemon: manifest for ${reg.host}/cf-nosuch:1 not found: manifest unknown: manifest unknown`);
  assert.equal(d.docker(['info', '--format', '{{json .RegistryConfig.InsecureRegistryCIDRs}}']).stdout.trim(), '["127.0.0.0/8"]');
  const port = await freePort();
  const down = d.docker(['pull', `127.0.0.1:${port}/cf-x:1`]);
  assert.equal(down.stderr.trim(), `Error response from daemon: Get "http://127.0.0.1:${port}/v2/": dial tcp 127.0.0.1:${port}: connect: connection refused`);
  // Straight to the Engine API, past the CLI's own checks: statuses and messages as dockerd's.
  const api = (query: string) =>
    spawnSync('curl', ['-s', '-w', '\n%{http_code}', '--unix-socket', d.sock, '-X', 'POST', `http://localhost/v1.41/images/create?${query}`], { encoding: 'utf8' }).stdout;
  assert.equal(api(`fromImage=${reg.host}/CF-Hello&tag=1`), '{"message":"invalid reference format: repository name must be lowercase"}\n\n400');
  assert.equal(api(`fromImage=${reg.host}/cf-bb&tag=bad:tag`), '{"message":"invalid tag format"}\n\n400');
  assert.equal(api(`fromImage=${reg.host}/cf-bb@sha256:abc`), '{"message":"invalid reference format"}\n\n400');
  assert.equal(api(`fromImage=${reg.host}/cf-nosuch&tag=1`), `{"message":"manifest for ${reg.host}/cf-nosuch:1 not found: manifest unknown: manifest unknown"}\n\n404`);
});

test('a registry that lies about a blob: a clear error, no image, no layer and no temporary file left', async () => {
  const { manifest } = await served('cf-liar', '1');
  const top = manifest.layers.at(-1)!.digest;
  const file = reg.blobFile(top);
  const bytes = readFileSync(file);
  bytes[bytes.length - 5] ^= 0xff;
  writeFileSync(file, bytes);
  const before = layerDirs();
  const r = d.docker(['pull', `${reg.host}/cf-liar:1`]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`filesystem layer verification failed for digest ${top}`));
  assert.equal(d.docker(['images', '-q', `${reg.host}/cf-liar`]).stdout, '');
  assert.equal(d.docker(['inspect', `${reg.host}/cf-liar:1`]).code, 1);
  assert.deepEqual(layerDirs(), before);
  assert.deepEqual(tmpLeft(), []);
});

test('a registry with htpasswd (bcrypt) Basic auth: no credentials is refused in dockerd words; the CLI\'s stored ones pull', async () => {
  const priv = new TestRegistry({ user: 'cf-user', password: 'cf-s3cret!' });
  await priv.start();
  const saved = process.env.DOCKER_CONFIG;
  try {
    priv.skopeo(`docker-archive:${path.join(d.dir, 'busybox.tar')}:busybox:latest`, 'cf-private:1');
    const denied = d.docker(['pull', `${priv.host}/cf-private:1`]);
    assert.equal(denied.code, 1);
    assert.equal(denied.stderr.trim(), `Error response from daemon: Head "http://${priv.host}/v2/cf-private/manifests/1": no basic auth credentials`);
    // What `docker login` stores: the CLI sends it as X-Registry-Auth.
    const cfgDir = path.join(d.dir, 'docker-config');
    mkdirSync(cfgDir, { recursive: true });
    writeFileSync(path.join(cfgDir, 'config.json'), JSON.stringify({ auths: { [priv.host]: { auth: Buffer.from('cf-user:cf-s3cret!').toString('base64') } } }));
    process.env.DOCKER_CONFIG = cfgDir;
    const ok = d.docker(['pull', `${priv.host}/cf-private:1`]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, new RegExp(`Status: (Downloaded newer image|Image is up to date) for ${priv.host}/cf-private:1\n`));
    assert.equal(d.docker(['run', '--rm', `${priv.host}/cf-private:1`, 'echo', 'private']).stdout, 'private\n');
  } finally {
    if (saved === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = saved;
    await priv.stop();
  }
});

/** A tar of the given entries (name, type, content or link target), as a hostile registry would serve it. */
function hostileTar(entries: [string, '0' | '2', string][]): Buffer {
  const parts: Buffer[] = [];
  for (const [name, type, data] of entries) {
    const body = type === '0' ? Buffer.from(data) : Buffer.alloc(0);
    const e: TarEntry = { name, mode: 0o644, uid: 0, gid: 0, size: body.length, mtime: 0, type, linkname: type === '2' ? data : '', uname: '', gname: '', devmajor: 0, devminor: 0, pax: {} };
    parts.push(encodeHeader(e), body, Buffer.alloc(padding(body.length)));
  }
  return Buffer.concat([...parts, Buffer.alloc(1024)]);
}

test('a layer that tries to escape with ../ or through a symlink is refused; nothing is written outside or kept', async () => {
  const outside = path.join(d.dir, 'outside');
  mkdirSync(outside, { recursive: true });
  const cases: [string, Buffer, RegExp][] = [
    ['cf-dotdot', hostileTar([['../../../../../../../../cf-escape', '0', 'x']]), /escapes the destination directory/],
    ['cf-symlink', hostileTar([['evil', '2', outside], ['evil/pwn', '0', 'x']]), /would be written through a symlink/],
  ];
  for (const [repo, tar, error] of cases) {
    const layer = gzipSync(tar);
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [sha256(tar)] }, history: [{ created: '2020-01-01T00:00:00Z' }] }));
    await reg.putManifest(repo, '1', {
      schemaVersion: 2, mediaType: DOCKER_V2,
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: await reg.putBlob(repo, config), size: config.length },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: await reg.putBlob(repo, layer), size: layer.length }],
    }, DOCKER_V2);
    const before = layerDirs();
    const r = d.docker(['pull', `${reg.host}/${repo}:1`]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, error);
    assert.equal(d.docker(['inspect', `${reg.host}/${repo}:1`]).code, 1);
    assert.deepEqual(layerDirs(), before);
    assert.deepEqual(tmpLeft(), []);
  }
  assert.deepEqual(readdirSync(outside), []);
  assert.equal(existsSync('/cf-escape'), false);
});

test('kill -9 of wharfd during a pull: the next wharfd keeps the partial blob and the pull resumes with a Range request', async () => {
  const { manifest } = await served('cf-big', '1');
  const big = manifest.layers.at(-1)!;
  const partial = path.join(d.dataRoot, 'image/partial', big.digest.slice(7));
  const cli = spawn(DOCKER, ['pull', `${reg.host}/cf-big:1`], { env: { ...process.env, DOCKER_HOST: `unix://${d.sock}` }, stdio: 'ignore' });
  let cutAt = 0;
  for (let i = 0; i < 4000 && !cutAt; i++) {
    const size = existsSync(partial) ? statSync(partial).size : 0;
    if (size > 4 << 20) {
      await d.kill9();
      cutAt = statSync(partial).size;
    } else await new Promise((r) => setTimeout(r, 5));
  }
  cli.kill();
  assert.ok(cutAt > 0 && cutAt < big.size, `the pull was cut at ${cutAt} of ${big.size} bytes`);
  await d.start();
  assert.equal(statSync(partial).size, cutAt, 'start-up keeps the partial blob');
  assert.equal(d.docker(['inspect', `${reg.host}/cf-big:1`]).code, 1, 'nothing half-pulled is an image');
  const r = d.docker(['pull', `${reg.host}/cf-big:1`]);
  assert.equal(r.code, 0, r.stderr);
  // The access log line comes through the registry's stderr pipe: give it a moment.
  for (let i = 0; i < 100 && reg.blobAnswers(big.digest).at(-1)?.status !== 206; i++) await new Promise((res) => setTimeout(res, 20));
  const resumed = reg.blobAnswers(big.digest).at(-1)!;
  assert.deepEqual(resumed, { status: 206, bytes: big.size - cutAt });
  assert.equal(d.docker(['run', '--rm', `${reg.host}/cf-big:1`, 'sh', '-c', 'wc -c < /big']).stdout.trim(), String(96 << 20));
  assert.equal(existsSync(partial), false);
});
