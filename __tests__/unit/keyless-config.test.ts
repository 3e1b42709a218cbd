import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfig } from '../../src/config/parse.js';
import { parseInputs, problemsFor } from '../helpers/config-input.js';

const PROVIDER_URN = 'iam::0a1b2c3d4e5f60718293a4b5c6d7e8f9:identity-provider:github';
const AGENCY_URN = 'iam::0a1b2c3d4e5f60718293a4b5c6d7e8f9:agency:ci';
const ROLE_ARN = 'acs:ram::1234567890123456:role/ci';
const OIDC_ARN = 'acs:ram::1234567890123456:oidc-provider/github';
const huawei = { region: 'cn-north-4', namespace: 'my-org', image: 'app', tags: 'latest', 'oidc-provider-urn': PROVIDER_URN, 'agency-urn': AGENCY_URN };
const alibaba = { provider: 'alibabacloud', region: 'cn-hangzhou', namespace: 'team', image: 'web', tags: 'latest', 'role-arn': ROLE_ARN, 'oidc-provider-arn': OIDC_ARN };
const github = { GITHUB_ACTIONS: 'true', GITHUB_RUN_ID: '987', ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example/x?api-version=2.0', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token-value' };
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';

describe('keyless config', () => {
  test('Huawei STS on GitHub: temporary SWR login, token requested for sts.<domain>, session named after the run', () => {
    const config = parseInputs(huawei, github);
    assert.equal(config.login.kind, 'swr-temporary');
    assert.equal(config.cloudCredentials, undefined, 'filled in at run time');
    assert.deepEqual(config.keyless?.exchange, { kind: 'huawei-sts', providerUrn: PROVIDER_URN, agencyUrn: AGENCY_URN });
    assert.equal(config.keyless?.audience, 'sts.myhuaweicloud.com');
    assert.equal(config.keyless?.tokenSource.kind, 'github');
    assert.equal(config.keyless?.sessionName, 'imageship-987');
    assert.equal(config.keyless?.durationSeconds, 3600);
    assert.equal(config.keyless?.exportCredentials, false);
    assert.equal(config.registry, 'swr.cn-north-4.myhuaweicloud.com');
  });

  test('Huawei federation, GitLab id_tokens variable; the audience follows domain', () => {
    const config = parseInputs({ region: 'cn-north-4', namespace: 'o', image: 'a', 'identity-provider': 'gitlab', domain: 'example-cloud.com' }, { GITLAB_CI: 'true', IMAGESHIP_ID_TOKEN: JWT });
    assert.deepEqual(config.keyless?.exchange, { kind: 'huawei-federation', identityProvider: 'gitlab' });
    assert.deepEqual(config.keyless?.tokenSource, { kind: 'env', variable: 'IMAGESHIP_ID_TOKEN' });
    assert.equal(config.keyless?.audience, 'sts.example-cloud.com');
  });

  test('Alibaba: sts.aliyuncs.com audience, an ACR temporary login whose keys come later; RRSA env fallbacks', () => {
    const config = parseInputs(alibaba, github);
    assert.equal(config.keyless?.audience, 'sts.aliyuncs.com');
    assert.equal(config.login.kind, 'acr-temporary');
    const rrsa = parseInputs(
      { provider: 'alibabacloud', region: 'cn-hangzhou', namespace: 'team', image: 'web' },
      { ALIBABA_CLOUD_ROLE_ARN: ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN: OIDC_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE: '/var/run/secrets/tokens/oidc-token' },
    );
    assert.deepEqual(rrsa.keyless?.tokenSource, { kind: 'file', path: '/var/run/secrets/tokens/oidc-token' });
  });

  test('token sources in order: oidc-token, oidc-token-file, the oidc-token-env variable, GitHub', () => {
    assert.equal(parseInputs({ ...huawei, 'oidc-token': JWT, 'oidc-token-file': '/t' }, github).keyless?.tokenSource.kind, 'input');
    assert.equal(parseInputs({ ...huawei, 'oidc-token-file': '/t' }, { ...github, IMAGESHIP_ID_TOKEN: JWT }).keyless?.tokenSource.kind, 'file');
    assert.deepEqual(parseInputs({ ...huawei, 'oidc-token-file': 'tokens/id' }, github).keyless?.tokenSource, { kind: 'file', path: '/work/tokens/id' }, 'relative to the workspace');
    assert.deepEqual(parseInputs({ ...huawei, 'oidc-token-env': 'MY_TOKEN' }, { ...github, MY_TOKEN: JWT }).keyless?.tokenSource, { kind: 'env', variable: 'MY_TOKEN' });
    assert.equal(parseInputs(huawei, github).keyless?.tokenSource.kind, 'github');
  });

  test('a static security token makes the SWR login the temporary one and signs API calls with it', () => {
    const config = parseInputs({ region: 'cn-north-4', namespace: 'o', image: 'a', 'access-key': 'HSTTESTAK00000000001', 'secret-key': 'TestTemporarySecretKey000000000000000000' }, { HUAWEICLOUD_SDK_SECURITY_TOKEN: 'tok-0123456789' });
    assert.equal(config.login.kind, 'swr-temporary');
    assert.equal(config.cloudCredentials?.securityToken, 'tok-0123456789');
    assert.equal(config.keyless, undefined);
  });
});

describe('keyless input problems: one line each, naming the input and the fix, before any call', () => {
  const cases: ReadonlyArray<readonly [string, Record<string, string>, Record<string, string>, RegExp]> = [
    ['no id-token permission on GitHub', huawei, { GITHUB_ACTIONS: 'true' }, /^oidc-token: GitHub gave this job no ID token \(ACTIONS_ID_TOKEN_REQUEST_URL is not set\): add "permissions: id-token: write"/],
    ['GitLab without id_tokens', huawei, { GITLAB_CI: 'true' }, /^oidc-token: no ID token in \$IMAGESHIP_ID_TOKEN: add to the job "id_tokens: IMAGESHIP_ID_TOKEN: aud: sts\.myhuaweicloud\.com"/],
    ['no token anywhere', huawei, {}, /^oidc-token: no OIDC ID token found/],
    ['oidc-token not a JWT', { ...huawei, 'oidc-token': 'not-a-jwt' }, {}, /^oidc-token: not a JWT/],
    ['agency without provider', { ...huawei, 'oidc-provider-urn': '' }, github, /^oidc-provider-urn: missing while agency-urn is set/],
    ['malformed agency URN', { ...huawei, 'agency-urn': 'ci-deployer' }, github, /^agency-urn: "ci-deployer" is not an agency URN: use iam::<account-id>:agency:<name>/],
    ['both Huawei paths', { ...huawei, 'identity-provider': 'gh' }, github, /^identity-provider: choose one keyless path/],
    ['stored keys with keyless', { ...huawei, 'access-key': 'HPUATESTAK0000000001', 'secret-key': 'TestSecretKey0000000000000000000000000000' }, github, /^access-key: not used with a keyless login/],
    ['Alibaba inputs on Huawei', { ...huawei, 'role-arn': ROLE_ARN }, github, /^role-arn: an Alibaba Cloud input/],
    ['Huawei inputs on Alibaba', { ...alibaba, 'agency-urn': AGENCY_URN }, github, /^agency-urn: a Huawei Cloud input/],
    ['role without provider ARN', { ...alibaba, 'oidc-provider-arn': '' }, github, /^oidc-provider-arn: missing while role-arn is set/],
    ['malformed role ARN', { ...alibaba, 'role-arn': 'ci' }, github, /^role-arn: "ci" is not a RAM role ARN/],
    ['keyless on generic', { provider: 'generic', registry: 'r.example', image: 'a', 'role-arn': ROLE_ARN }, github, /^role-arn: a keyless login exchanges the OIDC token with a cloud/],
    ['session-duration out of range', { ...huawei, 'session-duration': '60' }, github, /^session-duration: "60" is not a number of seconds from 900/],
    ['bad session name', { ...huawei, 'role-session-name': 'a b' }, github, /^role-session-name: "a b" is not a session name/],
    ['token input without keyless', { region: 'cn-north-4', namespace: 'o', image: 'a', username: 'u', password: 'p', 'oidc-audience': 'x' }, {}, /^oidc-audience: only used for a keyless login/],
    ['export-credentials without keyless', { region: 'cn-north-4', namespace: 'o', image: 'a', username: 'u', password: 'p', 'export-credentials': 'true' }, {}, /^export-credentials: only exports temporary credentials of a keyless login/],
    ['security-token on generic', { provider: 'generic', registry: 'r.example', image: 'a', 'security-token': 'tok' }, {}, /^security-token: only used with provider huaweicloud or alibabacloud/],
  ];
  for (const [label, inputs, env, expected] of cases) {
    test(label, () => {
      const problems = problemsFor(inputs, env);
      assert.ok(problems.some((problem) => expected.test(problem)), problems.join('\n'));
      assert.ok(!problems.some((problem) => problem.includes('request-token-value')), 'never the request token');
    });
  }

  test('export-credentials on the command line', () => {
    assert.throws(() => parseConfig((name: string) => ({ ...huawei, 'export-credentials': 'true' } as Record<string, string>)[name] ?? '', { env: { IMAGESHIP_ID_TOKEN: JWT }, cwd: '/w', syntax: 'cli' }), /export-credentials: only the GitHub Action can hand variables to later steps/);
  });
});
