import type { SourceContext } from '../source/context.js';
import type { TemplateValues } from './templates.js';

/** Resolves the source templates (`{{branch}}`, `{{sha}}`, …) for one build. */
export function sourceTemplateValues(source: SourceContext): TemplateValues {
  return {
    branch: source.branch,
    tag: source.tag,
    sha: source.sha,
    short_sha: source.sha.slice(0, 7),
    run_number: source.runNumber,
    is_default_branch: String(isDefaultBranch(source)),
  };
}

/**
 * Only a build of the default branch itself counts: a pull request whose head
 * branch happens to be named like the default branch (e.g. a fork's `main`)
 * must not get tags such as `latest,enable={{is_default_branch}}`.
 */
function isDefaultBranch(source: SourceContext): boolean {
  return source.event === 'branch' && source.branch !== '' && source.branch === source.defaultBranch;
}
