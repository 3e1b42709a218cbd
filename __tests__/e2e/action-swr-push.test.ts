/**
 * The bundled action, run exactly as the GitHub runner runs it (INPUT_* env,
 * file commands, then the post step), against a real Docker daemon and a real
 * registry whose only user is `{region}@{AK}` with the SK-derived password.
 * Every claim is checked through the registry's HTTP API.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { catalog, imageConfig, listTags, manifestDigest } from '../helpers/registry-api.js';
import { ghContextForBranch, ghContextForPullRequest, ghContextForTag, runAction, runMainThenPost } from '../helpers/runner.js';
import { findSecrets } from '../helpers/secret-scan.js';
import { loadTestbed, type Testbed } from '../helpers/testbed.js';
import { sampleAppWorkspace, uniqueNamespace } from '../helpers/workspace.js';

const SHA = '0123abcd4567ef890123abcd4567ef890123abcd';
let bed: Testbed;
let auth: { username: string; password: string };

before(() => {
  bed = loadTestbed();
  auth = { username: bed.username, password: bed.derivedPassword };
});

function swrInputs(namespace: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    region: bed.region,
    'access-key': bed.ak,
    'secret-key': bed.sk,
    registry: bed.swrRegistry,
    namespace,
    image: 'my-app',
    'build-args': `BASE_IMAGE=${bed.baseImage}`,
    ...extra,
  };
}

function dockerAuths(dockerConfig: string): Record<string, unknown> {
  const file = join(dockerConfig, 'config.json');
  if (!existsSync(file)) return {};
  return (JSON.parse(readFileSync(file, 'utf8')) as { auths?: Record<string, unknown> }).auths ?? {};
}

describe('SWR: derived login → build → push → verify, on a tag build', () => {
  let namespace: string;
  let run: Awaited<ReturnType<typeof runMainThenPost>>;
  // By priority, as docker/metadata-action orders them: semver 900, ref 600, the fixed tag (raw) 200, sha 100.
  const expectedTags = ['1.2.3', '1.2', 'v1.2.3', 'latest', 'sha-0123abc'];

  before(async () => {
    namespace = uniqueNamespace('tag');
    run = await runMainThenPost({
      inputs: swrInputs(namespace, {
        tags: 'latest\ntype=sha\ntype=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}\ntype=ref,event=tag',
        labels: 'org.example.team=delivery',
      }),
      workdir: sampleAppWorkspace(),
      github: ghContextForTag('v1.2.3', SHA),
      env: { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' },
    });
  });

  test('main succeeds and reports the image, tags and digest', () => {
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    const { outputs } = run.main;
    assert.equal(outputs['registry'], bed.swrRegistry);
    assert.equal(outputs['image'], `${bed.swrRegistry}/${namespace}/my-app`);
    assert.deepEqual(outputs['tags']?.split('\n'), expectedTags.map((tag) => `${bed.swrRegistry}/${namespace}/my-app:${tag}`));
    assert.match(outputs['digest'] ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.match(outputs['imageid'] ?? '', /^sha256:[0-9a-f]{64}$/);
  });

  test('every tag exists in the registry and points at the output digest', async () => {
    assert.deepEqual((await listTags(bed.swrRegistry, `${namespace}/my-app`, auth)).sort(), [...expectedTags].sort());
    for (const tag of expectedTags) {
      assert.equal(await manifestDigest(bed.swrRegistry, `${namespace}/my-app`, tag, auth), run.main.outputs['digest'], tag);
    }
  });

  test('the image config carries the OCI labels and the user label', async () => {
    const config = await imageConfig(bed.swrRegistry, `${namespace}/my-app`, 'latest', auth);
    const labels = config.config.Labels as Record<string, string>;
    assert.equal(labels['org.opencontainers.image.revision'], SHA);
    assert.equal(labels['org.opencontainers.image.source'], 'https://github.com/octo-org/octo-app');
    assert.equal(labels['org.opencontainers.image.version'], '1.2.3');
    assert.match(labels['org.opencontainers.image.created'] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(labels['org.example.team'], 'delivery');
  });

  test('the metadata output is JSON of the other outputs, with the AK shortened', () => {
    const metadata = JSON.parse(run.main.outputs['metadata'] ?? '{}') as Record<string, unknown>;
    assert.equal(metadata['digest'], run.main.outputs['digest']);
    assert.equal(metadata['image'], run.main.outputs['image']);
    assert.deepEqual(metadata['tags'], run.main.outputs['tags']?.split('\n'));
    assert.equal(metadata['user'], `${bed.region}@${bed.ak.slice(0, 4)}…`);
  });

  test('the job summary shows the digest and tags', () => {
    assert.match(run.main.summary, new RegExp(run.main.outputs['digest'] ?? 'missing'));
    assert.match(run.main.summary, /sha-0123abc/);
  });

  test('the login was written to the Docker config without a docker login process, and the build used the classic builder without buildx', () => {
    assert.deepEqual(run.main.argv.filter((argv) => argv[0] === 'login'), [], 'no docker login: the user (region@AK) would be in its argv');
    assert.ok(run.main.stdout.includes(`logged in to ${bed.swrRegistry} in ${join(run.main.dockerConfig, 'config.json')}`), run.main.stdout);
    const build = run.main.argv.find((argv) => argv[0] === 'build' || (argv[0] === 'buildx' && argv[1] === 'build'));
    assert.ok(build, 'a build ran');
    const pushes = run.main.argv.filter((argv) => argv[0] === 'push');
    assert.equal(pushes.length, expectedTags.length);
  });

  test('post logs out: no credentials for the registry remain in the Docker config', () => {
    assert.equal(run.post.exitCode, 0, run.post.stdout + run.post.stderr);
    assert.match(run.post.stdout, new RegExp(`^post: logged out of ${bed.swrRegistry.replace(/\./g, '\\.')}$`, 'm'));
    assert.ok(run.main.argv.length > 0);
    assert.deepEqual(Object.keys(dockerAuths(run.main.dockerConfig)).filter((host) => host.includes(bed.swrRegistry)), []);
    assert.deepEqual(run.post.argv, [], 'the post step edits the Docker config itself: no docker logout');
  });

  test('no secret appears in logs, outputs, state, summary or any docker argv (debug on)', () => {
    const texts: Record<string, string> = {};
    for (const [phase, step] of Object.entries({ main: run.main, post: run.post })) {
      texts[`${phase} stdout`] = step.stdout;
      texts[`${phase} stderr`] = step.stderr;
      texts[`${phase} outputs`] = JSON.stringify(step.outputs);
      texts[`${phase} state`] = JSON.stringify(step.state);
      texts[`${phase} summary`] = step.summary;
      texts[`${phase} env file`] = step.envFile;
      texts[`${phase} argv`] = JSON.stringify(step.argv);
    }
    const leaks = findSecrets(texts, [bed.sk, bed.derivedPassword, `${bed.username}:${bed.derivedPassword}`]);
    assert.deepEqual(leaks, []);
    // The scan must be able to fail: the secrets were really in play.
    assert.ok(run.main.stdout.length > 0 && run.main.argv.length > 3);
  });

  test('the SK and the derived password were masked with ::add-mask:: before use', () => {
    // Masks are commands to the runner; they must be sent, and never echo a secret elsewhere.
    const maskLines = run.main.stdout.split('\n').filter((line) => line.startsWith('::add-mask::'));
    assert.ok(maskLines.includes(`::add-mask::${bed.sk}`));
    assert.ok(maskLines.includes(`::add-mask::${bed.derivedPassword}`));
    const firstMask = run.main.stdout.indexOf(`::add-mask::${bed.derivedPassword}`);
    const loginGroup = run.main.stdout.indexOf('::group::Log in');
    assert.ok(firstMask >= 0 && firstMask < loginGroup, 'masked before the login');
  });
});

describe('SWR: the login lasts for the job and the post step ends it', () => {
  test('a later step can push with the login; after post it cannot', async () => {
    const namespace = uniqueNamespace('job');
    const workdir = sampleAppWorkspace();
    const main = await runAction({ inputs: swrInputs(namespace, { tags: 'latest' }), workdir, github: ghContextForBranch('main', SHA) });
    assert.equal(main.exitCode, 0, main.stdout + main.stderr);
    assert.ok(Object.keys(dockerAuths(main.dockerConfig)).some((host) => host.includes(bed.swrRegistry)), 'login stored for the job');

    const { execFileSync, spawnSync } = await import('node:child_process');
    const env = { ...process.env, DOCKER_CONFIG: main.dockerConfig };
    const image = `${bed.swrRegistry}/${namespace}/my-app`;
    execFileSync('docker', ['tag', `${image}:latest`, `${image}:later-step`], { env });
    const later = spawnSync('docker', ['push', `${image}:later-step`], { env, encoding: 'utf8' });
    assert.equal(later.status, 0, later.stderr);
    assert.ok((await listTags(bed.swrRegistry, `${namespace}/my-app`, auth)).includes('later-step'));

    const post = await runAction({ inputs: swrInputs(namespace), workdir, phase: 'post', state: main.state, env: { DOCKER_CONFIG: main.dockerConfig } });
    assert.equal(post.exitCode, 0, post.stdout + post.stderr);
    execFileSync('docker', ['tag', `${image}:latest`, `${image}:after-post`], { env });
    const after = spawnSync('docker', ['push', `${image}:after-post`], { env, encoding: 'utf8' });
    assert.notEqual(after.status, 0, 'push after logout must be refused');
    assert.match(after.stderr + after.stdout, /no basic auth credentials|unauthorized|authentication required/i);
    assert.ok(!(await listTags(bed.swrRegistry, `${namespace}/my-app`, auth)).includes('after-post'));
  });
});

describe('SWR: branch build with computed tags', () => {
  test('branch, sha and a dated raw tag; default-branch-only tag', async () => {
    const namespace = uniqueNamespace('branch');
    const run = await runMainThenPost({
      inputs: swrInputs(namespace, {
        tags: "type=ref,event=branch\ntype=sha,format=long\ntype=raw,value=build-{{run_number}}\ntype=raw,value=latest,enable={{is_default_branch}}\ntype=raw,value={{date 'YYYYMMDD'}}",
      }),
      workdir: sampleAppWorkspace(),
      github: { ...ghContextForBranch('feature/login-form', SHA), runNumber: '77' },
    });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    const today = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    const tags = await listTags(bed.swrRegistry, `${namespace}/my-app`, auth);
    assert.deepEqual(tags.sort(), ['build-77', 'feature-login-form', `sha-${SHA}`, today].sort());
  });
});

describe('SWR: pull-request build', () => {
  test('type=ref,event=pr gives pr-<n>; branch-only rules give nothing', async () => {
    const namespace = uniqueNamespace('pr');
    const run = await runMainThenPost({
      inputs: swrInputs(namespace, { tags: 'type=ref,event=pr\ntype=ref,event=branch\ntype=sha\ntype=raw,value=latest,enable={{is_default_branch}}' }),
      workdir: sampleAppWorkspace(),
      github: ghContextForPullRequest(7, 'feature/login-form', SHA),
    });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.deepEqual((await listTags(bed.swrRegistry, `${namespace}/my-app`, auth)).sort(), ['pr-7', 'sha-0123abc']);
  });
});

describe('SWR: failures push nothing', () => {
  test('a wrong secret key fails at login with the clear message and pushes nothing', async () => {
    const namespace = uniqueNamespace('badsk');
    const run = await runMainThenPost({
      inputs: swrInputs(namespace, { 'secret-key': 'WrongSecretKey000000000000000000000000000', tags: 'latest' }),
      workdir: sampleAppWorkspace(),
      github: ghContextForBranch('main', SHA),
    });
    assert.equal(run.main.exitCode, 1);
    assert.match(run.main.stdout, new RegExp(`::error::login: ${bed.swrRegistry.replace(/\./g, '\\.')} rejected the credentials \\(401\\): check access-key, secret-key and region: the login user is ${bed.region}@${bed.ak.slice(0, 4)}…`));
    assert.equal(run.main.argv.filter((argv) => argv[0] === 'push' || argv[0] === 'build').length, 0, 'no build or push after a failed login');
    assert.ok(!(await catalog(bed.swrRegistry, auth)).some((repo) => repo.startsWith(namespace)));
    assert.deepEqual(findSecrets({ stdout: run.main.stdout, stderr: run.main.stderr }, ['WrongSecretKey000000000000000000000000000']), []);
  });

  test('dry-run prints the plan and touches nothing', async () => {
    const namespace = uniqueNamespace('dry');
    const run = await runMainThenPost({
      inputs: swrInputs(namespace, { tags: 'latest\ntype=sha', 'dry-run': 'true' }),
      workdir: sampleAppWorkspace(),
      github: ghContextForBranch('main', SHA),
    });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.match(run.main.stdout, /Plan \(dry run/);
    assert.match(run.main.stdout, new RegExp(`login: +${bed.region}@${bed.ak.slice(0, 4)}…`));
    assert.equal(run.main.outputs['digest'], '');
    assert.equal(run.main.outputs['tags'], `${bed.swrRegistry}/${namespace}/my-app:latest\n${bed.swrRegistry}/${namespace}/my-app:sha-0123abc`);
    const sideEffects = run.main.argv.filter((argv) => ['login', 'build', 'push', 'tag'].includes(argv[0] ?? '') || argv[1] === 'build');
    assert.deepEqual(sideEffects, []);
    assert.ok(!(await catalog(bed.swrRegistry, auth)).some((repo) => repo.startsWith(namespace)));
    assert.match(run.post.stdout, /no registry login to undo/);
    assert.match(run.main.summary, /dry run/);
  });
});

describe('generic registry', () => {
  test('anonymous push to a registry without auth', async () => {
    const image = `${uniqueNamespace('anon')}/web`;
    const run = await runMainThenPost({
      inputs: { provider: 'generic', registry: bed.anonRegistry, image, tags: 'v1\ntype=sha', 'build-args': `BASE_IMAGE=${bed.baseImage}` },
      workdir: sampleAppWorkspace(),
      github: ghContextForBranch('main', SHA),
    });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.deepEqual((await listTags(bed.anonRegistry, image)).sort(), ['sha-0123abc', 'v1']);
    assert.equal(await manifestDigest(bed.anonRegistry, image, 'v1'), run.main.outputs['digest']);
    assert.equal(run.main.argv.filter((argv) => argv[0] === 'login').length, 0);
  });

  test('username/password login to the htpasswd registry', async () => {
    const namespace = uniqueNamespace('pw');
    const run = await runMainThenPost({
      inputs: { provider: 'generic', registry: bed.swrRegistry, username: bed.username, password: bed.derivedPassword, namespace, image: 'api', tags: 'stable', 'build-args': `BASE_IMAGE=${bed.baseImage}` },
      workdir: sampleAppWorkspace(),
      github: ghContextForBranch('main', SHA),
    });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.deepEqual(await listTags(bed.swrRegistry, `${namespace}/api`, auth), ['stable']);
    assert.deepEqual(findSecrets({ stdout: run.main.stdout, argv: JSON.stringify(run.main.argv), state: JSON.stringify(run.main.state) }, [bed.derivedPassword]), []);
  });

  test('push: false builds locally and pushes nothing', async () => {
    const namespace = uniqueNamespace('nopush');
    const run = await runMainThenPost({
      inputs: swrInputs(namespace, { tags: 'local', push: 'false' }),
      workdir: sampleAppWorkspace(),
      github: ghContextForBranch('main', SHA),
    });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.match(run.main.outputs['imageid'] ?? '', /^sha256:/);
    assert.equal(run.main.outputs['digest'], '');
    assert.equal(run.main.argv.filter((argv) => argv[0] === 'push').length, 0);
    assert.ok(!(await catalog(bed.swrRegistry, auth)).some((repo) => repo.startsWith(namespace)));
  });
});
