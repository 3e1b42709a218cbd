/**
 * What the current build is building, independent of the CI system that runs
 * it. GitHub, GitLab, Azure Pipelines, Jenkins and plain git fill the same
 * shape, so computed tags come out identical on every CI.
 *
 * The optional fields feed docker/metadata-action's extras (`{{base_ref}}`,
 * `{{commit_date}}`, `type=schedule`, the OCI description and licenses); a
 * reader sets them only when its CI knows them.
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
  /** The run was started by a schedule (GitHub `schedule`, GitLab `CI_PIPELINE_SOURCE=schedule`, Azure `BUILD_REASON=Schedule`, …). */
  scheduled?: boolean;
  /**
   * The CI runs this event only for the last commit of the default branch
   * (GitHub's `schedule`, `create`, `issues`, `discussion`), so
   * `{{is_default_branch}}` is true whatever the ref says, as in
   * docker/metadata-action.
   */
  defaultBranchEvent?: boolean;
  /** Target branch of the pull request (for GitHub tag pushes: the payload's `base_ref`), without `refs/heads/`. */
  baseRef?: string;
  /** The pull request's head commit (full id), for `DOCKER_METADATA_PR_HEAD_SHA`. */
  pullRequestHeadSha?: string;
  /** When the commit was committed, ISO 8601, for `{{commit_date}}`. */
  commitDate?: string;
  /** Repository description (GitHub event payload; GitLab `CI_PROJECT_DESCRIPTION`). */
  repositoryDescription?: string;
  /** SPDX id of the repository's license (GitHub event payload). */
  repositoryLicense?: string;
}

/** Only the facts that are known: empty strings and `false` are left out, so a context lists what its CI told. */
export function knownFacts(
  facts: Pick<SourceContext, 'scheduled' | 'defaultBranchEvent' | 'baseRef' | 'pullRequestHeadSha' | 'commitDate' | 'repositoryDescription' | 'repositoryLicense'>,
): Partial<SourceContext> {
  const known: Partial<SourceContext> = {};
  for (const [key, value] of Object.entries(facts)) {
    if (value !== undefined && value !== '' && value !== false) (known as Record<string, unknown>)[key] = value;
  }
  return known;
}
