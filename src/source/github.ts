import { knownFacts, type SourceContext } from '../domain/source-context.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The parts of the GitHub event payload this module reads; everything else is ignored. */
interface EventPayload {
  defaultBranch: string;
  pullRequestNumber: number | undefined;
  headRef: string;
  /** `pull_request.base.ref`. */
  baseRef: string;
  /** `pull_request.head.sha`. */
  headSha: string;
  /** The push payload's `base_ref` (set on some tag pushes), `refs/heads/` removed. */
  pushBaseRef: string;
  /** Commit id → commit timestamp, from `commits[]` and `head_commit`. */
  commitTimes: ReadonlyMap<string, string>;
  description: string;
  license: string;
}

/** Events whose build is about a pull request even when GITHUB_REF names a branch. */
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);
/**
 * Events GitHub runs only for the last commit of the default branch; like
 * docker/metadata-action, `{{is_default_branch}}` is true for them (a
 * scheduled run's payload does not even name the default branch).
 */
const DEFAULT_BRANCH_EVENTS = /create|discussion|issues|schedule/;

/**
 * Builds the SourceContext from a GitHub Actions environment. `env` and
 * `readFile` are passed in (never process.env / fs) so the tags computed for a
 * run can be reproduced in tests from a recorded environment.
 *
 * The commit is GITHUB_SHA, also for pull requests (the merge commit that was
 * checked out and built), as docker/metadata-action does.
 */
export function sourceContextFromGitHub(env: Env, readFile: (path: string) => string | undefined): SourceContext {
  const ref = value(env, 'GITHUB_REF');
  const eventName = value(env, 'GITHUB_EVENT_NAME');
  const payload = readEventPayload(value(env, 'GITHUB_EVENT_PATH'), readFile);
  const headBranch = value(env, 'GITHUB_HEAD_REF') || payload.headRef;
  const sha = commitId(value(env, 'GITHUB_SHA'));
  const base = {
    sha,
    ref,
    defaultBranch: payload.defaultBranch,
    runNumber: value(env, 'GITHUB_RUN_NUMBER'),
    repositoryUrl: repositoryUrl(env),
    ...knownFacts({
      scheduled: eventName === 'schedule',
      defaultBranchEvent: ref !== '' && DEFAULT_BRANCH_EVENTS.test(eventName),
      commitDate: payload.commitTimes.get(sha) ?? '',
      repositoryDescription: payload.description,
      repositoryLicense: payload.license,
    }),
  };
  const none = { branch: '', tag: '', pullRequest: undefined };
  const pullRequestFacts = knownFacts({
    baseRef: value(env, 'GITHUB_BASE_REF') || payload.baseRef,
    pullRequestHeadSha: commitId(payload.headSha),
  });

  const pull = /^refs\/pull\/(\d+)\/(?:merge|head)$/.exec(ref);
  if (pull !== null) {
    return { ...base, ...pullRequestFacts, event: 'pr', branch: headBranch, tag: '', pullRequest: Number(pull[1]) };
  }
  // pull_request_target runs with GITHUB_REF = the base branch; it still builds for the PR,
  // so it must not be tagged like a push to that branch.
  if (PULL_REQUEST_EVENTS.has(eventName) && payload.pullRequestNumber !== undefined) {
    return { ...base, ...pullRequestFacts, event: 'pr', branch: headBranch, tag: '', pullRequest: payload.pullRequestNumber };
  }
  if (ref.startsWith('refs/heads/')) {
    return { ...base, ...none, event: 'branch', branch: ref.slice('refs/heads/'.length) };
  }
  if (ref.startsWith('refs/tags/')) {
    return { ...base, ...none, ...knownFacts({ baseRef: payload.pushBaseRef }), event: 'tag', tag: ref.slice('refs/tags/'.length) };
  }
  return { ...base, ...none, event: 'other' };
}

/** An unset and an empty variable mean the same: unknown. */
function value(env: Env, name: string): string {
  return env[name]?.trim() ?? '';
}

/** Only a full commit id is trusted; anything else would give a misleading `sha-…` tag. */
function commitId(sha: string): string {
  return /^[0-9a-f]{40}$/i.test(sha) ? sha.toLowerCase() : '';
}

function repositoryUrl(env: Env): string {
  const repository = value(env, 'GITHUB_REPOSITORY');
  if (repository === '') return '';
  const server = (value(env, 'GITHUB_SERVER_URL') || 'https://github.com').replace(/\/+$/, '');
  return `${server}/${repository}`;
}

/**
 * Reads the few payload fields needed. A missing, unreadable or malformed
 * payload is not an error: those fields then stay unknown, and only rules
 * that need them (e.g. `{{is_default_branch}}`) are affected.
 */
function readEventPayload(path: string, readFile: (path: string) => string | undefined): EventPayload {
  const empty: EventPayload = {
    defaultBranch: '',
    pullRequestNumber: undefined,
    headRef: '',
    baseRef: '',
    headSha: '',
    pushBaseRef: '',
    commitTimes: new Map(),
    description: '',
    license: '',
  };
  if (path === '') return empty;
  let parsed: unknown;
  try {
    const text = readFile(path);
    if (text === undefined) return empty;
    parsed = JSON.parse(text);
  } catch {
    return empty;
  }
  const repository = field(parsed, 'repository');
  const pullRequest = field(parsed, 'pull_request');
  return {
    defaultBranch: stringField(repository, 'default_branch'),
    pullRequestNumber: positiveInteger(field(pullRequest, 'number')) ?? positiveInteger(field(parsed, 'number')),
    headRef: stringField(field(pullRequest, 'head'), 'ref'),
    baseRef: stringField(field(pullRequest, 'base'), 'ref'),
    headSha: stringField(field(pullRequest, 'head'), 'sha'),
    pushBaseRef: stringField(parsed, 'base_ref').replace(/^refs\/heads\//, ''),
    commitTimes: commitTimes(parsed),
    description: stringField(repository, 'description'),
    license: stringField(field(repository, 'license'), 'spdx_id'),
  };
}

/** A push lists its commits (`commits[]`, `head_commit`) with their timestamps. */
function commitTimes(payload: unknown): Map<string, string> {
  const times = new Map<string, string>();
  const add = (commit: unknown): void => {
    const id = stringField(commit, 'id').toLowerCase();
    const timestamp = stringField(commit, 'timestamp');
    if (id !== '' && timestamp !== '' && !Number.isNaN(Date.parse(timestamp)) && !times.has(id)) times.set(id, new Date(timestamp).toISOString());
  };
  const commits = field(payload, 'commits');
  if (Array.isArray(commits)) commits.forEach(add);
  add(field(payload, 'head_commit'));
  return times;
}

function field(object: unknown, key: string): unknown {
  return typeof object === 'object' && object !== null ? (object as Record<string, unknown>)[key] : undefined;
}

function stringField(object: unknown, key: string): string {
  const found = field(object, key);
  return typeof found === 'string' ? found : '';
}

function positiveInteger(found: unknown): number | undefined {
  return typeof found === 'number' && Number.isInteger(found) && found > 0 ? found : undefined;
}
