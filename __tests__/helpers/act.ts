/**
 * Runs a workflow under nektos/act, a real implementation of the GitHub
 * runner (workflow parsing, expressions, INPUT_*, file commands, masking,
 * post steps, job outputs, `needs`), in host mode: the action runs on this
 * machine against the test bed's Docker daemon and registries.
 *
 * Each run gets a throwaway git repository (action.yml, dist/, the workflow,
 * fixture files; one commit), its own HOME/XDG dirs, a job-private
 * DOCKER_CONFIG, and an out dir that steps can write files to for the test
 * to read. Everything is removed when the run ends; the result keeps what
 * tests need: the whole log, the exit code, the files steps wrote, the Docker
 * config as the job left it, and the argv of every docker call. Also the
 * pieces the act tests share: the act-or-skip test, workflow expressions, the
 * sample app's files, the remote and the debug options.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter as PATH_DELIMITER, dirname, join } from 'node:path';
import { test } from 'node:test';
import { runInProcessGroup } from './process-group.js';
import { DOCKER_WRAPPER_DIR, NODE24, parseArgvLog, REPO_ROOT, type DockerCall } from './runner.js';
import { parseEnvFile, testbedStateDir } from './testbed.js';
import { tempDir } from './temp-dir.js';

// ---------------------------------------------------------------- finding act

export type ActLocation = { path: string } | { missing: string };

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * act as the test bed provides it: TESTBED_ACT from the test bed's env file,
 * else <state dir>/bin/act when it exists. The reason names where it looked.
 */
export function locateAct(stateDir: string = testbedStateDir()): ActLocation {
  const envFile = join(stateDir, 'env');
  const fallback = join(stateDir, 'bin', 'act');
  let fromEnv = '';
  if (existsSync(envFile)) fromEnv = parseEnvFile(readFileSync(envFile, 'utf8'))['TESTBED_ACT'] ?? '';
  for (const candidate of [fromEnv, fallback]) if (candidate !== '' && isExecutable(candidate)) return { path: candidate };
  const looked = fromEnv !== '' ? `TESTBED_ACT=${fromEnv} (from ${envFile}) nor ${fallback}` : `TESTBED_ACT in ${envFile} nor ${fallback}`;
  return { missing: `act (nektos/act) is not installed: found neither ${looked}; run: bash test-env/start.sh` };
}

/**
 * The `skip` option for tests that need act: the reason when act is missing,
 * else false. With CI=true it is always false, so on CI the tests run and
 * fail with the same reason (CI must have no skips).
 */
export function actSkipReason(): string | false {
  const found = locateAct();
  if ('path' in found || process.env['CI'] === 'true') return false;
  return found.missing;
}

// ---------------------------------------------------------------- running a workflow

export interface ActRunOptions {
  /** The workflow YAML. Secrets go through `secrets`, never into this text. */
  workflow: string;
  /** More files for the repository, path (relative) → content: a Dockerfile, its context. */
  files?: Record<string, string>;
  /** `-s NAME=VALUE`: `${{ secrets.NAME }}` in the workflow, masked by act. */
  secrets?: Record<string, string>;
  /** `--env NAME=VALUE`: env for every job and step. */
  env?: Record<string, string>;
  /** Branch of the one commit; act derives GITHUB_REF from it. Default `main`. */
  branch?: string;
  /** Remote `origin` URL; act derives GITHUB_REPOSITORY from it (no network is used). */
  remoteUrl?: string;
  /** The event payload (`-e`): act takes GITHUB_REF from its `ref`, e.g. `refs/tags/v1.2.3` for a tag push. */
  event?: object;
  /**
   * `-v`: act shows the steps' `::debug::` lines only in verbose mode; it ignores ACTIONS_STEP_DEBUG
   * (secret, var or env). Verbose mode also logs each step's env and evaluated expressions, masked.
   */
  verbose?: boolean;
  /** Kill act (and everything it started) after this long. Default 3 minutes. */
  timeoutMs?: number;
}

export interface ActRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** act's stdout and stderr, interleaved as written. */
  log: string;
  /** The commit act ran on (GITHUB_SHA). */
  sha: string;
  branch: string;
  /** Files the steps wrote to `$E2E_OUT` (flat), name → content. */
  files: Record<string, string>;
  /** `config.json` of the job's DOCKER_CONFIG as the job left it (after the post steps); undefined when absent. */
  dockerConfig: string | undefined;
  /** The docker calls the job made (test-env/bin/docker logs them). */
  dockerCalls: DockerCall[];
  /** Whether anything created `.docker` in act's HOME: the job must use only its DOCKER_CONFIG. */
  homeDockerDirCreated: boolean;
}

let node24Checked = false;
function node24Dir(): string {
  if (!node24Checked) {
    const version = execFileSync(NODE24, ['--version'], { encoding: 'utf8' }).trim();
    if (!version.startsWith('v24')) throw new Error(`act helper: ${NODE24} is ${version}, expected v24 (runs.using: node24)`);
    node24Checked = true;
  }
  return dirname(NODE24);
}

function git(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A one-commit repository holding the action as `uses: ./` finds it, the workflow and the fixtures. */
function makeRepository(dir: string, options: ActRunOptions, branch: string, gitEnv: NodeJS.ProcessEnv): string {
  mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
  cpSync(join(REPO_ROOT, 'action.yml'), join(dir, 'action.yml'));
  cpSync(join(REPO_ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, '.github', 'workflows', 'e2e.yml'), options.workflow);
  for (const [path, content] of Object.entries(options.files ?? {})) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  git(dir, gitEnv, 'init', '--quiet', '--initial-branch', branch);
  if (options.remoteUrl) git(dir, gitEnv, 'remote', 'add', 'origin', options.remoteUrl);
  git(dir, gitEnv, 'add', '--all');
  git(dir, gitEnv, '-c', 'user.name=imageship e2e', '-c', 'user.email=e2e@imageship.test', '-c', 'commit.gpgsign=false', 'commit', '--quiet', '-m', 'e2e fixture');
  return git(dir, gitEnv, 'rev-parse', 'HEAD');
}

function readFlatDir(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/**
 * `act push` on the workflow in a fresh repository, host mode. Each job sees
 * DOCKER_CONFIG (private to the run), E2E_OUT (a dir for files the test
 * reads) and IMAGESHIP_ARGV_LOG; `node` on PATH is Node 24 and `docker` is
 * the argv-logging wrapper. Throws when act is missing.
 */
export async function runActWorkflow(options: ActRunOptions): Promise<ActRun> {
  const act = locateAct();
  if ('missing' in act) throw new Error(act.missing);

  const root = tempDir('imageship-act-');
  try {
    const repo = join(root, 'repo');
    const home = join(root, 'home');
    const dockerConfig = join(root, 'docker-config');
    const out = join(root, 'out');
    const argvLog = join(root, 'docker-argv.jsonl');
    for (const dir of [repo, home, dockerConfig, out]) mkdirSync(dir, { recursive: true });

    // act in host mode hands its own environment to every step, so it gets only what a runner would have:
    // nothing of this test process (NODE_TEST_CONTEXT, the developer's DOCKER_CONFIG, …) leaks into the job.
    const actEnv: NodeJS.ProcessEnv = {
      PATH: [node24Dir(), DOCKER_WRAPPER_DIR, process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin'].join(PATH_DELIMITER),
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_CACHE_HOME: join(home, '.cache'),
      LANG: 'C.UTF-8',
      // act asks api.nektosact.com for notices on every run; the test bed has no such network.
      ACT_DISABLE_VERSION_CHECK: '1',
      ...(process.env['DOCKER_HOST'] ? { DOCKER_HOST: process.env['DOCKER_HOST'] } : {}),
    };
    const gitEnv: NodeJS.ProcessEnv = { ...actEnv, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };

    const branch = options.branch ?? 'main';
    const sha = makeRepository(repo, options, branch, gitEnv);

    const eventArgs: string[] = [];
    if (options.event) {
      writeFileSync(join(root, 'event.json'), JSON.stringify(options.event));
      eventArgs.push('-e', join(root, 'event.json'));
    }

    const env = { ...options.env, DOCKER_CONFIG: dockerConfig, E2E_OUT: out, IMAGESHIP_ARGV_LOG: argvLog };
    const args = [
      'push',
      '-W', '.github/workflows/e2e.yml',
      '-P', 'ubuntu-latest=-self-hosted',
      '--action-offline-mode',
      '--pull=false',
      // No cache server: nothing here uses actions/cache, and it would listen on a port for nothing.
      '--no-cache-server',
      ...Object.entries(options.secrets ?? {}).flatMap(([name, value]) => ['-s', `${name}=${value}`]),
      ...Object.entries(env).flatMap(([name, value]) => ['--env', `${name}=${value}`]),
      ...eventArgs,
      ...(options.verbose ? ['-v'] : []),
    ];

    const echo = process.env['IMAGESHIP_TEST_ECHO'] === '1';
    const timeoutMs = options.timeoutMs ?? 180_000;
    // stdin is /dev/null; own process group so a timeout also ends the node and docker processes act started.
    const { exitCode, signal, timedOut, combined: log } = await runInProcessGroup(act.path, args, { cwd: repo, env: actEnv, timeoutMs, echo });

    return {
      exitCode,
      signal,
      timedOut,
      log,
      sha,
      branch,
      files: readFlatDir(out),
      dockerConfig: readIfExists(join(dockerConfig, 'config.json')),
      dockerCalls: parseArgvLog(readIfExists(argvLog) ?? ''),
      homeDockerDirCreated: existsSync(join(home, '.docker')),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- reading act's log

/**
 * The job summaries act printed. act gives each step a fresh GITHUB_STEP_SUMMARY
 * file (as GitHub does) and, when the step wrote to it, prints its content after
 * the step as `⚙  Summary - <content>`; the content's further lines carry no
 * `[workflow/job]` prefix, so a block ends at the next prefixed line.
 */
export function summariesInLog(log: string): string[] {
  const summaries: string[] = [];
  let current: string[] | undefined;
  for (const line of log.split('\n')) {
    const start = /^\[[^\]]+\]\s+⚙\s+Summary - (.*)$/.exec(line);
    if (start) {
      if (current) summaries.push(current.join('\n'));
      current = [start[1]!];
    } else if (current && !/^\[[^\]]+\] /.test(line)) {
      current.push(line);
    } else if (current) {
      summaries.push(current.join('\n'));
      current = undefined;
    }
  }
  if (current) summaries.push(current.join('\n'));
  return summaries;
}

/** The object of the Docker config JSON's `auths`, {} when there is none. */
export function dockerConfigAuths(configJson: string | undefined): Record<string, unknown> {
  if (configJson === undefined || configJson.trim() === '') return {};
  return (JSON.parse(configJson) as { auths?: Record<string, unknown> }).auths ?? {};
}

// ---------------------------------------------------------------- what the act tests share

/**
 * A test that needs act. The skip goes on each test, not on its describe: node
 * counts skipped tests but not skipped suites, and a skip must show in the count.
 */
export const actTest = (name: string, fn: () => void | Promise<void>): void => {
  test(name, { skip: actSkipReason() }, fn);
};

/** A workflow expression, written out literally (a `${{` inside a JS template literal would be JS). */
export const gh = (expression: string): string => `\${{ ${expression} }}`;

/** act derives GITHUB_REPOSITORY from the origin remote; nothing is fetched. */
export const ACT_REMOTE = 'https://github.com/octo-org/octo-app.git';

/**
 * act ignores ACTIONS_STEP_DEBUG (as secret, var or env) and shows ::debug:: lines only with -v; as a
 * secret it would also mask every "true" in the log (GitHub exempts it). So: -v, and the env a step
 * gets on GitHub with debug logging on.
 */
export const ACT_DEBUG = { env: { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' }, verbose: true };

/**
 * A job's `steps:` up to the action's `with:`, for a job under `jobs:`: a
 * checkout, then the action as step `ship`. Its `with:` lines follow at ten spaces.
 */
export const SHIP_STEP = `    steps:
      - uses: actions/checkout@v4
      - id: ship
        uses: ./
        with:`;

/** The example app's build context (examples/app), as fixture files for the run's repository. */
export const sampleAppFiles = (): Record<string, string> => ({
  Dockerfile: readFileSync(join(REPO_ROOT, 'examples', 'app', 'Dockerfile'), 'utf8'),
  'index.html': readFileSync(join(REPO_ROOT, 'examples', 'app', 'index.html'), 'utf8'),
});
