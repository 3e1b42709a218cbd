/**
 * The same tag rules on other CIs, through the compiled CLI with `--output
 * json`: a GitLab scheduled pipeline (CI_PIPELINE_SOURCE=schedule: type=schedule
 * applies, {{commit_date}} reads CI_COMMIT_TIMESTAMP, {{is_default_branch}}
 * compares with CI_DEFAULT_BRANCH) and an Azure Pipelines pull request build
 * (BUILD_REASON=PullRequest: pr-N, {{base_ref}} from the target branch, and
 * DOCKER_METADATA_PR_HEAD_SHA). Built and pushed for real; checked in the
 * registry and in the image config.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { imageConfig, listTags, manifestDigest } from '../helpers/registry-api.js';
import { REPO_ROOT } from '../helpers/runner.js';
import { findSecrets } from '../helpers/secret-scan.js';
import { loadTestbed, type Testbed } from '../helpers/testbed.js';
import { sampleAppWorkspace, uniqueNamespace } from '../helpers/workspace.js';
import { tempDir } from '../helpers/temp-dir.js';

const CLI = join(REPO_ROOT, 'build', 'src', 'cli', 'main.js');
const MERGE_SHA = '1111111111111111111111111111111111111111';
const HEAD_SHA = '2222222222222222222222222222222222222222';
let bed: Testbed;
let auth: { username: string; password: string };

before(() => {
  bed = loadTestbed();
  auth = { username: bed.username, password: bed.derivedPassword };
  assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build`);
});

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

/** Runs `imageship run … --output json` with only the given CI variables (none of this machine's). */
function runCli(args: string[], ciEnv: Record<string, string>): CliResult {
  const env: Record<string, string> = { DOCKER_CONFIG: tempDir('imageship-cli-meta-dc-') };
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'DOCKER_HOST']) if (process.env[name] !== undefined) env[name] = process.env[name]!;
  Object.assign(env, { HUAWEICLOUD_SDK_AK: bed.ak, HUAWEICLOUD_SDK_SK: bed.sk, IMAGESHIP_REGISTRY: bed.swrRegistry, IMAGESHIP_BUILD_ARGS: `BASE_IMAGE=${bed.baseImage}` }, ciEnv);
  const result = spawnSync(process.execPath, [CLI, 'run', '--region', bed.region, '--image', 'my-app', '--output', 'json', ...args], {
    cwd: sampleAppWorkspace(),
    env,
    encoding: 'utf8',
    timeout: 240_000,
  });
  let outputs: Record<string, string> = {};
  try {
    outputs = JSON.parse(result.stdout) as Record<string, string>;
  } catch {
    // The assertions below show stdout and stderr.
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, outputs };
}

const show = (run: CliResult): string => `exit ${run.status}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;

describe('GitLab CI: a scheduled pipeline on the default branch', () => {
  let namespace: string;
  let run: CliResult;
  const sha = '3333333333333333333333333333333333333333';

  before(() => {
    namespace = uniqueNamespace('cli-meta-gitlab');
    run = runCli(
      [
        '--namespace',
        namespace,
        '--tags',
        'type=schedule',
        '--tags',
        "type=schedule,pattern=nightly-{{commit_date 'YYYYMMDD-HHmm' tz='Asia/Shanghai'}}",
        '--tags',
        'type=ref,event=branch',
        '--tags',
        'type=raw,value=latest,enable={{is_default_branch}}',
        '--labels',
        'org.example.pipeline={{run_number}}',
      ],
      {
        GITLAB_CI: 'true',
        CI: 'true',
        CI_PIPELINE_SOURCE: 'schedule',
        CI_COMMIT_BRANCH: 'main',
        CI_COMMIT_REF_NAME: 'main',
        CI_DEFAULT_BRANCH: 'main',
        CI_COMMIT_SHA: sha,
        CI_COMMIT_TIMESTAMP: '2024-05-01T12:00:00+02:00',
        CI_PIPELINE_IID: '88',
        CI_PROJECT_URL: 'https://gitlab.example.com/acme/my-app',
        CI_PROJECT_DESCRIPTION: 'The shop front end',
        SOURCE_DATE_EPOCH: '1714564800',
      },
    );
  });

  test('exits 0: nightly and the commit-date pattern (schedule, priority 1000), the branch, latest (the default branch)', async () => {
    assert.equal(run.status, 0, show(run));
    const expected = ['nightly', 'nightly-20240501-1800', 'main', 'latest'];
    assert.equal(run.outputs['tag-names'], expected.join('\n'));
    assert.equal(run.outputs['version'], 'nightly');
    assert.deepEqual(await listTags(bed.swrRegistry, `${namespace}/my-app`, auth), [...expected].sort());
    const digest = await manifestDigest(bed.swrRegistry, `${namespace}/my-app`, 'nightly', auth);
    assert.equal(run.outputs['digest'], digest);
  });

  test('labels: GitLab\'s description and URL, the created time from SOURCE_DATE_EPOCH, the user label with its template', async () => {
    const labels = (await imageConfig(bed.swrRegistry, `${namespace}/my-app`, 'nightly', auth)).config.Labels as Record<string, string>;
    assert.equal(labels['org.opencontainers.image.description'], 'The shop front end');
    assert.equal(labels['org.opencontainers.image.title'], 'my-app');
    assert.equal(labels['org.opencontainers.image.url'], 'https://gitlab.example.com/acme/my-app');
    assert.equal(labels['org.opencontainers.image.created'], '2024-05-01T12:00:00.000Z');
    assert.equal(labels['org.opencontainers.image.version'], 'nightly');
    assert.equal(labels['org.example.pipeline'], '88');
    const json = JSON.parse(run.outputs['json'] ?? '{}') as { labels: Record<string, string> };
    assert.deepEqual(json.labels, Object.fromEntries(run.outputs['labels']!.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])));
    assert.equal(json.labels['org.example.pipeline'], '88');
  });

  test('no secret in the output', () => {
    assert.deepEqual(findSecrets({ stdout: run.stdout, stderr: run.stderr }, [bed.sk, bed.derivedPassword]), []);
  });
});

describe('Azure Pipelines: a pull request build', () => {
  let namespace: string;
  let run: CliResult;

  before(() => {
    namespace = uniqueNamespace('cli-meta-azure');
    run = runCli(['--namespace', namespace, '--flavor', 'suffix=-into-{{base_ref}}', '--sep-tags', ','], {
      TF_BUILD: 'True',
      BUILD_REASON: 'PullRequest',
      BUILD_SOURCEBRANCH: 'refs/pull/42/merge',
      BUILD_SOURCEVERSION: MERGE_SHA,
      BUILD_BUILDID: '4321',
      BUILD_REPOSITORY_URI: 'https://acme@dev.azure.com/acme/shop/_git/my-app',
      SYSTEM_PULLREQUEST_PULLREQUESTID: '42',
      SYSTEM_PULLREQUEST_SOURCEBRANCH: 'refs/heads/feature/login',
      SYSTEM_PULLREQUEST_TARGETBRANCH: 'refs/heads/main',
      SYSTEM_PULLREQUEST_SOURCECOMMITID: HEAD_SHA,
      DOCKER_METADATA_PR_HEAD_SHA: 'true',
    });
  });

  test('the default tags give pr-42, with the flavor suffix naming the target branch; no latest', async () => {
    assert.equal(run.status, 0, show(run));
    assert.equal(run.outputs['tag-names'], 'pr-42-into-main');
    assert.equal(run.outputs['tags'], `${bed.swrRegistry}/${namespace}/my-app:pr-42-into-main`);
    assert.deepEqual(await listTags(bed.swrRegistry, `${namespace}/my-app`, auth), ['pr-42-into-main']);
    assert.match(run.stderr, /^source: Azure Pipelines: pull request 42 from feature\/login, commit 1111111, run 4321$/m);
  });

  test('DOCKER_METADATA_PR_HEAD_SHA: the revision is the pull request\'s head commit, not the merge commit', async () => {
    const labels = (await imageConfig(bed.swrRegistry, `${namespace}/my-app`, 'pr-42-into-main', auth)).config.Labels as Record<string, string>;
    assert.equal(labels['org.opencontainers.image.revision'], HEAD_SHA);
    assert.equal(labels['org.opencontainers.image.source'], 'https://dev.azure.com/acme/shop/_git/my-app');
    assert.ok(run.outputs['annotations']!.split('\n').includes(`manifest:org.opencontainers.image.revision=${HEAD_SHA}`));
  });
});
