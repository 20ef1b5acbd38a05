import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MEDIA, layerCompression, parseManifest, parsePlatform, selectManifest } from './manifest.js';

const dg = (c: string) => 'sha256:' + c.repeat(64);
const buf = (o: unknown) => Buffer.from(JSON.stringify(o));

test('parses Docker schema2 and OCI manifests', () => {
  const m = parseManifest(buf({ schemaVersion: 2, mediaType: MEDIA.dockerManifest, config: { mediaType: 'c', digest: dg('a'), size: 3 }, layers: [{ mediaType: 'l', digest: dg('b'), size: 4 }] }), MEDIA.dockerManifest);
  assert.deepEqual(m, { kind: 'image', mediaType: MEDIA.dockerManifest, config: { mediaType: 'c', digest: dg('a'), size: 3 }, layers: [{ mediaType: 'l', digest: dg('b'), size: 4 }] });
  const oci = parseManifest(buf({ schemaVersion: 2, config: { digest: dg('a'), size: 3 }, layers: [] }), MEDIA.ociManifest);
  assert.equal(oci.kind, 'image');
  assert.equal(oci.mediaType, MEDIA.ociManifest);
});

test('refuses schema1 and broken manifests', () => {
  assert.throws(() => parseManifest(buf({ schemaVersion: 1, name: 'x' }), MEDIA.schema1Signed), /schema 1 is not supported/);
  assert.throws(() => parseManifest(Buffer.from('{'), MEDIA.dockerManifest), /invalid manifest: not JSON/);
  assert.throws(() => parseManifest(buf({ mediaType: MEDIA.dockerManifest, config: { digest: 'sha256:abc', size: 1 }, layers: [] }), ''), /invalid digest/);
});

test('chooses the platform of a list as dockerd does', () => {
  const list = parseManifest(buf({ schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests: [
    { mediaType: MEDIA.ociManifest, digest: dg('1'), size: 1, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    { mediaType: MEDIA.ociManifest, digest: dg('2'), size: 1, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
    { mediaType: MEDIA.ociManifest, digest: dg('3'), size: 1, platform: { os: 'linux', architecture: 'amd64' } },
  ] }), MEDIA.ociIndex);
  assert.equal(list.kind, 'list');
  if (list.kind !== 'list') return;
  assert.equal(selectManifest(list.manifests, parsePlatform('linux/amd64')).digest, dg('3'));
  assert.equal(selectManifest(list.manifests, parsePlatform('linux/arm64')).digest, dg('1'));
  assert.equal(selectManifest(list.manifests, parsePlatform('linux/arm/v7')).digest, dg('2'));
  assert.throws(() => selectManifest(list.manifests, parsePlatform('linux/s390x')), { message: 'no matching manifest for linux/s390x in the manifest list entries' });
  const v2 = [{ mediaType: MEDIA.ociManifest, digest: dg('4'), size: 1, platform: { os: 'linux', architecture: 'amd64', variant: 'v2' } }];
  assert.equal(selectManifest(v2, parsePlatform('linux/amd64')).digest, dg('4'));
  assert.throws(() => selectManifest(v2, parsePlatform('linux/amd64/v3')), /no matching manifest for linux\/amd64\/v3/);
});

test('knows layer compressions', () => {
  assert.equal(layerCompression({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: dg('a'), size: 1 }), 'none');
  assert.equal(layerCompression({ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: dg('a'), size: 1 }), 'gzip');
  assert.throws(() => layerCompression({ mediaType: 'text/plain', digest: dg('a'), size: 1 }), /unsupported layer media type/);
});
