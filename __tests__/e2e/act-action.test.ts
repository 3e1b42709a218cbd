/**
 * The bundled action under a real runner implementation, nektos/act (host
 * mode), instead of our own emulation: act parses action.yml and the
 * workflow, evaluates the expressions, runs dist/ on Node 24, reads the file
 * commands, masks, runs the post step, and carries job outputs across
 * `needs`. Every claim is checked where it lands: the registry's HTTP API,
 * the job's Docker config, the stand-in's state, act's whole log.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, describe } from 'node:test';
import { ACT_DEBUG, ACT_REMOTE, actSkipReason, actTest, dockerConfigAuths, gh, runActWorkflow, sampleAppFiles, SHIP_STEP, summariesInLog, type ActRun } from '../helpers/act.js';
import { startDeployBed, type DeployBed } from '../helpers/deploy-bed.js';
import { pushRandomImage, type PushedImage } from '../helpers/image-fixtures.js';
import { deleteManifest, imageConfig, listTags, manifestDigest } from '../helpers/registry-api.js';
import { NODE24 } from '../helpers/runner.js';
import { findSecrets } from '../helpers/secret-scan.js';
import { loadTestbed } from '../helpers/testbed.js';
import { uniqueNamespace } from '../helpers/workspace.js';

const bed = loadTestbed();
const auth = { username: bed.username, password: bed.derivedPassword };
const skip = actSkipReason();

/** Only secret values go through act's `-s`; the workflow names them. */
const SECRETS = { HUAWEICLOUD_AK: bed.ak, HUAWEICLOUD_SK: bed.sk };
const BRANCH = 'feature/act-e2e';

const suffix = (): string => randomBytes(4).toString('hex');

/** The `with:` lines every SWR step shares, indented for a step at `steps:` level. */
function swrWith(lines: Record<string, string>): string {
  const all: Record<string, string> = {
    region: bed.region,
    'access-key': gh('secrets.HUAWEICLOUD_AK'),
    'secret-key': gh('secrets.HUAWEICLOUD_SK'),
    ...lines,
  };
  return Object.entries(all)
    .map(([name, value]) =>
      value.includes('\n') ? `          ${name}: |\n${value.split('\n').map((line) => `            ${line}`).join('\n')}` : `          ${name}: ${value}`,
    )
    .join('\n');
}

/** The log's tail for an assertion message: enough to see why a job failed. */
const tail = (run: ActRun): string => run.log.split('\n').slice(-60).join('\n');

function removeLocalImages(references: string[]): void {
  // Only what the run built: its tags (and the image id, which takes the build's intermediate layers with it).
  for (const reference of references) spawnSync('docker', ['rmi', reference], { stdio: 'ignore' });
}

/** The values that must never show: the AK/SK pair, the derived password, and the login pair docker stores. */
const SECRET_VALUES = { SK: bed.sk, AK: bed.ak, 'derived password': bed.derivedPassword, 'user:password': `${bed.username}:${bed.derivedPassword}` };

/** act's log shows the post step of `uses: ./` start, say it logged out of the registry, and succeed. */
function postLoggedOut(log: string): boolean {
  const start = log.indexOf('⭐ Run Post ./');
  const end = log.indexOf('✅  Success - Post ./', start);
  return start >= 0 && end > start && log.slice(start, end).includes(`| post: logged out of ${bed.swrRegistry}\n`);
}

async function deleteFromSwr(repository: string, digest: string | undefined): Promise<void> {
  if (digest?.startsWith('sha256:')) await deleteManifest(bed.swrRegistry, repository, digest, auth);
}

describe('act: build, push with computed tags, outputs to a later step, masking, summary, post logout', () => {
  const namespace = uniqueNamespace('act-build');
  const repository = `${namespace}/app`;
  const image = `${bed.swrRegistry}/${repository}`;
  const fixedTag = `run-${suffix()}`;
  let run: ActRun;
  let digest = '';
  let expectedRefs: string[] = [];

  before(async () => {
    if (skip) return;
    run = await runActWorkflow({
      branch: BRANCH,
      remoteUrl: ACT_REMOTE,
      secrets: SECRETS,
      ...ACT_DEBUG,
      files: sampleAppFiles(),
      workflow: `on: push
jobs:
  build:
    runs-on: ubuntu-latest
${SHIP_STEP}
${swrWith({
  registry: bed.swrRegistry,
  namespace,
  image: 'app',
  'build-args': `BASE_IMAGE=${bed.baseImage}`,
  tags: `${fixedTag}\ntype=sha\ntype=ref,event=branch`,
})}
      - name: A later step reads the outputs
        env:
          REGISTRY: ${gh('steps.ship.outputs.registry')}
          IMAGE: ${gh('steps.ship.outputs.image')}
          TAGS: ${gh('steps.ship.outputs.tags')}
          DIGEST: ${gh('steps.ship.outputs.digest')}
          IMAGEID: ${gh('steps.ship.outputs.imageid')}
          METADATA: ${gh('steps.ship.outputs.metadata')}
          METADATA_DIGEST: ${gh('fromJSON(steps.ship.outputs.metadata).digest')}
        run: |
          for name in REGISTRY IMAGE TAGS DIGEST IMAGEID METADATA METADATA_DIGEST; do
            printenv "$name" > "$E2E_OUT/$name"
          done
          # The login must still be there for later steps: the post step, not main, removes it.
          cp "$DOCKER_CONFIG/config.json" "$E2E_OUT/docker-config-before-post.json"
`,
    });
    digest = (run.files['DIGEST'] ?? '').trim();
    // By priority, as docker/metadata-action orders them: ref 600, the fixed tag (raw) 200, sha 100.
    expectedRefs = ['feature-act-e2e', fixedTag, `sha-${run.sha.slice(0, 7)}`].map((tag) => `${image}:${tag}`);
  });

  after(async () => {
    if (!run) return;
    removeLocalImages([...expectedRefs, (run.files['IMAGEID'] ?? '').trim()].filter((ref) => ref !== ''));
    await deleteFromSwr(repository, digest);
  });

  actTest('the job succeeds, and act ran dist/index.js with the Node 24 binary first on PATH', () => {
    assert.equal(run.exitCode, 0, tail(run));
    assert.equal(run.timedOut, false);
    const entries = [...run.log.matchAll(/executing remote job container: \[(\S+) (\S+)\]/g)].filter((m) => m[2]!.endsWith('/dist/index.js'));
    assert.equal(entries.length, 2, 'main and post ran the entry named in action.yml');
    for (const entry of entries) assert.equal(entry[1], NODE24);
  });

  actTest('the later step gets every output: tags has one full reference per line, the fixed, sha and branch tags', () => {
    assert.match(digest, /^sha256:[0-9a-f]{64}$/);
    assert.equal(run.files['REGISTRY']?.trim(), bed.swrRegistry);
    assert.equal(run.files['IMAGE']?.trim(), image);
    assert.match(run.files['IMAGEID'] ?? '', /^sha256:[0-9a-f]{64}\n$/);
    // printenv adds one newline; the value itself is the lines joined by \n, without a trailing one.
    assert.deepEqual((run.files['TAGS'] ?? '').replace(/\n$/, '').split('\n'), expectedRefs);
  });

  actTest('every tag line exists in the registry and points at the digest output', async () => {
    assert.deepEqual(await listTags(bed.swrRegistry, repository, auth), expectedRefs.map((ref) => ref.slice(image.length + 1)).sort());
    for (const ref of (run.files['TAGS'] ?? '').trim().split('\n')) {
      const tag = ref.slice(ref.lastIndexOf(':') + 1);
      assert.equal(await manifestDigest(bed.swrRegistry, repository, tag, auth), digest, ref);
    }
  });

  actTest('metadata is JSON that fromJSON reads in the workflow and that matches the other outputs', () => {
    assert.equal(run.files['METADATA_DIGEST']?.trim(), digest, 'fromJSON(steps.ship.outputs.metadata).digest');
    const metadata = JSON.parse(run.files['METADATA'] ?? '{}') as Record<string, unknown>;
    assert.equal(metadata['digest'], digest);
    assert.equal(metadata['image'], image);
    assert.equal(metadata['registry'], bed.swrRegistry);
    assert.deepEqual(metadata['tags'], expectedRefs);
    assert.equal(metadata['user'], `${bed.region}@${bed.ak.slice(0, 4)}…`);
    const labels = metadata['labels'] as Record<string, string>;
    assert.equal(labels['org.opencontainers.image.revision'], run.sha);
  });

  actTest("act's context reached the image: revision is act's GITHUB_SHA, source its GITHUB_REPOSITORY", async () => {
    const config = await imageConfig(bed.swrRegistry, repository, fixedTag, auth);
    const labels = config.config.Labels as Record<string, string>;
    assert.equal(labels['org.opencontainers.image.revision'], run.sha);
    assert.equal(labels['org.opencontainers.image.source'], 'https://github.com/octo-org/octo-app');
  });

  actTest("with debug on, act's whole log holds no SK, AK, derived password or user:password, plain or base64", () => {
    assert.match(run.log, /💬 {2}::debug::pushed /, 'the debug lines were shown, so they were scanned too');
    const { ['docker-config-before-post.json']: dockerConfig, ...stepFiles } = run.files;
    const texts = { 'act log': run.log, ...Object.fromEntries(Object.entries(stepFiles).map(([name, text]) => [`step file ${name}`, text])) };
    assert.deepEqual(findSecrets(texts, SECRET_VALUES), []);
    // The scan can fail: the job's Docker config held the login, base64 as docker writes it.
    assert.deepEqual(findSecrets({ 'docker config': dockerConfig ?? '' }, { 'derived password': bed.derivedPassword }), ['docker config: contains derived password (base64)']);
  });

  actTest('neither the password nor the AK appears in a docker argv: imageship writes the login itself', () => {
    const argvs = run.dockerCalls.map((call) => call.argv);
    assert.deepEqual(argvs.filter((argv) => argv[0] === 'login' || argv[0] === 'logout'), []);
    assert.ok(argvs.length > 0, 'docker was called');
    assert.deepEqual(findSecrets({ 'docker argv': JSON.stringify(argvs) }, { SK: bed.sk, AK: bed.ak, 'derived password': bed.derivedPassword }), []);
  });

  actTest('the login lived in the job-private DOCKER_CONFIG until the post step removed it; HOME has no .docker', () => {
    assert.ok(bed.swrRegistry in dockerConfigAuths(run.files['docker-config-before-post.json']), 'logged in for the rest of the job');
    assert.ok(postLoggedOut(run.log), 'the post step ran and logged out');
    assert.deepEqual(dockerConfigAuths(run.dockerConfig), {}, 'no login left after the job');
    assert.ok(!run.dockerCalls.some((call) => call.argv[0] === 'logout'), 'no docker logout process');
    assert.equal(run.homeDockerDirCreated, false);
  });

  actTest('act prints the job summary the step wrote: registry, every tag, the digest, the AK shortened', () => {
    // act gives every step a fresh, empty GITHUB_STEP_SUMMARY (as GitHub does), so a later step
    // cannot read this one's; act shows it in the log after the step instead, and that is checked.
    const summaries = summariesInLog(run.log);
    assert.equal(summaries.length, 1, 'one step wrote a summary');
    const summary = summaries[0]!;
    assert.match(summary, /^<h3>imageship: image pushed<\/h3>/);
    for (const ref of expectedRefs) assert.ok(summary.includes(`<code>${ref}</code>`), ref);
    assert.ok(summary.includes(`<code>${digest}</code>`));
    assert.ok(summary.includes(`<code>${bed.region}@${bed.ak.slice(0, 4)}…</code>`));
  });
});

describe('act: the post step logs out after a failed main step', () => {
  const namespace = uniqueNamespace('act-fail');
  let run: ActRun;

  before(async () => {
    if (skip) return;
    run = await runActWorkflow({
      secrets: SECRETS,
      // Fails after the login, in the build: COPY of a file the context lacks. Not a failing RUN: that
      // leaves its container behind on the shared daemon (and this daemon has no bridge for RUN at all).
      files: { Dockerfile: 'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY does-not-exist.txt /\n' },
      workflow: `on: push
jobs:
  build:
    runs-on: ubuntu-latest
${SHIP_STEP}
${swrWith({ registry: bed.swrRegistry, namespace, image: 'app', 'build-args': `BASE_IMAGE=${bed.baseImage}`, tags: 'latest' })}
      - name: Keep the Docker config as the failed step left it
        if: ${gh('failure()')}
        run: cp "$DOCKER_CONFIG/config.json" "$E2E_OUT/docker-config-after-failure.json"
`,
    });
  });

  actTest('the job fails in the build with the reason, after logging in', () => {
    assert.equal(run.exitCode, 1, tail(run));
    assert.match(run.log, /❗ {2}::error::build: docker build failed \(exit 1\): .*does-not-exist\.txt/);
    assert.match(run.log, /❌ {2}Failure - Main \.\//);
    assert.ok(bed.swrRegistry in dockerConfigAuths(run.files['docker-config-after-failure.json']), 'the login was in place when main failed');
  });

  actTest('post still ran and removed the login; nothing was pushed', async () => {
    assert.ok(postLoggedOut(run.log), 'the post step ran and logged out');
    assert.deepEqual(dockerConfigAuths(run.dockerConfig), {});
    assert.ok(!run.dockerCalls.some((call) => call.argv[0] === 'logout'), 'no docker logout process');
    assert.deepEqual(await listTags(bed.swrRegistry, `${namespace}/app`, auth), []);
    assert.deepEqual(findSecrets({ 'act log': run.log }, SECRET_VALUES), []);
  });
});

describe('act: two jobs, build then deploy the exact digest through needs (the review flow)', () => {
  const namespace = uniqueNamespace('act-deploy');
  const repository = `${namespace}/app`;
  const image = `${bed.swrRegistry}/${repository}`;
  let stand: DeployBed;
  let run: ActRun;
  let buildDigest = '';

  before(async () => {
    if (skip) return;
    stand = await startDeployBed(bed, image);
    run = await runActWorkflow({
      secrets: SECRETS,
      files: sampleAppFiles(),
      workflow: `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    outputs:
      image: ${gh('steps.ship.outputs.image')}
      digest: ${gh('steps.ship.outputs.digest')}
${SHIP_STEP}
${swrWith({ registry: bed.swrRegistry, namespace, image: 'app', 'build-args': `BASE_IMAGE=${bed.baseImage}`, tags: 'type=sha' })}
      - run: printf '%s' "${gh('steps.ship.outputs.digest')}" > "$E2E_OUT/build-digest"
  deploy:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: deploy
        uses: ./
        with:
${swrWith({
  registry: bed.swrRegistry,
  'deploy-image': `${gh('needs.build.outputs.image')}@${gh('needs.build.outputs.digest')}`,
  'function-urn': stand.functionUrn,
  endpoints: stand.endpoints,
})}
      - env:
          DEPLOY_IMAGE: ${gh('needs.build.outputs.image')}@${gh('needs.build.outputs.digest')}
          DIGEST: ${gh('steps.deploy.outputs.digest')}
          DEPLOYMENTS: ${gh('steps.deploy.outputs.deployments')}
        run: |
          printenv DEPLOY_IMAGE > "$E2E_OUT/deploy-image"
          printenv DIGEST > "$E2E_OUT/deploy-digest"
          printenv DEPLOYMENTS > "$E2E_OUT/deployments"
`,
    });
    buildDigest = run.files['build-digest'] ?? '';
  });

  after(async () => {
    await stand?.close();
    if (!run) return;
    removeLocalImages([`${image}:sha-${run.sha.slice(0, 7)}`]);
    await deleteFromSwr(repository, buildDigest);
  });

  actTest('both jobs succeed, deploy after build, with the build job outputs through needs', async () => {
    assert.equal(run.exitCode, 0, tail(run));
    const buildDone = run.log.indexOf('/build] 🏁  Job succeeded');
    assert.ok(buildDone > 0 && run.log.indexOf('/deploy] ⭐ Run Main ./') > buildDone, 'deploy ran after build finished');
    assert.match(buildDigest, /^sha256:[0-9a-f]{64}$/);
    assert.equal(await manifestDigest(bed.swrRegistry, repository, `sha-${run.sha.slice(0, 7)}`, auth), buildDigest);
    assert.equal(run.files['deploy-image']?.trim(), `${image}@${buildDigest}`);
    assert.equal(run.files['deploy-digest']?.trim(), buildDigest);
  });

  actTest('the FunctionGraph function now runs the image pinned to that digest, updated once, every call signed', () => {
    const fn = stand.huawei.state.functions.get(stand.functionUrn) as { custom_image: Record<string, unknown> };
    assert.equal(fn.custom_image['image'], `${image}@${buildDigest}`);
    assert.equal(fn.custom_image['command'], '/bin/httpd', 'the rest of custom_image is kept');
    assert.equal(stand.huawei.state.updates.length, 1);
    assert.ok(stand.huawei.calls.length > 0 && stand.huawei.calls.every((call) => call.signatureValid));
    const deployments = JSON.parse(run.files['deployments'] ?? '[]') as { target: string; id: string; previous: string; current: string; verified: boolean }[];
    assert.deepEqual(deployments, [{ target: 'functiongraph', id: stand.functionUrn, previous: `${image}:old`, current: `${image}@${buildDigest}`, verified: true }]);
  });

  actTest('the deploy plan names the image the function gets: the pinned digest', () => {
    // deploy-image has no tag, so the function gets <image>@<digest>; the plan line must say so rather than "← :".
    const line = run.log.split('\n').find((l) => l.includes(`function:  ${stand.functionUrn} ← `)) ?? '';
    assert.ok(line.endsWith(`← ${image}@${buildDigest}`) || line.endsWith(`← @${buildDigest}`), `plan line: ${line}`);
  });

  actTest('no secret in either job of the log', () => {
    assert.deepEqual(findSecrets({ 'act log': run.log, deployments: run.files['deployments'] ?? '' }, SECRET_VALUES), []);
  });

  actTest("each job's summary is its own: the build job's says pushed, the deploy job's lists the deployment", () => {
    const [built, deployed, ...more] = summariesInLog(run.log);
    assert.deepEqual(more, []);
    assert.match(built ?? '', /^<h3>imageship: image pushed<\/h3>/);
    assert.doesNotMatch(built ?? '', /Deployments/);
    assert.match(deployed ?? '', /^<h3>imageship: image deployed<\/h3>/);
    assert.ok(deployed?.includes('<h4>Deployments</h4>'));
    assert.ok(deployed?.includes(`<code>${image}@${buildDigest}</code>`));
  });
});

describe('act: copy a source image registry to registry, on a tag push event', () => {
  const sourceRepository = `${uniqueNamespace('act-src')}/base`;
  const namespace = uniqueNamespace('act-copy');
  const repository = `${namespace}/app`;
  // The namespace is unique per run, so fixed semver tags cannot collide with another run's.
  // latest too: flavor latest=auto adds it when the first tag is a semver release, as docker/metadata-action does.
  const expectedTags = ['1.4.2', '1.4', 'v1.4.2', 'latest'];
  let source: PushedImage;
  let run: ActRun;

  before(async () => {
    if (skip) return;
    source = await pushRandomImage(bed.anonRegistry, sourceRepository, 'v1', { layers: 2, layerBytes: 8192 });
    run = await runActWorkflow({
      secrets: SECRETS,
      // act takes GITHUB_REF from the event payload's ref: a tag push.
      event: { ref: 'refs/tags/v1.4.2', repository: { default_branch: 'main' } },
      workflow: `on: push
jobs:
  copy:
    runs-on: ubuntu-latest
${SHIP_STEP}
${swrWith({
  registry: bed.swrRegistry,
  namespace,
  image: 'app',
  'source-image': `${bed.anonRegistry}/${sourceRepository}:v1`,
  tags: 'type=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}\ntype=ref,event=tag\ntype=ref,event=branch',
})}
      - run: printf '%s' "${gh('steps.ship.outputs.digest')}" > "$E2E_OUT/digest"
`,
    });
  });

  after(async () => {
    if (source) await deleteManifest(bed.anonRegistry, sourceRepository, source.digest);
    await deleteFromSwr(repository, source?.digest);
  });

  actTest('the digest output is the source digest, under the semver and tag tags of the pushed git tag', async () => {
    assert.equal(run.exitCode, 0, tail(run));
    assert.equal(run.files['digest'], source.digest);
    assert.deepEqual(await listTags(bed.swrRegistry, repository, auth), [...expectedTags].sort());
    for (const tag of expectedTags) assert.equal(await manifestDigest(bed.swrRegistry, repository, tag, auth), source.digest, tag);
  });

  actTest('no docker process at all: the copy speaks the registry API, and there was no login for post to undo', () => {
    assert.deepEqual(run.dockerCalls, []);
    assert.match(run.log, /\| post: no registry login to undo/);
  });

  actTest('no secret in the log', () => {
    assert.deepEqual(findSecrets({ 'act log': run.log }, SECRET_VALUES), []);
  });

  actTest('the job summary reports a copy, not a deployment: nothing was deployed', () => {
    const summaries = summariesInLog(run.log);
    assert.equal(summaries.length, 1);
    const summary = summaries[0]!;
    assert.ok(summary.includes(`<code>${source.digest}</code>`));
    for (const tag of expectedTags) assert.ok(summary.includes(`<code>${bed.swrRegistry}/${repository}:${tag}</code>`), tag);
    // Builder "none" also means copy (and merge-digests), not only deploy-image: the summary must not claim a deployment.
    assert.doesNotMatch(summary, /deploy/i);
  });
});
