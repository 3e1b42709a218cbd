import { branchBuild, commitId, envValue, otherBuild, pullRequestBuild, requestNumber, tagBuild, type Env } from './ci-env.js';
import type { SourceContext } from './context.js';
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
 * URL `CI_PROJECT_URL`.
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
  return {
    ...build,
    sha: commitId(envValue(env, 'CI_COMMIT_SHA')),
    defaultBranch: envValue(env, 'CI_DEFAULT_BRANCH'),
    runNumber: envValue(env, 'CI_PIPELINE_IID'),
    repositoryUrl: webUrlFromRemote(envValue(env, 'CI_PROJECT_URL')),
  };
}
