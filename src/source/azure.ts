import { branchBuild, commitId, envValue, otherBuild, pullRequestBuild, requestNumber, stripHeads, tagBuild, type Env } from './ci-env.js';
import { knownFacts, type SourceContext } from '../domain/source-context.js';
import { webUrlFromRemote } from './git.js';

/**
 * Builds the SourceContext from Azure Pipelines' predefined variables (as the
 * agent exports them: `Build.SourceBranch` → `BUILD_SOURCEBRANCH`).
 *
 * - `BUILD_SOURCEBRANCH`: `refs/heads/<branch>`, `refs/tags/<tag>` or, for a
 *   pull request build, `refs/pull/<n>/merge`. The PR number is
 *   `SYSTEM_PULLREQUEST_PULLREQUESTNUMBER` (GitHub), else the `<n>` of the ref
 *   (Azure Repos' PR id), else `SYSTEM_PULLREQUEST_PULLREQUESTID`; the head
 *   branch is `SYSTEM_PULLREQUEST_SOURCEBRANCH` without `refs/heads/`.
 * - run number: `BUILD_BUILDID`, an integer that only grows, like
 *   GITHUB_RUN_NUMBER and CI_PIPELINE_IID. `BUILD_BUILDNUMBER` is not used: it
 *   is a free-form name (`20240131.3` by default, any `name:` format), so
 *   `{{run_number}}` would not mean the same thing on every CI.
 * - default branch: Azure has no variable for it (`SYSTEM_PULLREQUEST_TARGETBRANCH`
 *   is only a PR's target), so it stays '' here; sourceContextFromEnvironment
 *   then takes it from git (`refs/remotes/origin/HEAD`) when the checkout has it.
 * - repository URL: `BUILD_REPOSITORY_URI`, without the `org@` user Azure Repos puts in it.
 * - a scheduled run has `BUILD_REASON=Schedule`; a pull request's target branch
 *   (`SYSTEM_PULLREQUEST_TARGETBRANCH`) is `{{base_ref}}`, its head commit
 *   `SYSTEM_PULLREQUEST_SOURCECOMMITID`.
 */
export function sourceContextFromAzure(env: Env): SourceContext {
  const sourceBranch = envValue(env, 'BUILD_SOURCEBRANCH');
  const pull = /^refs\/pull\/(\d+)\/(?:merge|head)$/.exec(sourceBranch);
  const pullNumber =
    requestNumber(envValue(env, 'SYSTEM_PULLREQUEST_PULLREQUESTNUMBER')) ??
    (pull ? requestNumber(pull[1]!) : undefined) ??
    requestNumber(envValue(env, 'SYSTEM_PULLREQUEST_PULLREQUESTID'));

  const build =
    pullNumber !== undefined && (pull !== null || envValue(env, 'BUILD_REASON') === 'PullRequest')
      ? pullRequestBuild(pullNumber, stripHeads(envValue(env, 'SYSTEM_PULLREQUEST_SOURCEBRANCH')))
      : sourceBranch.startsWith('refs/heads/')
        ? branchBuild(sourceBranch.slice('refs/heads/'.length))
        : sourceBranch.startsWith('refs/tags/')
          ? tagBuild(sourceBranch.slice('refs/tags/'.length))
          : otherBuild(sourceBranch);
  const request =
    build.event === 'pr'
      ? { baseRef: stripHeads(envValue(env, 'SYSTEM_PULLREQUEST_TARGETBRANCH')), pullRequestHeadSha: commitId(envValue(env, 'SYSTEM_PULLREQUEST_SOURCECOMMITID')) }
      : {};
  return {
    ...build,
    sha: commitId(envValue(env, 'BUILD_SOURCEVERSION')),
    defaultBranch: '',
    runNumber: envValue(env, 'BUILD_BUILDID'),
    repositoryUrl: webUrlFromRemote(envValue(env, 'BUILD_REPOSITORY_URI')),
    ...knownFacts({ scheduled: envValue(env, 'BUILD_REASON') === 'Schedule', ...request }),
  };
}
