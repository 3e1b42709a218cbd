/**
 * Keyless end to end: no AK/SK anywhere. The job's OIDC token (a GitHub token
 * endpoint stand-in issuing RS256 JWTs with GitHub's claims, or a GitLab
 * id_tokens variable) is exchanged at STS/IAM stand-ins that verify it
 * independently (JWKS signature, iss, aud, exp, nbf, the trust policy's sub
 * condition) for temporary credentials; the downstream stand-ins (SWR API,
 * FunctionGraph, IAM, CCE, ACR) accept those only with their security token,
 * checked in the signature; a real registry accepts only the temporary login.
 * Every run is scanned for every secret with debug logging on.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AGENCY_URN, alibabaKeylessInputs, CLUSTER_ID, DEBUG, HUAWEI_AUDIENCE, keylessJob, PROVIDER_URN, SHA, startAlibabaSts, startGithubIssuer, startHuaweiBed, type HuaweiBed } from '../helpers/keyless-bed.js';
import { stepTexts } from '../helpers/step-texts.js';
import { startLocalRegistry, type LocalRegistry } from '../helpers/local-registry.js';
import { listTags, manifestDigest } from '../helpers/registry-api.js';
import { DOCKER_WRAPPER_DIR, ghContextForBranch, parseArgvLog, REPO_ROOT, runAction, runMainThenPost } from '../helpers/runner.js';
import { findSecrets } from '../helpers/secret-scan.js';
import { tempDir } from '../helpers/temp-dir.js';
import { loadTestbed } from '../helpers/testbed.js';
import { sampleAppWorkspace, uniqueNamespace } from '../helpers/workspace.js';
import { startAlibabaCrStandIn, type AlibabaCrStandIn } from '../standins/alibaba-cr.js';
import type { AlibabaStsStandIn } from '../standins/alibaba-sts.js';
import { GITLAB_ISSUER, type OidcIssuer } from '../standins/oidc-issuer.js';

const bed = loadTestbed();

let issuer: OidcIssuer;
before(async () => {
  issuer = await startGithubIssuer();
});
after(async () => {
  await issuer.close();
});

describe('Huawei Cloud keyless (IAM 5.0 STS) through the bundled action: OIDC → temporary keys → SWR temporary login → build → push → FunctionGraph and CCE', () => {
  const namespace = uniqueNamespace('keyless-hw');
  let stand: HuaweiBed;
  let run: Awaited<ReturnType<typeof runMainThenPost>>;

  before(async () => {
    stand = await startHuaweiBed(bed, issuer, 'placeholder');
    run = await runMainThenPost({
      inputs: {
        region: bed.region,
        registry: stand.registry.host,
        namespace,
        image: 'app',
        tags: 'latest',
        'build-args': `BASE_IMAGE=${bed.baseImage}`,
        'oidc-provider-urn': PROVIDER_URN,
        'agency-urn': AGENCY_URN,
        endpoints: stand.deployEndpoints,
        'function-urn': stand.functionUrn,
        'cce-cluster-id': CLUSTER_ID,
        // The container is named: it runs another image now.
        workloads: 'prod/deployment/web:app',
        'rollout-timeout': '60',
        'export-credentials': 'true',
      },
      ...keylessJob(issuer),
    });
  });
  after(() => stand.close());

  test('the run succeeds: one OIDC token, one STS exchange, one temporary SWR login', () => {
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.equal(issuer.issued.length >= 1, true);
    assert.equal(issuer.refused, 0);
    assert.deepEqual(stand.sts.calls.map((call) => [call.path, call.status]), [['/v5/agencies/assume-with-oidc', 200]]);
    assert.equal(stand.swrApi.state.logins.length, 1);
    assert.match(run.main.stdout, /OIDC token \(GitHub Actions, audience sts\.myhuaweicloud\.com\): sub "repo:octo-org\/octo-app:ref:refs\/heads\/main"/);
  });

  test('the image is in the registry, pushed with the temporary login only', async () => {
    const login = stand.swrApi.state.logins[0]!;
    const auth = { username: login.username, password: login.password };
    assert.deepEqual(await listTags(stand.registry.host, `${namespace}/app`, auth), ['latest']);
    assert.equal(await manifestDigest(stand.registry.host, `${namespace}/app`, 'latest', auth), run.main.outputs['digest']);
  });

  test('every SWR and FunctionGraph call carried the security token in its signature; the function runs the image', () => {
    assert.ok(stand.swrApi.calls.length > 0 && stand.swrApi.calls.every((call) => call.signatureValid), 'SWR calls signed with the token');
    assert.ok(stand.cloud.calls.length > 0 && stand.cloud.calls.every((call) => call.signatureValid), 'FunctionGraph calls signed with the token');
    const fn = stand.cloud.state.functions.get(stand.functionUrn) as { custom_image: { image: string } };
    assert.equal(fn.custom_image.image, `${stand.registry.host}/${namespace}/app:latest`);
  });

  test('IAM (project lookup) and CCE (clustercert) were called with the temporary keys too; the workload rolled out the digest', () => {
    const routes = new Set(stand.cloud.calls.map((call) => call.route));
    for (const route of ['iam.listProjects', 'cce.clusterCert', 'functiongraph.updateConfig'] as const) assert.ok(routes.has(route), route);
    assert.equal(stand.cloud.state.issuedCerts.length, 1);
    const web = stand.kube.state.get('prod', 'deployment', 'web');
    assert.equal(web?.spec.template.spec.containers[0]?.image, `${stand.registry.host}/${namespace}/app:latest@${run.main.outputs['digest']}`);
  });

  test('export-credentials: the temporary keys go to later steps as masked env vars, and only there', () => {
    const { issued } = stand.sts;
    assert.deepEqual(run.main.exportedEnv['HUAWEICLOUD_SDK_AK'], issued.ak);
    assert.deepEqual(run.main.exportedEnv['HUAWEICLOUD_SDK_SK'], issued.sk);
    assert.deepEqual(run.main.exportedEnv['HUAWEICLOUD_SDK_SECURITY_TOKEN'], issued.securityToken);
    for (const value of [issued.ak, issued.sk, issued.securityToken]) assert.ok(run.main.masks.includes(value), 'masked before it was exported');
    assert.match(run.main.stdout, /export-credentials: HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_SECURITY_TOKEN are set \(masked\)/);
  });

  test('no secret (ID token, request token, temporary SK and token, SWR password) in logs, outputs, state, summary or argv, debug on', () => {
    const login = stand.swrApi.state.logins[0]!;
    const secrets = {
      'ID token': issuer.issued.at(-1)!,
      'ID token signature': issuer.issued.at(-1)!.split('.')[2]!,
      'request token': issuer.requestToken,
      'temporary SK': stand.sts.issued.sk,
      'security token': stand.sts.issued.securityToken,
      'SWR password': login.password,
    };
    assert.ok(run.main.stdout.includes('::debug::'), 'debug logging was on');
    assert.deepEqual(findSecrets({ ...stepTexts(run.main, 'main'), ...stepTexts(run.post, 'post') }, secrets), []);
  });
});

describe('Alibaba Cloud keyless (STS AssumeRoleWithOIDC) through the bundled action: OIDC → STS keys → ACR temporary login → build → push', () => {
  const namespace = uniqueNamespace('keyless-ali').slice(0, 30).replace(/-$/, '');
  const PERSONAL = { tempUsername: 'cr_temp_keyless', token: 'eyJ0ZW1wb3JhcnkiOiJrZXlsZXNzLXRva2VuLTAwMDEifQ' };
  let sts: AlibabaStsStandIn;
  let cr: AlibabaCrStandIn;
  let registry: LocalRegistry;
  let run: Awaited<ReturnType<typeof runMainThenPost>>;

  before(async () => {
    sts = await startAlibabaSts(issuer);
    cr = await startAlibabaCrStandIn({ ...sts.issued, region: 'cn-hangzhou', instances: [], personal: PERSONAL });
    registry = await startLocalRegistry({ users: [{ username: PERSONAL.tempUsername, password: PERSONAL.token }] });
    run = await runMainThenPost({
      inputs: alibabaKeylessInputs(registry.host, namespace, bed.baseImage, `sts=${sts.url}\ncr=${cr.url}`),
      ...keylessJob(issuer),
    });
  });
  after(async () => {
    await Promise.all([sts.close(), cr.close(), registry.close()]);
  });

  test('the run succeeds through STS and the ACR temporary login; the push is in the registry', async () => {
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.deepEqual(sts.calls.map((call) => call.status), [200]);
    assert.match(sts.calls[0]!.sessionName, /^imageship-\d+$/, 'the session name leads back to the run');
    assert.ok(cr.calls.length > 0 && cr.calls.every((call) => call.signatureValid && call.securityToken === sts.issued.securityToken), 'ACR calls signed with the STS keys and token');
    const auth = { username: PERSONAL.tempUsername, password: PERSONAL.token };
    assert.equal(await manifestDigest(registry.host, `${namespace}/web`, 'latest', auth), run.main.outputs['digest']);
    assert.deepEqual(run.main.exportedEnv['ALIBABA_CLOUD_ACCESS_KEY_SECRET'], undefined, 'nothing exported unless asked');
  });

  test('no secret in logs, outputs, state, summary or argv, debug on', () => {
    const secrets = {
      'ID token': issuer.issued.at(-1)!,
      'request token': issuer.requestToken,
      'STS secret': sts.issued.accessKeySecret,
      'STS token': sts.issued.securityToken,
      'ACR password': PERSONAL.token,
    };
    assert.deepEqual(findSecrets({ ...stepTexts(run.main, 'main'), ...stepTexts(run.post, 'post') }, secrets), []);
  });
});

describe('Huawei Cloud temporary keys given directly (access-key/secret-key + env HUAWEICLOUD_SDK_SECURITY_TOKEN) work the same way', () => {
  test('SWR temporary login (not the derived one) and FunctionGraph, all signed with X-Security-Token', async () => {
    const namespace = uniqueNamespace('sectoken');
    const stand = await startHuaweiBed(bed, issuer, 'placeholder');
    try {
      const { ak, sk, securityToken } = stand.sts.issued;
      const run = await runAction({
        inputs: {
          region: bed.region,
          registry: stand.registry.host,
          namespace,
          image: 'app',
          tags: 'latest',
          'build-args': `BASE_IMAGE=${bed.baseImage}`,
          'access-key': ak,
          'secret-key': sk,
          endpoints: stand.endpoints,
          'function-urn': stand.functionUrn,
        },
        workdir: sampleAppWorkspace(),
        github: ghContextForBranch('main', SHA),
        env: { ...DEBUG, HUAWEICLOUD_SDK_SECURITY_TOKEN: securityToken },
      });
      assert.equal(run.exitCode, 0, run.stdout + run.stderr);
      assert.equal(stand.sts.calls.length, 0, 'no exchange: the keys were given');
      assert.equal(stand.swrApi.state.logins.length, 1, 'the temporary SWR login, since temporary keys cannot derive the long-term one');
      assert.ok(stand.swrApi.calls.every((call) => call.signatureValid) && stand.cloud.calls.every((call) => call.signatureValid));
      assert.match(run.stdout, /login: {5}temporary SWR login \(temporary key HST/);
      const fn = stand.cloud.state.functions.get(stand.functionUrn) as { custom_image: { image: string } };
      assert.equal(fn.custom_image.image, `${stand.registry.host}/${namespace}/app:latest`);
      assert.deepEqual(findSecrets(stepTexts(run, 'main'), { SK: sk, 'security token': securityToken, 'SWR password': stand.swrApi.state.logins[0]!.password }), []);
    } finally {
      await stand.close();
    }
  });
});

// ------------------------------------------------------------------ GitLab through the CLI

const CLI = join(REPO_ROOT, 'build', 'src', 'cli', 'main.js');

interface CliRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  argv: string[][];
}

async function runCli(args: string[], env: Record<string, string>, cwd: string): Promise<CliRun> {
  const tmp = tempDir('imageship-cli-');
  const argvLog = join(tmp, 'docker-argv.log');
  writeFileSync(argvLog, '');
  const keep = ['HOME', 'USER', 'LANG', 'TZ', 'TMPDIR', 'DOCKER_HOST'];
  const fullEnv: Record<string, string> = {};
  for (const name of keep) if (process.env[name] !== undefined) fullEnv[name] = process.env[name]!;
  Object.assign(fullEnv, env, {
    PATH: [DOCKER_WRAPPER_DIR, ...(process.env['PATH'] ?? '/usr/bin:/bin').split(delimiter)].join(delimiter),
    DOCKER_CONFIG: tempDir('imageship-docker-config-'),
    IMAGESHIP_ARGV_LOG: argvLog,
  });
  const result = await new Promise<{ exitCode: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
  return { ...result, argv: parseArgvLog(readFileSync(argvLog, 'utf8')).map((call) => call.argv) };
}

function gitlabEnv(workspace: string, idToken: string): Record<string, string> {
  return {
    CI: 'true',
    GITLAB_CI: 'true',
    CI_SERVER_URL: 'https://gitlab.example.com',
    CI_PROJECT_URL: 'https://gitlab.example.com/acme/my-app',
    CI_PROJECT_NAME: 'my-app',
    CI_PROJECT_PATH: 'acme/my-app',
    CI_PROJECT_DIR: workspace,
    CI_DEFAULT_BRANCH: 'main',
    CI_COMMIT_SHA: SHA,
    CI_COMMIT_SHORT_SHA: SHA.slice(0, 8),
    CI_COMMIT_REF_NAME: 'main',
    CI_COMMIT_REF_SLUG: 'main',
    CI_COMMIT_BRANCH: 'main',
    CI_PIPELINE_SOURCE: 'push',
    CI_PIPELINE_ID: '1234567',
    CI_PIPELINE_IID: '77',
    CI_JOB_ID: '7654321',
    CI_JOB_NAME: 'build-image',
    // What `id_tokens: IMAGESHIP_ID_TOKEN: aud: sts.myhuaweicloud.com` gives the job.
    IMAGESHIP_ID_TOKEN: idToken,
  };
}

const gitlabClaims = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  iss: GITLAB_ISSUER,
  aud: HUAWEI_AUDIENCE,
  sub: 'project_path:acme/my-app:ref_type:branch:ref:main',
  project_path: 'acme/my-app',
  namespace_path: 'acme',
  ref: 'main',
  ref_type: 'branch',
  pipeline_source: 'push',
  job_id: '7654321',
  ...overrides,
});

describe('GitLab CI through the CLI: Huawei IAM federation (identity-provider), id_tokens variable', () => {
  test('id-token/tokens → securitytokens → SWR temporary login → build → push; no secret in the output', async () => {
    const namespace = uniqueNamespace('keyless-gl');
    const stand = await startHuaweiBed(bed, issuer, 'placeholder', { issuer: GITLAB_ISSUER, identityProvider: 'gitlab-ci', mappedSubjects: ['project_path:acme/my-app:*'] });
    try {
      const workspace = sampleAppWorkspace();
      const idToken = issuer.mint(gitlabClaims());
      const run = await runCli(
        ['run', '--region', bed.region, '--registry', stand.registry.host, '--namespace', namespace, '--image', 'app', '--tags', 'latest', '--build-args', `BASE_IMAGE=${bed.baseImage}`, '--identity-provider', 'gitlab-ci', '--endpoints', stand.endpoints],
        gitlabEnv(workspace, idToken),
        workspace,
      );
      assert.equal(run.exitCode, 0, run.stdout + run.stderr);
      assert.deepEqual(stand.sts.calls.map((call) => [call.path, call.status]), [['/v3.0/OS-AUTH/id-token/tokens', 201], ['/v3.0/OS-CREDENTIAL/securitytokens', 201]]);
      const login = stand.swrApi.state.logins[0]!;
      assert.ok(stand.swrApi.calls.every((call) => call.signatureValid));
      assert.deepEqual(await listTags(stand.registry.host, `${namespace}/app`, { username: login.username, password: login.password }), ['latest']);
      assert.match(run.stdout, /OIDC token \(\$IMAGESHIP_ID_TOKEN\): sub "project_path:acme\/my-app:ref_type:branch:ref:main"/);
      const secrets = { 'ID token': idToken, 'temporary SK': stand.sts.issued.sk, 'security token': stand.sts.issued.securityToken, 'SWR password': login.password };
      assert.deepEqual(findSecrets({ stdout: run.stdout, stderr: run.stderr, argv: JSON.stringify(run.argv) }, secrets), []);
    } finally {
      await stand.close();
    }
  });

  test('export-credentials on the command line is refused before anything is done', async () => {
    const workspace = sampleAppWorkspace();
    const run = await runCli(
      ['run', '--region', bed.region, '--namespace', 'acme', '--image', 'app', '--identity-provider', 'gitlab-ci', '--export-credentials', 'true'],
      gitlabEnv(workspace, issuer.mint(gitlabClaims())),
      workspace,
    );
    assert.equal(run.exitCode, 2, run.stdout + run.stderr);
    assert.match(run.stderr, /export-credentials: only the GitHub Action can hand variables to later steps/);
  });
});
