/**
 * What the registry confirmed when a run wrote its tags, and what the verify check makes of it, against a real
 * Debian `docker-registry` (distribution 2.8, which answers each manifest PUT with Docker-Content-Digest) behind a
 * counting proxy that can strip that header from manifest PUT answers (a registry the spec allows to leave it out).
 * What landed is read with the independent test-side reader (helpers/registry-api.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Logger } from '../../src/ports.js';
import { RegistryClient } from '../../src/registry/client.js';
import { RegistryClients } from '../../src/registry/clients.js';
import { copyImage, retagImage } from '../../src/registry/copy.js';
import { mergeIntoIndex } from '../../src/registry/transfer.js';
import { verifyPushedTags, VerifyError } from '../../src/registry/verify.js';
import { startCountingProxy, type CountingProxy } from '../helpers/counting-proxy.js';
import { pushRandomImage, type PushedImage } from '../helpers/image-fixtures.js';
import { startLocalRegistry, type LocalRegistry } from '../helpers/local-registry.js';
import { manifestDigest } from '../helpers/registry-api.js';

const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20 };

let registry: LocalRegistry | undefined;
let countingProxy: CountingProxy | undefined;
let appImage: PushedImage | undefined;
let otherImage: PushedImage | undefined;

const reg = (): LocalRegistry => registry ?? assert.fail('registry not started');
const proxy = (): CountingProxy => countingProxy ?? assert.fail('proxy not started');
const app = (): PushedImage => appImage ?? assert.fail('image not pushed');
const other = (): PushedImage => otherImage ?? assert.fail('image not pushed');

/** A client that talks to the registry through the counting proxy. */
const client = (): RegistryClient => new RegistryClient({ registry: proxy().host, fetch, retry: FAST_RETRY });
const copyTo = (repository: string, tags: string[]) =>
  copyImage({ source: { client: client(), repository: 'src/app', reference: 'v1' }, destination: { client: client(), repository }, tags, retry: FAST_RETRY });
const manifestRequests = (method: string, reference?: string): number =>
  proxy().count(method, (url) => (reference === undefined ? url.includes('/manifests/') : url.endsWith(`/manifests/${reference}`)));
const quiet: Logger = { info: () => undefined, warn: () => undefined, debug: () => undefined, group: (_title, body) => body() };

before(async () => {
  registry = await startLocalRegistry();
  countingProxy = await startCountingProxy(registry.host);
  appImage = await pushRandomImage(registry.host, 'src/app', 'v1', { layers: 1, layerBytes: 4096 });
  otherImage = await pushRandomImage(registry.host, 'src/app', 'other', { layers: 1, layerBytes: 4096 });
});

after(async () => {
  await countingProxy?.close();
  await registry?.close();
});

describe('putManifest: the registry confirms what it stored', () => {
  it('confirmed when the PUT answer names the digest; not confirmed when the answer has no Docker-Content-Digest (the manifest is stored either way)', async () => {
    const { bytes, mediaType, digest } = app();
    const answered = await client().putManifest('src/app', 'answered', bytes, mediaType);
    assert.deepEqual(answered, { digest, confirmed: true });

    proxy().stripManifestPutDigest(true);
    try {
      const silent = await client().putManifest('src/app', 'silent', bytes, mediaType);
      assert.deepEqual(silent, { digest, confirmed: false });
    } finally {
      proxy().stripManifestPutDigest(false);
    }
    assert.equal(await manifestDigest(reg().host, 'src/app', 'silent'), digest, 'the registry has the tag all the same');
  });
});

describe('copyImage / retagImage / mergeIntoIndex report the tags the registry confirmed', () => {
  it('a copy: every tag confirmed by its PUT; a re-copy: the first tag by the copy\'s HEAD (no PUT), the other by its PUT', async () => {
    const copied = await copyTo('copy/app', ['v1', 'latest']);
    assert.deepEqual(copied.confirmed, new Map([['v1', app().digest], ['latest', app().digest]]));

    proxy().reset();
    const again = await copyTo('copy/app', ['v1', 'latest']);
    assert.equal(manifestRequests('PUT', 'v1'), 0, 'v1 was found at the digest, not written');
    assert.equal(manifestRequests('PUT', 'latest'), 1);
    assert.deepEqual(again.confirmed, new Map([['v1', app().digest], ['latest', app().digest]]));
  });

  it('PUT answers without Docker-Content-Digest confirm nothing; a re-copy then has only the tag its HEAD found', async () => {
    proxy().stripManifestPutDigest(true);
    try {
      const copied = await copyTo('silent/app', ['v1', 'latest']);
      assert.equal(copied.digest, app().digest);
      assert.deepEqual(copied.confirmed, new Map());
      const again = await copyTo('silent/app', ['v1', 'latest']);
      assert.deepEqual(again.confirmed, new Map([['v1', app().digest]]));
    } finally {
      proxy().stripManifestPutDigest(false);
    }
  });

  it('a retag: each tag confirmed by its PUT, or none when the answers carry no digest', async () => {
    await copyTo('retag/app', ['v1']);
    const retagged = await retagImage(client(), 'retag/app', 'v1', ['stable', '1.0']);
    assert.deepEqual(retagged.confirmed, new Map([['stable', app().digest], ['1.0', app().digest]]));
    proxy().stripManifestPutDigest(true);
    try {
      const silent = await retagImage(client(), 'retag/app', 'v1', ['quiet']);
      assert.deepEqual(silent.confirmed, new Map());
    } finally {
      proxy().stripManifestPutDigest(false);
    }
  });

  it('a merge: the index under each tag, confirmed by each PUT', async () => {
    const arm = await pushRandomImage(reg().host, 'merge/app', undefined, { layers: 1, layerBytes: 2048, platform: { os: 'linux', architecture: 'arm64' } });
    const amd = await pushRandomImage(reg().host, 'merge/app', undefined, { layers: 1, layerBytes: 2048 });
    const clients = new RegistryClients({ fetch, credentialsFor: () => undefined });
    const merged = await mergeIntoIndex({ registry: proxy().host, repository: 'merge/app', ports: { logger: quiet }, clients }, [amd.digest, arm.digest], ['latest', '2.0']);
    assert.equal(await manifestDigest(reg().host, 'merge/app', '2.0'), merged.digest);
    assert.deepEqual(merged.confirmed, new Map([['latest', merged.digest], ['2.0', merged.digest]]));
  });
});

describe('verifyPushedTags with confirmations', () => {
  const verify = (tags: string[], confirmed: Map<string, string>, expectedDigest?: string) =>
    verifyPushedTags({ client: client(), repository: 'verify/app', tags, loginHint: 'check the login', confirmed, ...(expectedDigest ? { expectedDigest } : {}) });

  before(async () => {
    await copyTo('verify/app', ['a', 'b']);
    await copyImage({ source: { client: client(), repository: 'src/app', reference: 'other' }, destination: { client: client(), repository: 'verify/app' }, tags: ['c'], retry: FAST_RETRY });
  });

  it('every tag confirmed: no request at all, the confirmed digest', async () => {
    proxy().reset();
    const digest = await verify(['a', 'b'], new Map([['a', app().digest], ['b', app().digest]]), app().digest);
    assert.equal(digest, app().digest);
    assert.equal(proxy().requests.length, 0, proxy().requests.map((r) => `${r.method} ${r.url}`).join('\n'));
  });

  it('a tag not confirmed is asked for with one HEAD; the confirmed one is not', async () => {
    proxy().reset();
    const digest = await verify(['a', 'b'], new Map([['a', app().digest]]));
    assert.equal(digest, app().digest);
    assert.equal(manifestRequests('HEAD', 'b'), 1);
    assert.equal(manifestRequests('HEAD', 'a'), 0);
  });

  it('a confirmed tag and an asked one at different digests fail as before', async () => {
    await assert.rejects(verify(['a', 'c'], new Map([['a', app().digest]])), (error: unknown) => {
      assert.ok(error instanceof VerifyError);
      assert.match(error.message, new RegExp(`different manifests \\(a=${app().digest}, c=${other().digest}\\)`));
      return true;
    });
  });

  it('confirmed tags that disagree with the digest the pushing step reported fail as before', async () => {
    await assert.rejects(verify(['a'], new Map([['a', app().digest]]), other().digest), /the builder reported .* but the registry serves/);
  });
});
