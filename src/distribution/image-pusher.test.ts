import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import type { HttpRequest, HttpTransport } from './http-transport.js';
import { BlobSources } from './blob-sources.js';
import { ImagePusher, type PushStore } from './image-pusher.js';
import type { ProgressMessage } from './pull-progress.js';
import { TokenCache } from './registry-session.js';

const sha = (b: Buffer | string) => 'sha256:' + createHash('sha256').update(b).digest('hex');

/** An in-memory registry behind a fake transport; uploads take a while, to overlap. */
function fakeRegistry() {
  const blobs = new Map<string, Buffer>(); // `${repo} ${digest}`
  const manifests = new Map<string, Buffer>();
  let active = 0;
  let maxActive = 0;
  const answer = (status: number, headers: Record<string, string> = {}) => ({ status, headers, body: Readable.from([Buffer.alloc(0)]) });
  const transport: HttpTransport = {
    resolve: async () => ['127.0.0.1'],
    request: async (req: HttpRequest) => {
      const p = req.url.pathname;
      if (p === '/v2/') return answer(200);
      const m = /^\/v2\/(.+)\/(blobs|manifests)\/(.*)$/.exec(p)!;
      const [repo, kind, rest] = [m[1]!, m[2]!, m[3]!];
      if (kind === 'blobs' && req.method === 'HEAD') return answer(blobs.has(`${repo} ${rest}`) ? 200 : 404);
      if (kind === 'blobs' && req.method === 'POST') {
        const mount = req.url.searchParams.get('mount');
        const from = req.url.searchParams.get('from');
        if (mount && blobs.has(`${from} ${mount}`)) {
          blobs.set(`${repo} ${mount}`, blobs.get(`${from} ${mount}`)!);
          return answer(201);
        }
        return answer(202, { location: `/v2/${repo}/blobs/uploads/u${Math.random()}` });
      }
      if (req.method === 'DELETE') return answer(204);
      const chunks: Buffer[] = [];
      if (Buffer.isBuffer(req.body)) chunks.push(req.body);
      else for await (const c of req.body!) chunks.push(c as Buffer);
      const bytes = Buffer.concat(chunks);
      if (kind === 'manifests') {
        manifests.set(`${repo}:${rest}`, bytes);
        return answer(201);
      }
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise((r) => setTimeout(r, 20));
      active--;
      const digest = req.url.searchParams.get('digest')!;
      assert.equal(sha(bytes), digest);
      blobs.set(`${repo} ${digest}`, bytes);
      return answer(201);
    },
  };
  return { transport, blobs, manifests, maxActive: () => maxActive };
}

test('push: 7 layers, at most 5 uploads at once (the others wait), Go\'s manifest layout, same digest again, mounts across repositories', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pusher-'));
  try {
    const diffIds: string[] = [];
    const tars = new Map<string, string>();
    const chains: string[] = [];
    for (let i = 0; i < 7; i++) {
      const tar = Buffer.alloc(2048, i + 1);
      const d = sha(tar);
      diffIds.push(d);
      chains.push(chains.length ? sha(`${chains.at(-1)} ${d}`) : d);
      const f = path.join(dir, `layer${i}.tar`);
      writeFileSync(f, tar);
      tars.set(chains.at(-1)!, f);
    }
    const config = Buffer.from(JSON.stringify({ rootfs: { type: 'layers', diff_ids: diffIds } }));
    const id = sha(config);
    const refs: string[] = [];
    let n = 0;
    const store: PushStore = {
      tagsOf: (name) => (name.endsWith('/app') || name.endsWith('/copy') ? [{ tag: 'v1', id }] : []),
      configBytes: async () => config,
      layerTar: (chain) => tars.get(chain)!,
      addDigestReference: async (_id, ref) => void refs.push(ref),
      tmpDir: () => path.join(dir, `tmp${n++}`),
    };
    const reg = fakeRegistry();
    const pusher = new ImagePusher({ transport: reg.transport, tokens: new TokenCache(), now: () => 0, insecureRegistries: [] }, store, new BlobSources(path.join(dir, 'sources.json')));
    const run = async (repo: string) => {
      const msgs: ProgressMessage[] = [];
      await pusher.push({ ref: { domain: '127.0.0.1:5000', path: repo, tag: 'v1' }, send: (m) => msgs.push(m) });
      return msgs;
    };
    const first = await run('app');
    assert.equal(first[0]!.status, 'The push refers to repository [127.0.0.1:5000/app]');
    assert.equal(first.filter((m) => m.status === 'Preparing').length, 7);
    assert.equal(first.filter((m) => m.status === 'Waiting').length, 2);
    assert.equal(first.filter((m) => m.status === 'Pushed').length, 7);
    assert.equal(reg.maxActive(), 5);
    const manifest = reg.manifests.get('app:v1')!;
    const doc = JSON.parse(manifest.toString()) as { layers: { digest: string }[] };
    assert.equal(manifest.toString(), JSON.stringify(doc, null, 3));
    assert.match(manifest.toString(), /^\{\n {3}"schemaVersion": 2,\n {3}"mediaType": "application\/vnd.docker.distribution.manifest.v2\+json",\n {3}"config": \{\n {6}"mediaType"/);
    assert.deepEqual(doc.layers.map((l) => sha(gunzipSync(reg.blobs.get(`app ${l.digest}`)!))), diffIds);
    assert.deepEqual(first.at(-2), { status: `v1: digest: ${sha(manifest)} size: ${manifest.length}` });
    assert.deepEqual(first.at(-1)!.aux, { Tag: 'v1', Digest: sha(manifest), Size: manifest.length });
    const again = await run('app');
    assert.equal(again.filter((m) => m.status === 'Layer already exists').length, 7);
    assert.equal(reg.manifests.get('app:v1')!.toString(), manifest.toString());
    const copy = await run('copy');
    assert.equal(copy.filter((m) => m.status === 'Mounted from app').length, 7);
    assert.equal(reg.manifests.get('copy:v1')!.toString(), manifest.toString());
    assert.deepEqual(refs, ['127.0.0.1:5000/app@' + sha(manifest), '127.0.0.1:5000/app@' + sha(manifest), '127.0.0.1:5000/copy@' + sha(manifest)]);
    await assert.rejects(run('none'), { message: 'An image does not exist locally with the tag: 127.0.0.1:5000/none' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
