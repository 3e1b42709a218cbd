/**
 * The SourceContext of a plain git checkout (a laptop, or a CI system imageship
 * does not know), read with the `git` CLI in the workspace through the Exec
 * port. Also fills what a CI's variables leave out (e.g. the default branch on
 * Azure Pipelines and Jenkins).
 */
import type { Exec } from '../ports.js';
import { branchBuild, commitId, otherBuild, tagBuild } from './ci-env.js';
import type { SourceContext } from '../domain/source-context.js';

/** What git knows about the checkout; '' for anything it cannot tell. */
export interface GitFacts {
  sha: string;
  /** Current branch; '' on a detached HEAD. */
  branch: string;
  /** A tag pointing exactly at HEAD, else ''. */
  tag: string;
  /** From `refs/remotes/origin/HEAD` (set by `git clone`; `git remote set-head origin -a` sets it otherwise). */
  defaultBranch: string;
  /** Web URL of `origin`, credentials removed. */
  repositoryUrl: string;
}

/** Reads the facts, or returns undefined when `cwd` is not a git work tree with a commit (or git is missing). */
export async function readGitFacts(exec: Exec, cwd: string): Promise<GitFacts | undefined> {
  const git = async (...args: string[]): Promise<string> => {
    try {
      const result = await exec({ command: 'git', args, cwd, silent: true, timeoutMs: 15_000 });
      return result.exitCode === 0 ? result.stdout.trim() : '';
    } catch {
      return ''; // git is not installed
    }
  };
  const sha = commitId(await git('rev-parse', '--verify', '-q', 'HEAD'));
  if (sha === '') return undefined;
  const [branch, tag, remote, originHead] = await Promise.all([
    git('symbolic-ref', '-q', '--short', 'HEAD'),
    git('describe', '--tags', '--exact-match', 'HEAD'),
    git('remote', 'get-url', 'origin'),
    git('symbolic-ref', '-q', 'refs/remotes/origin/HEAD'),
  ]);
  return {
    sha,
    branch,
    tag,
    defaultBranch: originHead.startsWith('refs/remotes/origin/') ? originHead.slice('refs/remotes/origin/'.length) : '',
    repositoryUrl: webUrlFromRemote(remote),
  };
}

/**
 * A commit that carries a tag is built as a tag build (as a tag pipeline
 * would build it), otherwise a branch build, otherwise (detached HEAD)
 * `other`. Plain git has no run number and no pull requests.
 */
export function sourceContextFromGitFacts(facts: GitFacts): SourceContext {
  const build = facts.tag !== '' ? tagBuild(facts.tag) : facts.branch !== '' ? branchBuild(facts.branch) : otherBuild();
  return { ...build, sha: facts.sha, defaultBranch: facts.defaultBranch, runNumber: '', repositoryUrl: facts.repositoryUrl };
}

export async function sourceContextFromGit(exec: Exec, cwd: string): Promise<SourceContext | undefined> {
  const facts = await readGitFacts(exec, cwd);
  return facts && sourceContextFromGitFacts(facts);
}

const SCP_LIKE = /^(?:[^@/\s]+@)?([A-Za-z0-9.-]{2,}):(?!\/\/)\/?(.+)$/;

/**
 * Turns a git remote URL into the repository's web URL for the
 * `org.opencontainers.image.source` label: `https://host/path` without user,
 * password or token (CI checkouts often embed one), query, or `.git`.
 * ssh and scp-like remotes (`git@host:org/repo.git`) become https. Local paths
 * and unparseable text give ''.
 */
export function webUrlFromRemote(remote: string): string {
  const text = remote.trim();
  if (text === '') return '';
  let host: string;
  let path: string;
  let origin: string;
  const scp = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? null : SCP_LIKE.exec(text);
  if (scp) {
    host = scp[1]!.toLowerCase();
    path = scp[2]!;
    origin = `https://${host}`;
  } else {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return '';
    }
    const scheme = url.protocol.replace(/:$/, '').toLowerCase();
    if (url.hostname === '') return '';
    host = url.hostname.toLowerCase();
    path = url.pathname;
    if (scheme === 'http' || scheme === 'https') origin = `${scheme}://${url.host.toLowerCase()}`;
    else if (scheme === 'ssh' || scheme === 'git' || scheme === 'git+ssh' || scheme === 'ssh+git') origin = `https://${host}`;
    else return '';
  }
  path = path.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/, '');
  if (path === '') return '';
  // Azure Repos over ssh: ssh.dev.azure.com:v3/org/project/repo → dev.azure.com/org/project/_git/repo
  const azure = /^v3\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(path);
  if (host === 'ssh.dev.azure.com' && azure) return `https://dev.azure.com/${azure[1]}/${azure[2]}/_git/${azure[3]}`;
  return `${origin}/${path}`;
}
