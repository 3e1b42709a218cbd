import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseInputs, problemsFor } from '../helpers/config-input.js';

const AK = 'LTAI5tTESTAK0000000001';
const SK = 'TestSecret000000000000000000000';
const base = { provider: 'alibabacloud', region: 'cn-hangzhou', namespace: 'my-team', image: 'web', tags: 'latest' };

test('Personal Edition with AK/SK: registry.<region>.aliyuncs.com and a personal temporary login', () => {
  const config = parseInputs({ ...base, 'access-key': AK, 'secret-key': SK });
  assert.equal(config.registry, 'registry.cn-hangzhou.aliyuncs.com');
  assert.equal(config.destination, 'registry.cn-hangzhou.aliyuncs.com/my-team/web');
  assert.equal(config.login.kind, 'acr-temporary');
  assert.equal(config.login.kind === 'acr-temporary' && config.login.edition, 'personal');
});

test('Enterprise Edition: <instance-name>-registry.<region>.cr.aliyuncs.com, VPC variant, enterprise login', () => {
  const config = parseInputs({ ...base, 'access-key': AK, 'secret-key': SK, 'instance-id': 'cri-testinstance0001', 'instance-name': 'acme' });
  assert.equal(config.registry, 'acme-registry.cn-hangzhou.cr.aliyuncs.com');
  assert.equal(config.login.kind === 'acr-temporary' && config.login.edition, 'enterprise');
  assert.equal(parseInputs({ ...base, 'access-key': AK, 'secret-key': SK, 'instance-id': 'cri-testinstance0001', 'instance-name': 'acme', vpc: 'true' }).registry, 'acme-registry-vpc.cn-hangzhou.cr.aliyuncs.com');
  assert.equal(parseInputs({ ...base, username: 'me@example', password: 'fixed-pass', vpc: 'true' }).registry, 'registry-vpc.cn-hangzhou.aliyuncs.com');
});

test('Alibaba env variables are the AK/SK fallback for provider alibabacloud (and not the Huawei ones)', () => {
  const config = parseInputs(base, { ALIBABA_CLOUD_ACCESS_KEY_ID: AK, ALIBABA_CLOUD_ACCESS_KEY_SECRET: SK, HUAWEICLOUD_SDK_AK: 'HPUATESTAK0000000001' });
  assert.equal(config.login.kind === 'acr-temporary' && config.login.accessKeyId, AK);
});

test('the registry input overrides the derived host', () => {
  assert.equal(parseInputs({ ...base, username: 'u', password: 'p', registry: '127.0.0.1:5201' }).registry, '127.0.0.1:5201');
});

const CASES: ReadonlyArray<readonly [string, Record<string, string>, string, RegExp]> = [
  ['Enterprise host without instance-id', { ...base, 'access-key': AK, 'secret-key': SK, 'instance-name': 'acme' }, 'instance-id', /required for a temporary login to an Enterprise Edition instance/],
  ['Enterprise registry override without instance-id', { ...base, 'access-key': AK, 'secret-key': SK, registry: 'acme-registry.cn-hangzhou.cr.aliyuncs.com' }, 'instance-id', /GetAuthorizationToken takes the instance id/],
  ['both password and AK/SK', { ...base, 'access-key': AK, 'secret-key': SK, username: 'u', password: 'p' }, 'username', /not both/],
  ['no login at all', base, 'access-key', /needs a login/],
  ['bad instance id', { ...base, 'access-key': AK, 'secret-key': SK, 'instance-id': 'acme' }, 'instance-id', /cri-/],
  ['bad region', { ...base, region: 'hangzhou', username: 'u', password: 'p' }, 'region', /Alibaba Cloud region id/],
  ['missing region', { ...base, region: '', username: 'u', password: 'p' }, 'region', /cn-hangzhou/],
  ['namespace too short', { ...base, namespace: 'a', username: 'u', password: 'p' }, 'namespace', /2 to 30/],
  ['STS key without token', { ...base, 'access-key': 'STS.NTestStsKey0001', 'secret-key': SK }, 'security-token', /STS AccessKey ID/],
  ['token without keys', { ...base, username: 'u', password: 'p', 'security-token': 'CAIS-token-value' }, 'security-token', /no access-key\/secret-key/],
  ['instance-id on Huawei', { region: 'cn-north-4', 'access-key': 'HPUATESTAK0000000001', 'secret-key': 'TestSecretKey0000000000000000000000000000', namespace: 'org', image: 'a', 'instance-id': 'cri-testinstance0001' }, 'instance-id', /only used with provider alibabacloud/],
  ['vpc on Huawei', { region: 'cn-north-4', 'access-key': 'HPUATESTAK0000000001', 'secret-key': 'TestSecretKey0000000000000000000000000000', namespace: 'org', image: 'a', vpc: 'true' }, 'vpc', /only used with provider alibabacloud/],
  ['FunctionGraph with ACR', { ...base, 'access-key': AK, 'secret-key': SK, 'function-urn': 'urn:fss:cn-north-4:0123456789abcdef0123456789abcdef:function:default:f' }, 'function-urn', /Huawei Cloud targets/],
  ['malformed AccessKey ID', { ...base, 'access-key': 'LTAI 5t', 'secret-key': SK }, 'access-key', /AccessKey ID/],
];

for (const [name, inputs, input, fix] of CASES) {
  test(`bad Alibaba input: ${name}`, () => {
    const problems = problemsFor(inputs);
    const mine = problems.filter((problem) => problem.startsWith(`${input}:`));
    assert.equal(mine.length, 1, `expected one "${input}:" problem, got ${JSON.stringify(problems)}`);
    assert.match(mine[0] ?? '', fix);
  });
}
