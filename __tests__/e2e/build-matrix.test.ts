/**
 * Every build path users have, through the bundled action: the classic builder
 * on Docker 20.10 and 26, buildx's docker driver on 20.10 and 26, the docker
 * driver on the containerd image store, and a BuildKit builder (buildx `remote`
 * on buildkitd, standing in for docker/setup-buildx-action's docker-container
 * builder) × push with computed tags, push: false, a registry cache, two
 * platforms, push-by-digest + merge-digests, and build secrets. What a builder
 * cannot do must fail in the plan (one line naming the input, the driver and the
 * fix), before any login or build, with nothing pushed. Results are checked
 * through the registry's HTTP API and `docker image inspect`.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, describe, test } from 'node:test';
import { catalog, getManifest, type BasicAuth } from '../helpers/registry-api.js';
import { ghContextForBranch, runAction, type StepResult } from '../helpers/runner.js';
import { findSecrets } from '../helpers/secret-scan.js';
import { dockerConfigWithBuildx, loadTestbed, requireTool, tool, swrStepInputs } from '../helpers/testbed.js';
import { uniqueNamespace } from '../helpers/workspace.js';
import { tempDir } from '../helpers/temp-dir.js';

const bed = loadTestbed();
const needs = requireTool('buildx', 'docker26', 'docker26c', 'buildkit');
const auth: BasicAuth = { username: bed.username, password: bed.derivedPassword };
const SHA = '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432';
const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);

interface BuilderCell {
  readonly name: string;
  /** Which capabilities the builder has: what it cannot do must be refused in the plan. */
  readonly can: { readonly cacheExport: boolean; readonly platforms: boolean; readonly pushByDigest: boolean; readonly secrets: boolean };
  /** The words the refusal must contain (the driver, or that buildx is missing). */
  readonly refusal: RegExp;
  /** Inputs and env for the step. */
  setup(dockerConfig: string): { inputs: Record<string, string>; env: Record<string, string> };
}

const ALL = { cacheExport: true, platforms: true, pushByDigest: true, secrets: true };
const PLAIN_DOCKER_DRIVER = { cacheExport: false, platforms: false, pushByDigest: false, secrets: true };
// buildx 0.13 refuses push-by-digest on the docker driver even on the containerd image store.
const CONTAINERD_DOCKER_DRIVER = { cacheExport: true, platforms: true, pushByDigest: false, secrets: true };
const CLASSIC = { cacheExport: false, platforms: false, pushByDigest: false, secrets: false };

/** Docker 26's own CLI first on PATH, talking to that daemon: what a runner with Docker 26 has. */
function docker26(which: 'docker26' | 'docker26c'): Record<string, string> {
  const daemon = tool(which);
  return { DOCKER_HOST: daemon.host, PATH: `${daemon.bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}` };
}

function builders(): BuilderCell[] {
  return [
    { name: 'classic on Docker 20.10', can: CLASSIC, refusal: /needs docker buildx, which this runner lacks.*docker\/setup-buildx-action/, setup: () => ({ inputs: {}, env: {} }) },
    {
      name: 'classic on Docker 26',
      can: CLASSIC,
      refusal: /needs docker buildx, which this runner lacks.*docker\/setup-buildx-action/,
      setup: () => ({ inputs: {}, env: docker26('docker26') }),
    },
    {
      name: 'buildx docker driver on Docker 20.10',
      can: PLAIN_DOCKER_DRIVER,
      refusal: /the buildx builder "default" uses the docker driver, which cannot .*docker\/setup-buildx-action/,
      setup: (dockerConfig) => {
        dockerConfigWithBuildx(dockerConfig);
        return { inputs: {}, env: {} };
      },
    },
    {
      name: 'buildx docker driver on Docker 26',
      can: PLAIN_DOCKER_DRIVER,
      refusal: /the buildx builder "default" uses the docker driver, which cannot .*docker\/setup-buildx-action/,
      setup: (dockerConfig) => {
        dockerConfigWithBuildx(dockerConfig);
        return { inputs: {}, env: docker26('docker26') };
      },
    },
    {
      name: 'buildx docker driver on Docker 26 with the containerd image store',
      can: CONTAINERD_DOCKER_DRIVER,
      refusal: /the buildx builder "default" uses the docker driver, which cannot push an image by digest .*docker\/setup-buildx-action/,
      setup: (dockerConfig) => {
        dockerConfigWithBuildx(dockerConfig);
        return { inputs: {}, env: docker26('docker26c') };
      },
    },
    {
      name: 'BuildKit builder (buildx remote driver)',
      can: ALL,
      refusal: /never/,
      setup: (dockerConfig) => {
        dockerConfigWithBuildx(dockerConfig);
        return { inputs: { builder: tool('buildkit').builder }, env: { BUILDX_CONFIG: tool('buildkit').buildxConfig } };
      },
    },
  ];
}

const temps: string[] = [];
const localImages: { host: string | undefined; reference: string }[] = [];
const results: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  for (const { host, reference } of localImages) {
    try {
      execFileSync('docker', ['image', 'rm', '--force', reference], { env: { ...process.env, ...(host ? { DOCKER_HOST: host } : {}) }, stdio: 'ignore' });
    } catch {
      // Already gone.
    }
  }
  if (results.length > 0) writeFileSync(join(bed.stateDir, 'build-matrix.txt'), `${results.join('\n')}\n`);
});

function temp(prefix: string): string {
  const dir = tempDir(prefix);
  temps.push(dir);
  return dir;
}

/** A build context holding `Dockerfile` and `hello.txt`. */
function workspace(dockerfile: string): string {
  const dir = temp('imageship-matrix-ws-');
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  writeFileSync(join(dir, 'hello.txt'), `hello from ${dir}\n`);
  return dir;
}

const BASE_DOCKERFILE = 'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY hello.txt /hello.txt\nRUN /bin/busybox echo built > /built.txt\n';
// No RUN: there is no emulator for a second platform here.
const SCRATCH_DOCKERFILE = 'FROM scratch\nCOPY hello.txt /hello.txt\n';

interface Cell {
  readonly builder: BuilderCell;
  readonly namespace: string;
  run(extra: Record<string, string>, dockerfile?: string, env?: Record<string, string>): Promise<StepResult>;
}

function cell(builder: BuilderCell, label: string): Cell {
  const namespace = uniqueNamespace(`mx-${label}`);
  return {
    builder,
    namespace,
    async run(extra, dockerfile = BASE_DOCKERFILE, env = {}) {
      const dockerConfig = temp('imageship-matrix-dc-');
      const setup = builder.setup(dockerConfig);
      return runAction({
        inputs: swrStepInputs(bed, namespace, { 'build-args': `BASE_IMAGE=${bed.baseImage}`, ...setup.inputs, ...extra }),
        env: { ...setup.env, ...env, DOCKER_CONFIG: dockerConfig, ACTIONS_STEP_DEBUG: 'true' },
        workdir: workspace(dockerfile),
        github: ghContextForBranch('main', SHA),
        secrets: [bed.sk, bed.derivedPassword],
        timeoutMs: 240_000,
      });
    },
  };
}

function record(builder: BuilderCell, scenario: string, outcome: string): void {
  results.push(`${builder.name} | ${scenario} | ${outcome}`);
}

function errors(step: StepResult): string[] {
  return step.commands.filter((command) => command.command === 'error').map((command) => command.message);
}

/** A refusal: one error line for the input, naming the driver (or buildx) and the fix; no login, build or push happened; nothing in the registry. */
async function assertRefused(step: StepResult, c: Cell, input: string): Promise<void> {
  assert.notEqual(step.exitCode, 0, 'the step fails');
  const lines = errors(step).filter((message) => message.startsWith(`${input}:`));
  assert.equal(lines.length, 1, `one error for ${input}: ${errors(step).join(' | ')}`);
  assert.match(lines[0]!, c.builder.refusal);
  const sideEffects = step.argv.filter((argv) => ['login', 'build', 'push'].includes(argv[0]!) || (argv[0] === 'buildx' && argv[1] === 'build'));
  assert.deepEqual(sideEffects, [], 'nothing logged in, built or pushed');
  assert.ok(!(await catalog(bed.swrRegistry, auth)).some((repo) => repo.startsWith(`${c.namespace}/`)), 'nothing in the registry');
}

function assertSucceeded(step: StepResult): void {
  assert.equal(step.exitCode, 0, `${errors(step).join('\n')}\n${step.stdout.slice(-3000)}\n${step.stderr.slice(-2000)}`);
  assert.deepEqual(findSecrets({ log: step.stdout + step.stderr, outputs: JSON.stringify(step.outputs), summary: step.summary }, { 'secret-key': bed.sk, password: bed.derivedPassword }), []);
}

async function blob(repository: string, digest: string): Promise<Buffer> {
  const response = await fetch(`http://${bed.swrRegistry}/v2/${repository}/blobs/${digest}`, {
    headers: { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` },
  });
  assert.equal(response.status, 200, `blob ${digest}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  assert.equal(`sha256:${createHash('sha256').update(bytes).digest('hex')}`, digest);
  return bytes;
}

/** The image manifests under a digest: the one manifest, or every child of an index (attestation entries left out). */
async function imageManifests(repository: string, digest: string): Promise<{ digest: string; json: any; platform: string }[]> {
  const top = await getManifest(bed.swrRegistry, repository, digest, auth);
  assert.ok(top, `${repository}@${digest} exists`);
  if (!INDEX_TYPES.has(top.mediaType)) return [{ digest, json: top.json, platform: '' }];
  const children = (top.json.manifests as { digest: string; platform?: { os: string; architecture: string } }[]).filter((entry) => entry.platform?.os !== 'unknown');
  return Promise.all(
    children.map(async (entry) => {
      const child = await getManifest(bed.swrRegistry, repository, entry.digest, auth);
      assert.ok(child);
      return { digest: entry.digest, json: child.json, platform: `${entry.platform?.os}/${entry.platform?.architecture}` };
    }),
  );
}

async function configOf(repository: string, manifest: any): Promise<any> {
  return JSON.parse((await blob(repository, manifest.config.digest as string)).toString('utf8'));
}

function inspectId(reference: string, env: Record<string, string>): string {
  return execFileSync('docker', ['image', 'inspect', '--format', '{{.Id}}', reference], { env: { ...process.env, ...env }, encoding: 'utf8' }).trim();
}

for (const builder of needs.skip ? [] : builders()) {
  describe(`build matrix: ${builder.name}`, () => {
    test('push with computed tags: every tag → the digest output; the labels are in the image config', async () => {
      const c = cell(builder, 'push');
      const step = await c.run({ tags: 'latest\ntype=sha\ntype=ref,event=branch' });
      assertSucceeded(step);
      const digest = step.outputs['digest'] ?? '';
      assert.match(digest, /^sha256:[0-9a-f]{64}$/);
      // By priority, as docker/metadata-action orders them: ref 600, the fixed tag (raw) 200, sha 100.
      const tags = ['main', 'latest', 'sha-9f8e7d6'];
      assert.deepEqual(step.outputs['tags']?.split('\n'), tags.map((tag) => `${bed.swrRegistry}/${c.namespace}/app:${tag}`));
      for (const tag of tags) assert.equal((await getManifest(bed.swrRegistry, `${c.namespace}/app`, tag, auth))?.digest, digest, tag);
      for (const manifest of await imageManifests(`${c.namespace}/app`, digest)) {
        const config = await configOf(`${c.namespace}/app`, manifest.json);
        assert.equal(config.config.Labels['org.opencontainers.image.revision'], SHA);
      }
      // The classic builder's deprecation notice is one warning, not docker's three lines on every build.
      assert.ok(!step.stdout.includes('DEPRECATED: The legacy builder'));
      const notices = step.commands.filter((command) => command.command === 'warning' && /classic builder .* is deprecated/.test(command.message));
      assert.ok(notices.length <= 1);
      if (builder.name === 'classic on Docker 26') assert.equal(notices.length, 1, 'Docker 26 prints the notice, so the warning appears once');
      record(builder, 'push + computed tags', 'pushed, digest verified');
    });

    test('push: false: the image is loaded and imageid is what docker image inspect says', async () => {
      const c = cell(builder, 'load');
      const dockerConfig = temp('imageship-matrix-dc-');
      const { env } = builder.setup(dockerConfig);
      const step = await c.run({ tags: 'local', push: 'false' });
      assertSucceeded(step);
      const reference = `${bed.swrRegistry}/${c.namespace}/app:local`;
      localImages.push({ host: env['DOCKER_HOST'], reference });
      const id = inspectId(reference, env);
      assert.match(step.outputs['imageid'] ?? '', /^sha256:[0-9a-f]{64}$/);
      assert.equal(step.outputs['imageid'], id);
      assert.equal(step.outputs['digest'], '');
      assert.ok(!(await catalog(bed.swrRegistry, auth)).some((repo) => repo.startsWith(`${c.namespace}/`)), 'nothing pushed');
      record(builder, 'push: false', `loaded, imageid = ${id.slice(0, 19)}…`);
    });

    test('cache-from / cache-to type=registry: a cache manifest lands (or the plan refuses it)', async () => {
      const c = cell(builder, 'cache');
      const cacheRef = `${bed.swrRegistry}/${c.namespace}/app:buildcache`;
      const step = await c.run({ tags: 'latest', 'cache-from': `type=registry,ref=${cacheRef}`, 'cache-to': `type=registry,ref=${cacheRef},mode=max` });
      if (!builder.can.cacheExport) {
        await assertRefused(step, c, 'cache-to');
        record(builder, 'registry cache', 'refused in the plan');
        return;
      }
      assertSucceeded(step);
      const cache = await getManifest(bed.swrRegistry, `${c.namespace}/app`, 'buildcache', auth);
      assert.ok(cache, 'the cache manifest is in the registry');
      assert.match(cache.raw, /application\/vnd\.buildkit\.cacheconfig\.v0/);
      record(builder, 'registry cache', 'cache manifest pushed');
    });

    test('platforms linux/amd64,linux/arm64: the digest output is the index (or the plan refuses it)', async () => {
      const c = cell(builder, 'multi');
      const step = await c.run({ tags: 'latest', platforms: 'linux/amd64,linux/arm64' }, SCRATCH_DOCKERFILE);
      if (!builder.can.platforms) {
        await assertRefused(step, c, 'platforms');
        record(builder, 'two platforms', 'refused in the plan');
        return;
      }
      assertSucceeded(step);
      const digest = step.outputs['digest'] ?? '';
      const index = await getManifest(bed.swrRegistry, `${c.namespace}/app`, digest, auth);
      assert.ok(index && INDEX_TYPES.has(index.mediaType), `an index: ${index?.mediaType}`);
      const children = await imageManifests(`${c.namespace}/app`, digest);
      assert.deepEqual(children.map((child) => child.platform).sort(), ['linux/amd64', 'linux/arm64']);
      for (const child of children) assert.equal((await configOf(`${c.namespace}/app`, child.json)).config.Labels['org.opencontainers.image.revision'], SHA);
      record(builder, 'two platforms', 'index pushed, both platforms labelled');
    });

    test('push-by-digest per platform, then merge-digests into one index (or the plan refuses it)', async () => {
      const c = cell(builder, 'bydigest');
      const amd64 = await c.run({ 'push-by-digest': 'true', platforms: 'linux/amd64' }, SCRATCH_DOCKERFILE);
      if (!builder.can.pushByDigest) {
        await assertRefused(amd64, c, 'push-by-digest');
        record(builder, 'push-by-digest + merge', 'refused in the plan');
        return;
      }
      assertSucceeded(amd64);
      const arm64 = await c.run({ 'push-by-digest': 'true', platforms: 'linux/arm64' }, SCRATCH_DOCKERFILE);
      assertSucceeded(arm64);
      const digests = [amd64.outputs['digest'] ?? '', arm64.outputs['digest'] ?? ''];
      for (const digest of digests) assert.match(digest, /^sha256:[0-9a-f]{64}$/);
      assert.deepEqual(await catalog(bed.swrRegistry, auth).then((repos) => repos.filter((repo) => repo.startsWith(`${c.namespace}/`))), [`${c.namespace}/app`]);
      const merged = await c.run({ 'merge-digests': digests.join('\n'), tags: 'latest', 'build-args': '' });
      assertSucceeded(merged);
      assert.deepEqual(merged.argv, [], 'a merge makes no docker call');
      const index = await getManifest(bed.swrRegistry, `${c.namespace}/app`, 'latest', auth);
      assert.ok(index && INDEX_TYPES.has(index.mediaType));
      assert.equal(index.digest, merged.outputs['digest']);
      assert.deepEqual((index.json.manifests as { digest: string }[]).map((entry) => entry.digest).sort(), [...digests].sort());
      record(builder, 'push-by-digest + merge', 'two digests merged into one index');
    });

    test('build secrets reach RUN --mount=type=secret, and never the image or the log (or the plan refuses them)', async () => {
      const c = cell(builder, 'secret');
      const token = `tok-${createHash('sha256').update(c.namespace).digest('hex').slice(0, 24)}`;
      const fileSecretDir = temp('imageship-matrix-secret-');
      const fileValue = `file-${token}`;
      writeFileSync(join(fileSecretDir, 'npmrc'), fileValue);
      const dockerfile = [
        'ARG BASE_IMAGE',
        'FROM ${BASE_IMAGE}',
        // Secrets are not part of BuildKit's cache key: without a step unique to this run, a cached RUN from an earlier run (with its token) would be reused.
        `ENV CELL=${c.namespace}`,
        `RUN --mount=type=secret,id=token --mount=type=secret,id=npmrc /bin/busybox sh -c '/bin/busybox cat /run/secrets/token /run/secrets/npmrc | /bin/busybox sha256sum > /secrets.sha256'`,
      ].join('\n');
      const step = await c.run({ tags: 'latest', secrets: `token=${token}`, 'secret-files': `npmrc=${join(fileSecretDir, 'npmrc')}` }, `${dockerfile}\n`);
      if (!builder.can.secrets) {
        await assertRefused(step, c, 'secrets');
        record(builder, 'build secrets', 'refused in the plan');
        return;
      }
      assertSucceeded(step);
      assert.deepEqual(findSecrets({ log: step.stdout + step.stderr, argv: JSON.stringify(step.argv), outputs: JSON.stringify(step.outputs) }, { token }), []);
      assert.ok(step.masks.includes(token), 'the secret value was masked');
      const expected = createHash('sha256').update(token + fileValue).digest('hex');
      const [manifest] = await imageManifests(`${c.namespace}/app`, step.outputs['digest'] ?? '');
      let found = false;
      for (const layer of manifest!.json.layers as { digest: string }[]) {
        const tar = gunzipSync(await blob(`${c.namespace}/app`, layer.digest));
        assert.ok(!tar.includes(token), 'the secret is in no layer');
        if (tar.includes(expected)) found = true;
      }
      assert.ok(found, 'the RUN step saw both secrets (their hash is in the image)');
      const config = (await blob(`${c.namespace}/app`, manifest!.json.config.digest as string)).toString('utf8');
      assert.ok(!config.includes(token), 'the secret is not in the config or history');
      record(builder, 'build secrets', 'used by RUN, absent from image and log');
    });
  });
}

describe('build matrix: tools', () => {
  // Skips (with the reason) off CI when buildx, Docker 26 or BuildKit are missing; in CI they must be there.
  test('the extended test bed (buildx, Docker 26, BuildKit) is there', needs, () => {
    for (const name of ['buildx', 'docker26', 'docker26c', 'buildkit'] as const) tool(name);
  });
});

describe('BuildKit builder: builder choice and attestations', needs, () => {
  const remote = (): BuilderCell => builders().find((b) => b.name.startsWith('BuildKit'))!;

  test('BUILDX_BUILDER picks the builder when the builder input is empty', async () => {
    const base = remote();
    const viaEnv: BuilderCell = {
      ...base,
      setup: (dockerConfig) => {
        const { env } = base.setup(dockerConfig);
        return { inputs: {}, env: { ...env, BUILDX_BUILDER: tool('buildkit').builder } };
      },
    };
    const c = cell(viaEnv, 'envbuilder');
    const step = await c.run({ tags: 'latest', platforms: 'linux/amd64,linux/arm64' }, SCRATCH_DOCKERFILE);
    assertSucceeded(step);
    assert.ok(INDEX_TYPES.has((await getManifest(bed.swrRegistry, `${c.namespace}/app`, 'latest', auth))?.mediaType ?? ''));
  });

  test('provenance: mode=max and sbom: true attach attestations (the image becomes an index with attestation manifests)', async () => {
    const c = cell(remote(), 'attest');
    const step = await c.run({ tags: 'latest', provenance: 'mode=max', sbom: 'true' }, SCRATCH_DOCKERFILE);
    if (step.exitCode !== 0 && /sbom|generator|scanner/i.test(errors(step).join(' '))) {
      // The SBOM generator is an image BuildKit pulls from Docker Hub, which this machine cannot reach.
      const retry = await c.run({ tags: 'latest', provenance: 'mode=max' }, SCRATCH_DOCKERFILE);
      assertSucceeded(retry);
      await assertAttested(c, retry, ['https://slsa.dev/provenance/v0.2']);
      record(remote(), 'provenance (sbom needs Docker Hub)', 'attestation manifest pushed');
      return;
    }
    assertSucceeded(step);
    await assertAttested(c, step, ['https://slsa.dev/provenance/v0.2', 'https://spdx.dev/Document']);
  });

  test('attestations by default: none (a single image manifest, as FunctionGraph needs)', async () => {
    const c = cell(remote(), 'noattest');
    const step = await c.run({ tags: 'latest' }, SCRATCH_DOCKERFILE);
    assertSucceeded(step);
    const manifest = await getManifest(bed.swrRegistry, `${c.namespace}/app`, 'latest', auth);
    assert.ok(manifest && !INDEX_TYPES.has(manifest.mediaType), `a single manifest: ${manifest?.mediaType}`);
  });

  test('provenance with function-urn is refused in the plan, with the reason', async () => {
    const c = cell(remote(), 'attestfg');
    const step = await c.run({ tags: 'latest', provenance: 'true', 'function-urn': 'urn:fss:cn-north-4:0a1b2c3d4e5f60718293a4b5c6d7e8f9:function:default:app:latest' }, SCRATCH_DOCKERFILE);
    assert.notEqual(step.exitCode, 0);
    assert.ok(errors(step).some((message) => /^provenance: an attestation turns the pushed image into an index, and FunctionGraph \(function-urn\) takes only a single image manifest/.test(message)), errors(step).join(' | '));
    assert.deepEqual(step.argv.filter((argv) => ['login', 'build', 'push'].includes(argv[0]!) || argv[1] === 'build'), []);
  });
});

async function assertAttested(c: Cell, step: StepResult, predicates: string[]): Promise<void> {
  const index = await getManifest(bed.swrRegistry, `${c.namespace}/app`, step.outputs['digest'] ?? '', auth);
  assert.ok(index && INDEX_TYPES.has(index.mediaType));
  const attestations = (index.json.manifests as { digest: string; annotations?: Record<string, string> }[]).filter(
    (entry) => entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest',
  );
  assert.equal(attestations.length, 1);
  const attestation = await getManifest(bed.swrRegistry, `${c.namespace}/app`, attestations[0]!.digest, auth);
  const types = (attestation!.json.layers as { annotations?: Record<string, string> }[]).map((layer) => layer.annotations?.['in-toto.io/predicate-type']);
  for (const predicate of predicates) assert.ok(types.includes(predicate), `${predicate} in ${types.join(', ')}`);
}
