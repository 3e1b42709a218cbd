/** fc-function and sae-app-id: read into DeploySettings, and every bad value caught before any side effect. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseInputs, problemsFor } from '../helpers/config-input.js';

const AK = 'LTAI5tTESTAK0000000001';
const SK = 'TestSecret000000000000000000000';
const APP = '7171a6ca-d1cd-4928-8642-7d5cfe69a2b1';
const base = { provider: 'alibabacloud', region: 'cn-hangzhou', namespace: 'my-team', image: 'web', tags: 'latest', 'access-key': AK, 'secret-key': SK };

test('fc-function and sae-app-id lines become deploy targets, with fc= and sae= endpoint overrides', () => {
  const config = parseInputs({ ...base, 'fc-function': 'api\n_worker-2\nold-service$handler', 'sae-app-id': APP, endpoints: 'fc=http://127.0.0.1:9001\nsae=http://127.0.0.1:9002' });
  assert.deepEqual(config.deploy.fcFunctions, ['api', '_worker-2', 'old-service$handler']);
  assert.deepEqual(config.deploy.saeAppIds, [APP]);
  assert.equal(config.deploy.endpoints.get('fc'), 'http://127.0.0.1:9001');
  assert.equal(config.deploy.endpoints.get('sae'), 'http://127.0.0.1:9002');
});

test('STS credentials (access key + secret + security-token) are accepted for the Alibaba targets', () => {
  const config = parseInputs({ ...base, 'access-key': 'STS.NTestStsKey0001', 'security-token': 'CAIS-token-value', 'fc-function': 'api' });
  assert.equal(config.login.kind === 'acr-temporary' && config.login.securityToken, 'CAIS-token-value');
});

const CASES: ReadonlyArray<readonly [string, Record<string, string>, string, RegExp]> = [
  ['a function name with a slash', { ...base, 'fc-function': 'svc/api' }, 'fc-function', /"svc\/api" is not a Function Compute function name: 1-64 letters/],
  ['a function name starting with a digit', { ...base, 'fc-function': '1api' }, 'fc-function', /not starting with a digit/],
  ['a function name of 65 characters', { ...base, 'fc-function': `f${'x'.repeat(64)}` }, 'fc-function', /1-64 letters/],
  ['the same function twice', { ...base, 'fc-function': 'api\napi' }, 'fc-function', /"api" is listed twice/],
  ['an app id that is not a UUID', { ...base, 'sae-app-id': 'my-app' }, 'sae-app-id', /"my-app" is not an SAE application id \(a UUID/],
  ['username/password instead of an AccessKey', { ...base, 'access-key': '', 'secret-key': '', username: 'u', password: 'p', 'fc-function': 'api' }, 'fc-function', /signed with an AccessKey: set access-key\/secret-key/],
  ['SAE with username/password', { ...base, 'access-key': '', 'secret-key': '', username: 'u', password: 'p', 'sae-app-id': APP }, 'sae-app-id', /SAE API is signed with an AccessKey/],
  ['Function Compute with provider huaweicloud', { provider: 'huaweicloud', region: 'cn-north-4', namespace: 'org', image: 'a', 'access-key': 'HPUATESTAK0000000001', 'secret-key': 'TestSecretKey0000000000000000000000000000', 'fc-function': 'api' }, 'fc-function', /Alibaba Cloud targets: set provider: alibabacloud/],
  ['an fc endpoint that is not a URL', { ...base, 'fc-function': 'api', endpoints: 'fc=not a url' }, 'endpoints', /"fc=not a url" has no valid URL/],
  ['push: false with a function', { ...base, 'fc-function': 'api', push: 'false' }, 'push', /deploy targets are set/],
];

for (const [name, inputs, input, fix] of CASES) {
  test(`bad Alibaba deploy input: ${name}`, () => {
    const problems = problemsFor(inputs);
    const mine = problems.filter((problem) => problem.startsWith(`${input}:`));
    assert.equal(mine.length, 1, `expected one "${input}:" problem, got ${JSON.stringify(problems)}`);
    assert.match(mine[0] ?? '', fix);
  });
}

test('deploy-image alone names the Alibaba targets among what it can be deployed to', () => {
  const problems = problemsFor({ provider: 'alibabacloud', region: 'cn-hangzhou', 'access-key': AK, 'secret-key': SK, 'deploy-image': 'registry.cn-hangzhou.aliyuncs.com/team/web:v1' });
  assert.ok(problems.some((problem) => /^deploy-image: nothing to deploy it to: .*fc-function or sae-app-id$/.test(problem)), JSON.stringify(problems));
});

test('the plan (and dry run) names each Function Compute function and SAE application with the image it gets', async () => {
  const { makePlan, describePlan } = await import('../../src/app/plan.js');
  const config = parseInputs({ provider: 'alibabacloud', region: 'cn-hangzhou', 'access-key': AK, 'secret-key': SK, 'deploy-image': 'registry.cn-hangzhou.aliyuncs.com/team/web:v3', 'fc-function': 'api', 'sae-app-id': APP });
  const source = { sha: 'a'.repeat(40), ref: 'refs/heads/main', branch: 'main', tag: '', pullRequest: undefined, defaultBranch: 'main', runNumber: '1', repositoryUrl: '', event: 'branch' } as const;
  const docker = { cli: false, daemon: false, clientVersion: '', serverVersion: '', buildx: false, buildxVersion: '', builder: undefined, builderProblem: '', containerdStore: false, problem: 'not needed' };
  const lines = describePlan(makePlan({ config, source, now: new Date(), docker, tempDir: '', cwd: process.cwd() }));
  assert.ok(lines.includes('fc:        cn-hangzhou/api ← registry.cn-hangzhou.aliyuncs.com/team/web:v3 (read back until FC resolves the pushed digest)'), lines.join('\n'));
  assert.ok(lines.includes(`sae:       cn-hangzhou/${APP} ← registry.cn-hangzhou.aliyuncs.com/team/web:v3 (change order followed, rollout-timeout 300 s)`), lines.join('\n'));
});
