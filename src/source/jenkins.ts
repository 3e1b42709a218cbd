import { branchBuild, commitId, envValue, otherBuild, pullRequestBuild, requestNumber, tagBuild, type Env } from './ci-env.js';
import { knownFacts, type SourceContext } from '../domain/source-context.js';
import { webUrlFromRemote } from './git.js';

/**
 * Builds the SourceContext from the variables of Jenkins' Git plugin and of
 * multibranch pipelines.
 *
 * - pull/merge request (multibranch): `CHANGE_ID`, head branch `CHANGE_BRANCH`;
 * - tag: `TAG_NAME` (multibranch tag discovery), or a `GIT_BRANCH` of
 *   `refs/tags/<tag>` / `tags/<tag>` (a freestyle job building a tag refspec);
 * - branch: `GIT_BRANCH` without its `origin/` (or `refs/remotes/origin/`)
 *   prefix, else `BRANCH_NAME`; `detached` / `HEAD` mean no branch.
 *
 * The run number is `BUILD_NUMBER`; the repository URL `GIT_URL` (ssh remotes
 * become https, credentials are removed). Jenkins has no variable for the
 * default branch: it stays '' here and is taken from git when the checkout knows it.
 * A change request's target is `CHANGE_TARGET` (`{{base_ref}}`). Jenkins sets
 * no variable for a timer-triggered build; `BUILD_CAUSE` (or `ROOT_BUILD_CAUSE`)
 * containing `TIMERTRIGGER`, as the EnvInject plugin sets it (or the pipeline
 * itself), marks a scheduled run.
 */
export function sourceContextFromJenkins(env: Env): SourceContext {
  const change = requestNumber(envValue(env, 'CHANGE_ID'));
  const tagName = envValue(env, 'TAG_NAME');
  const gitBranch = localBranchName(envValue(env, 'GIT_BRANCH') || envValue(env, 'BRANCH_NAME'));
  const refTag = /^(?:refs\/)?tags\/(.+)$/.exec(gitBranch);

  const build =
    change !== undefined
      ? pullRequestBuild(change, envValue(env, 'CHANGE_BRANCH'))
      : tagName !== ''
        ? tagBuild(tagName)
        : refTag
          ? tagBuild(refTag[1]!)
          : gitBranch !== '' && gitBranch !== 'detached' && gitBranch !== 'HEAD'
            ? branchBuild(gitBranch)
            : otherBuild();
  const cause = `${envValue(env, 'BUILD_CAUSE')},${envValue(env, 'ROOT_BUILD_CAUSE')}`.toUpperCase();
  return {
    ...build,
    sha: commitId(envValue(env, 'GIT_COMMIT')),
    defaultBranch: '',
    runNumber: envValue(env, 'BUILD_NUMBER'),
    repositoryUrl: webUrlFromRemote(envValue(env, 'GIT_URL')),
    ...knownFacts({ scheduled: cause.includes('TIMERTRIGGER'), baseRef: build.event === 'pr' ? envValue(env, 'CHANGE_TARGET') : '' }),
  };
}

/** `origin/main`, `refs/remotes/origin/main`, `remotes/origin/main`, `refs/heads/main` → `main`. */
function localBranchName(name: string): string {
  return name.replace(/^(?:refs\/)?(?:remotes\/)?origin\//, '').replace(/^refs\/heads\//, '');
}
