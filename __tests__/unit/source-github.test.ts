import { strict as assert } from 'node:assert';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { sourceContextFromGitHub } from '../../src/source/github.js';
import { tempDir } from '../helpers/temp-dir.js';

const SHA = '0123abcdef0123abcdef0123abcdef0123abcdef';
const directory = tempDir('imageship-source-');
after(() => rmSync(directory, { recursive: true, force: true }));

/** Reads like the action will: a missing file is undefined, not an exception. */
function readFileOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function payloadFile(name: string, payload: unknown): string {
  const path = join(directory, name);
  writeFileSync(path, typeof payload === 'string' ? payload : JSON.stringify(payload));
  return path;
}

const BASE_ENV = {
  GITHUB_SHA: SHA,
  GITHUB_RUN_NUMBER: '17',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'my-org/my-app',
};

describe('sourceContextFromGitHub', () => {
  it('branch push', () => {
    const env = {
      ...BASE_ENV,
      GITHUB_EVENT_NAME: 'push',
      GITHUB_REF: 'refs/heads/feature/login',
      GITHUB_REF_NAME: 'feature/login',
      GITHUB_EVENT_PATH: payloadFile('push.json', { ref: 'refs/heads/feature/login', repository: { default_branch: 'main' } }),
    };
    assert.deepEqual(sourceContextFromGitHub(env, readFileOrUndefined), {
      sha: SHA,
      ref: 'refs/heads/feature/login',
      branch: 'feature/login',
      tag: '',
      pullRequest: undefined,
      defaultBranch: 'main',
      runNumber: '17',
      repositoryUrl: 'https://github.com/my-org/my-app',
      event: 'branch',
    });
  });

  it('tag push', () => {
    const env = {
      ...BASE_ENV,
      GITHUB_EVENT_NAME: 'push',
      GITHUB_REF: 'refs/tags/v1.2.3',
      GITHUB_REF_NAME: 'v1.2.3',
      GITHUB_EVENT_PATH: payloadFile('tag.json', { repository: { default_branch: 'trunk' } }),
    };
    assert.deepEqual(sourceContextFromGitHub(env, readFileOrUndefined), {
      sha: SHA,
      ref: 'refs/tags/v1.2.3',
      branch: '',
      tag: 'v1.2.3',
      pullRequest: undefined,
      defaultBranch: 'trunk',
      runNumber: '17',
      repositoryUrl: 'https://github.com/my-org/my-app',
      event: 'tag',
    });
  });

  it('pull_request with an event payload: number from the ref, head branch from GITHUB_HEAD_REF, sha from GITHUB_SHA', () => {
    const env = {
      ...BASE_ENV,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_REF: 'refs/pull/7/merge',
      GITHUB_REF_NAME: '7/merge',
      GITHUB_HEAD_REF: 'feature/login',
      GITHUB_EVENT_PATH: payloadFile('pr.json', {
        number: 7,
        pull_request: { number: 7, head: { ref: 'feature/login', sha: 'ffffffffffffffffffffffffffffffffffffffff' } },
        repository: { default_branch: 'main' },
      }),
    };
    assert.deepEqual(sourceContextFromGitHub(env, readFileOrUndefined), {
      sha: SHA,
      ref: 'refs/pull/7/merge',
      branch: 'feature/login',
      tag: '',
      pullRequest: 7,
      defaultBranch: 'main',
      runNumber: '17',
      repositoryUrl: 'https://github.com/my-org/my-app',
      event: 'pr',
      // The head commit, for DOCKER_METADATA_PR_HEAD_SHA (the sha stays GITHUB_SHA).
      pullRequestHeadSha: 'ffffffffffffffffffffffffffffffffffffffff',
    });
  });

  it('refs/pull/N/head is a pull request too', () => {
    const context = sourceContextFromGitHub({ ...BASE_ENV, GITHUB_REF: 'refs/pull/12/head', GITHUB_HEAD_REF: 'fix' }, readFileOrUndefined);
    assert.equal(context.event, 'pr');
    assert.equal(context.pullRequest, 12);
    assert.equal(context.branch, 'fix');
  });

  it('pull_request_target (GITHUB_REF is the base branch) is a pull request, numbered from the payload', () => {
    const env = {
      ...BASE_ENV,
      GITHUB_EVENT_NAME: 'pull_request_target',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_HEAD_REF: '',
      GITHUB_EVENT_PATH: payloadFile('prt.json', { pull_request: { number: 31, head: { ref: 'contrib' } }, repository: { default_branch: 'main' } }),
    };
    const context = sourceContextFromGitHub(env, readFileOrUndefined);
    assert.equal(context.event, 'pr');
    assert.equal(context.pullRequest, 31);
    assert.equal(context.branch, 'contrib');
    assert.equal(context.ref, 'refs/heads/main');
  });

  it('missing payload file leaves the payload fields unknown', () => {
    const env = { ...BASE_ENV, GITHUB_REF: 'refs/heads/main', GITHUB_EVENT_PATH: join(directory, 'does-not-exist.json') };
    const context = sourceContextFromGitHub(env, readFileOrUndefined);
    assert.equal(context.event, 'branch');
    assert.equal(context.branch, 'main');
    assert.equal(context.defaultBranch, '');
  });

  it('invalid JSON, a non-object payload or a throwing reader are tolerated', () => {
    const env = { ...BASE_ENV, GITHUB_REF: 'refs/heads/main', GITHUB_EVENT_PATH: payloadFile('bad.json', '{not json') };
    assert.equal(sourceContextFromGitHub(env, readFileOrUndefined).defaultBranch, '');
    const nullPayload = { ...env, GITHUB_EVENT_PATH: payloadFile('null.json', 'null') };
    assert.equal(sourceContextFromGitHub(nullPayload, readFileOrUndefined).defaultBranch, '');
    const throwing = (): string => {
      throw new Error('EACCES');
    };
    assert.equal(sourceContextFromGitHub(env, throwing).defaultBranch, '');
  });

  it('ignores a payload default_branch that is not a string', () => {
    const env = { ...BASE_ENV, GITHUB_REF: 'refs/heads/main', GITHUB_EVENT_PATH: payloadFile('weird.json', { repository: { default_branch: 5 } }) };
    assert.equal(sourceContextFromGitHub(env, readFileOrUndefined).defaultBranch, '');
  });

  it('an unknown ref is event other', () => {
    const context = sourceContextFromGitHub({ ...BASE_ENV, GITHUB_REF: 'refs/notes/x', GITHUB_EVENT_NAME: 'workflow_dispatch' }, readFileOrUndefined);
    assert.equal(context.event, 'other');
    assert.equal(context.branch, '');
    assert.equal(context.tag, '');
    assert.equal(context.ref, 'refs/notes/x');
  });

  it('an empty environment gives an all-unknown context', () => {
    assert.deepEqual(sourceContextFromGitHub({}, readFileOrUndefined), {
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
  });

  it('rejects a GITHUB_SHA that is not a 40-hex commit id and lower-cases a valid one', () => {
    assert.equal(sourceContextFromGitHub({ GITHUB_SHA: 'abc123' }, readFileOrUndefined).sha, '');
    assert.equal(sourceContextFromGitHub({ GITHUB_SHA: SHA.toUpperCase() }, readFileOrUndefined).sha, SHA);
  });

  it('uses GitHub Enterprise server URLs and strips a trailing slash', () => {
    const env = { GITHUB_SERVER_URL: 'https://ghe.example.com/', GITHUB_REPOSITORY: 'team/app' };
    assert.equal(sourceContextFromGitHub(env, readFileOrUndefined).repositoryUrl, 'https://ghe.example.com/team/app');
  });

  it('defaults the server URL to github.com', () => {
    assert.equal(sourceContextFromGitHub({ GITHUB_REPOSITORY: 'team/app' }, readFileOrUndefined).repositoryUrl, 'https://github.com/team/app');
  });
});
