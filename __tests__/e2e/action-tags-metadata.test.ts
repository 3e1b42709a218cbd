/**
 * docker/metadata-action's behaviour through the bundled action, run as the
 * GitHub runner runs it, against the real daemon and the SWR-like registry:
 * the default tags (no `tags` input), `flavor`, the version / tags /
 * tag-names / labels / annotations / json outputs and their
 * DOCKER_METADATA_OUTPUT_* twins, SOURCE_DATE_EPOCH, and where annotations
 * land (a merged index, a copy, a BuildKit build; refused by the classic
 * builder). Every claim is checked in the registry or the step's files.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { pushRandomImage } from '../helpers/image-fixtures.js';
import { getManifest, imageConfig, listTags, manifestDigest } from '../helpers/registry-api.js';
import { ghContextForBranch, ghContextForTag, runAction, type GithubContext, type StepResult } from '../helpers/runner.js';
import { findSecrets } from '../helpers/secret-scan.js';
import { dockerConfigWithBuildx, loadTestbed, requireTool, tool, type Testbed, swrStepInputs } from '../helpers/testbed.js';
import { sampleAppWorkspace, uniqueNamespace } from '../helpers/workspace.js';
import { tempDir } from '../helpers/temp-dir.js';

const SHA = '5a5b5c5d5e5f60616263646566676869707172ab';
/** 2024-05-01T12:00:00Z */
const EPOCH = '1714564800';
let bed: Testbed;
let auth: { username: string; password: string };

before(() => {
  bed = loadTestbed();
  auth = { username: bed.username, password: bed.derivedPassword };
});

/** Registry to registry: no build inputs. */
function copyInputs(namespace: string, extra: Record<string, string>): Record<string, string> {
  const { 'build-args': _buildArgs, ...rest } = inputs(namespace, extra);
  return rest;
}

function inputs(namespace: string, extra: Record<string, string> = {}): Record<string, string> {
  return swrStepInputs(bed, namespace, { 'build-args': `BASE_IMAGE=${bed.baseImage}`, ...extra });
}

function run(namespace: string, extra: Record<string, string>, github: GithubContext, env: Record<string, string> = {}): Promise<StepResult> {
  return runAction({ inputs: inputs(namespace, extra), workdir: sampleAppWorkspace(), github, env: { SOURCE_DATE_EPOCH: EPOCH, ...env }, secrets: [bed.sk, bed.derivedPassword] });
}

const show = (step: StepResult): string => `exit ${step.exitCode}\n${step.maskedLog}`;
const errorsOf = (step: StepResult): string[] => step.commands.filter((command) => command.command === 'error').map((command) => command.message);
const isBuild = (argv: string[]): boolean => argv[0] === 'build' || (argv[0] === 'buildx' && argv[1] === 'build');

describe('no tags input: metadata-action\'s defaults, on a tag push; every output', () => {
  let namespace: string;
  let step: StepResult;
  const image = (): string => `${bed.swrRegistry}/${namespace}/app`;

  before(async () => {
    namespace = uniqueNamespace('meta-defaults');
    step = await run(namespace, {}, ghContextForTag('v1.2.3', SHA));
  });

  test('pushes v1.2.3 and latest (type=ref,event=tag with flavor latest=auto), nothing else', async () => {
    assert.equal(step.exitCode, 0, show(step));
    assert.deepEqual(await listTags(bed.swrRegistry, `${namespace}/app`, auth), ['latest', 'v1.2.3']);
    assert.equal(await manifestDigest(bed.swrRegistry, `${namespace}/app`, 'latest', auth), step.outputs['digest']);
  });

  test('version, tags, tag-names: the first tag, full references and bare tags, newline-separated', () => {
    assert.equal(step.outputs['version'], 'v1.2.3');
    assert.equal(step.outputs['tags'], `${image()}:v1.2.3\n${image()}:latest`);
    assert.equal(step.outputs['tag-names'], 'v1.2.3\nlatest');
  });

  test('labels: the eight OCI labels, sorted, empty ones kept; created is SOURCE_DATE_EPOCH', () => {
    assert.deepEqual(step.outputs['labels']?.split('\n'), [
      'org.opencontainers.image.created=2024-05-01T12:00:00.000Z',
      'org.opencontainers.image.description=',
      'org.opencontainers.image.licenses=',
      `org.opencontainers.image.revision=${SHA}`,
      'org.opencontainers.image.source=https://github.com/octo-org/octo-app',
      'org.opencontainers.image.title=octo-app',
      'org.opencontainers.image.url=https://github.com/octo-org/octo-app',
      'org.opencontainers.image.version=v1.2.3',
    ]);
  });

  test('the image carries those labels', async () => {
    const labels = (await imageConfig(bed.swrRegistry, `${namespace}/app`, 'v1.2.3', auth)).config.Labels as Record<string, string>;
    for (const line of step.outputs['labels']!.split('\n')) {
      const [name = '', ...value] = line.split('=');
      assert.equal(labels[name], value.join('='), name);
    }
  });

  test('annotations: the same set at the manifest level; json: {tags, labels, annotations}', () => {
    const annotations = step.outputs['annotations']!.split('\n');
    assert.equal(annotations.length, 8);
    assert.ok(annotations.every((line) => line.startsWith('manifest:org.opencontainers.image.')));
    const json = JSON.parse(step.outputs['json']!) as { tags: string[]; labels: Record<string, string>; annotations: string[] };
    assert.deepEqual(Object.keys(json), ['tags', 'labels', 'annotations']);
    assert.deepEqual(json.tags, step.outputs['tags']!.split('\n'));
    assert.equal(json.labels['org.opencontainers.image.version'], 'v1.2.3');
    assert.deepEqual(json.annotations, annotations);
  });

  test('each of those outputs is exported as DOCKER_METADATA_OUTPUT_* for later steps', () => {
    for (const name of ['version', 'tags', 'tag-names', 'labels', 'annotations', 'json']) {
      assert.equal(step.exportedEnv[`DOCKER_METADATA_OUTPUT_${name.replace('-', '_').toUpperCase()}`], step.outputs[name], name);
    }
  });

  test('the classic builder got no annotation (none asked for), and no secret leaked into the outputs or env file', () => {
    const build = step.argv.find(isBuild)!;
    assert.ok(!build.includes('--annotation'));
    assert.deepEqual(findSecrets({ log: step.stdout, outputs: JSON.stringify(step.outputs), env: step.envFile }, [bed.sk, bed.derivedPassword]), []);
  });
});

describe('flavor, through a real push', () => {
  test('latest=true with prefix app- (onlatest): every tag without a prefix of its own, and latest, get it; sep-tags joins the outputs', async () => {
    const namespace = uniqueNamespace('meta-flavor');
    const step = await run(
      namespace,
      { tags: 'type=ref,event=branch\ntype=sha', flavor: 'latest=true\nprefix=app-,onlatest=true', 'sep-tags': ',' },
      ghContextForBranch('feature/x', SHA),
    );
    assert.equal(step.exitCode, 0, show(step));
    const expected = ['app-feature-x', 'sha-5a5b5c5', 'app-latest'];
    assert.deepEqual(await listTags(bed.swrRegistry, `${namespace}/app`, auth), [...expected].sort());
    assert.equal(step.outputs['tag-names'], expected.join(','));
    assert.equal(step.outputs['tags'], expected.map((tag) => `${bed.swrRegistry}/${namespace}/app:${tag}`).join(','));
    assert.equal(step.outputs['version'], 'app-feature-x');
  });

  test('a bad flavor is one error line naming it, before any docker work', async () => {
    const step = await run(uniqueNamespace('meta-badflavor'), { flavor: 'latest=sometimes' }, ghContextForBranch('main', SHA));
    assert.equal(step.exitCode, 1);
    assert.equal(errorsOf(step)[0], 'flavor: `latest=sometimes`: latest must be auto, true or false but is `sometimes`');
    assert.equal(errorsOf(step).length, 2, 'the problem, then the count');
    assert.ok(!step.argv.some(isBuild));
  });
});

describe('the defaults on other events (dry run)', () => {
  const dryRun = (github: GithubContext, env: Record<string, string> = {}): Promise<StepResult> => run(uniqueNamespace('meta-dry'), { 'dry-run': 'true' }, github, env);

  test('a push to the default branch: the branch only, no latest', async () => {
    const step = await dryRun(ghContextForBranch('main', SHA));
    assert.equal(step.exitCode, 0, show(step));
    assert.equal(step.outputs['tag-names'], 'main');
  });

  test('a scheduled run: nightly (priority 1000), then the branch; the version is nightly', async () => {
    const github: GithubContext = { sha: SHA, ref: 'refs/heads/main', eventName: 'schedule', repository: 'octo-org/octo-app', event: { schedule: '0 3 * * *' } };
    const step = await dryRun(github);
    assert.equal(step.exitCode, 0, show(step));
    assert.equal(step.outputs['tag-names'], 'nightly\nmain');
    assert.equal(step.outputs['version'], 'nightly');
  });

  test('DOCKER_METADATA_SET_OUTPUT_ENV=false: outputs only, no DOCKER_METADATA_OUTPUT_* variables', async () => {
    const step = await dryRun(ghContextForBranch('main', SHA), { DOCKER_METADATA_SET_OUTPUT_ENV: 'false' });
    assert.equal(step.exitCode, 0, show(step));
    assert.equal(step.outputs['version'], 'main');
    assert.deepEqual(Object.keys(step.exportedEnv).filter((name) => name.startsWith('DOCKER_METADATA_')), []);
  });
});

describe('annotations', () => {
  test('merge-digests: the new index carries the OCI annotations and the annotations input', async () => {
    const namespace = uniqueNamespace('meta-merge');
    const amd64 = await pushRandomImage(bed.swrRegistry, `${namespace}/app`, 'build-amd64', { layers: 1, layerBytes: 2048, auth, platform: { os: 'linux', architecture: 'amd64' } });
    const arm64 = await pushRandomImage(bed.swrRegistry, `${namespace}/app`, 'build-arm64', { layers: 1, layerBytes: 2048, auth, platform: { os: 'linux', architecture: 'arm64' } });
    const step = await runAction({
      inputs: copyInputs(namespace, { 'merge-digests': `${amd64.digest}\n${arm64.digest}`, tags: 'type=semver,pattern={{version}}', annotations: 'org.example.team=delivery' }),
      workdir: sampleAppWorkspace(),
      github: ghContextForTag('v2.0.0', SHA),
      env: { SOURCE_DATE_EPOCH: EPOCH },
    });
    assert.equal(step.exitCode, 0, show(step));
    const index = await getManifest(bed.swrRegistry, `${namespace}/app`, '2.0.0', auth);
    assert.equal(index?.digest, step.outputs['digest']);
    const annotations = (index?.json as { annotations: Record<string, string> }).annotations;
    assert.equal(annotations['org.example.team'], 'delivery');
    assert.equal(annotations['org.opencontainers.image.version'], '2.0.0');
    assert.equal(annotations['org.opencontainers.image.revision'], SHA);
    assert.equal(annotations['org.opencontainers.image.created'], '2024-05-01T12:00:00.000Z');
    assert.equal(await manifestDigest(bed.swrRegistry, `${namespace}/app`, 'latest', auth), index?.digest);
  });

  test('source-image with annotations: the copy gets them and a new digest; without, the digest stays', async () => {
    const sourceRepo = `${uniqueNamespace('meta-src')}/app`;
    const source = await pushRandomImage(bed.anonRegistry, sourceRepo, 'v1', { layers: 1, layerBytes: 2048 });
    const namespace = uniqueNamespace('meta-copy');
    const annotated = await runAction({
      inputs: copyInputs(namespace, { 'source-image': `${bed.anonRegistry}/${sourceRepo}:v1`, tags: 'annotated', annotations: 'org.opencontainers.image.source=https://example.com/upstream' }),
      workdir: sampleAppWorkspace(),
      github: ghContextForBranch('main', SHA),
    });
    assert.equal(annotated.exitCode, 0, show(annotated));
    const copied = await getManifest(bed.swrRegistry, `${namespace}/app`, 'annotated', auth);
    assert.notEqual(copied?.digest, source.digest);
    assert.equal(copied?.digest, annotated.outputs['digest']);
    assert.deepEqual((copied?.json as { annotations: Record<string, string> }).annotations, { 'org.opencontainers.image.source': 'https://example.com/upstream' });
    assert.match(annotated.stdout, /annotations: 1 added to the copied manifest \(so its digest changes\)/);

    const plain = await runAction({ inputs: copyInputs(namespace, { 'source-image': `${bed.anonRegistry}/${sourceRepo}:v1`, tags: 'plain' }), workdir: sampleAppWorkspace(), github: ghContextForBranch('main', SHA) });
    assert.equal(plain.exitCode, 0, show(plain));
    assert.equal(plain.outputs['digest'], source.digest);
  });

  test('the classic builder refuses annotations in the plan, with the fix, before any login or build', async () => {
    const step = await run(uniqueNamespace('meta-classic'), { annotations: 'org.example.team=delivery' }, ghContextForBranch('main', SHA));
    assert.equal(step.exitCode, 1);
    const [error] = errorsOf(step);
    assert.match(error ?? '', /^annotations: needs docker buildx, which this runner lacks \(the classic builder cannot add annotations; also unset DOCKER_METADATA_ANNOTATIONS_LEVELS\): add docker\/setup-buildx-action/);
    assert.ok(!step.argv.some((argv) => argv[0] === 'login' || isBuild(argv)));
  });

  test('a BuildKit builder: --annotation per level; the pushed index and manifests carry them', requireTool('buildx', 'buildkit'), async () => {
    const namespace = uniqueNamespace('meta-bk');
    const dockerConfig = dockerConfigWithBuildx(tempDir('imageship-meta-dc-'));
    const workdir = tempDir('imageship-meta-ws-');
    writeFileSync(join(workdir, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\n');
    writeFileSync(join(workdir, 'hello.txt'), 'hello\n');
    const step = await runAction({
      inputs: {
        ...inputs(namespace, { tags: 'type=ref,event=branch', annotations: 'org.example.team=delivery', platforms: 'linux/amd64,linux/arm64', builder: tool('buildkit').builder }),
        'build-args': '',
      },
      workdir,
      github: ghContextForBranch('main', SHA),
      env: { DOCKER_CONFIG: dockerConfig, BUILDX_CONFIG: tool('buildkit').buildxConfig, DOCKER_METADATA_ANNOTATIONS_LEVELS: 'manifest,index', SOURCE_DATE_EPOCH: EPOCH },
      timeoutMs: 240_000,
    });
    assert.equal(step.exitCode, 0, show(step));
    const build = step.argv.find(isBuild)!;
    assert.ok(build.includes('manifest:org.example.team=delivery') && build.includes('index:org.example.team=delivery'));
    const index = await getManifest(bed.swrRegistry, `${namespace}/app`, 'main', auth);
    const json = index?.json as { annotations: Record<string, string>; manifests: { digest: string }[] };
    assert.equal(json.annotations['org.example.team'], 'delivery');
    assert.equal(json.annotations['org.opencontainers.image.version'], 'main');
    for (const child of json.manifests) {
      const manifest = await getManifest(bed.swrRegistry, `${namespace}/app`, child.digest, auth);
      assert.equal((manifest?.json as { annotations: Record<string, string> }).annotations['org.example.team'], 'delivery');
    }
  });
});
