/**
 * makePlan decides the run's steps once, in order, for every mode; the dry run prints them; runPipeline carries
 * out exactly those steps (checked on a real copy between repositories of a Debian `docker-registry` on loopback,
 * with what landed read back through the independent test-side registry reader).
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { DockerTools } from '../../src/build/docker-probe.js';
import { runPipeline } from '../../src/app/pipeline.js';
import { describePlan, makePlan, type Plan } from '../../src/app/plan.js';
import { parseConfig } from '../../src/config/parse.js';
import type { Config } from '../../src/config/types.js';
import type { YamlParser } from '../../src/config/parse-registry-auth.js';
import { loadRegistryAuthParser } from '../../src/config/yaml-loader.js';
import { describeRetention } from '../../src/domain/retention/policy.js';
import type { SourceContext } from '../../src/domain/source-context.js';
import type { Ports } from '../../src/ports.js';
import { createNodeExec } from '../../src/util/node-exec.js';
import { createSecretRegistry } from '../../src/util/secrets.js';
import { parseInputs, VALID_SWR_INPUTS } from '../helpers/config-input.js';
import { pushRandomImage } from '../helpers/image-fixtures.js';
import { REGISTRY_BINARY, startLocalRegistry, type LocalRegistry } from '../helpers/local-registry.js';
import { catalog, listTags, manifestDigest } from '../helpers/registry-api.js';
import { tempDir } from '../helpers/temp-dir.js';

const SOURCE: SourceContext = {
  sha: 'feedfacefeedfacefeedfacefeedfacefeedface',
  ref: 'refs/heads/main',
  branch: 'main',
  tag: '',
  pullRequest: undefined,
  defaultBranch: 'main',
  runNumber: '7',
  repositoryUrl: '',
  event: 'branch',
};

const BUILDX: DockerTools = {
  cli: true,
  daemon: true,
  clientVersion: '26.1.0',
  serverVersion: '26.1.0',
  buildx: true,
  buildxVersion: '0.14.0',
  builder: { name: 'ci-builder', driver: 'docker-container', platforms: ['linux/amd64', 'linux/arm64'] },
  builderProblem: '',
  containerdStore: false,
  problem: '',
};

const NO_DOCKER: DockerTools = { ...BUILDX, cli: false, daemon: false, buildx: false, buildxVersion: '', builder: undefined, problem: 'not needed' };
const DIGEST = `sha256:${'a'.repeat(64)}`;
const TRIGGER = 'https://hooks.example.com/deploy';

function planFor(inputs: Record<string, string>, docker: DockerTools = NO_DOCKER, yaml?: YamlParser): Plan {
  const cwd = tempDir('imageship-plan-steps-');
  writeFileSync(join(cwd, 'Dockerfile'), 'FROM scratch\n');
  const all: Record<string, string> = { ...VALID_SWR_INPUTS, ...inputs };
  const config = parseConfig((name) => all[name] ?? '', { env: {}, cwd, ...(yaml ? { yaml } : {}) });
  return makePlan({ config, source: SOURCE, now: new Date('2024-03-01T08:00:00Z'), docker, tempDir: cwd, cwd });
}

const kinds = (plan: Plan): string[] => plan.steps.map((step) => step.kind);

describe('the plan decides the steps once, in run order', () => {
  it('build: log in, build (buildx pushes itself), verify, replicate, retention, deploy', () => {
    const plan = planFor({ 'replicate-to': 'registry.example.com/mirror/app', retention: 'keep-last=3', 'deploy-trigger': TRIGGER }, BUILDX);
    assert.equal(plan.mode, 'build');
    assert.deepEqual(kinds(plan), ['credentials', 'login', 'build', 'verify', 'replicate', 'retention', 'deploy']);
    assert.deepEqual(plan.steps.find((step) => step.kind === 'replicate'), { kind: 'replicate', registry: 'registry.example.com', repository: 'mirror/app' });
  });

  it('build with the classic builder: docker push each tag before verify', () => {
    const plan = planFor({ tags: 'latest\nv1' }, { ...BUILDX, buildx: false, buildxVersion: '', builder: undefined });
    assert.deepEqual(kinds(plan), ['credentials', 'login', 'build', 'push', 'verify']);
    assert.deepEqual(plan.steps[3], { kind: 'push', references: plan.references });
  });

  it('build without push: nothing after the build (no verify, replicate, retention or deploy)', () => {
    const plan = planFor({ push: 'false' }, BUILDX);
    assert.deepEqual(kinds(plan), ['credentials', 'login', 'build']);
  });

  it('push-by-digest: the reported digest is verified instead of tags', () => {
    const plan = planFor({ 'push-by-digest': 'true', tags: '' }, BUILDX);
    assert.deepEqual(plan.steps.slice(-2), [{ kind: 'build', builder: 'buildx' }, { kind: 'verify', check: 'pushed-digest' }]);
  });

  it('package: assemble through the registry API, then verify', () => {
    const cwd = tempDir('imageship-plan-steps-pkg-');
    writeFileSync(join(cwd, 'app.jar'), 'jar');
    const config = parseInputs({ ...VALID_SWR_INPUTS, package: 'app.jar', 'package-type': 'jar' }, {}, cwd);
    const plan = makePlan({ config, source: SOURCE, now: new Date(), docker: NO_DOCKER, tempDir: '', cwd });
    assert.equal(plan.mode, 'package');
    assert.deepEqual(kinds(plan), ['credentials', 'package', 'verify']);
  });

  it('copy: organization and registry-auth first, then copy, verify, replicate, retention, deploy', async () => {
    const plan = planFor({
      'source-image': 'registry.example.com/team/app:v2',
      'create-namespace': 'true',
      'registry-auth': '- registry: registry.example.com\n  username: bob\n  password: pw',
      'replicate-to': 'registry.example.com/mirror/a\nregistry.example.com/mirror/b',
      retention: 'keep-last=3',
      'deploy-trigger': TRIGGER,
    }, NO_DOCKER, await loadRegistryAuthParser());
    assert.equal(plan.mode, 'copy');
    assert.deepEqual(kinds(plan), ['create-namespace', 'registry-auth', 'credentials', 'copy', 'verify', 'replicate', 'replicate', 'retention', 'deploy']);
    assert.deepEqual(plan.steps[0], { kind: 'create-namespace', namespace: 'my-org' });
  });

  it('merge: merge the digests into one index, then verify', () => {
    const plan = planFor({ 'merge-digests': `${DIGEST}\nsha256:${'b'.repeat(64)}` });
    assert.equal(plan.mode, 'merge');
    assert.deepEqual(plan.steps, [{ kind: 'credentials', registry: 'swr.cn-north-4.myhuaweicloud.com' }, { kind: 'merge', digests: 2 }, { kind: 'verify', check: 'tags' }]);
  });

  it('deploy-only: find the image, then deploy (no verify, replicate or retention)', () => {
    const plan = planFor({ 'deploy-image': 'swr.cn-north-4.myhuaweicloud.com/my-org/my-app:v1', 'deploy-trigger': TRIGGER, tags: '' });
    assert.equal(plan.mode, 'deploy-only');
    assert.deepEqual(kinds(plan), ['credentials', 'find-image', 'deploy']);
  });

  it('dry run: the same steps as the real run, printed in order after the rest of the plan', () => {
    const inputs = { 'source-image': 'registry.example.com/team/app:v2', retention: 'keep-last=3' };
    const real = planFor(inputs);
    const dry = planFor({ ...inputs, 'dry-run': 'true' });
    assert.deepEqual(dry.steps, real.steps);
    const lines = describePlan(dry);
    assert.deepEqual(lines.slice(-4), [
      'step  1:   credentials: resolve the login for swr.cn-north-4.myhuaweicloud.com',
      'step  2:   copy: registry.example.com/team/app → destination',
      "step  3:   verify: every tag at one digest (the registry's answers to the writes, else a HEAD per tag)",
      `step  4:   retention: ${describeRetention(dry.config.copy.retention!)}`,
    ]);
    // The step list is added after the plan's other lines, which keep their places.
    assert.deepEqual(lines.slice(0, -4), describePlan(real).slice(0, -4));
  });
});

function quietPorts(): Ports & { lines: string[] } {
  const lines: string[] = [];
  const secrets = createSecretRegistry();
  const logger: Ports['logger'] = {
    info: (message) => lines.push(secrets.redact(message)),
    warn: (message) => lines.push(`warning: ${secrets.redact(message)}`),
    debug: () => undefined,
    group: async (title, body) => {
      lines.push(`## ${secrets.redact(title)}`);
      return body();
    },
  };
  return { logger, secrets, exec: createNodeExec({ writeLine: (line) => logger.info(line) }), fetch: globalThis.fetch, clock: { now: () => new Date() }, lines };
}

describe('runPipeline carries out exactly the plan\'s steps', { skip: existsSync(REGISTRY_BINARY) ? false : `needs ${REGISTRY_BINARY} (Debian package docker-registry)` }, () => {
  let registry: LocalRegistry | undefined;
  const host = (): string => registry?.host ?? assert.fail('registry not started');
  before(async () => {
    registry = await startLocalRegistry();
    await pushRandomImage(host(), 'src/app', 'v2', { layers: 1, layerBytes: 1024 });
  });
  after(async () => registry?.close());

  const copyConfig = (extra: Record<string, string>): Config =>
    parseInputs({ provider: 'generic', registry: host(), namespace: 'dst', image: 'app', tags: 'v2\nlatest', 'source-image': `${host()}/src/app:v2`, 'replicate-to': `${host()}/mirror/app`, retention: 'keep-last=5', ...extra });

  it('a copy runs credentials, copy, verify, replicate, retention: the plan\'s list, in its order', async () => {
    const config = copyConfig({});
    const ports = quietPorts();
    const result = await runPipeline(config, { ports, source: SOURCE, cwd: process.cwd(), env: { ...process.env, DOCKER_CONFIG: tempDir('imageship-plan-steps-docker-') } });
    const plan = makePlan({ config, source: SOURCE, now: new Date(), docker: NO_DOCKER, tempDir: '', cwd: process.cwd() });
    assert.deepEqual(result.stepsRun, kinds(plan));
    assert.deepEqual(result.stepsRun, ['credentials', 'copy', 'verify', 'replicate', 'retention']);
    // Each step left its mark in the registry and in the log, in the plan's order.
    assert.deepEqual((await listTags(host(), 'dst/app')).sort(), ['latest', 'v2']);
    assert.equal(await manifestDigest(host(), 'mirror/app', 'v2'), result.digest);
    const groups = ports.lines.filter((line) => line.startsWith('## ')).map((line) => line.slice(3).split(' ')[0]);
    assert.deepEqual(groups, ['Plan', 'Copy', 'Verify', 'Replicate', 'Retention']);
    assert.deepEqual(result.plan.filter((line) => line.startsWith('step ')).length, plan.steps.length);
  });

  it('a dry run carries out only the retention preview, and pushes nothing', async () => {
    const config = copyConfig({ namespace: 'dry', 'dry-run': 'true' });
    const ports = quietPorts();
    const result = await runPipeline(config, { ports, source: SOURCE, cwd: process.cwd() });
    assert.deepEqual(result.stepsRun, ['retention']);
    assert.ok(result.plan.includes('step  4:   replicate: → ' + `${host()}/mirror/app`), result.plan.join('\n'));
    assert.ok(!(await catalog(host())).some((repository) => repository.startsWith('dry/')), 'a dry run pushes nothing');
  });
});
