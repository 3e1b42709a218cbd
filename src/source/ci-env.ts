/**
 * Helpers shared by the per-CI readers (gitlab.ts, azure.ts, jenkins.ts): how
 * an environment variable is read, which commit ids are trusted, and the one
 * canonical SourceContext shape of each kind of build, so the same event gives
 * the same context (and the same computed tags) on every CI.
 */
import type { SourceContext } from '../domain/source-context.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** The parts of a SourceContext that say which event is being built. */
export type BuildEvent = Pick<SourceContext, 'event' | 'ref' | 'branch' | 'tag' | 'pullRequest'>;

/** An unset and an empty variable mean the same: unknown. */
export function envValue(env: Env, name: string): string {
  return env[name]?.trim() ?? '';
}

/** Only a full commit id is trusted; anything else would give a misleading `sha-…` tag. */
export function commitId(sha: string): string {
  return /^[0-9a-f]{40}$/i.test(sha) ? sha.toLowerCase() : '';
}

/** A pull/merge request number: a positive integer, else undefined. */
export function requestNumber(text: string): number | undefined {
  if (!/^[1-9][0-9]{0,15}$/.test(text)) return undefined;
  const number = Number(text);
  return Number.isSafeInteger(number) ? number : undefined;
}

export function branchBuild(branch: string): BuildEvent {
  return { event: 'branch', ref: `refs/heads/${branch}`, branch, tag: '', pullRequest: undefined };
}

export function tagBuild(tag: string): BuildEvent {
  return { event: 'tag', ref: `refs/tags/${tag}`, branch: '', tag, pullRequest: undefined };
}

/**
 * A pull/merge request build. The ref is GitHub's and Azure's form,
 * `refs/pull/<n>/merge`, on every CI (GitLab's own is
 * `refs/merge-requests/<n>/head`), so that one event gives one context.
 */
export function pullRequestBuild(number: number, headBranch: string): BuildEvent {
  return { event: 'pr', ref: `refs/pull/${number}/merge`, branch: headBranch, tag: '', pullRequest: number };
}

export function otherBuild(ref = ''): BuildEvent {
  return { event: 'other', ref, branch: '', tag: '', pullRequest: undefined };
}

/** `refs/heads/x` → `x`; anything else unchanged. */
export function stripHeads(name: string): string {
  return name.startsWith('refs/heads/') ? name.slice('refs/heads/'.length) : name;
}

/** A timestamp as ISO 8601 in UTC; '' for anything that is not a date. */
export function isoDate(text: string): string {
  if (text === '') return '';
  const time = Date.parse(text);
  return Number.isNaN(time) ? '' : new Date(time).toISOString();
}
