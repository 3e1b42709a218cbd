import { branchBuild, commitId, envValue, isoDate, otherBuild, pullRequestBuild, requestNumber, tagBuild, type Env } from './ci-env.js';
import { knownFacts, type SourceContext } from '../domain/source-context.js';
import { webUrlFromRemote } from './git.js';

/**
 * Builds the SourceContext from GitLab CI's predefined variables.
 *
 * - tag pipeline: `CI_COMMIT_TAG`;
 * - merge request pipeline: `CI_MERGE_REQUEST_IID` with the head branch
 *   `CI_MERGE_REQUEST_SOURCE_BRANCH_NAME` (external GitHub pull requests:
 *   `CI_EXTERNAL_PULL_REQUEST_IID` / `…_SOURCE_BRANCH_NAME`); the ref is the
 *   CI-neutral `refs/pull/<iid>/merge`;
 * - branch pipeline: `CI_COMMIT_BRANCH` (GitLab before 12.6 only set
 *   `CI_COMMIT_REF_NAME`, which is then taken as the branch).
 *
 * The run number is `CI_PIPELINE_IID` (per project, increasing, like
 * GITHUB_RUN_NUMBER); the default branch `CI_DEFAULT_BRANCH`; the repository
 * URL `CI_PROJECT_URL`. A scheduled pipeline has `CI_PIPELINE_SOURCE=schedule`
 * (it runs on the ref the schedule names, so `{{is_default_branch}}` compares
 * that branch with `CI_DEFAULT_BRANCH`); a merge request's target branch is
 * `{{base_ref}}`; `CI_COMMIT_TIMESTAMP` is the commit date.
 */
export function sourceContextFromGitLab(env: Env): SourceContext {
  const tag = envValue(env, 'CI_COMMIT_TAG');
  const mergeRequest = requestNumber(envValue(env, 'CI_MERGE_REQUEST_IID'));
  const externalPull = requestNumber(envValue(env, 'CI_EXTERNAL_PULL_REQUEST_IID'));
  const branch = envValue(env, 'CI_COMMIT_BRANCH');
  const refName = envValue(env, 'CI_COMMIT_REF_NAME');

  const build =
    tag !== ''
      ? tagBuild(tag)
      : mergeRequest !== undefined
        ? pullRequestBuild(mergeRequest, envValue(env, 'CI_MERGE_REQUEST_SOURCE_BRANCH_NAME') || refName)
        : externalPull !== undefined
          ? pullRequestBuild(externalPull, envValue(env, 'CI_EXTERNAL_PULL_REQUEST_SOURCE_BRANCH_NAME') || refName)
          : branch !== ''
            ? branchBuild(branch)
            : refName !== ''
              ? branchBuild(refName)
              : otherBuild();
  const request =
    build.event !== 'pr'
      ? {}
      : mergeRequest !== undefined
        ? { baseRef: envValue(env, 'CI_MERGE_REQUEST_TARGET_BRANCH_NAME'), pullRequestHeadSha: commitId(envValue(env, 'CI_MERGE_REQUEST_SOURCE_BRANCH_SHA')) }
        : { baseRef: envValue(env, 'CI_EXTERNAL_PULL_REQUEST_TARGET_BRANCH_NAME'), pullRequestHeadSha: commitId(envValue(env, 'CI_EXTERNAL_PULL_REQUEST_SOURCE_BRANCH_SHA')) };
  return {
    ...build,
    sha: commitId(envValue(env, 'CI_COMMIT_SHA')),
    defaultBranch: envValue(env, 'CI_DEFAULT_BRANCH'),
    runNumber: envValue(env, 'CI_PIPELINE_IID'),
    repositoryUrl: webUrlFromRemote(envValue(env, 'CI_PROJECT_URL')),
    ...knownFacts({
      scheduled: envValue(env, 'CI_PIPELINE_SOURCE') === 'schedule',
      ...request,
      commitDate: isoDate(envValue(env, 'CI_COMMIT_TIMESTAMP')),
      repositoryDescription: envValue(env, 'CI_PROJECT_DESCRIPTION'),
    }),
  };
}
