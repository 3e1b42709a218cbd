/**
 * Runs the bundled action the way the GitHub runner does: INPUT_* from
 * action.yml (with its defaults), fresh file-command files (GITHUB_OUTPUT,
 * GITHUB_STATE, GITHUB_STEP_SUMMARY, GITHUB_ENV, GITHUB_PATH), the GITHUB_*
 * context and an event payload file, STATE_* for the post step, and the entry
 * named in action.yml run by a Node 24 binary with no shell. Every `docker`
 * call goes through test-env/bin/docker, which logs its argv.
 *
 * Nothing here imports the action's code: the tests see only what a workflow sees.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { delimiter as PATH_DELIMITER, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInProcessGroup } from './process-group.js';
import { parse as parseYaml } from 'yaml';
import { tempDir } from './temp-dir.js';

// ---------------------------------------------------------------- types

export interface GithubContext {
  sha?: string;
  /** Full ref, e.g. refs/heads/main, refs/tags/v1.2.3, refs/pull/7/merge. */
  ref?: string;
  eventName?: string;
  /** The webhook payload written to GITHUB_EVENT_PATH. */
  event?: object;
  /** owner/name */
  repository?: string;
  runNumber?: number | string;
  runId?: number | string;
  runAttempt?: number | string;
  /** Pull requests only: the head branch (GITHUB_HEAD_REF). */
  headRef?: string;
  /** Pull requests only: the base branch (GITHUB_BASE_REF). */
  baseRef?: string;
  /** Short ref name; derived from `ref` when absent. */
  refName?: string;
  actor?: string;
  workflow?: string;
  job?: string;
  /** What `${{ github.token }}` evaluates to in action.yml defaults. */
  token?: string;
}

export interface RunActionOptions {
  inputs: Record<string, string>;
  /** Extra env for the step; wins over everything but INPUT_*, STATE_* and PATH's first entry. */
  env?: Record<string, string>;
  phase?: 'main' | 'post';
  /** For `phase: 'post'`: what main saved, passed as STATE_<name>. */
  state?: Record<string, string>;
  /** GITHUB_WORKSPACE and the step's cwd; defaults to the repo root. */
  workdir?: string;
  github?: GithubContext;
  /** File the docker wrapper appends its JSON lines to; defaults to a fresh temp file. */
  argvLog?: string;
  /** Kill the step (and its children) after this long; default 5 minutes. */
  timeoutMs?: number;
  /** Values the workflow treats as secrets (`${{ secrets.X }}`): masked in `maskedLog` as the runner would. */
  secrets?: string[];
  /** Echo the step's stdout/stderr live (also on with IMAGESHIP_TEST_ECHO=1). */
  echo?: boolean;
  /** Inputs not declared in action.yml: the runner only warns; by default this helper throws (a typo in a test). */
  allowUnknownInputs?: boolean;
  /** Folder holding action.yml; entries resolve against it. Default: the repo root. */
  actionDir?: string;
}

export interface DockerCall {
  /** Arguments after `docker`. */
  argv: string[];
  /** Names of the env variables the docker process saw. */
  envKeys: string[];
}

export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

export interface StepResult {
  phase: 'main' | 'post';
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /**
   * The log as the runner shows it: stdout + stderr without the `::add-mask::` lines
   * (the runner consumes them) and with every mask value and `secrets` replaced by ***.
   */
  maskedLog: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  /** Variables written to GITHUB_ENV (visible to later steps). */
  exportedEnv: Record<string, string>;
  /** Lines written to GITHUB_PATH. */
  addedPaths: string[];
  summary: string;
  /** Raw content of the GITHUB_ENV file. */
  envFile: string;
  /** argv of every docker call, in order (arguments after `docker`). */
  argv: string[][];
  dockerCalls: DockerCall[];
  /** Workflow commands printed on stdout (`::error ...::`, `::add-mask::`, ...). */
  commands: WorkflowCommand[];
  masks: string[];
  /** Problems the runner would fail the step for (bad file-command syntax, oversized summary). */
  fileCommandErrors: string[];
  /** Warnings the runner would print (unexpected inputs, deprecated commands). */
  runnerWarnings: string[];
  files: { output: string; state: string; summary: string; env: string; path: string; event: string; argvLog: string };
  dockerConfig: string;
  runnerTemp: string;
  workdir: string;
  /** The step's full environment. */
  env: Record<string, string>;
}

// ---------------------------------------------------------------- repo, action.yml, node

function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'imageship') return dir;
      } catch {
        // not ours; keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('runner helper: cannot find the imageship repo root (package.json name "imageship")');
    dir = parent;
  }
}

export const REPO_ROOT = findRepoRoot();
export const DOCKER_WRAPPER_DIR = join(REPO_ROOT, 'test-env', 'bin');
export const NODE24 = join(REPO_ROOT, 'node_modules', 'node', 'bin', 'node');

export interface ActionInputSpec {
  description?: string;
  required?: boolean;
  default?: unknown;
  deprecationMessage?: string;
}

export interface ActionMetadata {
  inputs: Record<string, ActionInputSpec>;
  outputs: Record<string, { description?: string }>;
  runs: { using: string; main: string; post?: string; 'post-if'?: string; pre?: string };
}

export function readActionMetadata(path: string = join(REPO_ROOT, 'action.yml')): ActionMetadata {
  if (!existsSync(path)) throw new Error(`runner helper: ${path} does not exist`);
  const doc = parseYaml(readFileSync(path, 'utf8')) as Partial<ActionMetadata> | null;
  if (!doc || typeof doc !== 'object' || !doc.runs) throw new Error(`runner helper: ${path} has no runs section`);
  return { inputs: doc.inputs ?? {}, outputs: doc.outputs ?? {}, runs: doc.runs };
}

let node24Checked = false;
function checkedNode24(): string {
  if (node24Checked) return NODE24;
  if (!existsSync(NODE24)) throw new Error(`runner helper: ${NODE24} is missing; run npm ci (the node@24 devDependency)`);
  const version = execFileSync(NODE24, ['--version'], { encoding: 'utf8' }).trim();
  if (!version.startsWith('v24')) throw new Error(`runner helper: ${NODE24} is ${version}, expected v24 (runs.using: node24)`);
  node24Checked = true;
  return NODE24;
}

/** The env name the runner gives an input: spaces to `_`, upper case, dashes kept. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

// ---------------------------------------------------------------- runner protocols

/**
 * Parses a file written for GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV with the
 * runner's rules: `NAME=value` lines and `NAME<<DELIM` heredocs closed by a line
 * that is exactly DELIM; \n or \r\n line ends; blank lines skipped; later values
 * win. Throws, like the runner, on a line of neither form, an empty name or
 * delimiter, or a heredoc with no closing line.
 */
export function parseFileCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  let index = 0;

  // Reads one line from `index`; returns the line and its terminator, or null at the end.
  const readLine = (): { line: string; newline: string | null } | null => {
    if (index >= text.length) return null;
    const lf = text.indexOf('\n', index);
    if (lf < 0) {
      const line = text.slice(index);
      index = text.length;
      return { line, newline: null };
    }
    const crlf = lf > index && text[lf - 1] === '\r';
    const line = text.slice(index, crlf ? lf - 1 : lf);
    index = lf + 1;
    return { line, newline: crlf ? '\r\n' : '\n' };
  };

  for (let r = readLine(); r !== null; r = readLine()) {
    const line = r.line;
    if (line === '') continue;
    const eq = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (eq >= 0 && (heredoc < 0 || eq < heredoc)) {
      const name = line.slice(0, eq);
      if (name === '') throw new Error(`Invalid format '${line}'. Name must not be empty`);
      values[name] = line.slice(eq + 1);
    } else if (heredoc >= 0 && (eq < 0 || heredoc < eq)) {
      const name = line.slice(0, heredoc);
      const delim = line.slice(heredoc + 2);
      if (name === '' || delim === '') {
        throw new Error(`Invalid format '${line}'. Name must not be empty and delimiter must not be empty`);
      }
      const start = index;
      let end = index;
      let t = readLine();
      while (t === null || t.line !== delim) {
        if (t === null) throw new Error(`Invalid value. Matching delimiter not found '${delim}'`);
        if (t.newline === null) throw new Error('Invalid value. EOF marker missing new line.');
        end = index - t.newline.length;
        t = readLine();
      }
      values[name] = end > start ? text.slice(start, end) : '';
    } else {
      throw new Error(`Invalid format '${line}'`);
    }
  }
  return values;
}

function unescapeData(s: string): string {
  return s.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}

function unescapeProperty(s: string): string {
  return s
    .replace(/%0D/gi, '\r')
    .replace(/%0A/gi, '\n')
    .replace(/%3A/gi, ':')
    .replace(/%2C/gi, ',')
    .replace(/%25/g, '%');
}

/**
 * Workflow commands on stdout: `::name key=value,key=value::message`, with the
 * runner's escapes, honouring `::stop-commands::TOKEN` ... `::TOKEN::`.
 */
export function parseWorkflowCommands(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  let stopToken: string | undefined;
  for (const raw of stdout.split(/\r?\n/)) {
    const line = raw.trimStart();
    if (!line.startsWith('::')) continue;
    const end = line.indexOf('::', 2);
    if (end < 0) continue;
    const head = line.slice(2, end);
    const message = line.slice(end + 2);
    if (stopToken !== undefined) {
      if (head === stopToken) stopToken = undefined;
      continue;
    }
    const space = head.indexOf(' ');
    const command = space < 0 ? head : head.slice(0, space);
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(command)) continue;
    const properties: Record<string, string> = {};
    if (space >= 0) {
      for (const pair of head.slice(space + 1).split(',')) {
        const eq = pair.indexOf('=');
        if (eq > 0) properties[pair.slice(0, eq).trim()] = unescapeProperty(pair.slice(eq + 1));
      }
    }
    const cmd = { command, properties, message: unescapeData(message) };
    if (command === 'stop-commands') {
      stopToken = cmd.message;
      continue;
    }
    commands.push(cmd);
  }
  return commands;
}

/** Replaces each secret with *** (longest first, as overlapping masks should). */
export function maskText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...new Set(secrets)].filter((s) => s !== '').sort((a, b) => b.length - a.length)) {
    out = out.split(s).join('***');
    // The runner also masks each line of a multi-line secret.
    if (s.includes('\n')) {
      for (const part of s.split(/\r?\n/)) if (part.trim() !== '') out = out.split(part).join('***');
    }
  }
  return out;
}

/** Drops `::add-mask::` command lines: the runner consumes them and never shows them. */
export function stripMaskCommands(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('::add-mask::'))
    .join('\n');
}

export function parseArgvLog(text: string): DockerCall[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      try {
        const parsed = JSON.parse(l) as DockerCall;
        if (!Array.isArray(parsed.argv)) throw new Error('no argv array');
        return { argv: parsed.argv, envKeys: parsed.envKeys ?? [] };
      } catch (e) {
        throw new Error(`docker argv log line ${i + 1} is not valid JSON (${String(e)}): ${l.slice(0, 200)}`);
      }
    });
}

// ---------------------------------------------------------------- GitHub context helpers

/** GitHub's documentation example repository. */
const DEFAULT_REPOSITORY = 'octo-org/octo-app';
const DEFAULT_SHA = '3f786850e387550fdab836ed7e6dc881de23001b';
const ZERO_SHA = '0000000000000000000000000000000000000000';

function repositoryPayload(fullName: string): object {
  const [owner = 'octo-org', name = 'octo-app'] = fullName.split('/');
  return {
    id: 123456789,
    node_id: 'R_kgDOtest',
    name,
    full_name: fullName,
    private: false,
    owner: { login: owner, id: 987654, type: 'Organization', html_url: `https://github.com/${owner}` },
    html_url: `https://github.com/${fullName}`,
    clone_url: `https://github.com/${fullName}.git`,
    url: `https://api.github.com/repos/${fullName}`,
    default_branch: 'main',
    master_branch: 'main',
    topics: [],
    visibility: 'public',
  };
}

function pushPayload(ref: string, sha: string, repository: string): object {
  return {
    ref,
    before: ZERO_SHA,
    after: sha,
    base_ref: null,
    created: false,
    deleted: false,
    forced: false,
    compare: `https://github.com/${repository}/commit/${sha.slice(0, 12)}`,
    commits: [],
    head_commit: {
      id: sha,
      tree_id: sha.split('').reverse().join(''),
      message: 'test commit',
      timestamp: '2024-05-01T12:00:00Z',
      author: { name: 'Test Author', email: 'author@example.test', username: 'test-author' },
      committer: { name: 'Test Author', email: 'author@example.test', username: 'test-author' },
    },
    pusher: { name: 'test-author', email: 'author@example.test' },
    repository: repositoryPayload(repository),
    sender: { login: 'test-author', id: 4242, type: 'User' },
  };
}

/** A push to `branch` (refs/heads/...). */
export function ghContextForBranch(branch: string, sha: string, repository = DEFAULT_REPOSITORY): GithubContext {
  const ref = `refs/heads/${branch}`;
  return { sha, ref, refName: branch, eventName: 'push', repository, event: pushPayload(ref, sha, repository) };
}

/** A push of the tag `tag` (refs/tags/...). */
export function ghContextForTag(tag: string, sha: string, repository = DEFAULT_REPOSITORY): GithubContext {
  const ref = `refs/tags/${tag}`;
  return { sha, ref, refName: tag, eventName: 'push', repository, event: pushPayload(ref, sha, repository) };
}

/**
 * A `pull_request` event for PR #n from `headBranch` into `baseBranch`. `sha` is
 * GITHUB_SHA (the merge commit GitHub made); the head commit is `headSha`, by default the same.
 */
export function ghContextForPullRequest(
  n: number,
  headBranch: string,
  sha: string,
  opts: { baseBranch?: string; headSha?: string; repository?: string } = {},
): GithubContext {
  const repository = opts.repository ?? DEFAULT_REPOSITORY;
  const baseBranch = opts.baseBranch ?? 'main';
  const [owner = 'octo-org'] = repository.split('/');
  const repo = repositoryPayload(repository);
  const ref = `refs/pull/${n}/merge`;
  return {
    sha,
    ref,
    refName: `${n}/merge`,
    eventName: 'pull_request',
    headRef: headBranch,
    baseRef: baseBranch,
    repository,
    event: {
      action: 'synchronize',
      number: n,
      pull_request: {
        number: n,
        id: 1000 + n,
        state: 'open',
        draft: false,
        merged: false,
        title: `Test pull request #${n}`,
        html_url: `https://github.com/${repository}/pull/${n}`,
        user: { login: 'test-author', id: 4242, type: 'User' },
        head: { ref: headBranch, sha: opts.headSha ?? sha, label: `${owner}:${headBranch}`, repo },
        base: { ref: baseBranch, sha: ZERO_SHA.replace(/0/g, 'b'), label: `${owner}:${baseBranch}`, repo },
        merge_commit_sha: sha,
      },
      repository: repo,
      sender: { login: 'test-author', id: 4242, type: 'User' },
    },
  };
}

function refNameOf(ref: string): string {
  const m = /^refs\/(?:heads|tags)\/(.+)$/.exec(ref) ?? /^refs\/pull\/(.+)$/.exec(ref);
  return m ? m[1]! : ref;
}

// ---------------------------------------------------------------- running

/** Env keys of the test process that must not leak into the step (they belong to the runner or to this run). */
function inheritedEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^(INPUT_|STATE_|GITHUB_|RUNNER_|ACTIONS_|IMAGESHIP_)/i.test(k)) continue;
    if (k === 'DOCKER_CONFIG' || k === 'CI' || k === 'NODE_OPTIONS' || k === 'NODE_TEST_CONTEXT') continue;
    out[k] = v;
  }
  return out;
}

function evaluateDefault(value: unknown, context: Record<string, string>, inputName: string): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : String(value);
  return text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_m, expr: string) => {
    const v = context[expr];
    if (v === undefined) throw new Error(`runner helper: cannot evaluate \${{ ${expr} }} in the default of input '${inputName}'`);
    return v;
  });
}

function readIfExists(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export async function runAction(opts: RunActionOptions): Promise<StepResult> {
  const phase = opts.phase ?? 'main';
  const actionDir = resolve(opts.actionDir ?? REPO_ROOT);
  const meta = readActionMetadata(join(actionDir, 'action.yml'));
  if (meta.runs.using !== 'node24') {
    throw new Error(`runner helper: action.yml runs.using is '${meta.runs.using}', expected node24`);
  }
  const entryRel = phase === 'main' ? meta.runs.main : meta.runs.post;
  if (!entryRel) throw new Error(`runner helper: action.yml has no runs.${phase}`);
  const entry = resolve(actionDir, entryRel);
  if (!existsSync(entry)) throw new Error(`runner helper: ${entryRel} (runs.${phase}) does not exist; run npm run bundle`);
  const nodeBin = checkedNode24();

  const tmp = tempDir(`imageship-step-${phase}-`);
  const runnerTemp = join(tmp, 'runner-temp');
  mkdirSync(runnerTemp);
  const files = {
    output: join(tmp, 'github_output'),
    state: join(tmp, 'github_state'),
    summary: join(tmp, 'step_summary.md'),
    env: join(tmp, 'github_env'),
    path: join(tmp, 'github_path'),
    event: join(tmp, 'event.json'),
    argvLog: opts.argvLog ?? join(tmp, 'docker-argv.jsonl'),
  };
  for (const f of [files.output, files.state, files.summary, files.env, files.path]) writeFileSync(f, '');
  if (!existsSync(files.argvLog)) writeFileSync(files.argvLog, '');
  const argvLogStart = fileSize(files.argvLog);

  const gh: GithubContext = { ...ghContextForBranch('main', DEFAULT_SHA), ...(opts.github ?? {}) };
  const ref = gh.ref ?? 'refs/heads/main';
  const repository = gh.repository ?? DEFAULT_REPOSITORY;
  writeFileSync(files.event, JSON.stringify(gh.event ?? {}, null, 2));
  const workdir = resolve(opts.workdir ?? REPO_ROOT);

  const dockerConfig = opts.env?.['DOCKER_CONFIG'] ?? tempDir('imageship-docker-config-');
  const runNumber = String(gh.runNumber ?? 1);
  const runId = String(gh.runId ?? 4200000000 + Number(runNumber));
  const githubVars: Record<string, string> = {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION: '__imageship',
    GITHUB_ACTOR: gh.actor ?? 'test-author',
    GITHUB_ACTOR_ID: '4242',
    GITHUB_TRIGGERING_ACTOR: gh.actor ?? 'test-author',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_BASE_REF: gh.baseRef ?? '',
    GITHUB_HEAD_REF: gh.headRef ?? '',
    GITHUB_EVENT_NAME: gh.eventName ?? 'push',
    GITHUB_EVENT_PATH: files.event,
    GITHUB_JOB: gh.job ?? 'build',
    GITHUB_REF: ref,
    GITHUB_REF_NAME: gh.refName ?? refNameOf(ref),
    GITHUB_REF_PROTECTED: 'false',
    GITHUB_REF_TYPE: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    GITHUB_REPOSITORY: repository,
    GITHUB_REPOSITORY_OWNER: repository.split('/')[0] ?? '',
    GITHUB_REPOSITORY_ID: '123456789',
    GITHUB_REPOSITORY_OWNER_ID: '987654',
    GITHUB_RETENTION_DAYS: '90',
    GITHUB_RUN_ATTEMPT: String(gh.runAttempt ?? 1),
    GITHUB_RUN_ID: runId,
    GITHUB_RUN_NUMBER: runNumber,
    GITHUB_SHA: gh.sha ?? DEFAULT_SHA,
    GITHUB_WORKFLOW: gh.workflow ?? 'ci',
    GITHUB_WORKFLOW_REF: `${repository}/.github/workflows/ci.yml@${ref}`,
    GITHUB_WORKSPACE: workdir,
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'imageship-test-runner',
    RUNNER_ENVIRONMENT: 'self-hosted',
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: join(tmp, 'toolcache'),
    DOCKER_CONFIG: dockerConfig,
  };

  // Inputs: the given value, else the action.yml default (expressions evaluated like the runner).
  const runnerWarnings: string[] = [];
  const exprContext: Record<string, string> = {
    'github.token': gh.token ?? 'ghs_imageshipTestToken0000000000000000000',
    'github.sha': githubVars['GITHUB_SHA']!,
    'github.ref': ref,
    'github.ref_name': githubVars['GITHUB_REF_NAME']!,
    'github.repository': repository,
    'github.repository_owner': githubVars['GITHUB_REPOSITORY_OWNER']!,
    'github.event_name': githubVars['GITHUB_EVENT_NAME']!,
    'github.run_number': runNumber,
    'github.run_id': runId,
    'github.actor': githubVars['GITHUB_ACTOR']!,
    'github.workspace': workdir,
    'github.head_ref': githubVars['GITHUB_HEAD_REF']!,
    'github.base_ref': githubVars['GITHUB_BASE_REF']!,
    'github.server_url': 'https://github.com',
    'github.api_url': 'https://api.github.com',
    'runner.temp': runnerTemp,
    'runner.os': 'Linux',
    'runner.arch': 'X64',
  };
  const declared = new Map(Object.keys(meta.inputs).map((n) => [n.toLowerCase(), n]));
  const inputVars: Record<string, string> = {};
  for (const [name, spec] of Object.entries(meta.inputs)) {
    if (spec && spec.default !== undefined) inputVars[inputEnvName(name)] = evaluateDefault(spec.default, exprContext, name);
  }
  const unknown: string[] = [];
  for (const [name, value] of Object.entries(opts.inputs)) {
    const canonical = declared.get(name.toLowerCase());
    if (!canonical) unknown.push(name);
    else if (meta.inputs[canonical]?.deprecationMessage) {
      runnerWarnings.push(`Input '${canonical}' has been deprecated with message: ${meta.inputs[canonical]!.deprecationMessage}`);
    }
    inputVars[inputEnvName(canonical ?? name)] = value;
  }
  if (unknown.length > 0) {
    const msg = `Unexpected input(s) '${unknown.join("', '")}', valid inputs are ['${[...declared.values()].join("', '")}']`;
    if (!opts.allowUnknownInputs) throw new Error(`runner helper: ${msg}`);
    runnerWarnings.push(msg);
  }

  const stateVars: Record<string, string> = {};
  if (phase === 'post') for (const [k, v] of Object.entries(opts.state ?? {})) stateVars[`STATE_${k}`] = v;

  const basePath = opts.env?.['PATH'] ?? process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin';
  const env: Record<string, string> = {
    ...inheritedEnv(),
    ...githubVars,
    ...(opts.env ?? {}),
    ...inputVars,
    ...stateVars,
    PATH: [DOCKER_WRAPPER_DIR, ...basePath.split(PATH_DELIMITER).filter((p) => p !== '' && resolve(p) !== DOCKER_WRAPPER_DIR)].join(PATH_DELIMITER),
    IMAGESHIP_ARGV_LOG: files.argvLog,
  };

  const echo = opts.echo ?? process.env['IMAGESHIP_TEST_ECHO'] === '1';
  const timeoutMs = opts.timeoutMs ?? 300_000;
  // Own process group, so a timeout kills the docker processes the step started too.
  const { exitCode, signal, timedOut, stdout, stderr } = await runInProcessGroup(nodeBin, [entry], { cwd: workdir, env, timeoutMs, echo });

  const fileCommandErrors: string[] = [];
  const parseOrRecord = (label: string, path: string): Record<string, string> => {
    try {
      return parseFileCommandFile(readIfExists(path));
    } catch (e) {
      fileCommandErrors.push(`${label}: ${e instanceof Error ? e.message : String(e)}`);
      return {};
    }
  };
  const outputs = parseOrRecord('GITHUB_OUTPUT', files.output);
  const state = parseOrRecord('GITHUB_STATE', files.state);
  const exportedEnv = parseOrRecord('GITHUB_ENV', files.env);
  const envFile = readIfExists(files.env);
  if ('NODE_OPTIONS' in exportedEnv) fileCommandErrors.push("GITHUB_ENV: Can't store NODE_OPTIONS output parameter using '$GITHUB_ENV' command.");
  const addedPaths = readIfExists(files.path)
    .split(/\r?\n/)
    .filter((l) => l !== '');
  const summary = readIfExists(files.summary);
  if (Buffer.byteLength(summary) > 1024 * 1024) {
    fileCommandErrors.push('GITHUB_STEP_SUMMARY: $GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of 1024k');
  }

  const commands = parseWorkflowCommands(stdout);
  const masks: string[] = [];
  for (const c of commands) {
    if (c.command === 'add-mask') masks.push(c.message);
    // Deprecated stdout forms the runner still honours (with a warning).
    if (c.command === 'set-output' && c.properties['name']) {
      outputs[c.properties['name']] = c.message;
      runnerWarnings.push('The `set-output` command is deprecated');
    }
    if (c.command === 'save-state' && c.properties['name']) {
      state[c.properties['name']] = c.message;
      runnerWarnings.push('The `save-state` command is deprecated');
    }
    if (c.command === 'set-env' || c.command === 'add-path') {
      fileCommandErrors.push(`The \`${c.command}\` command is disabled`);
    }
  }

  const argvText = readIfExists(files.argvLog);
  const dockerCalls = parseArgvLog(Buffer.from(argvText).subarray(argvLogStart).toString('utf8'));

  return {
    phase,
    exitCode,
    signal,
    timedOut,
    stdout,
    stderr,
    maskedLog: maskText(stripMaskCommands(`${stdout}${stderr}`), [...masks, ...(opts.secrets ?? [])]),
    outputs,
    state,
    exportedEnv,
    addedPaths,
    summary,
    envFile,
    argv: dockerCalls.map((c) => c.argv),
    dockerCalls,
    commands,
    masks,
    fileCommandErrors,
    runnerWarnings,
    files,
    dockerConfig,
    runnerTemp,
    workdir,
    env,
  };
}

/**
 * Runs main, then post (as `post-if: always()` does, even when main failed) with
 * the state main saved and the same DOCKER_CONFIG, inputs and context.
 */
export async function runMainThenPost(opts: Omit<RunActionOptions, 'phase' | 'state'>): Promise<{ main: StepResult; post: StepResult }> {
  const main = await runAction({ ...opts, phase: 'main' });
  const post = await runAction({
    ...opts,
    phase: 'post',
    state: main.state,
    env: { ...(opts.env ?? {}), DOCKER_CONFIG: main.dockerConfig },
  });
  return { main, post };
}
