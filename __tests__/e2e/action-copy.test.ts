/**
 * Registry-to-registry paths through the bundled action: copy a source
 * image (no build), retag, replicate after a build, merge per-platform
 * digests into an index, create the SWR organization, the SWR temporary
 * login, and retention — each checked through the registries' HTTP API or
 * the SWR API stand-in's state.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pushRandomImage, pushTwoPlatformIndex } from '../helpers/image-fixtures.js';
import { startLocalRegistry } from '../helpers/local-registry.js';
import { catalog, getManifest, listTags, manifestDigest } from '../helpers/registry-api.js';
import { ghContextForBranch, runAction, runMainThenPost } from '../helpers/runner.js';
import { findSecrets } from '../helpers/secret-scan.js';
import { loadTestbed, swrStepInputs } from '../helpers/testbed.js';
import { sampleAppWorkspace, uniqueNamespace } from '../helpers/workspace.js';
import { startSwrApiStandIn } from '../standins/swr-api.js';
import { tempDir } from '../helpers/temp-dir.js';

const bed = loadTestbed();
const SHA = '7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a';
const auth = { username: bed.username, password: bed.derivedPassword };

const swr = (namespace: string, extra: Record<string, string>): Record<string, string> => swrStepInputs(bed, namespace, extra);

describe('source-image: copy without a Docker daemon', () => {
  test('a 2-platform index from the anonymous registry lands in SWR under every tag with the same digest, no docker work', async () => {
    const sourceRepo = `${uniqueNamespace('src')}/multi`;
    const index = await pushTwoPlatformIndex(bed.anonRegistry, sourceRepo, 'v2', { layerBytes: 64 * 1024 });
    const namespace = uniqueNamespace('copy');
    const run = await runMainThenPost({
      inputs: swr(namespace, { 'source-image': `${bed.anonRegistry}/${sourceRepo}:v2`, tags: 'latest\ntype=sha' }),
      workdir: sampleAppWorkspace(),
      github: ghContextForBranch('main', SHA),
    });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.equal(run.main.outputs['digest'], index.digest, 'the digest stays the same');
    for (const tag of ['latest', 'sha-7a7a7a7']) assert.equal(await manifestDigest(bed.swrRegistry, `${namespace}/app`, tag, auth), index.digest, tag);
    const copied = await getManifest(bed.swrRegistry, `${namespace}/app`, 'latest', auth);
    assert.equal((copied?.json as { manifests: unknown[] }).manifests.length, 2, 'the whole index, both platforms');
    assert.deepEqual(run.main.argv, [], 'no docker process at all, not even the startup probe');
  });

  test('retag within the destination repository: new tags on the same digest', async () => {
    const namespace = uniqueNamespace('retag');
    const image = await pushRandomImage(bed.swrRegistry, `${namespace}/app`, 'rc1', { layers: 2, layerBytes: 4096, auth });
    const run = await runAction({
      inputs: swr(namespace, { 'source-image': `${bed.swrRegistry}/${namespace}/app:rc1`, tags: 'stable\n1.0.0' }),
      workdir: sampleAppWorkspace(),
      github: ghContextForBranch('main', SHA),
    });
    assert.equal(run.exitCode, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /no blob moved/);
    assert.deepEqual((await listTags(bed.swrRegistry, `${namespace}/app`, auth)).sort(), ['1.0.0', 'rc1', 'stable']);
    assert.equal(await manifestDigest(bed.swrRegistry, `${namespace}/app`, 'stable', auth), image.digest);
  });

  test('a source image that does not exist fails clearly and pushes nothing', async () => {
    const namespace = uniqueNamespace('nosrc');
    const run = await runAction({
      inputs: swr(namespace, { 'source-image': `${bed.anonRegistry}/nowhere/none:1`, tags: 'latest' }),
      workdir: sampleAppWorkspace(),
      github: ghContextForBranch('main', SHA),
    });
    assert.equal(run.exitCode, 1);
    assert.match(run.stdout, /::error::.*nowhere\/none/);
    assert.ok(!(await catalog(bed.swrRegistry, auth)).some((repo) => repo.startsWith(namespace)));
  });
});

describe('replicate-to after a build', () => {
  test('the pushed image is copied to a second registry (login from the Docker config) under the same tags and digest', async () => {
    const replica = await startLocalRegistry({ users: [{ username: 'mirror-bot', password: 'mirror-password-123' }] });
    try {
      const dockerConfig = tempDir('imageship-replica-cfg-');
      writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [replica.host]: { auth: Buffer.from('mirror-bot:mirror-password-123').toString('base64') } } }));
      const namespace = uniqueNamespace('repl');
      const run = await runMainThenPost({
        inputs: swr(namespace, { tags: 'latest\ntype=sha', 'build-args': `BASE_IMAGE=${bed.baseImage}`, 'replicate-to': `${replica.host}/mirror/app` }),
        workdir: sampleAppWorkspace(),
        github: ghContextForBranch('main', SHA),
        env: { DOCKER_CONFIG: dockerConfig },
      });
      assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
      const replicaAuth = { username: 'mirror-bot', password: 'mirror-password-123' };
      assert.deepEqual((await listTags(replica.host, 'mirror/app', replicaAuth)).sort(), ['latest', 'sha-7a7a7a7']);
      assert.equal(await manifestDigest(replica.host, 'mirror/app', 'latest', replicaAuth), run.main.outputs['digest']);
      const metadata = JSON.parse(run.main.outputs['metadata'] ?? '{}') as { replicas: { image: string; digest: string }[] };
      assert.deepEqual(metadata.replicas, [{ image: `${replica.host}/mirror/app`, digest: run.main.outputs['digest'] }]);
      assert.deepEqual(findSecrets({ stdout: run.main.stdout, outputs: JSON.stringify(run.main.outputs) }, ['mirror-password-123']), []);
    } finally {
      await replica.close();
    }
  });
});

describe('merge-digests', () => {
  test('per-platform images become one index under the tags', async () => {
    const namespace = uniqueNamespace('merge');
    const amd64 = await pushRandomImage(bed.swrRegistry, `${namespace}/app`, 'build-amd64', { layers: 1, layerBytes: 2048, auth, platform: { os: 'linux', architecture: 'amd64' } });
    const arm64 = await pushRandomImage(bed.swrRegistry, `${namespace}/app`, 'build-arm64', { layers: 1, layerBytes: 2048, auth, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } });
    const run = await runAction({
      inputs: swr(namespace, { 'merge-digests': `${amd64.digest}\n${arm64.digest}`, tags: 'latest\n1.4' }),
      workdir: sampleAppWorkspace(),
      github: ghContextForBranch('main', SHA),
    });
    assert.equal(run.exitCode, 0, run.stdout + run.stderr);
    const index = await getManifest(bed.swrRegistry, `${namespace}/app`, '1.4', auth);
    const manifests = (index?.json as { manifests: { digest: string; platform: Record<string, string> }[] }).manifests;
    assert.deepEqual(manifests.map((m) => [m.digest, m.platform['architecture']]), [[amd64.digest, 'amd64'], [arm64.digest, 'arm64']]);
    assert.equal(manifests[1]?.platform['variant'], 'v8');
    assert.equal(index?.digest, run.outputs['digest']);
    assert.equal(await manifestDigest(bed.swrRegistry, `${namespace}/app`, 'latest', auth), run.outputs['digest']);
  });
});

describe('SWR management API: organization, temporary login, retention', () => {
  let registry: Awaited<ReturnType<typeof startLocalRegistry>>;
  let api: Awaited<ReturnType<typeof startSwrApiStandIn>>;
  const namespace = uniqueNamespace('swr-managed');

  before(async () => {
    registry = await startLocalRegistry({ users: [] });
    api = await startSwrApiStandIn({
      ak: bed.ak,
      sk: bed.sk,
      region: bed.region,
      namespaces: [],
      repositories: {
        [`${namespace}/app`]: [
          { tag: 'old-1', created: new Date(Date.now() - 40 * 86_400_000) },
          { tag: 'old-2', created: new Date(Date.now() - 30 * 86_400_000) },
          { tag: 'recent', created: new Date(Date.now() - 1 * 86_400_000) },
        ],
      },
      // The registry learns each temporary login as SWR issues it.
      onLoginIssued: (login) => registry.setUsers([{ username: login.username, password: login.password }]),
    });
  });
  after(async () => {
    await Promise.all([registry.close(), api.close()]);
  });

  test('create-namespace + login-mode temporary + retention keep-last=1, all through the signed SWR API', async () => {
    const run = await runMainThenPost({
      inputs: {
        region: bed.region,
        'access-key': bed.ak,
        'secret-key': bed.sk,
        registry: registry.host,
        namespace,
        image: 'app',
        tags: 'v9',
        'build-args': `BASE_IMAGE=${bed.baseImage}`,
        endpoints: `swr-api=${api.url}`,
        'create-namespace': 'true',
        'login-mode': 'temporary',
        retention: 'keep-last=1',
      },
      workdir: sampleAppWorkspace(),
      github: ghContextForBranch('main', SHA),
    });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.ok(api.state.namespaces.has(namespace), 'the organization was created');
    assert.equal(api.state.logins.length, 1, 'one temporary login issued');
    const login = api.state.logins[0]!;
    assert.deepEqual(run.main.argv.filter((argv) => argv[0] === 'login'), [], 'logged in without a docker login process');
    assert.ok(run.main.stdout.includes(`logged in to ${registry.host} in `), run.main.stdout);
    assert.match(run.main.stdout, /temporary SWR login, valid until \d{4}-/);
    assert.deepEqual(await listTags(registry.host, `${namespace}/app`, { username: login.username, password: login.password }), ['v9']);
    // keep-last=1: the newest older tag stays, the rest go; the tag just pushed is never a candidate.
    assert.deepEqual(api.tagsOf(`${namespace}/app`), ['recent']);
    assert.deepEqual([...api.state.deletedTags].sort(), [`${namespace}/app:old-1`, `${namespace}/app:old-2`]);
    const metadata = JSON.parse(run.main.outputs['metadata'] ?? '{}') as { retention?: { kept: string[]; deleted: string[] } };
    assert.deepEqual(metadata.retention?.deleted.sort(), ['old-1', 'old-2']);
    assert.ok(api.calls.every((call) => call.signatureValid));
    assert.deepEqual(findSecrets({ stdout: run.main.stdout, state: JSON.stringify(run.main.state), outputs: JSON.stringify(run.main.outputs) }, [login.password, bed.sk]), []);
  });
});
