/**
 * copyImage / retagImage against real Debian `docker-registry` processes on
 * loopback: A (open, the usual source), B (htpasswd, the usual destination),
 * C (open, behind a scope-checking Bearer token service). Counting proxies
 * in front of A and B see every byte and inject faults. What landed is
 * checked with the independent test-side reader (helpers/registry-api.ts).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { RegistryClient, RegistryError } from '../../src/registry/client.js';
import { copyImage, retagImage, type CopyRequest } from '../../src/registry/copy.js';
import { DigestMismatchError } from '../../src/domain/image/digest.js';
import { hashWorkerThreadIds, WORKER_HASH_MIN_BYTES } from '../../src/domain/image/hash-pool.js';
import { startCountingProxy, RETRY_AFTER_SECONDS, type CountingProxy } from '../helpers/counting-proxy.js';
import {
  blobsOf,
  DOCKER_MANIFEST_LIST,
  OCI_INDEX,
  pushRandomImage,
  pushTwoPlatformIndex,
  type PushedImage,
  type PushedIndex,
} from '../helpers/image-fixtures.js';
import { HTPASSWD_BINARY, REGISTRY_BINARY, startLocalRegistry, type LocalRegistry } from '../helpers/local-registry.js';
import { getManifest, imageConfig, listTags, manifestDigest } from '../helpers/registry-api.js';
import { startTokenProxy, type TokenProxy } from '../helpers/token-proxy.js';

const USER = { username: 'copier', password: 'copier-secret' };
const LAYER_BYTES = 300 * 1024;
const MiB = 1024 * 1024;
/** Tests should not wait on production backoffs. */
const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20 };

let registryA: LocalRegistry | undefined;
let registryB: LocalRegistry | undefined;
let registryC: LocalRegistry | undefined;
let proxyOfA: CountingProxy | undefined;
let proxyOfB: CountingProxy | undefined;
let tokenProxy: TokenProxy | undefined;
let app: PushedImage | undefined;
let ociMulti: PushedIndex | undefined;
let dockerMulti: PushedIndex | undefined;

const A = (): LocalRegistry => registryA ?? assert.fail('registry A not started');
const B = (): LocalRegistry => registryB ?? assert.fail('registry B not started');
const C = (): LocalRegistry => registryC ?? assert.fail('registry C not started');
const pA = (): CountingProxy => proxyOfA ?? assert.fail('proxy of A not started');
const pB = (): CountingProxy => proxyOfB ?? assert.fail('proxy of B not started');
const tp = (): TokenProxy => tokenProxy ?? assert.fail('token proxy not started');
const appImage = (): PushedImage => app ?? assert.fail('app image not pushed');

function client(host: string, withCredentials = false): RegistryClient {
  return new RegistryClient({ registry: host, fetch, retry: FAST_RETRY, ...(withCredentials ? { credentials: USER } : {}) });
}

/** A → B through B's counting proxy, unless told otherwise. */
function request(overrides: Partial<CopyRequest> & { dstRepository: string; srcRepository?: string; reference?: string }): CopyRequest {
  const { dstRepository, srcRepository, reference, ...rest } = overrides;
  return {
    source: { client: client(A().host), repository: srcRepository ?? 'src/app', reference: reference ?? 'v1' },
    destination: { client: client(pB().host, true), repository: dstRepository },
    tags: ['v1'],
    retry: FAST_RETRY,
    ...rest,
  };
}

const sizeOf = (blobs: readonly { size: number }[]): number => blobs.reduce((sum, blob) => sum + blob.size, 0);
const uploadRequests = (proxy: CountingProxy): number =>
  proxy.requests.filter((r) => (r.method === 'PUT' || r.method === 'PATCH') && r.url.includes('/blobs/uploads/') && r.requestBytes > 0).length;

/** HEAD a blob at B with plain fetch (not the code under test). */
async function blobStatusAtB(repository: string, digest: string): Promise<number> {
  const response = await fetch(`http://${B().host}/v2/${repository}/blobs/${digest}`, {
    method: 'HEAD',
    headers: { authorization: `Basic ${Buffer.from(`${USER.username}:${USER.password}`).toString('base64')}` },
  });
  return response.status;
}

before(async () => {
  for (const binary of [REGISTRY_BINARY, HTPASSWD_BINARY]) {
    if (!existsSync(binary)) throw new Error(`${binary} is missing: apt-get install -y docker-registry apache2-utils`);
  }
  [registryA, registryB, registryC] = await Promise.all([
    startLocalRegistry({ allowForeignLayers: true }),
    startLocalRegistry({ users: [USER], allowForeignLayers: true }),
    startLocalRegistry(),
  ]);
  [proxyOfA, proxyOfB, tokenProxy] = await Promise.all([
    startCountingProxy(registryA.host),
    startCountingProxy(registryB.host),
    startTokenProxy(registryC.host, USER),
  ]);
  app = await pushRandomImage(registryA.host, 'src/app', 'v1', { layers: 3, layerBytes: LAYER_BYTES });
  ociMulti = await pushTwoPlatformIndex(registryA.host, 'src/multi', 'v1', { layerBytes: 100 * 1024, oci: true });
  dockerMulti = await pushTwoPlatformIndex(registryA.host, 'src/list', 'v1', { layerBytes: 100 * 1024, oci: false });
});

after(async () => {
  await Promise.all([proxyOfA?.close(), proxyOfB?.close(), tokenProxy?.close()]);
  await Promise.all([registryA?.close(), registryB?.close(), registryC?.close()]);
});

describe('copyImage between two registries', () => {
  it('copies a 3-layer image to a registry with htpasswd: same digest, exact bytes, every tag', async () => {
    pB().reset();
    const lines: string[] = [];
    const result = await copyImage(request({ dstRepository: 'dst/app', tags: ['v1', 'latest'], log: (line) => lines.push(line) }));
    const image = appImage();
    assert.deepEqual(result, {
      digest: image.digest,
      mediaType: image.mediaType,
      blobsCopied: 4,
      blobsMounted: 0,
      blobsSkipped: 0,
      bytesCopied: sizeOf(blobsOf(image)),
      manifests: 1,
      // distribution answers each manifest PUT with the digest it stored.
      confirmed: new Map([['v1', image.digest], ['latest', image.digest]]),
    });
    assert.equal(await manifestDigest(B().host, 'dst/app', 'v1', USER), image.digest);
    assert.equal(await manifestDigest(B().host, 'dst/app', 'latest', USER), image.digest);
    assert.deepEqual(await listTags(B().host, 'dst/app', USER), ['latest', 'v1']);
    assert.equal((await getManifest(B().host, 'dst/app', 'v1', USER))?.raw, Buffer.from(image.bytes).toString('utf8'));
    // What crossed the wire is the blobs, once: 3 × 300 KiB + the config.
    assert.equal(pB().uploadBytes(), result.bytesCopied);
    assert.equal(pB().count('PUT', (url) => url.includes('/manifests/')), 2, 'one manifest PUT per tag');
    assert.ok(lines.some((line) => line.startsWith('copied src/') || line.includes('4 blobs copied')), lines.join('\n'));
  });

  it('a re-copy moves zero blob bytes (the destination has the manifest: only the tags are written)', async () => {
    pB().reset();
    const result = await copyImage(request({ dstRepository: 'dst/app', tags: ['v1', 'latest'] }));
    assert.equal(pB().uploadBytes(), 0);
    assert.equal(result.blobsCopied, 0);
    assert.equal(result.bytesCopied, 0);
    assert.equal(result.manifests, 0);
    assert.equal(pB().count('HEAD', (url) => url.includes('/blobs/')), 0, 'no blob was even looked at');
    assert.equal(pB().count('POST'), 0, 'no upload was opened');
  });

  it('skips the blobs the destination has (HEAD) when its manifest is gone', async () => {
    const image = appImage();
    await copyImage(request({ dstRepository: 'dst/headskip' }));
    const deleted = await fetch(`http://${B().host}/v2/dst/headskip/manifests/${image.digest}`, {
      method: 'DELETE',
      headers: { authorization: `Basic ${Buffer.from(`${USER.username}:${USER.password}`).toString('base64')}` },
    });
    assert.equal(deleted.status, 202);
    assert.equal(await manifestDigest(B().host, 'dst/headskip', 'v1', USER), undefined);

    pB().reset();
    const result = await copyImage(request({ dstRepository: 'dst/headskip' }));
    assert.equal(result.blobsSkipped, 4);
    assert.equal(result.blobsCopied, 0);
    assert.equal(pB().uploadBytes(), 0);
    assert.equal(await manifestDigest(B().host, 'dst/headskip', 'v1', USER), image.digest);
  });

  for (const [label, fixture, mediaType] of [
    ['an OCI index', () => ociMulti, OCI_INDEX],
    ['a Docker manifest list', () => dockerMulti, DOCKER_MANIFEST_LIST],
  ] as const) {
    it(`copies ${label} of two platforms: children by digest first, then the index under each tag`, async () => {
      const index = fixture() ?? assert.fail('index not pushed');
      const srcRepository = mediaType === OCI_INDEX ? 'src/multi' : 'src/list';
      const dstRepository = mediaType === OCI_INDEX ? 'dst/multi' : 'dst/list';
      pB().reset();
      const result = await copyImage(request({ srcRepository, dstRepository, tags: ['v1', 'v1.0'] }));
      assert.equal(result.digest, index.digest);
      assert.equal(result.mediaType, mediaType);
      assert.equal(result.manifests, 3);
      assert.equal(result.blobsCopied, 6);
      assert.equal(result.bytesCopied, sizeOf(index.images.flatMap(blobsOf)));
      assert.equal(pB().uploadBytes(), result.bytesCopied);
      for (const tag of ['v1', 'v1.0']) assert.equal(await manifestDigest(B().host, dstRepository, tag, USER), index.digest);
      for (const image of index.images) assert.equal(await manifestDigest(B().host, dstRepository, image.digest, USER), image.digest);
      assert.equal((await imageConfig(B().host, dstRepository, 'v1', USER)).architecture, 'amd64');
      // The index went in last: after both children (which go in together, in either order).
      const manifestPuts = pB().requests.filter((r) => r.method === 'PUT' && r.url.includes('/manifests/')).map((r) => r.url.split('/manifests/')[1]);
      assert.deepEqual(new Set(manifestPuts.slice(0, 2)), new Set(index.images.map((image) => image.digest)));
      assert.deepEqual(manifestPuts.slice(2), ['v1', 'v1.0']);
    });
  }

  it('copies only the missing platform when the destination has the other one', async () => {
    const index = ociMulti ?? assert.fail('index not pushed');
    const [amd64, arm64] = index.images;
    assert.ok(amd64 && arm64);
    await copyImage(request({ srcRepository: 'src/multi', dstRepository: 'dst/partial', reference: amd64.digest, tags: [] }));
    assert.equal(await manifestDigest(B().host, 'dst/partial', amd64.digest, USER), amd64.digest, 'tags [] writes by digest');
    assert.deepEqual(await listTags(B().host, 'dst/partial', USER), []);

    pB().reset();
    const result = await copyImage(request({ srcRepository: 'src/multi', dstRepository: 'dst/partial', tags: ['v1'] }));
    assert.equal(result.manifests, 2, 'the arm64 manifest and the index');
    assert.equal(result.bytesCopied, sizeOf(blobsOf(arm64)));
    assert.equal(pB().uploadBytes(), result.bytesCopied);
    assert.equal(await manifestDigest(B().host, 'dst/partial', 'v1', USER), index.digest);
  });

  it('copies a source named by digest', async () => {
    const image = appImage();
    const result = await copyImage(request({ dstRepository: 'dst/pinned', reference: image.digest, tags: ['pinned'] }));
    assert.equal(result.digest, image.digest);
    assert.equal(await manifestDigest(B().host, 'dst/pinned', 'pinned', USER), image.digest);
  });

  it('skips a foreign (non-distributable) layer and says so', async () => {
    const image = await pushRandomImage(A().host, 'src/foreign', 'v1', { layers: 1, layerBytes: 2048, foreignLayer: true });
    const lines: string[] = [];
    const result = await copyImage(request({ srcRepository: 'src/foreign', dstRepository: 'dst/foreign', log: (line) => lines.push(line) }));
    assert.equal(result.blobsCopied, 2, 'config and the one ordinary layer');
    assert.equal(await manifestDigest(B().host, 'dst/foreign', 'v1', USER), image.digest);
    const foreign = image.layers.find((layer) => layer.urls !== undefined);
    assert.ok(lines.some((line) => line.includes(`skip foreign layer ${foreign?.digest}`)), lines.join('\n'));
  });

  it('follows blob downloads redirected to another origin (object storage)', async () => {
    pA().reset();
    pA().redirectBlobGets(true);
    const result = await copyImage(request({ source: { client: client(pA().host), repository: 'src/app', reference: 'v1' }, dstRepository: 'dst/redirected' }));
    assert.equal(result.blobsCopied, 4);
    assert.equal(pA().requests.filter((r) => r.fault === 'redirect').length, 4);
    assert.equal(await manifestDigest(B().host, 'dst/redirected', 'v1', USER), appImage().digest);
    pA().reset();
  });

  it('refuses an invalid tag or concurrency before sending anything', async () => {
    pB().reset();
    await assert.rejects(copyImage(request({ dstRepository: 'dst/bad', tags: ['-nope'] })), /invalid destination tag/);
    await assert.rejects(copyImage(request({ dstRepository: 'dst/bad', concurrency: 0 })), /concurrency must be a positive integer/);
    assert.equal(pB().requests.length, 0);
  });

  it('stops when its signal is aborted, writing no manifest', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop right there'));
    await assert.rejects(copyImage(request({ dstRepository: 'dst/aborted', signal: controller.signal })), /stop right there/);
    assert.equal(await manifestDigest(B().host, 'dst/aborted', 'v1', USER), undefined);
  });
});

describe('retagImage', () => {
  it('writes more tags with zero blob bytes moved', async () => {
    await copyImage(request({ dstRepository: 'dst/retag' }));
    pB().reset();
    const result = await retagImage(client(pB().host, true), 'dst/retag', 'v1', ['stable', 'v1.2']);
    assert.equal(result.digest, appImage().digest);
    assert.equal(pB().uploadBytes(), 0);
    assert.equal(pB().requests.filter((r) => r.url.includes('/blobs/')).length, 0, 'no blob request at all');
    assert.deepEqual(await listTags(B().host, 'dst/retag', USER), ['stable', 'v1', 'v1.2']);
    assert.equal(await manifestDigest(B().host, 'dst/retag', 'stable', USER), appImage().digest);
  });
});

describe('copyImage within one registry', () => {
  it('mounts every blob from the source repository: POST ?mount= answered 201, zero bytes uploaded', async () => {
    pA().reset();
    const shared = client(pA().host);
    const result = await copyImage({
      source: { client: shared, repository: 'src/app', reference: 'v1' },
      destination: { client: shared, repository: 'mounted/app' },
      tags: ['v1'],
    });
    assert.equal(result.blobsMounted, 4);
    assert.equal(result.blobsCopied, 0);
    assert.equal(result.bytesCopied, 0);
    const mounts = pA().requests.filter((r) => r.method === 'POST' && r.url.includes('mount='));
    assert.equal(mounts.length, 4);
    assert.ok(mounts.every((r) => r.status === 201 && r.url.includes('from=src%2Fapp')), JSON.stringify(mounts));
    assert.equal(pA().uploadBytes(), 0);
    assert.equal(pA().count('GET', (url) => url.includes('/blobs/')), 0, 'no blob was downloaded');
    assert.equal(await manifestDigest(A().host, 'mounted/app', 'v1'), appImage().digest);
  });
});

describe('copyImage again to the same tag', () => {
  it('asks the destination tag beside the source manifest and, when it holds the digest already, writes nothing', async () => {
    await copyImage(request({ dstRepository: 'dst/again' }));
    pB().reset();
    const lines: string[] = [];
    const result = await copyImage(request({ dstRepository: 'dst/again', log: (line) => lines.push(line) }));
    assert.equal(result.digest, appImage().digest);
    assert.equal(result.blobsCopied + result.blobsMounted + result.blobsSkipped, 0, 'not even a blob HEAD');
    // Only the tag's HEAD (and its 401 challenge): no HEAD by digest, no blob check, no manifest PUT.
    assert.deepEqual(
      pB().requests.filter((r) => r.status !== 401).map((r) => `${r.method} ${r.url}`),
      ['HEAD /v2/dst/again/manifests/v1'],
    );
    assert.ok(lines.some((line) => line.includes(`dst/again:v1 is ${appImage().digest} already`)), lines.join('\n'));
    assert.equal(await manifestDigest(B().host, 'dst/again', 'v1', USER), appImage().digest);
  });

  it('still writes a tag that points elsewhere, and every further tag', async () => {
    await copyImage(request({ dstRepository: 'dst/moved', reference: 'v1' }));
    const other = await pushRandomImage(A().host, 'src/other', 'v1', { layers: 1, layerBytes: 1024 });
    pB().reset();
    await copyImage(request({ dstRepository: 'dst/moved', srcRepository: 'src/other', tags: ['v1', 'v2'] }));
    assert.equal(pB().count('PUT', (url) => url.includes('/manifests/')), 2);
    assert.equal(await manifestDigest(B().host, 'dst/moved', 'v1', USER), other.digest);
    assert.equal(await manifestDigest(B().host, 'dst/moved', 'v2', USER), other.digest);
  });
});

describe('copyImage integrity and retries', () => {
  it('detects a corrupted source blob: DigestMismatchError naming it, no manifest and no blob published', async () => {
    pA().reset();
    pB().reset();
    pA().corruptNextBlob();
    const attempt = copyImage(request({ source: { client: client(pA().host), repository: 'src/app', reference: 'v1' }, dstRepository: 'dst/corrupt' }));
    const corrupted = (): string => {
      const record = pA().requests.find((r) => r.fault === 'corrupt');
      return record?.url.split('/blobs/')[1] ?? assert.fail('no blob was corrupted');
    };
    await assert.rejects(attempt, (error: unknown) => {
      assert.ok(error instanceof DigestMismatchError, String(error));
      assert.ok(error.message.includes(corrupted()), error.message);
      assert.match(error.message, /corrupted bytes.*nothing was published/);
      return true;
    });
    assert.equal(await manifestDigest(B().host, 'dst/corrupt', 'v1', USER), undefined);
    assert.equal(await blobStatusAtB('dst/corrupt', corrupted()), 404);
    assert.equal(pB().count('PUT', (url) => url.includes('/manifests/')), 0);
  });

  it('detects a corrupted blob large enough to be hashed on a worker thread: nothing published', async () => {
    const big = await pushRandomImage(A().host, 'src/big', 'v1', { layers: 1, layerBytes: 3 * WORKER_HASH_MIN_BYTES });
    const layer = big.layers[0]?.digest ?? assert.fail('no layer');
    pA().reset();
    pB().reset();
    pA().corruptNextBlob(layer);
    const attempt = copyImage(request({ source: { client: client(pA().host), repository: 'src/big', reference: 'v1' }, dstRepository: 'dst/corrupt-big' }));
    await assert.rejects(attempt, (error: unknown) => {
      assert.ok(error instanceof DigestMismatchError, String(error));
      assert.ok(error.message.includes(layer), error.message);
      assert.match(error.message, /corrupted bytes.*nothing was published/);
      return true;
    });
    assert.ok(hashWorkerThreadIds().length >= 1, 'the layer was hashed on a worker thread');
    assert.equal(pA().requests.filter((r) => r.fault === 'corrupt').length, 1);
    assert.equal(await manifestDigest(B().host, 'dst/corrupt-big', 'v1', USER), undefined);
    assert.equal(await blobStatusAtB('dst/corrupt-big', layer), 404);
    assert.equal(pB().count('PUT', (url) => url.includes('/manifests/')), 0);
  });

  it('a source that lost a layer: the copy fails naming it, each upload session opened beside a download is used or cancelled, no manifest', async () => {
    pA().reset();
    pB().reset();
    const lostLayer = appImage().layers[1]!.digest;
    pA().loseBlob(lostLayer);
    await assert.rejects(
      copyImage(request({ source: { client: client(pA().host), repository: 'src/app', reference: 'v1' }, dstRepository: 'dst/lost', concurrency: 1 })),
      (error: unknown) => {
        assert.ok(String(error).includes(lostLayer), String(error));
        return true;
      },
    );
    pA().loseBlob(undefined);
    assert.equal(pA().requests.filter((r) => r.fault === 'lost').length, 1, 'the lost layer was asked for once (a 404 is not retried)');
    const sessions = pB().count('POST', (url) => url.includes('/blobs/uploads/') && !url.includes('mount='));
    const completed = pB().requests.filter((r) => r.method === 'PUT' && r.url.includes('/blobs/uploads/') && r.status === 201).length;
    assert.ok(sessions > completed, `a session was opened for the lost layer too (${sessions} opened, ${completed} completed)`);
    assert.equal(pB().count('DELETE', (url) => url.includes('/blobs/uploads/')), sessions - completed, 'every session not completed was cancelled');
    assert.equal(await blobStatusAtB('dst/lost', lostLayer), 404);
    assert.equal(pB().count('PUT', (url) => url.includes('/manifests/')), 0);
  });

  it('restarts a blob answered 503 mid-copy from a fresh download', async () => {
    pB().reset();
    pB().failNext(1, '503');
    const result = await copyImage(request({ dstRepository: 'dst/retry503' }));
    assert.equal(result.blobsCopied, 4);
    assert.equal(uploadRequests(pB()), 5, 'four uploads and the one refused');
    assert.equal(pB().requests.filter((r) => r.status === 503).length, 1);
    assert.equal(await manifestDigest(B().host, 'dst/retry503', 'v1', USER), appImage().digest);
  });

  it('waits out 429 Retry-After, then completes', async () => {
    pB().reset();
    pB().failNext(1, '429');
    const started = Date.now();
    const lines: string[] = [];
    const result = await copyImage(request({ dstRepository: 'dst/retry429', log: (line) => lines.push(line) }));
    const elapsed = Date.now() - started;
    assert.equal(result.blobsCopied, 4);
    assert.ok(elapsed >= RETRY_AFTER_SECONDS * 1000 - 50, `took ${elapsed} ms`);
    assert.equal(uploadRequests(pB()), 5);
    assert.ok(lines.some((line) => line.includes(`starting it over in ${RETRY_AFTER_SECONDS * 1000} ms`)), lines.join('\n'));
    assert.equal(await manifestDigest(B().host, 'dst/retry429', 'v1', USER), appImage().digest);
  });

  it('survives a connection reset in the middle of an upload', async () => {
    pB().reset();
    pB().failNext(1, 'reset-mid-upload');
    const result = await copyImage(request({ dstRepository: 'dst/reset' }));
    assert.equal(result.blobsCopied, 4);
    const reset = pB().requests.filter((r) => r.fault === 'reset-mid-upload');
    assert.equal(reset.length, 1);
    assert.equal(reset[0]?.status, 0, 'answered with a reset, not a status');
    assert.ok((reset[0]?.requestBytes ?? 0) > 0, 'the reset came after part of the body');
    assert.equal(uploadRequests(pB()), 5);
    assert.equal(await manifestDigest(B().host, 'dst/reset', 'v1', USER), appImage().digest);
  });

  it('gives up after the bounded number of attempts of one blob', async () => {
    pB().reset();
    pB().failNext(10, '503');
    await assert.rejects(
      copyImage(request({ dstRepository: 'dst/giveup', concurrency: 1, retry: { ...FAST_RETRY, attempts: 3 } })),
      (error: unknown) => error instanceof RegistryError && error.status === 503,
    );
    assert.equal(uploadRequests(pB()), 3);
    // Each attempt's session is opened beside its download and cancelled when the attempt fails.
    const sessions = pB().count('POST', (url) => url.includes('/blobs/uploads/') && !url.includes('mount='));
    assert.equal(sessions, 3, 'one upload session per attempt');
    assert.equal(pB().count('DELETE', (url) => url.includes('/blobs/uploads/')), sessions, 'every one cancelled');
    assert.equal(await manifestDigest(B().host, 'dst/giveup', 'v1', USER), undefined);
    pB().reset();
  });

  it('uploads in streamed chunks when the registry announces OCI-Chunk-Min-Length', async () => {
    const big = await pushRandomImage(A().host, 'src/chunky', 'v1', { layers: 1, layerBytes: 17 * MiB });
    pB().reset();
    pB().requireChunked({ minLength: MiB, announce: true });
    const result = await copyImage(request({ srcRepository: 'src/chunky', dstRepository: 'dst/chunky' }));
    assert.equal(result.blobsCopied, 2);
    // 17 MiB in 8 MiB chunks: 3 PATCHes for the layer, 1 for the config; no single-request PUT tried.
    assert.equal(pB().count('PATCH'), 4);
    assert.equal(pB().requests.filter((r) => r.fault === 'refuse-monolithic').length, 0);
    assert.equal(pB().uploadBytes(), result.bytesCopied);
    assert.equal(await manifestDigest(B().host, 'dst/chunky', 'v1', USER), big.digest);
    pB().reset();
  });

  it('falls back to chunks after a 416 to a single-request upload', async () => {
    pB().reset();
    pB().requireChunked({ minLength: 0, announce: false });
    const result = await copyImage(request({ dstRepository: 'dst/chunk416', concurrency: 1 }));
    assert.equal(result.blobsCopied, 4);
    assert.equal(pB().requests.filter((r) => r.fault === 'refuse-monolithic').length, 1, 'refused once, then remembered');
    assert.equal(pB().count('PATCH'), 4);
    assert.equal(await manifestDigest(B().host, 'dst/chunk416', 'v1', USER), appImage().digest);
    pB().reset();
  });
});

describe('copyImage through a Bearer token service that checks scopes', () => {
  it('asks pull,push on the destination and pull on the source for a mount', async () => {
    const image = await pushRandomImage(C().host, 'team/src', 'v1', { layers: 3, layerBytes: 50 * 1024 });
    tp().reset();
    const shared = client(tp().host, true);
    const result = await copyImage({
      source: { client: shared, repository: 'team/src', reference: 'v1' },
      destination: { client: shared, repository: 'team/dst' },
      tags: ['v1'],
    });
    assert.equal(result.blobsMounted, 4);
    // The source's manifest and the destination's tag are asked for at once: their tokens come in either order.
    const requests = tp().tokenRequests.map((r) => r.scopes);
    assert.deepEqual(
      requests.slice(0, 2).sort(),
      [['repository:team/dst:pull,push'], ['repository:team/src:pull']],
    );
    assert.deepEqual(requests.slice(2), [['repository:team/dst:pull,push', 'repository:team/src:pull']]);
    assert.ok(tp().forwarded.some((line) => line.startsWith('POST /v2/team/dst/blobs/uploads/?mount=')));
    assert.equal(await manifestDigest(C().host, 'team/dst', 'v1'), image.digest);
  });

  it('copies the bytes instead when the token service will not grant pull on the source for a mount', async () => {
    await pushRandomImage(C().host, 'team/private', 'v1', { layers: 1, layerBytes: 10 * 1024 });
    tp().reset();
    // Anonymous readers may pull team/private; the pushing user may not.
    tp().setGrantFilter((user, resource, action) => !(user !== undefined && resource === 'repository:team/private' && action === 'pull'));
    const lines: string[] = [];
    const result = await copyImage({
      source: { client: new RegistryClient({ registry: tp().host, fetch, retry: FAST_RETRY }), repository: 'team/private', reference: 'v1' },
      destination: { client: client(tp().host, true), repository: 'team/public' },
      tags: ['v1'],
      log: (line) => lines.push(line),
    });
    tp().setGrantFilter(undefined);
    assert.equal(result.blobsMounted, 0);
    assert.equal(result.blobsCopied, 2);
    assert.ok(lines.some((line) => line.includes('cross-repository mount refused')), lines.join('\n'));
    assert.equal(await manifestDigest(C().host, 'team/public', 'v1'), await manifestDigest(C().host, 'team/private', 'v1'));
  });

  it('restarts a blob whose streamed upload met an expired token, with a fresh token', async () => {
    tp().reset();
    // The token dies right after the upload session opened: the PUT carrying the stream is refused.
    tp().revokeAfterNext((line) => line.startsWith('POST ') && line.includes('/blobs/uploads/'));
    const lines: string[] = [];
    const result = await copyImage({
      source: { client: client(A().host), repository: 'src/app', reference: 'v1' },
      destination: { client: client(tp().host, true), repository: 'team/expiry' },
      tags: ['v1'],
      concurrency: 1,
      retry: FAST_RETRY,
      log: (line) => lines.push(line),
    });
    assert.equal(result.blobsCopied, 4);
    assert.equal(tp().tokenRequests.length, 2, 'the first token, then one fresh token');
    assert.ok(lines.some((line) => line.includes('refused the token during a streamed upload')), lines.join('\n'));
    assert.equal(await manifestDigest(C().host, 'team/expiry', 'v1'), appImage().digest);
  });

  it('uploads to it from another registry with one push token', async () => {
    tp().reset();
    const result = await copyImage({
      source: { client: client(A().host), repository: 'src/app', reference: 'v1' },
      destination: { client: client(tp().host, true), repository: 'team/uploaded' },
      tags: ['v1', 'latest'],
    });
    assert.equal(result.blobsCopied, 4);
    assert.deepEqual(tp().tokenRequests.map((r) => r.scopes), [['repository:team/uploaded:pull,push']]);
    assert.equal(await manifestDigest(C().host, 'team/uploaded', 'latest'), appImage().digest);
  });
});

describe('copyImage memory', () => {
  // Measured in a fresh process that does nothing else, so this test
  // process's own buffers do not blur the number. Twice: as the process
  // runs (V8 frees spent network buffers lazily, so some of the growth is
  // garbage not yet collected) and with a GC on every sample (what the copy
  // really holds on to).
  const MEASURE = `
    const { copyImage } = await import(process.env.COPY_MODULE);
    const { RegistryClient } = await import(process.env.CLIENT_MODULE);
    const credentials = JSON.parse(process.env.CREDENTIALS);
    const src = new RegistryClient({ registry: process.env.SRC, fetch });
    const dst = new RegistryClient({ registry: process.env.DST, fetch, credentials });
    const copy = (repository, to) => copyImage({ source: { client: src, repository, reference: 'v1' }, destination: { client: dst, repository: to }, tags: ['v1'] });
    const measure = async (to, collect) => {
      globalThis.gc();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => {
        if (collect) globalThis.gc();
        peak = Math.max(peak, process.memoryUsage().rss);
      }, collect ? 10 : 5);
      const started = Date.now();
      const result = await copy('src/big', to);
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      return { baseline, peak, ms: Date.now() - started, bytesCopied: result.bytesCopied };
    };
    await copy('src/app', 'dst/memory-warmup');
    // The collected run first: the other would leave freed memory behind for it to reuse.
    const collected = await measure('dst/big-gc', true);
    const natural = await measure('dst/big', false);
    console.log(JSON.stringify({ natural, collected }));
  `;

  interface Measured {
    baseline: number;
    peak: number;
    ms: number;
    bytesCopied: number;
  }

  it('streams a 64 MB layer: rss grows far less than the layer', async (t) => {
    const big = await pushRandomImage(A().host, 'src/big', 'v1', { layers: 1, layerBytes: 64 * MiB });
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--input-type=module', '-e', MEASURE], {
      env: {
        ...process.env,
        COPY_MODULE: new URL('../../src/registry/copy.js', import.meta.url).href,
        CLIENT_MODULE: new URL('../../src/registry/client.js', import.meta.url).href,
        CREDENTIALS: JSON.stringify(USER),
        SRC: A().host,
        DST: B().host,
      },
      timeout: 60_000,
    });
    const { natural, collected } = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { natural: Measured; collected: Measured };
    const growth = (m: Measured): number => (m.peak - m.baseline) / MiB;
    const describe = (m: Measured): string =>
      `${m.ms} ms, rss ${(m.baseline / MiB).toFixed(1)} → peak ${(m.peak / MiB).toFixed(1)} MiB (growth ${growth(m).toFixed(1)} MiB)`;
    t.diagnostic(`64 MiB layer, as the process runs: ${describe(natural)}`);
    t.diagnostic(`64 MiB layer, GC on every sample: ${describe(collected)}`);
    for (const m of [natural, collected]) assert.equal(m.bytesCopied, 64 * MiB + big.config.size);
    assert.equal(await manifestDigest(B().host, 'dst/big', 'v1', USER), big.digest);
    assert.equal(await manifestDigest(B().host, 'dst/big-gc', 'v1', USER), big.digest);
    // A copier that held the layer would grow by 64 MiB and more.
    assert.ok(growth(collected) < 40, `rss grew by ${growth(collected).toFixed(1)} MiB with GC`);
    assert.ok(growth(natural) < 56, `rss grew by ${growth(natural).toFixed(1)} MiB`);
  });
});
