import type { SourceContext } from './context.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The parts of the GitHub event payload this module reads; everything else is ignored. */
interface EventPayload {
  defaultBranch: string;
  pullRequestNumber: number | undefined;
  headRef: string;
}

/** Events whose build is about a pull request even when GITHUB_REF names a branch. */
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);

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
  const payload = readEventPayload(value(env, 'GITHUB_EVENT_PATH'), readFile);
  const headBranch = value(env, 'GITHUB_HEAD_REF') || payload.headRef;
  const base = {
    sha: commitId(value(env, 'GITHUB_SHA')),
    ref,
    defaultBranch: payload.defaultBranch,
    runNumber: value(env, 'GITHUB_RUN_NUMBER'),
    repositoryUrl: repositoryUrl(env),
  };
  const none = { branch: '', tag: '', pullRequest: undefined };

  const pull = /^refs\/pull\/(\d+)\/(?:merge|head)$/.exec(ref);
  if (pull !== null) {
    return { ...base, event: 'pr', branch: headBranch, tag: '', pullRequest: Number(pull[1]) };
  }
  // pull_request_target runs with GITHUB_REF = the base branch; it still builds for the PR,
  // so it must not be tagged like a push to that branch.
  if (PULL_REQUEST_EVENTS.has(value(env, 'GITHUB_EVENT_NAME')) && payload.pullRequestNumber !== undefined) {
    return { ...base, event: 'pr', branch: headBranch, tag: '', pullRequest: payload.pullRequestNumber };
  }
  if (ref.startsWith('refs/heads/')) {
    return { ...base, ...none, event: 'branch', branch: ref.slice('refs/heads/'.length) };
  }
  if (ref.startsWith('refs/tags/')) {
    return { ...base, ...none, event: 'tag', tag: ref.slice('refs/tags/'.length) };
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
  const empty: EventPayload = { defaultBranch: '', pullRequestNumber: undefined, headRef: '' };
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
  };
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
