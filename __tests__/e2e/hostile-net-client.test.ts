/**
 * One registry client per registry per run, counted at the token services:
 * the bundled action copies an image from A to B, verifies it, replicates it
 * to C and applies retention in B. Every registry sits behind a Bearer token
 * service that checks scopes like distribution's token auth
 * (helpers/token-proxy.ts), so each step that built its own client, or
 * fetched a token its client already held, shows up as one more token request.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startLocalRegistry, type LocalRegistry } from '../helpers/local-registry.js';
import { listTags, manifestDigest } from '../helpers/registry-api.js';
import { ghContextForBranch, runAction } from '../helpers/runner.js';
import { startTokenProxy, type TokenProxy } from '../helpers/token-proxy.js';
import { sampleAppWorkspace } from '../helpers/workspace.js';

const USER = { username: 'ci', password: 'ci-password-0123' };
const SHA = '7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

const registries: LocalRegistry[] = [];
const proxies: TokenProxy[] = [];

const sha256 = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Pushes straight to an open registry: a config with `created` (retention reads it) and one layer. */
async function pushImage(host: string, repository: string, tag: string, created: string): Promise<string> {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', created, rootfs: { type: 'layers', diff_ids: [] } }));
  const layer = randomBytes(48 * 1024);
  for (const blob of [config, layer]) {
    const start = await fetch(`http://${host}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
    assert.equal(start.status, 202);
    const location = new URL(start.headers.get('location') ?? '', `http://${host}`);
    location.searchParams.set('digest', sha256(blob));
    const put = await fetch(location, { method: 'PUT', body: blob, headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(put.status, 201);
  }
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: DOCKER_MANIFEST,
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: sha256(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: sha256(layer), size: layer.length }],
    }),
  );
  const put = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, { method: 'PUT', body: manifest, headers: { 'content-type': DOCKER_MANIFEST } });
  assert.equal(put.status, 201);
  return sha256(manifest);
}

before(async () => {
  registries.push(...(await Promise.all([startLocalRegistry(), startLocalRegistry(), startLocalRegistry()])));
  proxies.push(...(await Promise.all(registries.map((registry) => startTokenProxy(registry.host, USER)))));
});

after(async () => {
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await Promise.all(registries.map((registry) => registry.close()));
});

test('copy, verify, replicate and retention: one token request per registry and scope, and each registry authenticated once', async () => {
  const [a, b, c] = registries as [LocalRegistry, LocalRegistry, LocalRegistry];
  const [ta, tb, tc] = proxies as [TokenProxy, TokenProxy, TokenProxy];
  const digest = await pushImage(a.host, 'src/app', 'v1', '2026-01-03T00:00:00Z');
  await pushImage(b.host, 'team/app', 'old-1', '2026-01-01T00:00:00Z');
  await pushImage(b.host, 'team/app', 'old-2', '2026-01-02T00:00:00Z');

  const run = await runAction({
    inputs: {
      registry: tb.host,
      username: USER.username,
      password: USER.password,
      namespace: 'team',
      image: 'app',
      'source-image': `${ta.host}/src/app:v1`,
      tags: 'v1\nlatest',
      'replicate-to': `${tc.host}/mirror/app`,
      'replicate-credentials': tc.host,
      retention: 'keep-last=1 tag-pattern=old-.*',
    },
    workdir: sampleAppWorkspace(),
    github: ghContextForBranch('main', SHA),
    secrets: [USER.password],
  });
  assert.equal(run.exitCode, 0, run.stdout + run.stderr);

  // What the run did, read back without the code under test.
  assert.equal(await manifestDigest(b.host, 'team/app', 'latest'), digest);
  assert.equal(await manifestDigest(c.host, 'mirror/app', 'v1'), digest);
  assert.deepEqual((await listTags(b.host, 'team/app')).sort(), ['latest', 'old-2', 'v1'], run.stdout);

  const scopes = (proxy: TokenProxy): string[] => proxy.tokenRequests.map((request) => [...request.scopes].sort().join(' '));
  // A: the source, read anonymously (no login for it): one pull token.
  assert.deepEqual(scopes(ta), ['repository:src/app:pull']);
  assert.ok(ta.tokenRequests.every((request) => request.authorization === undefined), 'the run\'s login never goes to the source host');
  // B: pull+push for the copy (the verify and the replicate's reads reuse it), widened once to delete for retention.
  assert.deepEqual(scopes(tb), ['repository:team/app:pull,push', 'repository:team/app:delete,pull,push']);
  // C: the replica's pull+push serves its copy and its verify.
  assert.deepEqual(scopes(tc), ['repository:mirror/app:pull,push']);
  // Authenticated once per registry: one refused request each, the first; every later token was fetched ahead.
  assert.deepEqual(
    proxies.map((proxy) => proxy.challenged.length),
    [1, 1, 1],
    proxies.map((proxy) => proxy.challenged.join(', ')).join(' | '),
  );
});
