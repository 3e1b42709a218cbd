/**
 * RegistryClient against a real Debian `docker-registry` (distribution 2.8)
 * started on loopback (helpers/local-registry.ts): one open, one behind
 * htpasswd (Basic), and the open one again behind the Bearer token service +
 * proxy of helpers/token-proxy.ts. Images are uploaded over the plain
 * distribution API, so no Docker daemon is needed.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { RegistryClient, RegistryError } from '../../src/registry/client.js';
import { DigestMismatchError } from '../../src/domain/image/digest.js';
import { MediaTypes } from '../../src/domain/image/media-types.js';
import { HTPASSWD_BINARY, REGISTRY_BINARY, startLocalRegistry, type LocalRegistry } from '../helpers/local-registry.js';
import { startTokenProxy, TOKEN_SERVICE, type TokenProxy } from '../helpers/token-proxy.js';

const USER = 'user';
const PASSWORD = 'pass';

// ---------------------------------------------------------------- test images

const sha256 = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const encode = (value: unknown, indent?: number): Uint8Array => new TextEncoder().encode(JSON.stringify(value, null, indent));

interface Blob {
  bytes: Uint8Array;
  digest: string;
}

interface TestImage {
  config: Blob;
  layer: Blob;
  manifest: Blob & { mediaType: string };
}

/** A tiny but well-formed image; the registry never looks inside layers, so the layer is gzipped text. */
function buildImage(architecture: string, labels: Record<string, string>, oci = false): TestImage {
  const layerText = new TextEncoder().encode(`layer for ${architecture}\n`);
  const layerBytes = gzipSync(layerText);
  const layer = { bytes: layerBytes, digest: sha256(layerBytes) };
  const configBytes = encode({
    architecture,
    os: 'linux',
    config: { Labels: labels, Env: ['PATH=/bin'] },
    rootfs: { type: 'layers', diff_ids: [sha256(layerText)] },
  });
  const config = { bytes: configBytes, digest: sha256(configBytes) };
  const mediaType = oci ? MediaTypes.ociManifest : MediaTypes.dockerManifest;
  // Indented on purpose: the client must hash the bytes as sent, not a re-serialisation.
  const manifestBytes = encode(
    {
      schemaVersion: 2,
      mediaType,
      config: { mediaType: oci ? MediaTypes.ociConfig : MediaTypes.dockerConfig, size: config.bytes.length, digest: config.digest },
      layers: [
        {
          mediaType: oci ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.docker.image.rootfs.diff.tar.gzip',
          size: layer.bytes.length,
          digest: layer.digest,
        },
      ],
    },
    3,
  );
  return { config, layer, manifest: { bytes: manifestBytes, digest: sha256(manifestBytes), mediaType } };
}

interface IndexEntry {
  image: TestImage;
  platform: { os: string; architecture: string };
  annotations?: Record<string, string>;
}

function buildIndex(entries: IndexEntry[], oci = false): Blob & { mediaType: string } {
  const mediaType = oci ? MediaTypes.ociIndex : MediaTypes.dockerManifestList;
  const bytes = encode(
    {
      schemaVersion: 2,
      mediaType,
      manifests: entries.map(({ image, platform, annotations }) => ({
        mediaType: image.manifest.mediaType,
        size: image.manifest.bytes.length,
        digest: image.manifest.digest,
        platform,
        ...(annotations ? { annotations } : {}),
      })),
    },
    2,
  );
  return { bytes, digest: sha256(bytes), mediaType };
}

// ---------------------------------------------------------------- uploads over the raw API

/** Pushes with plain fetch calls, so the code under test does not test itself. */
class Uploader {
  constructor(
    private readonly base: string,
    private readonly authorization?: string,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return this.authorization ? { ...extra, authorization: this.authorization } : extra;
  }

  async blob(repository: string, blob: Blob): Promise<void> {
    const start = await fetch(`${this.base}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers: this.headers() });
    assert.equal(start.status, 202, `start upload: ${await start.text()}`);
    const location = new URL(start.headers.get('location') ?? '', this.base);
    location.searchParams.set('digest', blob.digest);
    const put = await fetch(location, {
      method: 'PUT',
      headers: this.headers({ 'content-type': 'application/octet-stream' }),
      body: blob.bytes,
    });
    assert.equal(put.status, 201, `finish upload: ${await put.text()}`);
  }

  async manifest(repository: string, reference: string, manifest: Blob & { mediaType: string }): Promise<void> {
    const put = await fetch(`${this.base}/v2/${repository}/manifests/${reference}`, {
      method: 'PUT',
      headers: this.headers({ 'content-type': manifest.mediaType }),
      body: manifest.bytes,
    });
    assert.equal(put.status, 201, `put manifest ${repository}:${reference}: ${await put.text()}`);
    assert.equal(put.headers.get('docker-content-digest'), manifest.digest);
  }

  async image(repository: string, image: TestImage, references: string[]): Promise<void> {
    await this.blob(repository, image.config);
    await this.blob(repository, image.layer);
    for (const reference of references) await this.manifest(repository, reference, image.manifest);
  }
}

// ---------------------------------------------------------------- fixtures

/** Counts what the client sends, and can rewrite answers (to tamper with bytes). */
function countingFetch(rewrite?: (url: string, response: Response) => Promise<Response>): {
  fetch: typeof fetch;
  calls: string[];
} {
  const calls: string[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    calls.push(`${init?.method ?? 'GET'} ${new URL(url).pathname}${new URL(url).search}`);
    const response = await fetch(input, init);
    return rewrite ? rewrite(url, response) : response;
  };
  return { fetch: wrapped, calls };
}

const appImage = buildImage('amd64', { 'org.opencontainers.image.title': 'imageship-test', 'test.flavour': 'app' });
const amd64Image = buildImage('amd64', { 'test.flavour': 'multi-amd64' });
const arm64Image = buildImage('arm64', { 'test.flavour': 'multi-arm64' });
const multiIndex = buildIndex([
  { image: amd64Image, platform: { os: 'linux', architecture: 'amd64' } },
  { image: arm64Image, platform: { os: 'linux', architecture: 'arm64' } },
]);
const ociImage = buildImage('arm64', { 'test.flavour': 'oci-arm64' }, true);
const attestation = buildImage('unknown', { 'test.flavour': 'attestation' }, true);
const ociIndex = buildIndex(
  [
    { image: ociImage, platform: { os: 'linux', architecture: 'arm64' } },
    {
      image: attestation,
      platform: { os: 'unknown', architecture: 'unknown' },
      annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': ociImage.manifest.digest },
    },
  ],
  true,
);

let open: LocalRegistry | undefined;
let basic: LocalRegistry | undefined;
let tokenProxy: TokenProxy | undefined;

const openRegistry = (): LocalRegistry => open ?? assert.fail('open registry not started');
const basicRegistry = (): LocalRegistry => basic ?? assert.fail('htpasswd registry not started');
const proxy = (): TokenProxy => tokenProxy ?? assert.fail('token proxy not started');

before(async () => {
  for (const binary of [REGISTRY_BINARY, HTPASSWD_BINARY]) {
    if (!existsSync(binary)) {
      throw new Error(`${binary} is missing; these tests need a real registry: apt-get install -y docker-registry apache2-utils`);
    }
  }
  [open, basic] = await Promise.all([startLocalRegistry(), startLocalRegistry({ users: [{ username: USER, password: PASSWORD }] })]);

  const openUploads = new Uploader(`http://${open.host}`);
  await openUploads.image('org/app', appImage, ['v1', 'latest']);
  await openUploads.image('org/multi', amd64Image, [amd64Image.manifest.digest]);
  await openUploads.image('org/multi', arm64Image, [arm64Image.manifest.digest]);
  await openUploads.manifest('org/multi', 'v1', multiIndex);
  await openUploads.image('org/oci', ociImage, [ociImage.manifest.digest]);
  await openUploads.image('org/oci', attestation, [attestation.manifest.digest]);
  await openUploads.manifest('org/oci', 'v1', ociIndex);

  const basicUploads = new Uploader(`http://${basic.host}`, `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`);
  await basicUploads.image('org/app', appImage, ['v1']);

  tokenProxy = await startTokenProxy(open.host, { username: USER, password: PASSWORD });
});

after(async () => {
  await tokenProxy?.close();
  await Promise.all([open?.close(), basic?.close()]);
});

// ---------------------------------------------------------------- tests

describe('RegistryClient against an open docker-registry', () => {
  const client = (): RegistryClient => new RegistryClient({ registry: openRegistry().host, fetch });

  it('heads a tag: digest is the sha256 of the uploaded manifest bytes', async () => {
    const info = await client().headManifest('org/app', 'v1');
    assert.deepEqual(info, {
      digest: appImage.manifest.digest,
      mediaType: MediaTypes.dockerManifest,
      size: appImage.manifest.bytes.length,
    });
    assert.equal((await client().headManifest('org/app', 'latest'))?.digest, appImage.manifest.digest);
  });

  it('heads by digest', async () => {
    const info = await client().headManifest('org/app', appImage.manifest.digest);
    assert.equal(info?.digest, appImage.manifest.digest);
  });

  it('answers undefined for a missing tag or repository', async () => {
    assert.equal(await client().headManifest('org/app', 'nope'), undefined);
    assert.equal(await client().headManifest('org/missing', 'v1'), undefined);
    assert.equal(await client().headManifest('org/app', `sha256:${'0'.repeat(64)}`), undefined);
  });

  it('reads a manifest with its exact bytes', async () => {
    const manifest = await client().getManifest('org/app', 'v1');
    assert.deepEqual(manifest.raw, appImage.manifest.bytes);
    assert.deepEqual(manifest.info, {
      digest: appImage.manifest.digest,
      mediaType: MediaTypes.dockerManifest,
      size: appImage.manifest.bytes.length,
    });
    assert.equal(manifest.body.config.digest, appImage.config.digest);
  });

  it('maps a missing manifest to RegistryError 404 MANIFEST_UNKNOWN', async () => {
    await assert.rejects(client().getManifest('org/app', 'nope'), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.status, 404);
      assert.equal(error.code, 'MANIFEST_UNKNOWN');
      assert.equal(error.operation, `read manifest ${openRegistry().host}/org/app:nope`);
      assert.match(error.message, /^read manifest 127\.0\.0\.1:\d+\/org\/app:nope: HTTP 404 MANIFEST_UNKNOWN: manifest unknown/);
      return true;
    });
  });

  it('refuses manifest bytes that do not match the digest asked for', async () => {
    const tampering = countingFetch(async (url, response) => {
      if (!url.includes('/manifests/')) return response;
      const bytes = new Uint8Array(await response.arrayBuffer());
      bytes[bytes.length - 2] = 0x20; // still JSON, other bytes
      const headers = new Headers(response.headers);
      headers.delete('docker-content-digest');
      return new Response(bytes, { status: response.status, headers });
    });
    const tampered = new RegistryClient({ registry: openRegistry().host, fetch: tampering.fetch });
    await assert.rejects(tampered.getManifest('org/app', appImage.manifest.digest), DigestMismatchError);
  });

  it('reads the image config with its labels', async () => {
    const config = await client().getImageConfig('org/app', 'v1');
    assert.equal(config.config.Labels['org.opencontainers.image.title'], 'imageship-test');
    assert.equal(config.config.Labels['test.flavour'], 'app');
  });

  it('refuses a single-platform image asked for as another platform', async () => {
    await assert.rejects(client().getImageConfig('org/app', 'v1', { os: 'linux', architecture: 'arm64' }), /is linux\/amd64, not linux\/arm64/);
  });

  it('follows a manifest list to the requested platform, linux/amd64 by default', async () => {
    const head = await client().headManifest('org/multi', 'v1');
    assert.deepEqual(head, { digest: multiIndex.digest, mediaType: MediaTypes.dockerManifestList, size: multiIndex.bytes.length });
    assert.equal((await client().getImageConfig('org/multi', 'v1')).config.Labels['test.flavour'], 'multi-amd64');
    const arm = await client().getImageConfig('org/multi', 'v1', { os: 'linux', architecture: 'arm64' });
    assert.equal(arm.config.Labels['test.flavour'], 'multi-arm64');
    assert.equal(arm.architecture, 'arm64');
    await assert.rejects(
      client().getImageConfig('org/multi', 'v1', { os: 'linux', architecture: 's390x' }),
      /no linux\/s390x image in the index \(it has: linux\/amd64, linux\/arm64\)/,
    );
  });

  it('picks the only runnable image of an OCI index, skipping attestations', async () => {
    assert.equal((await client().headManifest('org/oci', 'v1'))?.mediaType, MediaTypes.ociIndex);
    const config = await client().getImageConfig('org/oci', 'v1');
    assert.equal(config.config.Labels['test.flavour'], 'oci-arm64');
  });

  it('lists tags', async () => {
    assert.deepEqual((await client().listTags('org/app')).sort(), ['latest', 'v1']);
    assert.deepEqual((await client().listTags('org/multi')).sort(), ['v1']);
  });

  it('maps a missing repository in listTags to RegistryError 404 NAME_UNKNOWN', async () => {
    await assert.rejects(client().listTags('org/missing'), { name: 'RegistryError', status: 404, code: 'NAME_UNKNOWN' });
  });

  it('rejects invalid names before sending anything', async () => {
    const counting = countingFetch();
    const guarded = new RegistryClient({ registry: openRegistry().host, fetch: counting.fetch });
    await assert.rejects(guarded.headManifest('Org/App', 'v1'), /must be lowercase/);
    await assert.rejects(guarded.getManifest('org/app', '../../x'), /invalid tag or digest/);
    assert.deepEqual(counting.calls, []);
  });
});

describe('RegistryClient tag pagination', () => {
  // distribution 2.8 ignores `?n=` on tag lists (paging came with v3), so a
  // small server plays a registry that pages, the way GHCR or Harbor do.
  const pages: Record<string, { tags: string[]; link?: string }> = {
    '/v2/org/app/tags/list?n=2': { tags: ['a', 'b'], link: '</v2/org/app/tags/list?n=2&last=b>; rel="next"' },
    '/v2/org/app/tags/list?n=2&last=b': { tags: ['c', 'd'], link: 'ABSOLUTE' },
    '/v2/org/app/tags/list?n=2&last=d': { tags: ['e'] },
    '/v2/org/loop/tags/list': { tags: ['x'], link: '</v2/org/loop/tags/list>; rel=next' },
    '/v2/org/away/tags/list': { tags: ['x'], link: '<http://192.0.2.1/v2/org/away/tags/list?last=x>; rel="next"' },
  };
  let server: Server | undefined;
  let host = '';
  const seen: string[] = [];

  before(async () => {
    server = createServer((req, res) => {
      seen.push(req.url ?? '');
      const page = pages[req.url ?? ''];
      if (!page) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }] }));
        return;
      }
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (page.link) {
        headers.link = page.link === 'ABSOLUTE' ? `<http://${host}/v2/org/app/tags/list?n=2&last=d>; rel="next"` : page.link;
      }
      res.writeHead(200, headers).end(JSON.stringify({ name: 'org/app', tags: page.tags }));
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
  });

  it('follows relative and absolute next links until the last page', async () => {
    seen.length = 0;
    const client = new RegistryClient({ registry: host, fetch });
    assert.deepEqual(await client.listTags('org/app', 2), ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(seen, ['/v2/org/app/tags/list?n=2', '/v2/org/app/tags/list?n=2&last=b', '/v2/org/app/tags/list?n=2&last=d']);
  });

  it('stops on a page link that loops', async () => {
    await assert.rejects(new RegistryClient({ registry: host, fetch }).listTags('org/loop'), /tag pages do not end/);
  });

  it('refuses a page link to another host', async () => {
    await assert.rejects(new RegistryClient({ registry: host, fetch }).listTags('org/away'), /refusing to follow a tag page link to another host/);
  });
});

describe('RegistryClient against a docker-registry with htpasswd (Basic)', () => {
  it('reads with the right credentials, sending them up front once the registry asked', async () => {
    const counting = countingFetch();
    const client = new RegistryClient({ registry: basicRegistry().host, credentials: { username: USER, password: PASSWORD }, fetch: counting.fetch });
    assert.equal((await client.headManifest('org/app', 'v1'))?.digest, appImage.manifest.digest);
    assert.equal(counting.calls.length, 2, 'one 401, one retry with Basic');
    assert.equal((await client.getImageConfig('org/app', 'v1')).config.Labels['test.flavour'], 'app');
    assert.deepEqual(await client.listTags('org/app'), ['v1']);
    assert.equal(counting.calls.length, 5, 'no more 401 round trips after the first');
  });

  it('reports a wrong password as RegistryError 401', async () => {
    const client = new RegistryClient({ registry: basicRegistry().host, credentials: { username: USER, password: 'wrong' }, fetch });
    await assert.rejects(client.headManifest('org/app', 'v1'), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.status, 401);
      assert.match(error.message, /did not accept the credentials of "user"/);
      return true;
    });
    await assert.rejects(client.getManifest('org/app', 'v1'), { name: 'RegistryError', status: 401, code: 'UNAUTHORIZED' });
  });

  it('names the registry when it wants credentials and none were given', async () => {
    const client = new RegistryClient({ registry: basicRegistry().host, fetch });
    await assert.rejects(client.getManifest('org/app', 'v1'), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.status, 401);
      assert.equal(error.code, 'UNAUTHORIZED');
      assert.ok(error.message.includes(`registry ${basicRegistry().host} asks for a username and password`), error.message);
      return true;
    });
  });
});

describe('RegistryClient through a Bearer token service', () => {
  const reset = (): TokenProxy => {
    const p = proxy();
    p.reset();
    return p;
  };

  it('fetches a token for the challenged scope with Basic credentials, then reuses it', async () => {
    const p = reset();
    const client = new RegistryClient({ registry: p.host, credentials: { username: USER, password: PASSWORD }, fetch });
    assert.equal((await client.headManifest('org/app', 'v1'))?.digest, appImage.manifest.digest);
    assert.equal(p.tokenRequests.length, 1);
    const [tokenRequest] = p.tokenRequests;
    assert.deepEqual(tokenRequest?.scopes, ['repository:org/app:pull']);
    assert.equal(tokenRequest?.service, TOKEN_SERVICE);
    const basicAuth = tokenRequest?.authorization ?? '';
    assert.match(basicAuth, /^Basic /);
    assert.equal(Buffer.from(basicAuth.slice('Basic '.length), 'base64').toString(), `${USER}:${PASSWORD}`);

    assert.equal((await client.getImageConfig('org/app', 'v1')).config.Labels['test.flavour'], 'app');
    assert.deepEqual((await client.listTags('org/app')).sort(), ['latest', 'v1']);
    assert.equal(p.tokenRequests.length, 1, 'the cached token served every later call');
    assert.equal(p.forwarded.length, 4, 'head, manifest, config blob, tags all reached the registry');
  });

  it('asks for a token per repository scope', async () => {
    const p = reset();
    const client = new RegistryClient({ registry: p.host, credentials: { username: USER, password: PASSWORD }, fetch });
    await client.headManifest('org/app', 'v1');
    await client.headManifest('org/multi', 'v1');
    assert.deepEqual(
      p.tokenRequests.map((request) => request.scopes),
      [['repository:org/app:pull'], ['repository:org/multi:pull']],
    );
  });

  it('shares one token request between parallel calls', async () => {
    const p = reset();
    const client = new RegistryClient({ registry: p.host, credentials: { username: USER, password: PASSWORD }, fetch });
    const [head, manifest, tags] = await Promise.all([
      client.headManifest('org/app', 'v1'),
      client.getManifest('org/app', 'latest'),
      client.listTags('org/app'),
    ]);
    assert.equal(head?.digest, manifest.info.digest);
    assert.equal(tags.length, 2);
    assert.equal(p.tokenRequests.length, 1);
  });

  it('gets an anonymous token when no credentials are given', async () => {
    const p = reset();
    const client = new RegistryClient({ registry: p.host, fetch });
    assert.equal((await client.getImageConfig('org/multi', 'v1', { os: 'linux', architecture: 'arm64' })).architecture, 'arm64');
    assert.equal(p.tokenRequests.length, 1);
    assert.equal(p.tokenRequests[0]?.authorization, undefined);
  });

  it('uses the default pull scope when the challenge names none, and reads access_token', async () => {
    const p = reset();
    p.settings.challengeScope = false;
    p.settings.tokenField = 'access_token';
    const client = new RegistryClient({ registry: p.host, credentials: { username: USER, password: PASSWORD }, fetch });
    assert.equal((await client.headManifest('org/app', 'latest'))?.digest, appImage.manifest.digest);
    assert.deepEqual(p.tokenRequests[0]?.scopes, ['repository:org/app:pull']);
  });

  it('fetches a fresh token when the cached one stops working', async () => {
    const p = reset();
    const client = new RegistryClient({ registry: p.host, credentials: { username: USER, password: PASSWORD }, fetch });
    await client.headManifest('org/app', 'v1');
    p.revokeAll();
    assert.equal((await client.headManifest('org/app', 'v1'))?.digest, appImage.manifest.digest);
    assert.equal(p.tokenRequests.length, 2);
  });

  it('reports credentials the token service refuses as RegistryError 401', async () => {
    const p = reset();
    const client = new RegistryClient({ registry: p.host, credentials: { username: USER, password: 'wrong' }, fetch });
    await assert.rejects(client.getManifest('org/app', 'v1'), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.status, 401);
      assert.match(error.message, /incorrect username or password/);
      assert.ok(error.message.includes(`while getting a token from http://${p.host}/token`), error.message);
      return true;
    });
    assert.equal(p.forwarded.length, 0);
  });
});
