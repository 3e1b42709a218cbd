/**
 * Issue 17, a newcomer's first hour, end to end on the test bed:
 *  - the README's "Try it locally" commands, run exactly as written (read from
 *    the README between its markers), build examples/app offline and push it;
 *  - the demo shows the step logs as the runner's viewer does (no raw `::`
 *    command lines), a table of what it pushed, and the README's commands;
 *  - the messages of the compiled CLI and of the bundled action (exact text);
 *  - the CLI says nothing about logging out after a login that never
 *    succeeded, and `--output json` keeps stdout to the JSON alone;
 *  - the suite's end-of-run check names a leak and sweeps the run's pushes.
 * Every test removes what it pushed and built.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { catalog, deleteManifest, listTags, manifestDigest } from '../helpers/registry-api.js';
import { readmeCommands } from '../helpers/readme.js';
import { DOCKER_WRAPPER_DIR, parseArgvLog, REPO_ROOT, runAction, type StepResult } from '../helpers/runner.js';
import { tempDir } from '../helpers/temp-dir.js';
import { loadTestbed, type Testbed } from '../helpers/testbed.js';
import { sampleAppWorkspace, uniqueNamespace } from '../helpers/workspace.js';
import { removeNamespaces } from '../suite-end/leftovers.js';

const CLI = join(REPO_ROOT, 'build', 'src', 'cli', 'main.js');
const DEMO = join(REPO_ROOT, 'build', 'scripts', 'demo.js');

let bed: Testbed;
let auth: { username: string; password: string };
/** Namespaces these tests pushed to, removed at the end (registries and daemons). */
const pushedNamespaces = new Set<string>();

before(() => {
  bed = loadTestbed();
  auth = { username: bed.username, password: bed.derivedPassword };
  assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build`);
});

after(async () => {
  assert.deepEqual(await removeNamespaces((namespace) => pushedNamespaces.has(namespace)), []);
});

interface Run {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Only what any machine has: no CI variables (they would change the source of the build), no credentials. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'USER', 'LANG', 'TZ', 'TMPDIR', 'DOCKER_HOST']) if (process.env[name] !== undefined) env[name] = process.env[name]!;
  return env;
}

function run(command: string, args: readonly string[], options: { cwd: string; env: Record<string, string>; timeoutMs?: number }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 240_000);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

function show(result: Run): string {
  return `exit ${result.exitCode}\n--- stdout\n${result.stdout.slice(-4000)}\n--- stderr\n${result.stderr.slice(-4000)}`;
}

// ------------------------------------------------------------------ the README's "Try it locally"

describe('README "Try it locally": the commands as written', () => {
  const repository = 'try-local/sample-app';
  let result: Run;
  let existedBefore: boolean;
  let tagsBefore: Map<string, string | undefined>;
  let script: string;

  before(async () => {
    script = readmeCommands('try-it-locally');
    existedBefore = (await catalog(bed.swrRegistry, auth)).includes(repository);
    tagsBefore = new Map();
    if (existedBefore) for (const tag of await listTags(bed.swrRegistry, repository, auth)) tagsBefore.set(tag, await manifestDigest(bed.swrRegistry, repository, tag, auth));
    // As a reader runs them: bash, from the repository root; docker login writes to a config of its own here.
    result = await run('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd: REPO_ROOT, env: { ...baseEnv(), DOCKER_CONFIG: tempDir('imageship-readme-docker-') } });
  });

  after(async () => {
    if (!existedBefore) {
      assert.deepEqual(await removeNamespaces((namespace) => namespace === 'try-local'), []);
      return;
    }
    // Someone's own try-local stays; only what this test pushed goes.
    for (const tag of await listTags(bed.swrRegistry, repository, auth).catch(() => [] as string[])) {
      const digest = await manifestDigest(bed.swrRegistry, repository, tag, auth);
      if (digest && ![...tagsBefore.values()].includes(digest)) await deleteManifest(bed.swrRegistry, repository, digest, auth);
    }
  });

  test('the block starts from the test bed’s env file and pushes examples/app with the local base image', () => {
    assert.match(script, /^source \/tmp\/imageship-testbed\/env$/m);
    assert.match(script, /--context examples\/app --build-args BASE_IMAGE=\$TESTBED_BASE_IMAGE/);
  });

  test('every command succeeds', () => {
    assert.equal(result.exitCode, 0, show(result));
  });

  test('the run ends with a table of what it pushed, read back from the registry', async () => {
    const digest = await manifestDigest(bed.swrRegistry, repository, 'latest', auth);
    assert.ok(digest);
    const sha = /^source: git: .*commit ([0-9a-f]{7})/m.exec(result.stdout)?.[1];
    assert.ok(sha, show(result));
    assert.match(result.stdout, new RegExp(`^tag +digest\\nlatest +${digest}\\nsha-${sha} +${digest}$`, 'm'));
    assert.equal(await manifestDigest(bed.swrRegistry, repository, `sha-${sha}`, auth), digest);
  });

  test('curl lists the tags; docker logs in, pulls and runs the page', () => {
    assert.match(result.stdout, /^\{"name":"try-local\/sample-app","tags":\[[^\]]*"latest"[^\]]*\]\}$/m);
    assert.match(result.stdout, /^Login Succeeded$/m);
    assert.match(result.stdout, /<h1>Hello from imageship<\/h1>/);
    assert.match(result.stdout, /^Removing login credentials for 127\.0\.0\.1:5101$/m);
  });

  test('no Docker Hub: the base image came from the test bed', () => {
    assert.doesNotMatch(result.stdout + result.stderr, /registry-1\.docker\.io|docker\.io\/library|pull access denied/);
    assert.match(result.stdout, /--build-arg BASE_IMAGE=127\.0\.0\.1:5102\/library\/busybox:stable/);
  });

  test('the CLI never mentions a post step', () => {
    const lines = (result.stdout + result.stderr).split('\n').filter((line) => line.includes('post step'));
    assert.deepEqual(lines, []);
  });
});

// ------------------------------------------------------------------ the demo

describe('npm run demo: the runner’s view, a table of what was pushed, the way to try it', () => {
  let demo: Run;
  let namespace: string;

  before(async () => {
    namespace = uniqueNamespace('demo');
    pushedNamespaces.add(namespace);
    demo = await run(process.execPath, [DEMO], { cwd: REPO_ROOT, env: { ...process.env as Record<string, string>, IMAGESHIP_DEMO_NAMESPACE: namespace } });
  });

  const section = (title: RegExp): string[] => {
    const lines = demo.stdout.split('\n');
    const start = lines.findIndex((line) => title.test(line));
    assert.ok(start >= 0, `section ${title}`);
    const end = lines.findIndex((line, index) => index > start && line.startsWith('────'));
    return lines.slice(start + 1, end < 0 ? undefined : end);
  };

  test('exits 0', () => {
    assert.equal(demo.exitCode, 0, show(demo));
  });

  test('the step logs hold no raw workflow command (::debug::, ::group::, ::add-mask::…), groups read as the viewer shows them', () => {
    for (const title of [/^──── main step log \(as the runner shows it\)/, /^──── post step log \(as the runner shows it\)/]) {
      const lines = section(title);
      assert.deepEqual(lines.filter((line) => /^\s*::[A-Za-z-]+/.test(line) || line.includes('##[')), [], `${title}`);
    }
    assert.ok(section(/^──── main step log/).includes('▼ Plan'));
  });

  test('a table of the tags pushed, each with the digest the registry reports', async () => {
    const digest = await manifestDigest(bed.swrRegistry, `${namespace}/sample-app`, 'latest', auth);
    const rows = section(/^──── pushed: /);
    assert.match(rows[0] ?? '', /^tag +digest$/);
    assert.deepEqual(rows.slice(1).map((row) => row.split(/ +/)).sort(), ['1.4', '1.4.2', 'latest', 'sha-8d5f1c0'].map((tag) => [tag, digest]));
  });

  test('it ends with the README’s "Try it locally" commands, and the test values to use them', () => {
    const tail = section(/^──── try it yourself/).join('\n');
    assert.ok(tail.includes(readmeCommands('try-it-locally').trimEnd()), tail);
    assert.match(tail, new RegExp(`AK ${bed.ak}, SK ${bed.sk}`));
    assert.match(tail, new RegExp(`password ${bed.derivedPassword}`));
  });
});

// ------------------------------------------------------------------ the CLI's messages

describe('the CLI: messages with the fix in flag form, exit 2, nothing done', () => {
  const cli = async (args: string[], env: Record<string, string> = {}): Promise<Run & { docker: string[][] }> => {
    const argvLog = join(tempDir('imageship-newcomer-cli-'), 'docker-argv.jsonl');
    writeFileSync(argvLog, '');
    const result = await run(process.execPath, [CLI, ...args], {
      cwd: sampleAppWorkspace(),
      env: {
        ...baseEnv(),
        PATH: [DOCKER_WRAPPER_DIR, ...(process.env['PATH'] ?? '/usr/bin:/bin').split(delimiter)].join(delimiter),
        IMAGESHIP_ARGV_LOG: argvLog,
        DOCKER_CONFIG: tempDir('imageship-newcomer-docker-'),
        ...env,
      },
    });
    return { ...result, docker: parseArgvLog(readFileSync(argvLog, 'utf8')).map((call) => call.argv) };
  };
  const keys = (): Record<string, string> => ({ HUAWEICLOUD_SDK_AK: bed.ak, HUAWEICLOUD_SDK_SK: bed.sk });
  const swr = (namespace = 'e2e-newcomer-nothing'): string[] => ['run', '--region', bed.region, '--registry', bed.swrRegistry, '--namespace', namespace, '--image', 'my-app', '--build-args', `BASE_IMAGE=${bed.baseImage}`];
  const stderrLines = (result: Run): string[] => result.stderr.trimEnd().split('\n');
  const ONE_PROBLEM = 'imageship: 1 problem(s) found before any side effect: nothing was logged in, built or pushed';

  const CASES: ReadonlyArray<readonly [string, () => string[], string, (() => Record<string, string>)?]> = [
    ["--tags 'latest,type=sha'", () => [...swr(), '--tags', 'latest,type=sha'], 'imageship: tags: "latest,type=sha" holds 2 rules on one line: give one rule per line: --tags latest --tags type=sha'],
    [
      'the SK unset',
      () => [...swr(), '--tags', 'latest'],
      'imageship: secret-key: missing while access-key is set: set env HUAWEICLOUD_SDK_SK or IMAGESHIP_SECRET_KEY, or pipe it to --secret-key-stdin',
      () => ({ HUAWEICLOUD_SDK_AK: bed.ak }),
    ],
    [
      'an image given as a full reference',
      () => ['run', '--region', bed.region, '--image', 'swr.cn-north-4.myhuaweicloud.com/my-org/my-app:1.0'],
      'imageship: image: "swr.cn-north-4.myhuaweicloud.com/my-org/my-app:1.0" is a full image reference, but image takes only the repository name; the other parts have options of their own (region for the SWR host, namespace for the organization, tags for the tag): use --region cn-north-4 --namespace my-org --image my-app --tags 1.0',
    ],
    [
      '--provider huawei: one line, no access-key cascade',
      () => [...swr(), '--tags', 'latest', '--provider', 'huawei'],
      'imageship: provider: "huawei" is not supported: use huaweicloud (the providers are huaweicloud, alibabacloud, generic)',
      () => ({}),
    ],
    [
      'a context that is a file',
      () => [...swr(), '--tags', 'latest', '--context', 'Dockerfile'],
      'imageship: context: "Dockerfile" is a file, but context is the folder sent to the build: use --context . --dockerfile Dockerfile',
    ],
  ];

  for (const [name, args, expected, env] of CASES) {
    test(name, async () => {
      const result = await cli(args(), env ? env() : keys());
      assert.equal(result.exitCode, 2, show(result));
      assert.deepEqual(stderrLines(result), [expected, ONE_PROBLEM]);
      assert.deepEqual(result.docker.filter((argv) => ['login', 'build', 'push'].includes(argv[0]!)), []);
    });
  }

  test('an unknown flag is refused (--tag), and a near-miss env var (IMAGESHIP_TAG) is named, not silently ignored', async () => {
    const flag = await cli([...swr(), '--tag', 'latest'], keys());
    assert.equal(flag.exitCode, 2);
    assert.equal(stderrLines(flag)[0], 'imageship: unknown flag --tag: did you mean --tags?');

    const env = await cli([...swr(), '--tags', 'latest', '--dry-run'], { ...keys(), IMAGESHIP_TAG: 'latest' });
    assert.equal(env.exitCode, 0, show(env));
    assert.match(env.stdout, /^warning: env IMAGESHIP_TAG is not an imageship option, so it is ignored: did you mean IMAGESHIP_TAGS\?$/m);
  });

  test('a login that fails: exit 1, and no "logged out of" (nor a docker logout) for a login that never happened', async () => {
    const namespace = uniqueNamespace('newcomer-badkey');
    const result = await cli([...swr(namespace), '--tags', 'latest'], { HUAWEICLOUD_SDK_AK: bed.ak, HUAWEICLOUD_SDK_SK: 'WrongSecretKey000000000000000000000000000' });
    assert.equal(result.exitCode, 1, show(result));
    // imageship checks the login itself (no docker login process): the registry's 401 is the evidence it was tried.
    assert.match(result.stdout + result.stderr, /rejected the credentials \(401\)/, 'the login was tried');
    assert.deepEqual(result.docker.filter((argv) => argv[0] === 'logout'), []);
    assert.doesNotMatch(result.stdout + result.stderr, /logged out of/);
    assert.doesNotMatch(result.stdout + result.stderr, /post step/);
  });

  test('--output json: stdout is the JSON alone, warnings and the log go to stderr', async () => {
    const result = await cli([...swr(), '--tags', 'latest', '--dry-run', '--output', 'json'], { ...keys(), IMAGESHIP_TAG: 'x' });
    assert.equal(result.exitCode, 0, show(result));
    assert.equal(result.stdout.split('\n').filter(Boolean).length, 1);
    assert.equal((JSON.parse(result.stdout) as { image: string }).image, `${bed.swrRegistry}/e2e-newcomer-nothing/my-app`);
    assert.match(result.stderr, /^warning: env IMAGESHIP_TAG is not an imageship option/m);
  });
});

// ------------------------------------------------------------------ the action's messages

describe('the action: undeclared inputs warned about; fixes phrased as inputs', () => {
  const step = (inputs: Record<string, string>): Promise<StepResult> =>
    runAction({
      inputs: { region: bed.region, 'access-key': bed.ak, 'secret-key': bed.sk, registry: bed.swrRegistry, namespace: 'e2e-newcomer-nothing', image: 'my-app', 'dry-run': 'true', ...inputs },
      workdir: sampleAppWorkspace(),
      secrets: [bed.sk],
      allowUnknownInputs: true,
    });
  const messages = (result: StepResult, command: string): string[] => result.commands.filter((c) => c.command === command).map((c) => c.message);
  const ONE_PROBLEM = '1 problem(s) found before any side effect: nothing was logged in, built or pushed';

  test('tag: instead of tags: a warning naming it, and the default tags are what the plan shows', async () => {
    const result = await step({ tag: 'v1' });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(messages(result, 'warning'), ['tag: not an input of imageship, so it is ignored: did you mean tags?']);
    // metadata-action's defaults: on a branch push only the branch tag.
    assert.match(result.maskedLog, /^tags: +main$/m);
  });

  test('several rules on one line', async () => {
    const result = await step({ tags: 'latest,type=sha' });
    assert.notEqual(result.exitCode, 0);
    assert.deepEqual(messages(result, 'error'), ['tags: "latest,type=sha" holds 2 rules on one line: give one rule per line: tags: | with latest and type=sha on lines of their own', ONE_PROBLEM]);
  });

  test('a context that is a file', async () => {
    const result = await step({ context: 'Dockerfile' });
    assert.notEqual(result.exitCode, 0);
    assert.deepEqual(messages(result, 'error'), ['context: "Dockerfile" is a file, but context is the folder sent to the build: use context: . and dockerfile: Dockerfile', ONE_PROBLEM]);
  });

  test('an image given as a full reference', async () => {
    const result = await step({ namespace: '', image: 'swr.cn-north-4.myhuaweicloud.com/my-org/my-app:1.0' });
    assert.notEqual(result.exitCode, 0);
    assert.deepEqual(messages(result, 'error'), [
      'image: "swr.cn-north-4.myhuaweicloud.com/my-org/my-app:1.0" is a full image reference, but image takes only the repository name; the other parts have options of their own (region for the SWR host, namespace for the organization, tags for the tag): use region: cn-north-4, namespace: my-org, image: my-app and tags: 1.0',
      ONE_PROBLEM,
    ]);
  });
});

// ------------------------------------------------------------------ the suite's end-of-run check

describe('the end-of-run check names what a run leaves and sweeps the run’s pushes', () => {
  test('a run whose test leaks a temp dir fails naming it; its pushed image and repository are gone afterwards', async () => {
    const out = join(tempDir('imageship-newcomer-leaky-'), 'names.json');
    const env: Record<string, string> = { ...(process.env as Record<string, string>), LEAKY_RUN_OUT: out };
    // A run of its own: its own id (not this run's, whose namespaces it would sweep) and its own TMPDIR.
    delete env['IMAGESHIP_TEST_RUN'];
    delete env['IMAGESHIP_TEST_SNAPSHOT'];
    delete env['IMAGESHIP_TEST_TMPDIR'];
    // Set for this file's process by node --test; a nested node --test would report to it instead of printing.
    delete env['NODE_TEST_CONTEXT'];
    const nested = await run(process.execPath, ['scripts/run-tests.mjs', 'build/__tests__/fixtures/leaky-run.fixture.js'], { cwd: REPO_ROOT, env });
    const { dir, reference } = JSON.parse(readFileSync(out, 'utf8')) as { dir: string; reference: string };

    assert.equal(nested.exitCode, 1, show(nested));
    assert.match(nested.stdout, /^1 passed, 1 failed$/m);
    assert.match(nested.stdout, /left behind by this run \(not there when it started\):/);
    assert.ok(nested.stdout.includes(`temp dir ${dir.replace(/[A-Za-z0-9]{6}$/, '*')}`), nested.stdout);
    assert.ok(!existsSync(dir), 'the run’s TMPDIR is removed anyway');

    const [registry, namespace] = reference.split('/');
    assert.ok(!(await catalog(registry!)).some((repository) => repository.startsWith(`${namespace}/`)), 'the repository is gone from the registry');
    const inspect = await run('docker', ['image', 'inspect', reference], { cwd: REPO_ROOT, env: baseEnv() });
    assert.notEqual(inspect.exitCode, 0, 'the image is gone from the daemon');
  });
});
