/**
 * What the current build is building, independent of the CI system that runs
 * it. GitHub fills it now; GitLab, Azure Pipelines, Jenkins and plain git can
 * fill the same shape, so computed tags come out identical on every CI.
 */
export interface SourceContext {
  /** Full 40-hex commit id, or '' when unknown. */
  sha: string;
  /** Full ref, e.g. `refs/heads/main`, `refs/tags/v1.2.3`, `refs/pull/7/merge`; '' when unknown. */
  ref: string;
  /** Branch name when building a branch (for a PR: the PR's head branch), else ''. */
  branch: string;
  /** Tag name when building a tag, else ''. */
  tag: string;
  /** Pull/merge request number when building one, else undefined. */
  pullRequest: number | undefined;
  /** The repository's default branch, '' when unknown. */
  defaultBranch: string;
  /** CI run number, '' when unknown. */
  runNumber: string;
  /** Web URL of the repository (for the `org.opencontainers.image.source` label), '' when unknown. */
  repositoryUrl: string;
  /** Which event triggered the build. */
  event: 'branch' | 'tag' | 'pr' | 'other';
}
