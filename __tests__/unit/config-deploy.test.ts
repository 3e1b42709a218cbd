import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseInputs, problemsFor, VALID_SWR_INPUTS } from '../helpers/config-input.js';

const URN = 'urn:fss:cn-north-4:0123456789abcdef0123456789abcdef:function:default:my-func';
const CLUSTER = '4e3f6f6a-1c2b-11ef-8a0c-0255ac100b07';

test('deploy inputs parse into the config', () => {
  const config = parseInputs({
    ...VALID_SWR_INPUTS,
    'function-urn': `${URN}\n${URN}:latest`,
    workloads: 'prod/deployment/web\nprod/statefulsets/db:main',
    'cce-cluster-id': CLUSTER,
    'deploy-trigger': 'https://cs.console.aliyun.com/hook/trigger?token=abcdef123456',
    endpoints: 'functiongraph=http://127.0.0.1:9000',
    'rollout-timeout': '120',
  });
  assert.deepEqual(config.deploy.functionUrns, [URN, `${URN}:latest`]);
  assert.deepEqual(config.deploy.workloads.map((w) => [w.namespace, w.kind, w.name, w.container]), [
    ['prod', 'deployment', 'web', undefined],
    ['prod', 'statefulset', 'db', 'main'],
  ]);
  assert.equal(config.deploy.rolloutTimeoutMs, 120_000);
  assert.equal(config.deploy.endpoints.get('functiongraph'), 'http://127.0.0.1:9000');
  assert.deepEqual(config.cloudCredentials, { accessKey: VALID_SWR_INPUTS['access-key'], secretKey: VALID_SWR_INPUTS['secret-key'] });
});

test('AK/SK next to username/password is fine when FunctionGraph needs them', () => {
  const config = parseInputs({ ...VALID_SWR_INPUTS, username: 'cn-north-4@TEMPLOGIN', password: 'temporary-token', 'function-urn': URN });
  assert.equal(config.login.kind, 'password');
  assert.ok(config.cloudCredentials);
});

test('deploy-image makes a deploy-only config: repository and registry come from the reference', () => {
  const config = parseInputs({
    region: 'cn-north-4',
    'access-key': VALID_SWR_INPUTS['access-key'] ?? '',
    'secret-key': VALID_SWR_INPUTS['secret-key'] ?? '',
    'deploy-image': `swr.cn-north-4.myhuaweicloud.com/my-org/my-app@sha256:${'a'.repeat(64)}`,
    'deploy-trigger': 'https://example.com/hook?token=abcdef123456',
  });
  assert.equal(config.registry, 'swr.cn-north-4.myhuaweicloud.com');
  assert.equal(config.repository, 'my-org/my-app');
  assert.equal(config.deployImage?.digest, `sha256:${'a'.repeat(64)}`);
});

const CASES: ReadonlyArray<readonly [string, Record<string, string>, string, RegExp]> = [
  ['function-urn without AK/SK', { provider: 'generic', registry: 'r.example.com', image: 'a', 'function-urn': URN }, 'access-key', /signed with access-key\/secret-key/],
  ['malformed function URN', { ...VALID_SWR_INPUTS, 'function-urn': 'urn:fss:cn-north-4:nope' }, 'function-urn', /urn:fss/],
  ['unknown workload kind', { ...VALID_SWR_INPUTS, workloads: 'prod/daemonset/agent', kubeconfig: 'apiVersion: v1' }, 'workloads', /daemonset/],
  ['workloads without credentials', { ...VALID_SWR_INPUTS, workloads: 'prod/deployment/web' }, 'workloads', /kubeconfig .* or cce-cluster-id/],
  ['kubeconfig and cce-cluster-id', { ...VALID_SWR_INPUTS, workloads: 'prod/deployment/web', kubeconfig: 'x', 'cce-cluster-id': CLUSTER }, 'kubeconfig', /not both/],
  ['kubeconfig without workloads', { ...VALID_SWR_INPUTS, kubeconfig: 'apiVersion: v1' }, 'kubeconfig', /no workloads/],
  ['bad cluster id', { ...VALID_SWR_INPUTS, workloads: 'prod/deployment/web', 'cce-cluster-id': 'my-cluster' }, 'cce-cluster-id', /UUID/],
  ['bad project id', { ...VALID_SWR_INPUTS, 'project-id': 'cn-north-4' }, 'project-id', /32 hex/],
  ['rollout-timeout not a number', { ...VALID_SWR_INPUTS, 'rollout-timeout': '5m' }, 'rollout-timeout', /number of seconds/],
  ['rollout-timeout too long', { ...VALID_SWR_INPUTS, 'rollout-timeout': '7200' }, 'rollout-timeout', /1 to 3600/],
  ['trigger that is not http(s)', { ...VALID_SWR_INPUTS, 'deploy-trigger': 'ftp://example.com/hook?token=secret-token-1' }, 'deploy-trigger', /http/],
  ['bad endpoints line', { ...VALID_SWR_INPUTS, endpoints: 'functiongraph' }, 'endpoints', /service=url/],
  ['deploy targets with push false', { ...VALID_SWR_INPUTS, push: 'false', 'deploy-trigger': 'https://example.com/hook' }, 'push', /pushed before it is deployed/],
  ['deploy-image with nothing to deploy', { ...VALID_SWR_INPUTS, namespace: '', image: '', 'deploy-image': 'swr.cn-north-4.myhuaweicloud.com/my-org/app:1' }, 'deploy-image', /nothing to deploy/],
  ['deploy-image without tag or digest', { ...VALID_SWR_INPUTS, namespace: '', image: '', 'deploy-image': 'swr.cn-north-4.myhuaweicloud.com/my-org/app', 'deploy-trigger': 'https://example.com/h' }, 'deploy-image', /no tag or digest/],
  ['deploy-image naming another repository than image', { ...VALID_SWR_INPUTS, 'deploy-image': 'swr.cn-north-4.myhuaweicloud.com/other/app:1', 'deploy-trigger': 'https://example.com/h' }, 'deploy-image', /namespace\/image say "my-org\/my-app"/],
  ['cce-cluster-id without region', { provider: 'generic', registry: 'r.example.com', image: 'a', 'access-key': VALID_SWR_INPUTS['access-key'] ?? '', 'secret-key': VALID_SWR_INPUTS['secret-key'] ?? '', workloads: 'a/deployment/b', 'cce-cluster-id': CLUSTER }, 'region', /cce\.<region>/],
];

for (const [name, inputs, input, fix] of CASES) {
  test(`bad deploy input: ${name}`, () => {
    const problems = problemsFor(inputs);
    const mine = problems.filter((problem) => problem.startsWith(`${input}:`));
    assert.equal(mine.length, 1, `expected one "${input}:" problem, got ${JSON.stringify(problems)}`);
    assert.match(mine[0] ?? '', fix);
  });
}

test('a trigger URL token never appears in a problem message', () => {
  const problems = problemsFor({ ...VALID_SWR_INPUTS, 'deploy-trigger': 'ftp://example.com/hook?token=SuperSecretToken123' });
  assert.ok(problems.length > 0);
  for (const problem of problems) assert.ok(!problem.includes('SuperSecretToken123'), problem);
});

test('plain-http endpoints to another host and plain-http triggers are warnings, once each; loopback endpoints are not', () => {
  const config = parseInputs({
    ...VALID_SWR_INPUTS,
    'function-urn': URN,
    endpoints: 'functiongraph=http://10.0.0.8:9000\niam=http://127.0.0.1:9001\ncce=https://cce.internal.example',
    'deploy-trigger': 'http://10.0.0.5:8080/redeploy/Xk9_qL2-vT7wRz4mNp0bQ8sY',
  });
  assert.deepEqual(config.deploy.warnings, [
    'endpoints: "functiongraph=http://10.0.0.8:9000" uses plain http: the signed requests and their bodies (function settings, kubeconfigs, registry logins) travel unencrypted and can be read or changed on the way; use https unless functiongraph is reached over a private network',
    'deploy-trigger: line 1 uses plain http (http://10.0.0.5:8080/redeploy/***): the trigger token travels unencrypted; use https unless the receiver is on a private network',
  ]);
  assert.deepEqual(parseInputs({ ...VALID_SWR_INPUTS, 'function-urn': URN }).deploy.warnings, []);
});
