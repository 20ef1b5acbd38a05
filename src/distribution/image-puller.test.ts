import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { HttpTransport } from './http-transport.js';
import { ImagePuller, type PullStore } from './image-puller.js';
import type { ProgressMessage } from './pull-progress.js';
import { TokenCache } from './registry-session.js';

const sha = (b: Buffer | string) => 'sha256:' + createHash('sha256').update(b).digest('hex');
const LAYER = 'application/vnd.oci.image.layer.v1.tar';

/** An in-memory registry behind a fake transport; counts blob downloads running at once. */
function fakeRegistry(layers: Buffer[], opts: { corrupt?: number; mediaType?: string; cutAfter?: number } = {}) {
  const blobs = new Map<string, Buffer>();
  const put = (b: Buffer) => (blobs.set(sha(b), b), sha(b));
  const config = Buffer.from(JSON.stringify({ os: 'linux', architecture: 'amd64', rootfs: { type: 'layers', diff_ids: layers.map((l) => sha(l)) } }));
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: put(config), size: config.length },
    layers: layers.map((l) => ({ mediaType: opts.mediaType ?? LAYER, digest: put(l), size: l.length })),
  }));
  const state = { inFlight: 0, maxInFlight: 0, blobGets: 0, bytesServed: 0, ranges: [] as string[], cut: opts.cutAfter };
  const transport: HttpTransport = {
    resolve: async () => ['127.0.0.1'],
    request: async (req) => {
      const p = req.url.pathname;
      if (p === '/v2/') return { status: 200, headers: {}, body: Readable.from([]) };
      if (p.endsWith('/manifests/1')) return { status: 200, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, body: Readable.from([manifest]) };
      const digest = p.slice(p.lastIndexOf('/') + 1);
      let bytes = blobs.get(digest)!;
      if (digest !== sha(config)) {
        state.blobGets++;
        if (opts.corrupt !== undefined && digest === sha(layers[opts.corrupt]!)) bytes = Buffer.from(bytes.toString().toUpperCase());
      }
      const isLayer = digest !== sha(config);
      if (isLayer) state.maxInFlight = Math.max(state.maxInFlight, ++state.inFlight);
      const range = req.headers?.Range;
      const from = range ? Number(/^bytes=(\d+)-$/.exec(range)![1]) : 0;
      if (range) state.ranges.push(`${digest.slice(7, 11)} ${range}`);
      const part = bytes.subarray(from);
      if (isLayer) state.bytesServed += part.length;
      const body = new Readable({ read() {} });
      const cut = isLayer && state.cut !== undefined;
      if (cut) state.cut = undefined;
      setTimeout(() => {
        if (isLayer) state.inFlight--;
        if (cut) {
          body.push(part.subarray(0, opts.cutAfter));
          setTimeout(() => body.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })), 5);
          return;
        }
        body.push(part);
        body.push(null);
      }, 20);
      return range ? { status: 206, headers: { 'content-range': `bytes ${from}-${bytes.length - 1}/${bytes.length}` }, body } : { status: 200, headers: {}, body };
    },
  };
  return { transport, state, configId: sha(config) };
}

function fakeStore(dir: string) {
  const layers = new Set<string>();
  const discarded: string[][] = [];
  const images: string[] = [];
  let n = 0;
  const store: PullStore = {
    hasImage: (id) => images.includes(id),
    hasLayer: async (c) => layers.has(c),
    addLayer: async (parent, input, diffId) => {
      const chunks: Buffer[] = [];
      for await (const c of input) chunks.push(c as Buffer);
      if (sha(Buffer.concat(chunks)) !== diffId) throw new Error('diff id mismatch');
      const chain = parent ? sha(`${parent} ${diffId}`) : diffId;
      layers.add(chain);
      return chain;
    },
    discardLayers: async (chains) => {
      discarded.push(chains);
      for (const c of chains) layers.delete(c);
    },
    commitImage: async (_dir, config) => {
      images.push(sha(config));
      return { updated: true };
    },
    tmpDir: () => path.join(dir, `pull-${n++}-${Math.random()}`),
    partialBlob: (digest) => path.join(dir, 'partial', digest.slice(7)),
  };
  mkdirSync(path.join(dir, 'partial'));
  return { store, layers, discarded, images };
}

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'wharf-puller-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const layers = ['one', 'two', 'three', 'four', 'five'].map((s) => Buffer.from(s));
const ref = { domain: '127.0.0.1:5000', path: 'cf-app', tag: '1' };

test('downloads at most 3 layers at once; the others wait; unpacks in order; records the image', () =>
  withDir(async (dir) => {
    const reg = fakeRegistry(layers);
    const { store, images } = fakeStore(dir);
    const sent: ProgressMessage[] = [];
    await new ImagePuller({ transport: reg.transport, tokens: new TokenCache(), now: () => 0, insecureRegistries: [] }, store, 3).pull({ ref, send: (m) => sent.push(m) });
    assert.equal(reg.state.maxInFlight, 3);
    assert.deepEqual(images, [reg.configId]);
    const lines = sent.filter((m) => !m.progressDetail || !('current' in m.progressDetail)).map((m) => (m.id ? `${m.id}: ${m.status}` : m.status));
    assert.equal(lines.filter((l) => l?.endsWith(': Waiting')).length, 2);
    const complete = lines.filter((l) => l?.endsWith(': Pull complete'));
    assert.deepEqual(complete, layers.map((l) => `${sha(l).slice(7, 19)}: Pull complete`));
    assert.equal(lines.at(-1), 'Status: Downloaded newer image for 127.0.0.1:5000/cf-app:1');
    assert.deepEqual(readdirSync(dir), ['partial'], 'no temporary file is left');
    assert.deepEqual(readdirSync(path.join(dir, 'partial')), [], 'unpacked blobs are not kept');
  }));

test('a blob that does not match its digest fails the pull; layers already unpacked by it are discarded', () =>
  withDir(async (dir) => {
    const reg = fakeRegistry(layers, { corrupt: 3 });
    const { store, images, discarded, layers: kept } = fakeStore(dir);
    await assert.rejects(
      new ImagePuller({ transport: reg.transport, tokens: new TokenCache(), now: () => 0, insecureRegistries: [] }, store, 3).pull({ ref, send: () => {} }),
      { message: `filesystem layer verification failed for digest ${sha(layers[3]!)}` },
    );
    assert.deepEqual(images, []);
    assert.equal(discarded.length, 1);
    assert.equal(kept.size, 0);
    assert.deepEqual(readdirSync(dir), ['partial']);
    assert.ok(!readdirSync(path.join(dir, 'partial')).includes(sha(layers[3]!).slice(7)), 'the bad blob is not kept');
  }));

test('zstd layers are refused before anything is downloaded', () =>
  withDir(async (dir) => {
    const reg = fakeRegistry(layers, { mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd' });
    const { store } = fakeStore(dir);
    await assert.rejects(
      new ImagePuller({ transport: reg.transport, tokens: new TokenCache(), now: () => 0, insecureRegistries: [] }, store, 3).pull({ ref, send: () => {} }),
      /zstd-compressed layers are not supported yet/,
    );
    assert.equal(reg.state.blobGets, 0);
  }));

test('a pull the client gives up on stops its downloads and leaves nothing', () =>
  withDir(async (dir) => {
    const reg = fakeRegistry(layers);
    const { store, images, layers: kept } = fakeStore(dir);
    const abort = new AbortController();
    const pull = new ImagePuller({ transport: reg.transport, tokens: new TokenCache(), now: () => 0, insecureRegistries: [] }, store, 3)
      .pull({ ref, send: (m) => m.status === 'Pull complete' && abort.abort(), signal: abort.signal });
    await assert.rejects(pull, { name: 'AbortError' });
    assert.deepEqual(images, []);
    assert.equal(kept.size, 0);
    assert.deepEqual(readdirSync(dir), ['partial']);
  }));

test('a download cut off is continued with a Range request by the next pull', () =>
  withDir(async (dir) => {
    const big = [Buffer.alloc(200_000, 'a'), Buffer.alloc(300_000, 'b')];
    const reg = fakeRegistry(big, { cutAfter: 120_000 });
    const { store, images } = fakeStore(dir);
    const puller = new ImagePuller({ transport: reg.transport, tokens: new TokenCache(), now: () => 0, insecureRegistries: [] }, store, 1);
    await assert.rejects(puller.pull({ ref, send: () => {} }), /ECONNRESET/);
    assert.equal(statSync(path.join(dir, 'partial', sha(big[0]!).slice(7))).size, 120_000);
    const before = reg.state.bytesServed;
    await puller.pull({ ref, send: () => {} });
    assert.deepEqual(reg.state.ranges, [`${sha(big[0]!).slice(7, 11)} bytes=120000-`]);
    assert.equal(reg.state.bytesServed - before, 500_000 - 120_000);
    assert.deepEqual(images, [reg.configId]);
    assert.deepEqual(readdirSync(path.join(dir, 'partial')), []);
  }));

test('two pulls of one image at once download each blob once', () =>
  withDir(async (dir) => {
    const reg = fakeRegistry(layers);
    const { store } = fakeStore(dir);
    const puller = new ImagePuller({ transport: reg.transport, tokens: new TokenCache(), now: () => 0, insecureRegistries: [] }, store, 3);
    await Promise.all([puller.pull({ ref, send: () => {} }), puller.pull({ ref, send: () => {} })]);
    assert.equal(reg.state.blobGets, layers.length);
  }));
