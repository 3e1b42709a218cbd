/**
 * The source context per CI system: GitLab CI, Azure Pipelines and Jenkins
 * variables, plain git (against a real repository), detection, and the promise
 * that matters to users: the same event gives the same SourceContext, and so
 * the same computed tags, on every CI.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Exec, ExecRequest } from '../../src/ports.js';
import { sourceContextFromAzure } from '../../src/source/azure.js';
import type { SourceContext } from '../../src/domain/source-context.js';
import { detectCi, sourceContextFromEnvironment } from '../../src/source/detect.js';
import { readGitFacts, sourceContextFromGit, webUrlFromRemote } from '../../src/source/git.js';
import { gitMayFindRepository } from '../../src/source/git-discovery.js';
import { sourceContextFromGitLab } from '../../src/source/gitlab.js';
import { sourceContextFromJenkins } from '../../src/source/jenkins.js';
import { computeTags } from '../../src/domain/tags/index.js';
import { createNodeExec } from '../../src/util/node-exec.js';
import { tempDir } from '../helpers/temp-dir.js';

const SHA = '0123abcd4567ef890123abcd4567ef890123abcd';
const REPO = 'https://git.example.com/acme/shop';

function context(overrides: Partial<SourceContext>): SourceContext {
  return { sha: SHA, ref: '', branch: '', tag: '', pullRequest: undefined, defaultBranch: '', runNumber: '', repositoryUrl: '', event: 'other', ...overrides };
}

describe('GitLab CI', () => {
  const base = { GITLAB_CI: 'true', CI: 'true', CI_COMMIT_SHA: SHA, CI_DEFAULT_BRANCH: 'main', CI_PIPELINE_IID: '77', CI_PROJECT_URL: 'https://gitlab.com/acme/shop' };
  const common = { defaultBranch: 'main', runNumber: '77', repositoryUrl: 'https://gitlab.com/acme/shop' };

  test('tag pipeline', () => {
    const env = { ...base, CI_COMMIT_TAG: 'v1.2.3', CI_COMMIT_REF_NAME: 'v1.2.3', CI_PIPELINE_SOURCE: 'push' };
    assert.deepEqual(sourceContextFromGitLab(env), context({ ...common, event: 'tag', ref: 'refs/tags/v1.2.3', tag: 'v1.2.3' }));
  });

  test('branch pipeline', () => {
    const env = { ...base, CI_COMMIT_BRANCH: 'feature/x', CI_COMMIT_REF_NAME: 'feature/x' };
    assert.deepEqual(sourceContextFromGitLab(env), context({ ...common, event: 'branch', ref: 'refs/heads/feature/x', branch: 'feature/x' }));
  });

  test('merge request pipeline: CI_COMMIT_BRANCH is unset there; the head branch is the MR source branch', () => {
    const env = { ...base, CI_MERGE_REQUEST_IID: '42', CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'feature/x', CI_COMMIT_REF_NAME: 'feature/x', CI_PIPELINE_SOURCE: 'merge_request_event' };
    assert.deepEqual(sourceContextFromGitLab(env), context({ ...common, event: 'pr', ref: 'refs/pull/42/merge', branch: 'feature/x', pullRequest: 42 }));
  });

  test('external pull request pipeline (GitHub repository on GitLab CI/CD)', () => {
    const env = { ...base, CI_EXTERNAL_PULL_REQUEST_IID: '9', CI_EXTERNAL_PULL_REQUEST_SOURCE_BRANCH_NAME: 'fix', CI_COMMIT_REF_NAME: 'fix' };
    assert.deepEqual(sourceContextFromGitLab(env), context({ ...common, event: 'pr', ref: 'refs/pull/9/merge', branch: 'fix', pullRequest: 9 }));
  });

  test('GitLab before 12.6: only CI_COMMIT_REF_NAME names the branch', () => {
    assert.equal(sourceContextFromGitLab({ ...base, CI_COMMIT_REF_NAME: 'main' }).branch, 'main');
  });

  test('nothing known: an other build; a short sha is not trusted', () => {
    assert.deepEqual(sourceContextFromGitLab({ GITLAB_CI: 'true', CI_COMMIT_SHA: 'abc1234' }), context({ sha: '' }));
  });
});

describe('Azure Pipelines', () => {
  const base = { TF_BUILD: 'True', BUILD_SOURCEVERSION: SHA, BUILD_BUILDID: '1234', BUILD_BUILDNUMBER: '20240131.3', BUILD_REPOSITORY_URI: 'https://acme@dev.azure.com/acme/shop/_git/shop' };
  const common = { runNumber: '1234', repositoryUrl: 'https://dev.azure.com/acme/shop/_git/shop', defaultBranch: '' };

  test('branch build; the run number is BUILD_BUILDID, the org@ user is dropped from the URL', () => {
    const env = { ...base, BUILD_SOURCEBRANCH: 'refs/heads/feature/x', BUILD_SOURCEBRANCHNAME: 'x', BUILD_REASON: 'IndividualCI' };
    assert.deepEqual(sourceContextFromAzure(env), context({ ...common, event: 'branch', ref: 'refs/heads/feature/x', branch: 'feature/x' }));
  });

  test('tag build', () => {
    const env = { ...base, BUILD_SOURCEBRANCH: 'refs/tags/v1.2.3', BUILD_REASON: 'IndividualCI' };
    assert.deepEqual(sourceContextFromAzure(env), context({ ...common, event: 'tag', ref: 'refs/tags/v1.2.3', tag: 'v1.2.3' }));
  });

  test('GitHub pull request: SYSTEM_PULLREQUEST_PULLREQUESTNUMBER and a bare source branch', () => {
    const env = {
      ...base,
      BUILD_SOURCEBRANCH: 'refs/pull/42/merge',
      BUILD_REASON: 'PullRequest',
      SYSTEM_PULLREQUEST_PULLREQUESTNUMBER: '42',
      SYSTEM_PULLREQUEST_PULLREQUESTID: '1711122233',
      SYSTEM_PULLREQUEST_SOURCEBRANCH: 'feature/x',
      SYSTEM_PULLREQUEST_TARGETBRANCH: 'main',
    };
    // The PR's target branch is not taken for the default branch; it is {{base_ref}}.
    assert.deepEqual(sourceContextFromAzure(env), context({ ...common, event: 'pr', ref: 'refs/pull/42/merge', branch: 'feature/x', pullRequest: 42, baseRef: 'main' }));
  });

  test('Azure Repos pull request: the id from the ref, the source branch as refs/heads/…', () => {
    const env = { ...base, BUILD_SOURCEBRANCH: 'refs/pull/17/merge', BUILD_REASON: 'PullRequest', SYSTEM_PULLREQUEST_PULLREQUESTID: '17', SYSTEM_PULLREQUEST_SOURCEBRANCH: 'refs/heads/feature/x', SYSTEM_PULLREQUEST_TARGETBRANCH: 'refs/heads/main' };
    assert.deepEqual(sourceContextFromAzure(env), context({ ...common, event: 'pr', ref: 'refs/pull/17/merge', branch: 'feature/x', pullRequest: 17, baseRef: 'main' }));
  });

  test('an unusual source branch is an other build that keeps its ref', () => {
    assert.deepEqual(sourceContextFromAzure({ ...base, BUILD_SOURCEBRANCH: 'refs/notes/x' }), context({ ...common, ref: 'refs/notes/x' }));
  });
});

describe('Jenkins', () => {
  const base = { JENKINS_URL: 'https://ci.example.com/', GIT_COMMIT: SHA, BUILD_NUMBER: '55', GIT_URL: 'https://jenkins:tok3n-VALUE@github.com/acme/shop.git' };
  const common = { runNumber: '55', repositoryUrl: 'https://github.com/acme/shop', defaultBranch: '' };

  test('freestyle branch build: GIT_BRANCH without origin/, credentials stripped from GIT_URL', () => {
    const source = sourceContextFromJenkins({ ...base, GIT_BRANCH: 'origin/feature/x' });
    assert.deepEqual(source, context({ ...common, event: 'branch', ref: 'refs/heads/feature/x', branch: 'feature/x' }));
    assert.ok(!JSON.stringify(source).includes('tok3n'));
  });

  test('multibranch branch build (GIT_BRANCH without a remote)', () => {
    assert.equal(sourceContextFromJenkins({ ...base, GIT_BRANCH: 'main', BRANCH_NAME: 'main' }).branch, 'main');
    assert.equal(sourceContextFromJenkins({ ...base, GIT_BRANCH: 'refs/remotes/origin/main' }).branch, 'main');
  });

  test('multibranch tag build: TAG_NAME', () => {
    assert.deepEqual(sourceContextFromJenkins({ ...base, TAG_NAME: 'v1.2.3', BRANCH_NAME: 'v1.2.3', GIT_BRANCH: 'v1.2.3' }), context({ ...common, event: 'tag', ref: 'refs/tags/v1.2.3', tag: 'v1.2.3' }));
  });

  test('freestyle job building a tag refspec', () => {
    assert.equal(sourceContextFromJenkins({ ...base, GIT_BRANCH: 'refs/tags/v2.0.0' }).tag, 'v2.0.0');
  });

  test('change request: CHANGE_ID and CHANGE_BRANCH', () => {
    const env = { ...base, CHANGE_ID: '42', CHANGE_BRANCH: 'feature/x', CHANGE_TARGET: 'main', BRANCH_NAME: 'PR-42', GIT_BRANCH: 'PR-42' };
    assert.deepEqual(sourceContextFromJenkins(env), context({ ...common, event: 'pr', ref: 'refs/pull/42/merge', branch: 'feature/x', pullRequest: 42, baseRef: 'main' }));
  });

  test('detached HEAD: no branch', () => {
    assert.equal(sourceContextFromJenkins({ ...base, GIT_BRANCH: 'detached' }).event, 'other');
  });
});

describe('remote URL → web URL', () => {
  const cases: [string, string][] = [
    ['https://github.com/acme/shop.git', 'https://github.com/acme/shop'],
    ['https://x-access-token:ghs_abc123@github.com/acme/shop.git', 'https://github.com/acme/shop'],
    ['https://gitlab-ci-token:glcbt-SECRET@gitlab.example.com:8443/group/sub/shop.git/', 'https://gitlab.example.com:8443/group/sub/shop'],
    ['git@github.com:acme/shop.git', 'https://github.com/acme/shop'],
    ['ssh://git@git.example.com:2222/acme/shop.git', 'https://git.example.com/acme/shop'],
    ['git://git.example.com/acme/shop', 'https://git.example.com/acme/shop'],
    ['git@ssh.dev.azure.com:v3/acme/shop/shop', 'https://dev.azure.com/acme/shop/_git/shop'],
    ['https://acme@dev.azure.com/acme/shop/_git/shop', 'https://dev.azure.com/acme/shop/_git/shop'],
    ['http://127.0.0.1:3000/acme/shop.git?token=abc#x', 'http://127.0.0.1:3000/acme/shop'],
    ['/srv/git/shop.git', ''],
    ['file:///srv/git/shop.git', ''],
    ['', ''],
  ];
  for (const [remote, web] of cases) test(`${remote || '(empty)'} → ${web || "''"}`, () => assert.equal(webUrlFromRemote(remote), web));
});

// ------------------------------------------------------------------ equivalence

type Event = { kind: 'branch'; branch: string } | { kind: 'tag'; tag: string } | { kind: 'pr'; number: number; head: string };

const EVENTS: Record<string, Event> = {
  'default branch': { kind: 'branch', branch: 'main' },
  'feature branch': { kind: 'branch', branch: 'feature/x' },
  'release tag': { kind: 'tag', tag: 'v1.2.3' },
  'pre-release tag': { kind: 'tag', tag: 'v2.0.0-rc.1' },
  'pull/merge request': { kind: 'pr', number: 42, head: 'feature/x' },
};

type Env = Record<string, string>;
interface CiCase {
  env: Env;
  files?: Record<string, string>;
}

/** How each CI describes the event, with its own variables (repository on a self-hosted git.example.com). */
const DESCRIBE: Record<'github' | 'gitlab' | 'azure' | 'jenkins', (event: Event) => CiCase> = {
  github: (event) => {
    const ref = event.kind === 'branch' ? `refs/heads/${event.branch}` : event.kind === 'tag' ? `refs/tags/${event.tag}` : `refs/pull/${event.number}/merge`;
    const payload = { repository: { default_branch: 'main' }, ...(event.kind === 'pr' ? { number: event.number, pull_request: { number: event.number, head: { ref: event.head } } } : {}) };
    return {
      env: {
        GITHUB_ACTIONS: 'true',
        GITHUB_REF: ref,
        GITHUB_SHA: SHA,
        GITHUB_RUN_NUMBER: '77',
        GITHUB_EVENT_NAME: event.kind === 'pr' ? 'pull_request' : 'push',
        GITHUB_EVENT_PATH: '/runner/event.json',
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_SERVER_URL: 'https://git.example.com',
        ...(event.kind === 'pr' ? { GITHUB_HEAD_REF: event.head, GITHUB_BASE_REF: 'main' } : {}),
      },
      files: { '/runner/event.json': JSON.stringify(payload) },
    };
  },
  gitlab: (event) => ({
    env: {
      GITLAB_CI: 'true',
      CI_COMMIT_SHA: SHA,
      CI_DEFAULT_BRANCH: 'main',
      CI_PIPELINE_IID: '77',
      CI_PROJECT_URL: REPO,
      ...(event.kind === 'branch' ? { CI_COMMIT_BRANCH: event.branch, CI_COMMIT_REF_NAME: event.branch } : {}),
      ...(event.kind === 'tag' ? { CI_COMMIT_TAG: event.tag, CI_COMMIT_REF_NAME: event.tag } : {}),
      ...(event.kind === 'pr'
        ? { CI_MERGE_REQUEST_IID: String(event.number), CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: event.head, CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main', CI_COMMIT_REF_NAME: event.head }
        : {}),
    },
  }),
  azure: (event) => ({
    env: {
      TF_BUILD: 'True',
      BUILD_SOURCEVERSION: SHA,
      BUILD_BUILDID: '77',
      BUILD_BUILDNUMBER: '20240131.2',
      BUILD_REPOSITORY_URI: 'https://ci-bot@git.example.com/acme/shop.git',
      BUILD_SOURCEBRANCH: event.kind === 'branch' ? `refs/heads/${event.branch}` : event.kind === 'tag' ? `refs/tags/${event.tag}` : `refs/pull/${event.number}/merge`,
      BUILD_REASON: event.kind === 'pr' ? 'PullRequest' : 'IndividualCI',
      ...(event.kind === 'pr' ? { SYSTEM_PULLREQUEST_PULLREQUESTNUMBER: String(event.number), SYSTEM_PULLREQUEST_SOURCEBRANCH: event.head, SYSTEM_PULLREQUEST_TARGETBRANCH: 'main' } : {}),
    },
  }),
  jenkins: (event) => ({
    env: {
      JENKINS_URL: 'https://jenkins.example.com/',
      GIT_COMMIT: SHA,
      BUILD_NUMBER: '77',
      GIT_URL: 'git@git.example.com:acme/shop.git',
      ...(event.kind === 'branch' ? { GIT_BRANCH: `origin/${event.branch}` } : {}),
      ...(event.kind === 'tag' ? { TAG_NAME: event.tag, BRANCH_NAME: event.tag, GIT_BRANCH: event.tag } : {}),
      ...(event.kind === 'pr' ? { CHANGE_ID: String(event.number), CHANGE_BRANCH: event.head, CHANGE_TARGET: 'main', BRANCH_NAME: `PR-${event.number}`, GIT_BRANCH: `PR-${event.number}` } : {}),
    },
  }),
};

/** A folder git would take for a checkout (it has `.git`), for the fake git below to answer in. */
function checkoutFolder(): string {
  const dir = tempDir('imageship-checkout-');
  mkdirSync(join(dir, '.git'));
  return dir;
}

/** A checkout where `origin/HEAD` names main (what `git clone` sets up); every other git command fails. */
function fakeGit(calls: string[][] = []): Exec {
  return async (request: ExecRequest) => {
    calls.push([request.command, ...request.args]);
    const args = request.args.join(' ');
    const ok = (stdout: string) => ({ exitCode: 0, stdout: `${stdout}\n`, stderr: '' });
    if (args === 'rev-parse --verify -q HEAD') return ok(SHA);
    if (args === 'symbolic-ref -q refs/remotes/origin/HEAD') return ok('refs/remotes/origin/main');
    if (args === 'remote get-url origin') return ok('https://ci-bot:s3cr3t@git.example.com/acme/shop.git');
    return { exitCode: 128, stdout: '', stderr: 'fatal: no' };
  };
}

const RULES = [
  'type=raw,value=latest,enable={{is_default_branch}}',
  'type=ref,event=branch',
  'type=ref,event=tag',
  'type=ref,event=pr',
  'type=semver,pattern={{version}}',
  'type=semver,pattern={{major}}.{{minor}}',
  'type=sha',
  'type=raw,value=build-{{run_number}}',
].join('\n');

// In metadata-action's order: by priority (semver 900, ref 600, raw 200, sha 100), then `latest` (flavor latest=auto on a release).
const EXPECTED_TAGS: Record<string, string[]> = {
  'default branch': ['main', 'latest', 'build-77', 'sha-0123abc'],
  'feature branch': ['feature-x', 'build-77', 'sha-0123abc'],
  'release tag': ['1.2.3', '1.2', 'v1.2.3', 'build-77', 'sha-0123abc', 'latest'],
  'pre-release tag': ['2.0.0-rc.1', 'v2.0.0-rc.1', 'build-77', 'sha-0123abc'],
  'pull/merge request': ['pr-42', 'build-77', 'sha-0123abc'],
};

describe('the same event gives the same context and tags on every CI', () => {
  const now = new Date('2024-01-31T12:00:00Z');
  for (const [name, event] of Object.entries(EVENTS)) {
    test(name, async () => {
      const results: Record<string, SourceContext> = {};
      for (const [ci, describeEvent] of Object.entries(DESCRIBE)) {
        const { env, files = {} } = describeEvent(event);
        const detected = await sourceContextFromEnvironment(env, checkoutFolder(), fakeGit(), (path) => files[path]);
        assert.equal(detected.ci, ci);
        results[ci] = detected.source;
      }
      const [first, ...others] = Object.entries(results);
      for (const [ci, source] of others) assert.deepEqual(source, first![1], `${ci} differs from ${first![0]}`);

      const source = first![1];
      assert.equal(source.sha, SHA);
      assert.equal(source.defaultBranch, 'main');
      assert.equal(source.runNumber, '77');
      assert.equal(source.repositoryUrl, REPO);
      for (const [ci, context] of Object.entries(results)) {
        assert.deepEqual(computeTags({ rules: RULES, destination: 'swr.cn-north-4.myhuaweicloud.com/acme/shop' }, context, now).tags, EXPECTED_TAGS[name], ci);
      }
    });
  }

  test('plain git on the default branch and at a tag matches the CIs too (no run number there)', async () => {
    const dir = gitRepository();
    git(dir, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
    git(dir, 'remote', 'add', 'origin', 'git@git.example.com:acme/shop.git');
    const sha = git(dir, 'rev-parse', 'HEAD');
    const exec = createNodeExec({ writeLine: () => undefined });
    for (const [name, event] of [['default branch', EVENTS['default branch']!], ['release tag', EVENTS['release tag']!]] as const) {
      if (event.kind === 'tag') git(dir, 'tag', '-a', event.tag, '-m', 'release');
      const viaGit = await sourceContextFromEnvironment({}, dir, exec, () => undefined);
      assert.equal(viaGit.ci, 'git');
      const viaGitLab = await sourceContextFromEnvironment({ ...DESCRIBE.gitlab(event).env, CI_COMMIT_SHA: sha }, dir, exec, () => undefined);
      assert.deepEqual(viaGit.source, { ...viaGitLab.source, runNumber: '' }, name);
    }
  });
});

describe('detection', () => {
  test('each CI by its marker variable; GitHub first', () => {
    assert.equal(detectCi({ GITHUB_ACTIONS: 'true' }), 'github');
    assert.equal(detectCi({ GITLAB_CI: 'true' }), 'gitlab');
    assert.equal(detectCi({ TF_BUILD: 'True' }), 'azure');
    assert.equal(detectCi({ JENKINS_URL: 'https://ci/' }), 'jenkins');
    assert.equal(detectCi({ GITHUB_ACTIONS: 'true', GITLAB_CI: 'true' }), 'github');
    assert.equal(detectCi({ CI: 'true' }), undefined);
    assert.equal(detectCi({ GITLAB_CI: '' }), undefined);
  });

  test('no CI and no git: empty context, ci none', async () => {
    const failing: Exec = async () => ({ exitCode: 128, stdout: '', stderr: 'fatal: not a git repository' });
    const detected = await sourceContextFromEnvironment({}, checkoutFolder(), failing, () => undefined);
    assert.deepEqual(detected, { ci: 'none', source: context({ sha: '' }) });
    const missingGit: Exec = async () => {
      throw new Error('cannot start git: ENOENT');
    };
    assert.equal((await sourceContextFromEnvironment({}, checkoutFolder(), missingGit, () => undefined)).ci, 'none');
  });

  test('outside any repository git is not started (a package built from a downloaded file)', async () => {
    const calls: string[][] = [];
    const outside = tempDir('imageship-nogit-');
    assert.deepEqual(await sourceContextFromEnvironment({}, outside, fakeGit(calls), () => undefined), { ci: 'none', source: context({ sha: '' }) });
    // A CI that leaves the default branch to git (Jenkins) does not start it there either.
    const jenkins = await sourceContextFromEnvironment(DESCRIBE.jenkins(EVENTS['feature branch']!).env, outside, fakeGit(calls), () => undefined);
    assert.equal(jenkins.source.defaultBranch, '');
    assert.deepEqual(calls, []);
    // The same fake git answers once the folder is a checkout: the skip, not the fake, made the difference.
    assert.equal((await sourceContextFromEnvironment({}, checkoutFolder(), fakeGit(calls), () => undefined)).source.sha, SHA);
    assert.ok(calls.length > 0);
  });

  test('git discovery: .git (folder or file) here or in a parent, a bare repository, GIT_DIR; nothing else', () => {
    const outside = tempDir('imageship-nogit-');
    mkdirSync(join(outside, 'a', 'b'), { recursive: true });
    assert.equal(gitMayFindRepository(outside, {}), false);
    assert.equal(gitMayFindRepository(join(outside, 'a', 'b'), {}), false);
    assert.equal(gitMayFindRepository(join(outside, 'missing'), {}), false);
    assert.equal(gitMayFindRepository(outside, { GIT_DIR: '/elsewhere/.git' }), true);

    const checkout = checkoutFolder();
    mkdirSync(join(checkout, 'src', 'deep'), { recursive: true });
    assert.equal(gitMayFindRepository(join(checkout, 'src', 'deep'), {}), true);

    const worktree = tempDir('imageship-worktree-');
    writeFileSync(join(worktree, '.git'), 'gitdir: /elsewhere/.git/worktrees/w\n');
    assert.equal(gitMayFindRepository(worktree, {}), true);

    const bare = tempDir('imageship-bare-');
    git(bare, 'init', '-q', '--bare');
    assert.equal(gitMayFindRepository(bare, {}), true);
    assert.equal(gitMayFindRepository(join(bare, 'refs', 'heads'), {}), true);
  });

  test('a CI that gives everything does not run git; git never overrides a CI value', async () => {
    const calls: string[][] = [];
    await sourceContextFromEnvironment(DESCRIBE.gitlab(EVENTS['feature branch']!).env, checkoutFolder(), fakeGit(calls), () => undefined);
    assert.deepEqual(calls, []);
    const env = { ...DESCRIBE.jenkins(EVENTS['feature branch']!).env, GIT_URL: 'https://other.example.com/x/y.git' };
    const { source } = await sourceContextFromEnvironment(env, checkoutFolder(), fakeGit(calls), () => undefined);
    assert.equal(source.repositoryUrl, 'https://other.example.com/x/y');
    assert.equal(source.defaultBranch, 'main');
    assert.ok(calls.length > 0);
  });
});

// ------------------------------------------------------------------ plain git, for real

const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'imageship test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'imageship test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function gitRepository(): string {
  const dir = tempDir('imageship-git-');
  git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
  git(dir, 'add', 'Dockerfile');
  git(dir, 'commit', '-q', '-m', 'first');
  return dir;
}

describe('plain git (a real repository)', () => {
  const exec = createNodeExec({ writeLine: () => undefined });

  test('branch, commit, origin URL with credentials stripped, default branch from origin/HEAD', async () => {
    const dir = gitRepository();
    git(dir, 'remote', 'add', 'origin', 'https://deploy-bot:glpat-S3CRETtoken@gitlab.example.com/acme/shop.git');
    git(dir, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/trunk');
    git(dir, 'checkout', '-q', '-b', 'feature/x');
    const sha = git(dir, 'rev-parse', 'HEAD');

    const source = await sourceContextFromGit(exec, dir);
    assert.deepEqual(source, context({ sha, event: 'branch', ref: 'refs/heads/feature/x', branch: 'feature/x', defaultBranch: 'trunk', repositoryUrl: 'https://gitlab.example.com/acme/shop' }));
    assert.ok(!JSON.stringify(source).includes('S3CRET'));
    assert.ok(!JSON.stringify(source).includes('deploy-bot'));
  });

  test('a commit with a tag is a tag build; a detached HEAD without one is other', async () => {
    const dir = gitRepository();
    git(dir, 'tag', 'v1.2.3');
    const sha = git(dir, 'rev-parse', 'HEAD');
    assert.deepEqual(await sourceContextFromGit(exec, dir), context({ sha, event: 'tag', ref: 'refs/tags/v1.2.3', tag: 'v1.2.3' }));

    git(dir, 'commit', '-q', '--allow-empty', '-m', 'second');
    git(dir, 'checkout', '-q', '--detach');
    const detached = await readGitFacts(exec, dir);
    assert.equal(detached?.branch, '');
    assert.equal(detached?.tag, '');
    assert.equal((await sourceContextFromGit(exec, dir))?.event, 'other');
  });

  test('no remote, no origin/HEAD: those stay empty', async () => {
    const facts = await readGitFacts(exec, gitRepository());
    assert.equal(facts?.repositoryUrl, '');
    assert.equal(facts?.defaultBranch, '');
    assert.equal(facts?.branch, 'main');
  });

  test('not a repository, or a repository without commits: undefined', async () => {
    assert.equal(await readGitFacts(exec, tempDir('imageship-nogit-')), undefined);
    const empty = tempDir('imageship-empty-');
    git(empty, 'init', '-q');
    assert.equal(await readGitFacts(exec, empty), undefined);
  });
});
