import type { Exec } from '../ports.js';
import { sourceContextFromAzure } from './azure.js';
import type { Env } from './ci-env.js';
import type { SourceContext } from '../domain/source-context.js';
import { readGitFacts, sourceContextFromGitFacts, type GitFacts } from './git.js';
import { gitMayFindRepository } from './git-discovery.js';
import { sourceContextFromGitHub } from './github.js';
import { sourceContextFromGitLab } from './gitlab.js';
import { sourceContextFromJenkins } from './jenkins.js';

export type CiSystem = 'github' | 'gitlab' | 'azure' | 'jenkins' | 'git' | 'none';

export interface DetectedSource {
  ci: CiSystem;
  source: SourceContext;
}

export const EMPTY_SOURCE: SourceContext = Object.freeze({
  sha: '',
  ref: '',
  branch: '',
  tag: '',
  pullRequest: undefined,
  defaultBranch: '',
  runNumber: '',
  repositoryUrl: '',
  event: 'other',
});

/** Which CI system's variables are present (the marker each one sets on every job), else undefined. */
export function detectCi(env: Env): Exclude<CiSystem, 'git' | 'none'> | undefined {
  const set = (name: string): boolean => (env[name] ?? '').trim() !== '';
  if ((env['GITHUB_ACTIONS'] ?? '').trim().toLowerCase() === 'true') return 'github';
  if ((env['GITLAB_CI'] ?? '').trim().toLowerCase() === 'true') return 'gitlab';
  if ((env['TF_BUILD'] ?? '').trim().toLowerCase() === 'true') return 'azure';
  if (set('JENKINS_URL')) return 'jenkins';
  return undefined;
}

/**
 * The SourceContext of this build: from the CI system's variables when one is
 * detected (GitHub Actions, GitLab CI, Azure Pipelines, Jenkins), else from
 * git in `cwd`, else empty (fixed tags still work; computed ones say why they
 * give nothing). What a CI leaves unknown (the default branch on Azure and
 * Jenkins) is filled from git when the checkout knows it; git never
 * overrides a CI's own value. Outside a repository git is not started at all.
 */
export async function sourceContextFromEnvironment(
  env: Env,
  cwd: string,
  exec: Exec,
  readFile: (path: string) => string | undefined,
): Promise<DetectedSource> {
  const ci = detectCi(env);
  // git is only started where it could find a repository (git-discovery.ts).
  const gitFacts = async (): Promise<GitFacts | undefined> => (gitMayFindRepository(cwd, env) ? readGitFacts(exec, cwd) : undefined);
  if (ci === undefined) {
    const facts = await gitFacts();
    return facts ? { ci: 'git', source: sourceContextFromGitFacts(facts) } : { ci: 'none', source: { ...EMPTY_SOURCE } };
  }
  const source = fromCi(ci, env, readFile);
  if (source.sha !== '' && source.defaultBranch !== '' && source.repositoryUrl !== '') return { ci, source };
  const facts = await gitFacts();
  return { ci, source: facts ? fillGaps(source, facts) : source };
}

function fromCi(ci: Exclude<CiSystem, 'git' | 'none'>, env: Env, readFile: (path: string) => string | undefined): SourceContext {
  switch (ci) {
    case 'github':
      return sourceContextFromGitHub(env, readFile);
    case 'gitlab':
      return sourceContextFromGitLab(env);
    case 'azure':
      return sourceContextFromAzure(env);
    case 'jenkins':
      return sourceContextFromJenkins(env);
  }
}

/** Only empty fields are filled, and only those that do not decide the event (sha, default branch, repository URL). */
function fillGaps(source: SourceContext, facts: GitFacts): SourceContext {
  return {
    ...source,
    sha: source.sha || facts.sha,
    defaultBranch: source.defaultBranch || facts.defaultBranch,
    repositoryUrl: source.repositoryUrl || facts.repositoryUrl,
  };
}
