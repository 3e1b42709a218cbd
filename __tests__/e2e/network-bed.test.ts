import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { startNetworkBed, type NetworkBed } from '../helpers/network-bed.js';

// The bed bench/network.mjs stands on: TLS registries behind shaping proxies,
// token auth from a service whose requests are counted, and clients of both
// kinds (Node by host name, Go by 127.0.0.1) reaching them with the test CA.

const run = promisify(execFile);
let bed: NetworkBed;
const USER = { bench: 'bench-password' };

before(async () => {
  bed = await startNetworkBed({ registries: [{ name: 'src' }, { name: 'dst', tokenAuth: true }], users: USER, shape: { rttMs: 40 } });
});
after(async () => {
  await bed?.close();
});

test('a Node child reaches dst.bench.test over verified TLS through the proxy and is sent to the token service, which it reaches too', async () => {
  const dst = bed.registries.dst!;
  const mark = bed.mark();
  const script = `
    const first = await fetch('https://${dst.nodeHost}/v2/');
    const challenge = first.headers.get('www-authenticate');
    const realm = /realm="([^"]+)"/.exec(challenge)[1];
    const token = await fetch(realm + '?service=dst&scope=repository:x/y:pull', { headers: { authorization: 'Basic ' + btoa('bench:bench-password') } });
    const { token: jwt } = await token.json();
    const second = await fetch('https://${dst.nodeHost}/v2/x/y/manifests/v1', { headers: { authorization: 'Bearer ' + jwt } });
    console.log(first.status, second.status, challenge);`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...bed.nodeEnv } });
  const [firstStatus, secondStatus, ...challenge] = stdout.trim().split(' ');
  assert.equal(firstStatus, '401');
  // The token was accepted: the registry looked for the manifest and did not find it.
  assert.equal(secondStatus, '404');
  assert.match(challenge.join(' '), new RegExp(`realm="https://127\\.0\\.0\\.1:${bed.tokenProxy?.port}/token",service="dst"`));
  const activity = await bed.since(mark);
  assert.deepEqual(
    activity.registries.dst?.requests.map((r) => `${r.method} ${r.url} ${r.status}`),
    ['GET /v2/ 401', 'GET /v2/x/y/manifests/v1 404'],
  );
  assert.deepEqual(
    activity.tokenRequests.map((t) => [t.service, t.username, t.scopes.join(' '), t.status]),
    [['dst', 'bench', 'repository:x/y:pull', 200]],
  );
  assert.ok((activity.registries.dst?.connections ?? 0) >= 1);
  assert.equal(activity.registries.src?.requests.length, 0);
  assert.equal(activity.tokenConnections, 1);
});

test('skopeo (Go) reaches the registries by 127.0.0.1:PORT with --cert-dir, gets a token and pays the RTT', async () => {
  const dst = bed.registries.dst!;
  const mark = bed.mark();
  const t0 = performance.now();
  const result = await run('skopeo', ['inspect', '--raw', '--cert-dir', bed.certDir, '--creds', 'bench:bench-password', `docker://${dst.ipHost}/x/y:v1`]).then(
    () => 'found',
    (error: { stderr: string }) => error.stderr,
  );
  const ms = performance.now() - t0;
  assert.match(result, /manifest unknown/i);
  const activity = await bed.since(mark);
  assert.equal(activity.tokenRequests.length, 1);
  assert.equal(activity.tokenRequests[0]?.username, 'bench');
  assert.ok((activity.registries.dst?.requests.length ?? 0) >= 2);
  // At least: TCP + TLS + GET /v2/, then TCP + TLS + GET to the token service, then the manifest: 7 round trips of 40 ms.
  assert.ok(ms >= 7 * 40, `skopeo took ${ms.toFixed(0)} ms, less than 7 round trips of 40 ms`);
});

test('an open registry needs no token; curl sees it through the proxy with the CA', async () => {
  const src = bed.registries.src!;
  const mark = bed.mark();
  const { stdout } = await run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '--cacert', bed.ca.caFile, `https://${src.ipHost}/v2/`]);
  assert.equal(stdout, '200');
  const activity = await bed.since(mark);
  assert.deepEqual(activity.registries.src?.requests.map((r) => `${r.method} ${r.url} ${r.status}`), ['GET /v2/ 200']);
  assert.equal(activity.registries.src?.connections, 1);
  assert.equal(activity.tokenRequests.length, 0);
});

test("realmHost 'name': the realm is on the registry's own name, so imageship sends its login there and may push", async () => {
  // With the realm on 127.0.0.1 imageship asks it anonymously (a login goes only to the registry's own host), gets
  // pull only, and every upload is refused: why bench/network.mjs uses this.
  const named = await startNetworkBed({ registries: [{ name: 'dst', tokenAuth: true }], users: USER, realmHost: 'name' });
  try {
    const dst = named.registries.dst!;
    const mark = named.mark();
    const client = new URL('../../src/registry/client.js', import.meta.url).href;
    const transport = new URL('../../src/http/node-fetch.js', import.meta.url).href;
    const script = `
      const { RegistryClient } = await import(${JSON.stringify(client)});
      const { nodeFetch } = await import(${JSON.stringify(transport)});
      const c = new RegistryClient({ registry: '${dst.nodeHost}', fetch: nodeFetch, credentials: { username: 'bench', password: 'bench-password' } });
      const bytes = new TextEncoder().encode('hello');
      const { createHash } = await import('node:crypto');
      const digest = 'sha256:' + createHash('sha256').update(bytes).digest('hex');
      await c.uploadBlob('x/y', digest, bytes.byteLength, new Blob([bytes]).stream());
      console.log(digest);
      // A layer that goes up before its digest is known (a package's): one PATCH over TLS, closed under the digest.
      const { Readable } = await import('node:stream');
      const big = (await import('node:crypto')).randomBytes(5 * 1024 * 1024 + 3);
      const bigDigest = 'sha256:' + createHash('sha256').update(big).digest('hex');
      const pieces = [];
      for (let at = 0; at < big.length; at += 65536) pieces.push(big.subarray(at, at + 65536));
      await c.uploadBlobBeforeDigest('x/y', big.length, Readable.from(pieces), new Promise((resolve) => setTimeout(() => resolve(bigDigest), 50)));
      const head = await c.headBlob('x/y', bigDigest);
      console.log(bigDigest, head?.size);`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...named.nodeEnv } });
    const activity = await named.since(mark);
    assert.deepEqual(
      activity.tokenRequests.map((t) => [t.service, t.username, t.scopes.join(' '), t.status]),
      [['dst', 'bench', 'repository:x/y:pull,push', 200]],
    );
    assert.ok(activity.registries.dst?.requests.some((r) => r.method === 'PUT' && r.status === 201), JSON.stringify(activity.registries.dst?.requests));
    assert.match(stdout, /^sha256:[0-9a-f]{64}$/m);
    const [bigDigest, bigSize] = (stdout.trim().split('\n').at(-1) ?? '').split(' ');
    assert.equal(bigSize, String(5 * 1024 * 1024 + 3), 'the registry has the blob streamed before its digest was known, at its size');
    const requests = activity.registries.dst?.requests ?? [];
    assert.ok(requests.some((r) => r.method === 'PATCH' && r.status === 202), 'one PATCH carried it');
    const closesUnder = (url: string): boolean => new URL(url, 'https://registry').searchParams.get('digest') === bigDigest;
    assert.ok(requests.some((r) => r.method === 'PUT' && r.status === 201 && closesUnder(r.url)), 'a PUT closed it under its digest');
  } finally {
    await named.close();
  }
});

test('blob connections are kept alive: 9 blobs copied 2 at a time over TLS ride a few connections per registry, not one per GET and PUT', async () => {
  const client = new URL('../../src/registry/client.js', import.meta.url).href;
  const copy = new URL('../../src/registry/copy.js', import.meta.url).href;
  const transport = new URL('../../src/http/node-fetch.js', import.meta.url).href;
  // Two open registries (a token realm on 127.0.0.1 would get no login from imageship: see the test above).
  const open = await startNetworkBed({ registries: [{ name: 'src' }, { name: 'dst' }], shape: { rttMs: 20 } });
  try {
  const src = open.registries.src!;
  const dst = open.registries.dst!;
  const push = `
    const { RegistryClient } = await import(${JSON.stringify(client)});
    const { nodeFetch } = await import(${JSON.stringify(transport)});
    const { createHash, randomBytes } = await import('node:crypto');
    const c = new RegistryClient({ registry: '${src.nodeHost}', fetch: nodeFetch });
    const digestOf = (bytes) => 'sha256:' + createHash('sha256').update(bytes).digest('hex');
    const layers = [];
    for (let i = 0; i < 8; i++) {
      const bytes = randomBytes(64 * 1024);
      await c.uploadBlob('ka/app', digestOf(bytes), bytes.length, new Blob([bytes]).stream());
      layers.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: digestOf(bytes), size: bytes.length });
    }
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) } }));
    await c.uploadBlob('ka/app', digestOf(config), config.length, new Blob([config]).stream());
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digestOf(config), size: config.length }, layers }));
    await c.putManifest('ka/app', 'v1', manifest, 'application/vnd.oci.image.manifest.v1+json');`;
  await run(process.execPath, ['--input-type=module', '-e', push], { env: { ...process.env, ...open.nodeEnv } });

  const mark = open.mark();
  const copyScript = `
    const { RegistryClient } = await import(${JSON.stringify(client)});
    const { copyImage } = await import(${JSON.stringify(copy)});
    const { nodeFetch } = await import(${JSON.stringify(transport)});
    const source = new RegistryClient({ registry: '${src.nodeHost}', fetch: nodeFetch });
    const destination = new RegistryClient({ registry: '${dst.nodeHost}', fetch: nodeFetch });
    const r = await copyImage({ source: { client: source, repository: 'ka/app', reference: 'v1' }, destination: { client: destination, repository: 'ka/copy' }, tags: ['v1'], concurrency: 2 });
    console.log(r.blobsCopied);`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', copyScript], { env: { ...process.env, ...open.nodeEnv } });
  assert.equal(stdout.trim(), '9', 'every blob was copied');
  const activity = await open.since(mark);
  const gets = activity.registries.src!.requests.filter((r) => r.method === 'GET' && r.url.includes('/blobs/')).length;
  const puts = activity.registries.dst!.requests.filter((r) => r.method === 'PUT' && r.url.includes('/blobs/uploads/')).length;
  assert.equal(gets, 9);
  assert.equal(puts, 9);
  // One per GET and one per PUT without keep-alive: 9 + 1 (the manifest's) at the source, 9 + the agent's at the destination.
  assert.ok(activity.registries.src!.connections <= 5, `connections to the source: ${activity.registries.src!.connections} for 9 blob GETs`);
  assert.ok(activity.registries.dst!.connections <= 7, `connections to the destination: ${activity.registries.dst!.connections} for 9 blob PUTs`);
  } finally {
    await open.close();
  }
});

test("realmHost 'same-origin': the realm is the registry's own origin; imageship copies, retags and re-copies with every token request riding the registry's connections", async () => {
  // SWR, GHCR, Harbor: `GET /token` on the registry's host and port, answered by the registry's front in front of
  // docker-registry; the token service's own proxy is never reached.
  const bedSame = await startNetworkBed({ registries: [{ name: 'src', tokenAuth: true }, { name: 'dst', tokenAuth: true }], users: USER, realmHost: 'same-origin', shape: { rttMs: 20 } });
  try {
    const src = bedSame.registries.src!;
    const dst = bedSame.registries.dst!;
    const client = new URL('../../src/registry/client.js', import.meta.url).href;
    const copy = new URL('../../src/registry/copy.js', import.meta.url).href;
    const transport = new URL('../../src/http/node-fetch.js', import.meta.url).href;
    const login = "{ username: 'bench', password: 'bench-password' }";
    const clients = `
      const { RegistryClient } = await import(${JSON.stringify(client)});
      const { copyImage, retagImage } = await import(${JSON.stringify(copy)});
      const { nodeFetch } = await import(${JSON.stringify(transport)});
      const source = new RegistryClient({ registry: '${src.nodeHost}', fetch: nodeFetch, credentials: ${login} });
      const destination = new RegistryClient({ registry: '${dst.nodeHost}', fetch: nodeFetch, credentials: ${login} });`;
    // A 3-layer image in src (1 MiB layers: the front streams bodies both ways).
    const push = `${clients}
      const { createHash, randomBytes } = await import('node:crypto');
      const digestOf = (bytes) => 'sha256:' + createHash('sha256').update(bytes).digest('hex');
      const layers = [];
      for (let i = 0; i < 3; i++) {
        const bytes = randomBytes(1024 * 1024 + i);
        await source.uploadBlob('so/app', digestOf(bytes), bytes.length, new Blob([bytes]).stream());
        layers.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: digestOf(bytes), size: bytes.length });
      }
      const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) } }));
      await source.uploadBlob('so/app', digestOf(config), config.length, new Blob([config]).stream());
      const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digestOf(config), size: config.length }, layers }));
      await source.putManifest('so/app', 'v1', manifest, 'application/vnd.oci.image.manifest.v1+json');
      console.log(digestOf(manifest));`;
    const pushed = (await run(process.execPath, ['--input-type=module', '-e', push], { env: { ...process.env, ...bedSame.nodeEnv } })).stdout.trim();
    assert.match(pushed, /^sha256:[0-9a-f]{64}$/);

    const copyMark = bedSame.mark();
    const copyScript = `${clients}
      const r = await copyImage({ source: { client: source, repository: 'so/app', reference: 'v1' }, destination: { client: destination, repository: 'so/copy' }, tags: ['v1'] });
      console.log(r.digest, r.blobsCopied, r.bytesCopied);`;
    const copied = (await run(process.execPath, ['--input-type=module', '-e', copyScript], { env: { ...process.env, ...bedSame.nodeEnv } })).stdout.trim();
    const [copiedDigest, blobsCopied, bytesCopied] = copied.split(' ');
    assert.equal(copiedDigest, pushed);
    assert.equal(blobsCopied, '4', 'three layers and the config');
    assert.ok(Number(bytesCopied) > 3 * 1024 * 1024, `bytes copied: ${bytesCopied}`);
    const copyActivity = await bedSame.since(copyMark);
    assert.deepEqual(
      copyActivity.tokenRequests.map((t) => [t.service, t.username, t.scopes.join(' '), t.status]).sort(),
      [
        ['dst', 'bench', 'repository:so/copy:pull,push', 200],
        ['src', 'bench', 'repository:so/app:pull', 200],
      ],
    );
    assert.equal(copyActivity.tokenConnections, 0, 'no connection to the token service');
    assert.ok(copyActivity.registries.dst!.requests.some((r) => r.method === 'PUT' && r.url === '/v2/so/copy/manifests/v1' && r.status === 201));

    // The retag, cold (a new process, as a workflow step is): the challenge, the token on the same connection,
    // the manifest and its PUT — one connection to dst in all.
    const retagMark = bedSame.mark();
    const retagScript = `${clients}
      const r = await retagImage(destination, 'so/copy', 'v1', ['v2']);
      console.log(r.digest);`;
    const retagged = (await run(process.execPath, ['--input-type=module', '-e', retagScript], { env: { ...process.env, ...bedSame.nodeEnv } })).stdout.trim();
    assert.equal(retagged, pushed);
    const retag = await bedSame.since(retagMark);
    assert.deepEqual(retag.registries.dst!.requests.map((r) => `${r.method} ${r.url} ${r.status}`), [
      'GET /v2/so/copy/manifests/v1 401',
      'GET /v2/so/copy/manifests/v1 200',
      'PUT /v2/so/copy/manifests/v2 201',
    ]);
    assert.deepEqual(
      retag.tokenRequests.map((t) => [t.service, t.username, t.scopes.join(' '), t.status]),
      [['dst', 'bench', 'repository:so/copy:pull,push', 200]],
    );
    assert.equal(retag.tokenConnections, 0, 'no connection to the token service');
    assert.equal(retag.registries.dst!.connections, 1, 'the token request rode the registry connection');
    assert.equal(retag.registries.src!.requests.length, 0);

    // A re-copy, cold: the image is there already. Each registry's 401 (a HEAD's at dst: no body) gives its
    // connection back before the token request, which rides it: one connection per registry.
    const recopyMark = bedSame.mark();
    const recopied = (await run(process.execPath, ['--input-type=module', '-e', copyScript], { env: { ...process.env, ...bedSame.nodeEnv } })).stdout.trim();
    assert.equal(recopied, `${pushed} 0 0`);
    const recopy = await bedSame.since(recopyMark);
    assert.deepEqual(recopy.registries.src!.requests.map((r) => `${r.method} ${r.url} ${r.status}`), ['GET /v2/so/app/manifests/v1 401', 'GET /v2/so/app/manifests/v1 200']);
    assert.deepEqual(recopy.registries.dst!.requests.map((r) => `${r.method} ${r.url} ${r.status}`), ['HEAD /v2/so/copy/manifests/v1 401', 'HEAD /v2/so/copy/manifests/v1 200']);
    assert.equal(recopy.tokenRequests.length, 2);
    assert.equal(recopy.tokenConnections, 0);
    assert.deepEqual([recopy.registries.src!.connections, recopy.registries.dst!.connections], [1, 1]);
  } finally {
    await bedSame.close();
  }
});
