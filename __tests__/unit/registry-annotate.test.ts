/**
 * copyImage / retagImage with annotations, against real `docker-registry`
 * processes: the copied top manifest gets the annotations and a new digest;
 * blobs and child manifests are copied unchanged; without annotations the
 * digest stays the source's. What landed is read back with the test-side
 * reader (helpers/registry-api.ts), not the code under test.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RegistryClient } from '../../src/registry/client.js';
import { copyImage, retagImage } from '../../src/registry/copy.js';
import { pushRandomImage, pushTwoPlatformIndex, type PushedImage, type PushedIndex } from '../helpers/image-fixtures.js';
import { startLocalRegistry, type LocalRegistry } from '../helpers/local-registry.js';
import { getManifest, manifestDigest } from '../helpers/registry-api.js';

let source: LocalRegistry | undefined;
let destination: LocalRegistry | undefined;
let image: PushedImage | undefined;
let index: PushedIndex | undefined;
const src = (): LocalRegistry => source ?? assert.fail('source registry not started');
const dst = (): LocalRegistry => destination ?? assert.fail('destination registry not started');
const client = (host: string): RegistryClient => new RegistryClient({ registry: host, fetch });
const ANNOTATIONS = { 'org.opencontainers.image.source': 'https://example.com/mirror', 'org.example.team': 'delivery' };

before(async () => {
  [source, destination] = await Promise.all([startLocalRegistry(), startLocalRegistry()]);
  image = await pushRandomImage(src().host, 'lib/app', 'v1', { layers: 2, layerBytes: 4096 });
  index = await pushTwoPlatformIndex(src().host, 'lib/multi', 'v1', { layerBytes: 2048, oci: true });
});

after(async () => {
  await Promise.all([source?.close(), destination?.close()]);
});

describe('copyImage with annotations', () => {
  it('an image manifest: the annotations are added, every other field kept; the tags point at the new digest', async () => {
    const result = await copyImage({
      source: { client: client(src().host), repository: 'lib/app', reference: 'v1' },
      destination: { client: client(dst().host), repository: 'mirror/app' },
      tags: ['1', 'latest'],
      annotations: ANNOTATIONS,
    });
    const copied = await getManifest(dst().host, 'mirror/app', '1');
    assert.ok(copied);
    assert.equal(result.digest, copied.digest);
    assert.notEqual(copied.digest, image!.digest);
    assert.deepEqual(copied.json.annotations, ANNOTATIONS);
    const original = JSON.parse(Buffer.from(image!.bytes).toString('utf8')) as Record<string, unknown>;
    assert.deepEqual({ ...copied.json, annotations: undefined }, { ...original, annotations: undefined });
    assert.equal(await manifestDigest(dst().host, 'mirror/app', 'latest'), copied.digest);
  });

  it('an index: the index gets them, its platform manifests keep their digests', async () => {
    const result = await copyImage({
      source: { client: client(src().host), repository: 'lib/multi', reference: 'v1' },
      destination: { client: client(dst().host), repository: 'mirror/multi' },
      tags: ['v1'],
      annotations: ANNOTATIONS,
    });
    const copied = await getManifest(dst().host, 'mirror/multi', 'v1');
    assert.ok(copied);
    assert.equal(result.digest, copied.digest);
    assert.notEqual(copied.digest, index!.digest);
    assert.deepEqual(copied.json.annotations, ANNOTATIONS);
    assert.deepEqual(copied.json.manifests.map((m: { digest: string }) => m.digest), index!.images.map((child) => child.digest));
    for (const child of index!.images) assert.equal((await getManifest(dst().host, 'mirror/multi', child.digest))?.digest, child.digest);
  });

  it('without annotations the digest is the source digest (exact bytes)', async () => {
    const result = await copyImage({
      source: { client: client(src().host), repository: 'lib/app', reference: 'v1' },
      destination: { client: client(dst().host), repository: 'mirror/plain' },
      tags: ['v1'],
      annotations: {},
    });
    assert.equal(result.digest, image!.digest);
    assert.equal(await manifestDigest(dst().host, 'mirror/plain', 'v1'), image!.digest);
  });

  it('retagImage in one repository: the new tags point at the annotated manifest, the old tag stays', async () => {
    const retagged = await retagImage(client(src().host), 'lib/app', 'v1', ['promoted'], { 'org.example.stage': 'prod' });
    const promoted = await getManifest(src().host, 'lib/app', 'promoted');
    assert.equal(promoted?.digest, retagged.digest);
    assert.deepEqual(promoted?.json.annotations, { 'org.example.stage': 'prod' });
    assert.equal(await manifestDigest(src().host, 'lib/app', 'v1'), image!.digest);
  });
});
