import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCommand } from '../../src/build/build-command.js';
import { decideBuilder } from '../../src/build/builder-capabilities.js';
import { parseBuildxInspect, parseBuildxVersion, type DockerTools } from '../../src/build/docker-probe.js';
import { dockerErrorText } from '../../src/build/run-build.js';
import type { BuildSettings } from '../../src/config/types.js';
import { plainBuildSettings } from '../helpers/build-settings.js';
import { parseInputs, problemsFor, VALID_SWR_INPUTS } from '../helpers/config-input.js';

const settings: BuildSettings = { ...plainBuildSettings, context: '/ws', dockerfile: '/ws/Dockerfile' };

function tools(driver: string | undefined, extra: Partial<DockerTools> = {}): DockerTools {
  return {
    cli: true,
    daemon: true,
    clientVersion: '26.1.5',
    serverVersion: '26.1.5',
    buildx: driver !== undefined,
    buildxVersion: driver !== undefined ? '0.13.1' : '',
    builder: driver === undefined ? undefined : { name: driver === 'docker' ? 'default' : 'ci-builder', driver, platforms: ['linux/amd64', 'linux/386'] },
    builderProblem: '',
    containerdStore: false,
    problem: '',
    ...extra,
  };
}

const INSPECT_DOCKER = `Name:          default
Driver:        docker
Last Activity: 2026-12-04 20:00:00 +0000 UTC

Nodes:
Name:      default
Endpoint:  default
Status:    running
BuildKit:  v0.12.5
Platforms: linux/amd64, linux/amd64/v2, linux/amd64/v3, linux/386
Labels:
 org.mobyproject.buildkit.worker.moby.host-gateway-ip: 172.17.0.1
`;

test('buildx inspect text: the builder name, its driver and every node platform (a * marks user-set ones)', () => {
  assert.deepEqual(parseBuildxInspect(INSPECT_DOCKER), { name: 'default', driver: 'docker', platforms: ['linux/amd64', 'linux/amd64/v2', 'linux/amd64/v3', 'linux/386'] });
  const remote = 'Name:   bk\nDriver: remote\n\nNodes:\nName: bk0\nEndpoint: unix:///tmp/bk.sock\nPlatforms: linux/amd64*, linux/arm64*\n';
  assert.deepEqual(parseBuildxInspect(remote)?.platforms, ['linux/amd64', 'linux/arm64']);
  assert.equal(parseBuildxInspect('ERROR: no builder "x" found'), undefined);
  assert.equal(parseBuildxVersion('github.com/docker/buildx 0.13.1+ds1-3 0.13.1+ds1-3'), '0.13.1');
  assert.equal(parseBuildxVersion('github.com/docker/buildx v0.19.3 48d6a39'), '0.19.3');
});

test('the docker driver without the containerd store: cache-to, several platforms, push-by-digest and attestations fail in the plan, naming the driver and the fix', () => {
  const decision = decideBuilder(
    { settings: { ...settings, cacheTo: ['type=registry,ref=r/o/a:cache'], platforms: ['linux/amd64', 'linux/arm64'], provenance: 'mode=max', sbom: 'true' }, pushByDigest: true, dryRun: false },
    tools('docker'),
  );
  assert.equal(decision.builder, 'buildx');
  assert.equal(decision.problems.length, 5);
  for (const problem of decision.problems) {
    assert.match(problem, /^(cache-to|platforms|push-by-digest|provenance|sbom): the buildx builder "default" uses the docker driver, which cannot /);
    assert.match(problem, /docker\/setup-buildx-action/);
    // The containerd image store lifts every limit but push-by-digest, so only those messages offer it.
    if (!problem.startsWith('push-by-digest')) assert.match(problem, /containerd image store/);
  }
});

test('the docker driver still exports an inline cache and builds one platform', () => {
  const decision = decideBuilder({ settings: { ...settings, cacheTo: ['type=inline'], platforms: ['linux/amd64'] }, pushByDigest: false, dryRun: false }, tools('docker'));
  assert.deepEqual(decision.problems, []);
});

test('the docker driver on the containerd image store can do nearly all of it, a BuildKit builder all of it', () => {
  const asks = { settings: { ...settings, cacheTo: ['type=registry,ref=r/o/a:cache'], platforms: ['linux/amd64', 'linux/arm64'], provenance: 'true' }, pushByDigest: true, dryRun: false };
  // …except push-by-digest, which buildx refuses on the docker driver whatever the image store.
  const containerd = decideBuilder(asks, tools('docker', { containerdStore: true }));
  assert.deepEqual(containerd.problems.map((problem) => problem.split(':')[0]), ['push-by-digest']);
  assert.deepEqual(decideBuilder({ ...asks, pushByDigest: false }, tools('docker', { containerdStore: true })).problems, []);
  const remote = decideBuilder(asks, tools('remote'));
  assert.deepEqual(remote.problems, []);
  assert.equal(remote.driver, 'remote');
  // arm64 is not among the builder's platforms: a warning (COPY-only Dockerfiles build anyway), not an error.
  assert.equal(remote.warnings.length, 1);
  assert.match(remote.warnings[0]!, /^platforms: builder "ci-builder" does not list linux\/arm64 .*docker\/setup-qemu-action/);
});

test('without buildx: the classic builder, and what only BuildKit does is refused before any login', () => {
  const decision = decideBuilder(
    { settings: { ...settings, platforms: ['linux/amd64'], secrets: [{ id: 'token', kind: 'value', value: 's3cr3t' }], provenance: 'true' }, pushByDigest: true, dryRun: false },
    tools(undefined),
  );
  assert.equal(decision.builder, 'classic');
  const inputs = decision.problems.map((problem) => problem.split(':')[0]);
  assert.deepEqual(inputs, ['platforms', 'secrets', 'provenance', 'push-by-digest']);
  assert.ok(decision.problems.every((problem) => problem.includes('needs docker buildx') && /which this runner lacks.*: add docker\/setup-buildx-action/.test(problem)));
  assert.ok(!decision.problems.join('\n').includes('s3cr3t'));
});

test('builder: classic picks the classic builder even with buildx; a named builder without buildx, or one buildx cannot find, is an error', () => {
  assert.equal(decideBuilder({ settings: { ...settings, builder: 'classic' }, pushByDigest: false, dryRun: false }, tools('docker')).builder, 'classic');
  const missing = decideBuilder({ settings: { ...settings, builder: 'ci' }, pushByDigest: false, dryRun: false }, tools(undefined));
  assert.match(missing.problems[0]!, /^builder: "ci" is a buildx builder, but docker buildx is not installed: /);
  const unknown = decideBuilder(
    { settings: { ...settings, builder: 'nope' }, pushByDigest: false, dryRun: false },
    tools('docker', { builder: undefined, builderProblem: 'ERROR: no builder "nope" found' }),
  );
  assert.match(unknown.problems[0]!, /^builder: buildx builder "nope" cannot be used \(ERROR: no builder "nope" found\): check `docker buildx ls`/);
});

test('attestations need buildx 0.10 or newer', () => {
  const decision = decideBuilder({ settings: { ...settings, sbom: 'true' }, pushByDigest: false, dryRun: false }, tools('remote', { buildxVersion: '0.9.1' }));
  assert.match(decision.problems[0]!, /^sbom: attestations need buildx 0\.10 or newer, and this runner has 0\.9\.1/);
});

test('buildx argv: --builder, secrets as files or env (never the value), provenance and sbom when asked, off by default', () => {
  const command = buildCommand({
    builder: 'buildx',
    settings: {
      ...settings,
      builder: 'ci-builder',
      secrets: [
        { id: 'token', kind: 'value', value: 's3cr3t-value' },
        { id: 'npmrc', kind: 'file', path: '/home/u/.npmrc' },
        { id: 'gh', kind: 'env', variable: 'GH_TOKEN' },
      ],
      provenance: 'mode=max',
      sbom: 'true',
    },
    references: ['r/o/a:1'],
    labels: [],
    push: true,
    resultFile: '/t/meta.json',
    driver: 'remote',
    secretDir: '/t',
  });
  assert.deepEqual(command.args.slice(0, 4), ['buildx', 'build', '--builder', 'ci-builder']);
  assert.ok(!command.args.join(' ').includes('s3cr3t-value'));
  const secretArgs = command.args.flatMap((arg, i) => (command.args[i - 1] === '--secret' ? [arg] : []));
  assert.deepEqual(secretArgs, ['id=token,src=/t/secret-1', 'id=npmrc,src=/home/u/.npmrc', 'id=gh,env=GH_TOKEN']);
  assert.deepEqual(command.secretFiles, [{ path: '/t/secret-1', value: 's3cr3t-value' }]);
  assert.ok(command.args.includes('--provenance=mode=max'));
  assert.ok(command.args.includes('--sbom=true'));
  assert.equal(command.loadsLocally, false, 'a remote builder pushing does not load the image');
  const plain = buildCommand({ builder: 'buildx', settings, references: ['r/o/a:1'], labels: [], push: false, resultFile: '/m', driver: 'docker' });
  assert.ok(plain.args.includes('--provenance=false'));
  assert.ok(!plain.args.some((arg) => arg.startsWith('--sbom')));
  assert.equal(plain.loadsLocally, true);
  const old = buildCommand({ builder: 'buildx', settings, references: ['r/o/a:1'], labels: [], push: true, resultFile: '/m', driver: 'docker', attestationFlags: false });
  assert.ok(!old.args.some((arg) => arg.startsWith('--provenance')), 'buildx < 0.10 does not know --provenance');
});

test("docker's error keeps its hint lines; progress and Dockerfile excerpts are left out", () => {
  const driverError = [
    '#0 building with "default" instance using docker driver',
    '',
    'ERROR: Cache export is not supported for the docker driver.',
    'Switch to a different driver, or turn on the containerd image store, and try again.',
    'Learn more at https://docs.docker.com/go/build-cache-backends/',
  ].join('\n');
  assert.equal(
    dockerErrorText(driverError),
    'ERROR: Cache export is not supported for the docker driver.\nSwitch to a different driver, or turn on the containerd image store, and try again.\nLearn more at https://docs.docker.com/go/build-cache-backends/',
  );
  const runError = ['#5 [2/2] RUN false', '#5 ERROR: process "/bin/sh -c false" did not complete successfully: exit code: 1', '------', ' > [2/2] RUN false:', '------', 'Dockerfile:2', '--------------------', 'ERROR: failed to solve: process "/bin/sh -c false" did not complete successfully: exit code: 1'].join('\n');
  assert.equal(dockerErrorText(runError), 'ERROR: failed to solve: process "/bin/sh -c false" did not complete successfully: exit code: 1');
  assert.equal(dockerErrorText('Step 2/2 : RUN false\nThe command \'/bin/sh -c false\' returned a non-zero code: 1'), "The command '/bin/sh -c false' returned a non-zero code: 1");
});

test('inputs: secrets, secret-files, secret-envs, provenance, sbom and builder are read and checked, a secret value never echoed', () => {
  const config = parseInputs(
    { ...VALID_SWR_INPUTS, secrets: 'token=abc=def\n', 'secret-files': 'npmrc=conf/.npmrc', 'secret-envs': 'gh=GH_TOKEN', provenance: 'mode=max', sbom: 'false', builder: 'ci-builder' },
    { GH_TOKEN: 'x' },
    '/work',
  );
  assert.deepEqual(config.build.secrets, [
    { id: 'token', kind: 'value', value: 'abc=def' },
    { id: 'npmrc', kind: 'file', path: '/work/conf/.npmrc' },
    { id: 'gh', kind: 'env', variable: 'GH_TOKEN' },
  ]);
  assert.equal(config.build.provenance, 'mode=max');
  assert.equal(config.build.sbom, '');
  assert.equal(config.build.builder, 'ci-builder');

  const problems = problemsFor({ ...VALID_SWR_INPUTS, secrets: 'no-equals-sign-hunter2', 'secret-envs': 'gh=UNSET_VAR', provenance: 'maximum', builder: 'bad name' });
  assert.ok(problems.some((p) => p.startsWith('secrets: a line is not id=value: ')));
  assert.ok(!problems.join('\n').includes('hunter2'));
  assert.ok(problems.some((p) => p.startsWith('secret-envs: UNSET_VAR (for secret gh) is not set')));
  assert.ok(problems.some((p) => p.startsWith('provenance: "maximum" is not a buildx --provenance value')));
  assert.ok(problems.some((p) => p.startsWith('builder: "bad name" is not a buildx builder name')));
  const duplicate = problemsFor({ ...VALID_SWR_INPUTS, secrets: 'a=1', 'secret-files': 'a=f' });
  assert.ok(duplicate.some((p) => p.startsWith('secret-files: secret id "a" is given twice')));
});
