import type { SourceContext } from '../source-context.js';
import type { TemplateValues } from './templates.js';

/** docker/metadata-action's default short commit length (`DOCKER_METADATA_SHORT_SHA_LENGTH`). */
export const DEFAULT_SHORT_SHA_LENGTH = 7;

/**
 * Resolves the global expressions (`{{branch}}`, `{{sha}}`, …) for one build,
 * with metadata-action's meanings: `{{branch}}` only on a branch build (empty
 * for a pull request), `{{sha}}` the short commit id.
 */
export function sourceTemplateValues(source: SourceContext, shortShaLength = DEFAULT_SHORT_SHA_LENGTH): TemplateValues {
  const onDefault = isDefaultBranch(source);
  const short = shortSha(source.sha, shortShaLength);
  return {
    branch: source.event === 'branch' ? source.branch : '',
    tag: source.event === 'tag' ? source.tag : '',
    sha: short,
    short_sha: short,
    base_ref: source.baseRef ?? '',
    run_number: source.runNumber,
    is_default_branch: String(onDefault),
    is_not_default_branch: String(!onDefault),
  };
}

export function shortSha(sha: string, length: number): string {
  return sha.slice(0, Math.max(0, length));
}

/**
 * A build of the default branch itself, or an event the CI runs only for the
 * default branch (GitHub's schedule). A pull request whose head branch happens
 * to be named like the default branch (e.g. a fork's `main`) does not count,
 * so `latest,enable={{is_default_branch}}` never follows a fork.
 */
export function isDefaultBranch(source: SourceContext): boolean {
  if (source.defaultBranchEvent === true) return true;
  return source.event === 'branch' && source.branch !== '' && source.branch === source.defaultBranch;
}
