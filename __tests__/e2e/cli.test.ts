/**
 * The compiled CLI (`node build/src/cli/main.js`), run as GitLab CI, Azure
 * Pipelines and Jenkins would run it, against the real Docker daemon and the
 * SWR-like registry whose only user is `{region}@{AK}` with the SK-derived
 * password. The GitLab and Azure runs execute the exact command lines of
 * examples/gitlab-ci.yml and examples/azure-pipelines.yml. Every claim is
 * checked through the registry's HTTP API, the Docker config and the docker
 * argv log (test-env/bin/docker is first on PATH).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { before, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { OPTIONS, OUTPUTS } from '../../src/config/schema.js';
import { catalog, imageConfig, listTags, manifestDigest } from '../helpers/registry-api.js';
import { DOCKER_WRAPPER_DIR, parseArgvLog, REPO_ROOT } from '../helpers/runner.js';
import { findSecrets } from '../helpers/secret-scan.js';
import { loadTestbed, type Testbed } from '../helpers/testbed.js';
import { sampleAppWorkspace, uniqueNamespace } from '../helpers/workspace.js';
import { tempDir } from '../helpers/temp-dir.js';

const CLI = join(REPO_ROOT, 'build', 'src', 'cli', 'main.js');
const SHA = '0123abcd4567ef890123abcd4567ef890123abcd';

let bed: Testbed;
let auth: { username: string; password: string };

before(() => {
  bed = loadTestbed();
  auth = { username: bed.username, password: bed.derivedPassword };
  assert.ok(existsSync(CLI), `${CLI} is missing: run npx tsc -p tsconfig.json`);
});

// ------------------------------------------------------------------ running the CLI

interface CliRun {
  label: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Every docker call, arguments after `docker`. */
  argv: string[][];
  dockerConfig: string;
}

interface CliOptions {
  label: string;
  /** Arguments after `imageship`; or `shell`: a command line run by `bash -e -o pipefail -c` (as CI runners do). */
  args?: string[];
  shell?: string;
  env?: Record<string, string>;
  cwd: string;
  stdin?: string;
  dockerConfig?: string;
  /** Called once the process is running, with its pid and the argv log path (for the signal test). */
  whileRunning?: (pid: number, argvLog: string) => Promise<void>;
}

/** Every run, for the secret scan at the end. */
const allRuns: CliRun[] = [];

/**
 * Only what any machine has (PATH, HOME…): no variable of the CI this test
 * itself may run on (GITHUB_ACTIONS would make the CLI read GitHub's context),
 * no IMAGESHIP_*, no credentials.
 */
function baseEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'DOCKER_HOST'];
  const env: Record<string, string> = {};
  for (const name of keep) if (process.env[name] !== undefined) env[name] = process.env[name]!;
  return env;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

async function runCli(options: CliOptions): Promise<CliRun> {
  const tmp = tempDir('imageship-cli-');
  const argvLog = join(tmp, 'docker-argv.log');
  writeFileSync(argvLog, '');
  const dockerConfig = options.dockerConfig ?? tempDir('imageship-docker-config-');
  const env = {
    ...baseEnv(),
    ...(options.env ?? {}),
    PATH: [DOCKER_WRAPPER_DIR, ...(process.env['PATH'] ?? '/usr/bin:/bin').split(delimiter)].join(delimiter),
    DOCKER_CONFIG: dockerConfig,
    IMAGESHIP_ARGV_LOG: argvLog,
  };
  const [command, args] = options.shell !== undefined ? ['bash', ['-e', '-o', 'pipefail', '-c', options.shell]] : [process.execPath, [CLI, ...(options.args ?? [])]];
  const result = await new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    // Own process group, so anything left behind can be ended by the group id.
    const child = spawn(command as string, args as string[], { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => killGroup(child.pid), 240_000);
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      killGroup(child.pid);
      resolve({ exitCode, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
    if (options.whileRunning && child.pid !== undefined) options.whileRunning(child.pid, argvLog).catch(reject);
  });
  const run: CliRun = { label: options.label, ...result, argv: parseArgvLog(readFileSync(argvLog, 'utf8')).map((call) => call.argv), dockerConfig };
  allRuns.push(run);
  if (process.env['IMAGESHIP_TEST_ECHO'] === '1') process.stderr.write(`--- ${run.label} (exit ${run.exitCode})\n${run.stdout}${run.stderr}`);
  return run;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function dockerAuths(dockerConfig: string): string[] {
  const file = join(dockerConfig, 'config.json');
  if (!existsSync(file)) return [];
  return Object.keys((JSON.parse(readFileSync(file, 'utf8')) as { auths?: Record<string, unknown> }).auths ?? {});
}

const show = (run: CliRun): string => `exit ${run.exitCode}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
const calls = (run: CliRun, command: string): string[][] => run.argv.filter((argv) => argv[0] === command || (argv[0] === 'buildx' && argv[1] === command));

async function assertPushed(repository: string, expected: string[]): Promise<string> {
  const tags = await listTags(bed.swrRegistry, repository, auth);
  assert.deepEqual(tags, [...expected].sort());
  const digests = new Set<string | undefined>();
  for (const tag of expected) digests.add(await manifestDigest(bed.swrRegistry, repository, tag, auth));
  assert.equal(digests.size, 1, 'every tag points at one manifest');
  const [digest] = digests;
  assert.match(digest ?? '', /^sha256:[0-9a-f]{64}$/);
  return digest!;
}

/**
 * Asserts the run logged in (written to the Docker config by imageship: no docker login process, whose argv
 * would hold the user region@AK) and logged out at the end.
 */
function assertLoggedInThenOut(run: CliRun): void {
  assert.deepEqual(calls(run, 'login'), [], 'no docker login process');
  assert.deepEqual(calls(run, 'logout'), [], 'no docker logout process');
  const log = run.stdout + run.stderr;
  const loggedIn = log.indexOf(`logged in to ${bed.swrRegistry} in ${join(run.dockerConfig, 'config.json')}`);
  assert.ok(loggedIn >= 0, 'the run logged in');
  assert.ok(new RegExp(`^logged out of ${bed.swrRegistry.replace(/\./g, '\\.')}$`, 'm').test(log.slice(loggedIn)), 'the run logged out at the end');
  assert.deepEqual(dockerAuths(run.dockerConfig).filter((host) => host.includes(bed.swrRegistry)), []);
}

// ------------------------------------------------------------------ (a) GitLab: examples/gitlab-ci.yml, tag pipeline

describe('GitLab CI: the command line of examples/gitlab-ci.yml on a tag pipeline', () => {
  let namespace: string;
  let run: CliRun;
  let workspace: string;

  before(async () => {
    const doc = parseYaml(readFileSync(join(REPO_ROOT, 'examples', 'gitlab-ci.yml'), 'utf8')) as Record<string, any>;
    const job = doc['build-image'] as { script: string[]; variables: Record<string, string> };
    const line = job.script.find((entry) => entry.includes('imageship run'));
    assert.ok(line, 'the job runs imageship');
    assert.match(line, /^npx --yes imageship run /);
    for (const secret of ['HUAWEICLOUD_SDK_AK', 'HUAWEICLOUD_SDK_SK', 'access-key', 'secret-key']) assert.ok(!line.includes(secret), `${secret} is not on the command line`);
    const command = line.replace(/^npx --yes imageship /, `${shellQuote(process.execPath)} ${shellQuote(CLI)} `);

    namespace = uniqueNamespace('cli-gitlab');
    workspace = sampleAppWorkspace();
    // Variables as GitLab sets them: the file's (without DOCKER_*, which point at the dind
    // service the test bed's daemon stands in for), the predefined ones of a tag pipeline,
    // and project CI/CD variables (which override the file's).
    const fileVariables = { ...(doc['variables'] as Record<string, string>), ...Object.fromEntries(Object.entries(job.variables).filter(([name]) => !name.startsWith('DOCKER_'))) };
    run = await runCli({
      label: 'gitlab tag pipeline',
      shell: command,
      cwd: workspace,
      env: {
        ...fileVariables,
        CI: 'true',
        GITLAB_CI: 'true',
        CI_SERVER_URL: 'https://gitlab.example.com',
        CI_PROJECT_URL: 'https://gitlab.example.com/acme/my-app',
        CI_PROJECT_NAME: 'my-app',
        CI_PROJECT_PATH: 'acme/my-app',
        CI_PROJECT_DIR: workspace,
        CI_DEFAULT_BRANCH: 'main',
        CI_COMMIT_SHA: SHA,
        CI_COMMIT_SHORT_SHA: SHA.slice(0, 8),
        CI_COMMIT_REF_NAME: 'v1.2.3',
        CI_COMMIT_REF_SLUG: 'v1-2-3',
        CI_COMMIT_TAG: 'v1.2.3',
        CI_PIPELINE_SOURCE: 'push',
        CI_PIPELINE_ID: '1234567',
        CI_PIPELINE_IID: '77',
        CI_JOB_ID: '7654321',
        CI_JOB_NAME: 'build-image',
        // Project CI/CD variables.
        HUAWEICLOUD_SDK_AK: bed.ak,
        HUAWEICLOUD_SDK_SK: bed.sk,
        SWR_REGION: bed.region,
        SWR_NAMESPACE: namespace,
        // The test bed's registry instead of swr.<region>.myhuaweicloud.com, and its offline base image.
        IMAGESHIP_REGISTRY: bed.swrRegistry,
        IMAGESHIP_BUILD_ARGS: `BASE_IMAGE=${bed.baseImage}`,
      },
    });
  });

  test('exits 0 and prints a summary with the tags and the digest', async () => {
    assert.equal(run.exitCode, 0, show(run));
    assert.match(run.stdout, /^source: GitLab CI: tag v1\.2\.3, commit 0123abc, run 77$/m);
    assert.match(run.stdout, /^── Summary: image pushed$/m);
    const digest = await manifestDigest(bed.swrRegistry, `${namespace}/my-app`, '1.2.3', auth);
    // The summary ends with what was pushed: one row per tag, with the digest the registry reports.
    for (const tag of ['1.2.3', '1.2', 'sha-0123abc']) assert.match(run.stdout, new RegExp(`^${tag.replace(/\./g, '\\.')}\\s+${digest}$`, 'm'));
  });

  test('the tags of a tag pipeline are in the registry, all on one digest', async () => {
    // latest too: flavor latest=auto adds it when the first tag is a semver release, as docker/metadata-action does.
    await assertPushed(`${namespace}/my-app`, ['1.2.3', '1.2', 'sha-0123abc', 'latest']);
  });

  test('the labels come from GitLab’s variables', async () => {
    const labels = (await imageConfig(bed.swrRegistry, `${namespace}/my-app`, '1.2.3', auth)).config.Labels as Record<string, string>;
    assert.equal(labels['org.opencontainers.image.revision'], SHA);
    assert.equal(labels['org.opencontainers.image.source'], 'https://gitlab.example.com/acme/my-app');
    assert.equal(labels['org.opencontainers.image.version'], '1.2.3');
  });

  test('logged in with the derived user, logged out at exit', () => {
    assertLoggedInThenOut(run);
    assert.match(run.stdout, new RegExp(`^logged out of ${bed.swrRegistry.replace(/\./g, '\\.')}$`, 'm'));
  });
});

// ------------------------------------------------------------------ (b) Azure: examples/azure-pipelines.yml, branch build

describe('Azure Pipelines: the steps of examples/azure-pipelines.yml on a push to main', () => {
  let namespace: string;
  let runs: CliRun[];
  let sha: string;

  before(async () => {
    const doc = parseYaml(readFileSync(join(REPO_ROOT, 'examples', 'azure-pipelines.yml'), 'utf8')) as {
      variables: ({ group: string } | { name: string; value: string })[];
      steps: { script?: string; env?: Record<string, string> }[];
    };
    namespace = uniqueNamespace('cli-azure');

    // The checkout as the Azure agent leaves it: fetched into a fresh repository, HEAD detached at the commit.
    const workspace = sampleAppWorkspace();
    const git = (...args: string[]): string =>
      execFileSync('git', args, {
        cwd: workspace,
        encoding: 'utf8',
        env: { ...baseEnv(), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'dev', GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: 'dev', GIT_COMMITTER_EMAIL: 'dev@example.com' },
      }).trim();
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'app');
    sha = git('rev-parse', 'HEAD');
    git('remote', 'add', 'origin', 'https://acme@dev.azure.com/acme/shop/_git/my-app');
    git('update-ref', 'refs/remotes/origin/main', sha);
    git('checkout', '-q', '--detach', sha);

    // Pipeline variables (queue-time values override the file's), and the secret ones from the variable group.
    const variables: Record<string, string> = {};
    for (const entry of doc.variables) if ('name' in entry) variables[entry.name] = entry.value;
    Object.assign(variables, { swrRegion: bed.region, swrNamespace: namespace, HUAWEICLOUD_AK: bed.ak, HUAWEICLOUD_SK: bed.sk });
    // Azure expands $(name) macros before the script runs; unknown ones stay as they are.
    const expand = (text: string): string => text.replace(/\$\(([A-Za-z0-9_.]+)\)/g, (macro, name: string) => variables[name] ?? macro);
    const predefined = {
      TF_BUILD: 'True',
      AGENT_OS: 'Linux',
      BUILD_REASON: 'IndividualCI',
      BUILD_SOURCEBRANCH: 'refs/heads/main',
      BUILD_SOURCEBRANCHNAME: 'main',
      BUILD_SOURCEVERSION: sha,
      BUILD_BUILDID: '4321',
      BUILD_BUILDNUMBER: '20240131.1',
      BUILD_REPOSITORY_NAME: 'my-app',
      BUILD_REPOSITORY_PROVIDER: 'TfsGit',
      BUILD_REPOSITORY_URI: 'https://acme@dev.azure.com/acme/shop/_git/my-app',
      BUILD_SOURCESDIRECTORY: workspace,
      SYSTEM_TEAMFOUNDATIONCOLLECTIONURI: 'https://dev.azure.com/acme/',
      // Non-secret variables reach scripts as upper-case env vars too; secret ones only through env:.
      SWRREGION: variables['swrRegion']!,
      SWRNAMESPACE: namespace,
      IMAGENAME: variables['imageName']!,
      // The test bed's registry and base image.
      IMAGESHIP_REGISTRY: bed.swrRegistry,
      IMAGESHIP_BUILD_ARGS: `BASE_IMAGE=${bed.baseImage}`,
    };

    const scripts = doc.steps.filter((step) => step.script !== undefined);
    const imageship = scripts.find((step) => step.script!.includes('imageship run'));
    assert.ok(imageship, 'a step runs imageship');
    assert.match(imageship.script!, /^npx --yes imageship run /);
    assert.ok(!/HUAWEICLOUD|access-key|secret-key/.test(imageship.script!), 'no credential on the command line');
    runs = [];
    for (const step of scripts) {
      const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([name, value]) => [name, expand(value)]));
      const command = expand(step.script!).replace(/^npx --yes imageship /, `${shellQuote(process.execPath)} ${shellQuote(CLI)} `);
      const run = await runCli({ label: `azure step ${runs.length + 1}`, shell: command, cwd: workspace, env: { ...predefined, ...stepEnv } });
      runs.push(run);
      if (run.exitCode !== 0) break;
    }
  });

  test('every step exits 0', () => {
    for (const run of runs) assert.equal(run.exitCode, 0, show(run));
    assert.ok(runs.length >= 2);
  });

  test('the tags of a push to the default branch are in the registry (latest: default branch read from git)', async () => {
    const run = runs.at(-1)!;
    assert.match(run.stdout, /^source: Azure Pipelines: branch main, commit [0-9a-f]{7}, run 4321$/m);
    await assertPushed(`${namespace}/my-app`, ['latest', 'main', `sha-${sha.slice(0, 7)}`]);
    const labels = (await imageConfig(bed.swrRegistry, `${namespace}/my-app`, 'main', auth)).config.Labels as Record<string, string>;
    assert.equal(labels['org.opencontainers.image.revision'], sha);
    assert.equal(labels['org.opencontainers.image.source'], 'https://dev.azure.com/acme/shop/_git/my-app');
  });

  test('logged in with the derived user, logged out at exit', () => {
    assertLoggedInThenOut(runs.at(-1)!);
  });
});

// ------------------------------------------------------------------ (c) (d) (e) JSON outputs, SK on stdin, --logout false then post

describe('--output json, --secret-key-stdin and --logout false, then imageship post (a Jenkins branch build)', () => {
  let namespace: string;
  let run: CliRun;
  let post: CliRun;
  let outputs: Record<string, string>;
  const repository = (): string => `${namespace}/my-app`;

  before(async () => {
    namespace = uniqueNamespace('cli-json');
    run = await runCli({
      label: 'json + stdin + logout false',
      args: [
        'run',
        '--region', bed.region,
        '--registry', bed.swrRegistry,
        '--namespace', namespace,
        '--image', 'my-app',
        '--tags', 'type=ref,event=branch',
        '--tags=type=sha',
        '--tags', 'type=raw,value=build-{{run_number}}',
        '--build-args', `BASE_IMAGE=${bed.baseImage}`,
        '--secret-key-stdin',
        '--logout', 'false',
        '--output', 'json',
      ],
      cwd: sampleAppWorkspace(),
      stdin: `${bed.sk}\n`,
      env: {
        IMAGESHIP_ACCESS_KEY: bed.ak,
        JENKINS_URL: 'https://jenkins.example.com/',
        BUILD_NUMBER: '31',
        GIT_COMMIT: SHA,
        GIT_BRANCH: 'origin/feature/login-form',
        GIT_URL: 'https://jenkins-bot:jenkins-token-0000@git.example.com/acme/my-app.git',
      },
    });
    outputs = JSON.parse(run.stdout) as Record<string, string>;
  });

  test('exits 0; stdout is exactly one JSON object with the action’s outputs; the log went to stderr', () => {
    assert.equal(run.exitCode, 0, show(run));
    assert.equal(run.stdout.trim().split('\n').length, 1);
    assert.deepEqual(Object.keys(outputs), OUTPUTS.map((output) => output.name));
    for (const value of Object.values(outputs)) assert.equal(typeof value, 'string');
    assert.match(run.stderr, /^── Plan$/m);
    assert.match(run.stderr, /^source: Jenkins: branch feature\/login-form, commit 0123abc, run 31$/m);
  });

  test('the outputs match the registry', async () => {
    // By priority, as docker/metadata-action orders them: ref 600, raw 200, sha 100.
    const expected = ['feature-login-form', 'build-31', 'sha-0123abc'];
    const digest = await assertPushed(repository(), expected);
    assert.equal(outputs['registry'], bed.swrRegistry);
    assert.equal(outputs['image'], `${bed.swrRegistry}/${repository()}`);
    assert.deepEqual(outputs['tags']?.split('\n'), expected.map((tag) => `${bed.swrRegistry}/${repository()}:${tag}`));
    assert.equal(outputs['digest'], digest);
    assert.match(outputs['imageid'] ?? '', /^sha256:[0-9a-f]{64}$/);
    const metadata = JSON.parse(outputs['metadata'] ?? '') as Record<string, unknown>;
    assert.equal(metadata['digest'], digest);
    assert.deepEqual(metadata['tags'], outputs['tags']?.split('\n'));
    assert.equal(metadata['user'], `${bed.region}@${bed.ak.slice(0, 4)}…`);
    assert.deepEqual(JSON.parse(outputs['deployments'] ?? ''), []);
    const labels = (await imageConfig(bed.swrRegistry, repository(), 'build-31', auth)).config.Labels as Record<string, string>;
    assert.equal(labels['org.opencontainers.image.source'], 'https://git.example.com/acme/my-app');
  });

  test('the SK came from stdin: the derived login worked', () => {
    assert.ok(run.stderr.includes(`logged in to ${bed.swrRegistry} in `), run.stderr);
    assert.deepEqual(calls(run, 'login'), []);
  });

  test('with --logout false the login stays for later steps, and imageship post --registry removes it', async () => {
    assert.deepEqual(calls(run, 'logout'), []);
    assert.ok(dockerAuths(run.dockerConfig).some((host) => host.includes(bed.swrRegistry)), 'the login is kept');
    assert.match(run.stderr, /imageship post --registry/);

    // A later shell step pushes with the kept login.
    const image = `${bed.swrRegistry}/${repository()}`;
    const env = { ...process.env, DOCKER_CONFIG: run.dockerConfig };
    execFileSync('docker', ['tag', `${image}:sha-0123abc`, `${image}:later-step`], { env });
    const later = spawnSync('docker', ['push', `${image}:later-step`], { env, encoding: 'utf8' });
    assert.equal(later.status, 0, later.stderr);

    post = await runCli({ label: 'post', args: ['post', '--registry', bed.swrRegistry], cwd: tmpdir(), dockerConfig: run.dockerConfig });
    assert.equal(post.exitCode, 0, show(post));
    assert.equal(post.stdout, `logged out of ${bed.swrRegistry}\n`);
    assert.deepEqual(post.argv, [], 'imageship edits the Docker config itself: no docker logout');
    assert.deepEqual(dockerAuths(run.dockerConfig).filter((host) => host.includes(bed.swrRegistry)), []);

    execFileSync('docker', ['tag', `${image}:sha-0123abc`, `${image}:after-post`], { env });
    const afterPost = spawnSync('docker', ['push', `${image}:after-post`], { env, encoding: 'utf8' });
    assert.notEqual(afterPost.status, 0, 'a push after post is refused');
    assert.ok(!(await listTags(bed.swrRegistry, repository(), auth)).includes('after-post'));
  });

  test('post with IMAGESHIP_REGISTRY instead of the flag', async () => {
    const again = await runCli({ label: 'post via env', args: ['post'], cwd: tmpdir(), dockerConfig: run.dockerConfig, env: { IMAGESHIP_REGISTRY: bed.swrRegistry } });
    assert.equal(again.exitCode, 0, show(again));
    assert.equal(again.stdout, `imageship holds no login for ${bed.swrRegistry} in ${join(run.dockerConfig, 'config.json')}: nothing to undo\n`);
    assert.deepEqual(again.argv, []);
  });
});

// ------------------------------------------------------------------ (e) logout at exit on failure and on SIGTERM

function workspaceWith(dockerfile: string): string {
  const dir = tempDir('imageship-ws-');
  cpSync(join(REPO_ROOT, 'examples', 'app'), dir, { recursive: true });
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  return dir;
}

function swrArgs(namespace: string): string[] {
  return ['run', '--region', bed.region, '--registry', bed.swrRegistry, '--namespace', namespace, '--image', 'my-app', '--tags', 'latest', '--build-args', `BASE_IMAGE=${bed.baseImage}`];
}

const credentialsEnv = (): Record<string, string> => ({ HUAWEICLOUD_SDK_AK: bed.ak, HUAWEICLOUD_SDK_SK: bed.sk });

describe('the login is removed at exit when the run fails or is stopped', () => {
  test('a failing build: exit 1, error on stderr, logged out', async () => {
    const namespace = uniqueNamespace('cli-fail');
    const run = await runCli({
      label: 'failing build',
      args: swrArgs(namespace),
      cwd: workspaceWith('ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nRUN exit 3\n'),
      env: credentialsEnv(),
    });
    assert.equal(run.exitCode, 1, show(run));
    assert.match(run.stderr, /^imageship: error: /m);
    assert.equal(calls(run, 'build').length, 1);
    assert.deepEqual(calls(run, 'push'), []);
    assertLoggedInThenOut(run);
    assert.deepEqual(await listTags(bed.swrRegistry, `${namespace}/my-app`, auth), []);
  });

  test('SIGTERM during the build: logged out, exit 143', async () => {
    const namespace = uniqueNamespace('cli-term');
    const run = await runCli({
      label: 'SIGTERM',
      args: swrArgs(namespace),
      cwd: workspaceWith('ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nRUN sleep 60\n'),
      env: credentialsEnv(),
      whileRunning: async (pid, argvLog) => {
        const deadline = Date.now() + 60_000;
        while (!parseArgvLog(readFileSync(argvLog, 'utf8')).some((call) => call.argv[0] === 'build')) {
          if (Date.now() > deadline) throw new Error('the build never started');
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
        process.kill(pid, 'SIGTERM');
      },
    });
    assert.equal(run.exitCode, 143, show(run));
    assert.match(run.stderr, /SIGTERM: stopping/);
    assert.deepEqual(calls(run, 'push'), []);
    assertLoggedInThenOut(run);
  });
});

// ------------------------------------------------------------------ (f) bad input: exit 2, a message, nothing done

describe('bad input: exit 2 with a message on stderr; nothing logged in, built or pushed', () => {
  const NAMESPACE = 'e2e-cli-bad-input';
  let catalogBefore: string[];
  before(async () => {
    catalogBefore = await catalog(bed.swrRegistry, auth);
  });

  const good = (): string[] => swrArgs(NAMESPACE);
  const without = (args: string[], flag: string): string[] => {
    const at = args.indexOf(flag);
    return at < 0 ? args : [...args.slice(0, at), ...args.slice(at + 2)];
  };
  const aSecret = OPTIONS.find((option) => option.secret && option.name === 'password') ?? OPTIONS.find((option) => option.secret)!;

  /** [name, argv, expected stderr line, extra env, stdin] */
  const CASES: ReadonlyArray<readonly [string, () => string[], RegExp, (() => Record<string, string>)?, string?]> = [
    ['unknown flag', () => [...good(), '--imgae', 'my-app'], /^imageship: unknown flag --imgae: did you mean --image\?$/m],
    ['secret key as a flag value', () => [...good(), '--secret-key', bed.sk], /^imageship: --secret-key: secret-key is a secret .*IMAGESHIP_SECRET_KEY.*--secret-key-stdin$/m],
    [`${aSecret.name} as --${aSecret.name}=VALUE`, () => [...good(), `--${aSecret.name}=${bed.derivedPassword}`], new RegExp(`^imageship: --${aSecret.name}: ${aSecret.name} is a secret`, 'm')],
    ['two -stdin flags', () => [...good(), '--secret-key-stdin', '--access-key-stdin'], /^imageship: only one --<name>-stdin flag per run/m, undefined, `${bed.sk}\n`],
    ['--push maybe', () => [...good(), '--push', 'maybe'], /^imageship: push: "maybe" is not a boolean: use true or false$/m],
    ['missing image', () => without(good(), '--image'), /^imageship: image: required/m],
    ['unknown provider', () => [...good(), '--provider', 'aliyun'], /^imageship: provider: "aliyun" is not supported/m],
    ['flag without its value', () => [...good(), '--namespace'], /^imageship: --namespace needs a value/m],
    ['unknown tag rule', () => [...without(good(), '--tags'), '--tags', 'type=bogus'], /^imageship: tags: rule `type=bogus`/m],
    ['uppercase region', () => [...without(good(), '--region'), '--region', 'CN-NORTH-4'], /^imageship: region: "CN-NORTH-4" must be lowercase/m],
    ['single-value flag given twice', () => [...good(), '--image', 'other'], /^imageship: --image given more than once/m],
    ['--output yaml', () => [...good(), '--output', 'yaml'], /^imageship: --output: "yaml" is not an output format: use text or json$/m],
    ['empty stdin for --secret-key-stdin', () => [...good(), '--secret-key-stdin'], /^imageship: secret-key: missing while access-key is set/m, () => ({ HUAWEICLOUD_SDK_SK: '' }), ''],
    ['no tag applies to the build (found by the plan)', () => [...without(good(), '--tags'), '--tags', 'type=ref,event=tag'], /^imageship: tags: no tag applies to this build/m],
    ['unknown command', () => ['deploy', '--image', 'x'], /^imageship: unknown command "deploy"/m],
    ['post without a registry', () => ['post'], /^imageship: post: which registry to log out of\? pass --registry HOST or set IMAGESHIP_REGISTRY$/m],
  ];

  for (const [name, args, expected, env, stdin] of CASES) {
    test(name, async () => {
      const run = await runCli({ label: `bad input: ${name}`, args: args(), cwd: sampleAppWorkspace(), env: { ...credentialsEnv(), ...(env?.() ?? {}) }, ...(stdin !== undefined ? { stdin } : {}) });
      assert.equal(run.exitCode, 2, show(run));
      assert.match(run.stderr, expected);
      for (const line of run.stderr.trim().split('\n')) assert.match(line, /^imageship: /, 'every stderr line is an imageship: message');
      assert.doesNotMatch(run.stdout, /^── (Log in|Build|Push)/m);
      const sideEffects = run.argv.filter((argv) => ['login', 'build', 'push', 'tag'].includes(argv[0]!) || (argv[0] === 'buildx' && argv[1] === 'build'));
      assert.deepEqual(sideEffects, []);
      assert.deepEqual(dockerAuths(run.dockerConfig), []);
    });
  }

  test('at least 10 cases, and the registry holds nothing of theirs', async () => {
    assert.ok(CASES.length >= 10);
    const added = (await catalog(bed.swrRegistry, auth)).filter((repo) => !catalogBefore.includes(repo));
    assert.deepEqual(added.filter((repo) => repo.startsWith(`${NAMESPACE}/`)), []);
  });
});

// ------------------------------------------------------------------ (g) secret scan over everything

describe('secret scan', () => {
  test('no output and no docker argv of the runs so far contains the SK, the AK or the derived password', () => {
    assert.ok(allRuns.length >= 10, 'the scan covers the runs');
    assert.ok(allRuns.some((run) => (run.stdout + run.stderr).includes(`logged in to ${bed.swrRegistry}`)), 'secrets were in play');
    const texts: Record<string, string> = {};
    for (const run of allRuns) {
      texts[`${run.label} stdout`] = run.stdout;
      texts[`${run.label} stderr`] = run.stderr;
      texts[`${run.label} docker argv`] = JSON.stringify(run.argv);
    }
    assert.deepEqual(findSecrets(texts, { SK: bed.sk, 'derived password': bed.derivedPassword, 'user:password': `${bed.username}:${bed.derivedPassword}` }), []);
    // The AK is not a secret to the log (the login user is shown shortened), but it must never be in a command line.
    assert.deepEqual(findSecrets(Object.fromEntries(allRuns.map((run) => [`${run.label} docker argv`, JSON.stringify(run.argv)])), { AK: bed.ak }), []);
  });
});
