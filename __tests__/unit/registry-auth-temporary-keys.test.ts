/**
 * registry-auth provider entries with temporary credentials: a keyless run's
 * STS keys (or a static AK/SK with its security token) reach the entries of
 * their cloud; a huaweicloud entry with temporary keys logs in through the
 * SWR API's CreateSecret (the stand-in checks the signed X-Security-Token),
 * never through the derived login, which cannot use temporary keys.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { withTemporaryCredentials } from '../../src/app/keyless.js';
import { resolveRegistryAuthLogin, staticCredentialProviders } from '../../src/app/registry-auth-logins.js';
import { parseConfig } from '../../src/config/parse.js';
import type { YamlParser } from '../../src/config/parse-registry-auth.js';
import type { Config } from '../../src/config/types.js';
import { loadRegistryAuthParser } from '../../src/config/yaml-loader.js';
import { deriveSwrLogin } from '../../src/domain/swr-login.js';
import { createSecretRegistry } from '../../src/util/secrets.js';
import { startSwrApiStandIn, type SwrApiStandIn } from '../standins/swr-api.js';

const PROVIDER_URN = 'iam::0a1b2c3d4e5f60718293a4b5c6d7e8f9:identity-provider:github';
const AGENCY_URN = 'iam::0a1b2c3d4e5f60718293a4b5c6d7e8f9:agency:ci';
const ROLE_ARN = 'acs:ram::1234567890123456:role/ci';
const OIDC_ARN = 'acs:ram::1234567890123456:oidc-provider/github';
const GITHUB = { GITHUB_ACTIONS: 'true', GITHUB_RUN_ID: '987', ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example/x?api-version=2.0', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token-value' };
const TEMPORARY = { accessKeyId: 'HSTTESTAK00000000001', secretAccessKey: 'TemporarySecretKey0000000000000000000000', securityToken: 'temporary-security-token-0001', expiresAt: undefined };
const HUAWEI_ENTRY = '- provider: huaweicloud\n  region: cn-east-3\n  registry: 127.0.0.1:5999\n';
const ALIBABA_ENTRY = '- provider: alibabacloud\n  region: cn-shanghai\n';

let yaml: YamlParser;
before(async () => {
  yaml = await loadRegistryAuthParser();
});

function parse(inputs: Record<string, string>, env: Record<string, string> = {}): Config {
  return parseConfig((name) => inputs[name] ?? '', { env, cwd: '/work', yaml });
}

describe('registry-auth entries get the temporary keys', () => {
  test('keyless Huawei: a huaweicloud entry needs no stored keys; after the exchange it holds the STS keys with their token', async () => {
    const config = parse({ region: 'cn-north-4', namespace: 'o', image: 'a', 'oidc-provider-urn': PROVIDER_URN, 'agency-urn': AGENCY_URN, 'registry-auth': HUAWEI_ENTRY }, GITHUB);
    assert.equal(config.registryAuth.huaweiKeys, undefined, 'filled in at run time');
    const exchanged = withTemporaryCredentials(config, TEMPORARY);
    const keys = { accessKey: TEMPORARY.accessKeyId, secretKey: TEMPORARY.secretAccessKey, securityToken: TEMPORARY.securityToken };
    assert.deepEqual(exchanged.registryAuth.huaweiKeys, keys);
    assert.deepEqual(await staticCredentialProviders(exchanged.registryAuth).huawei?.(), keys);
    assert.deepEqual(exchanged.registryAuth.entries, config.registryAuth.entries);
  });

  test('keyless Alibaba: an alibabacloud entry gets the STS key, secret and token for its ACR temporary login', async () => {
    const config = parse({ provider: 'alibabacloud', region: 'cn-hangzhou', namespace: 'team', image: 'web', 'role-arn': ROLE_ARN, 'oidc-provider-arn': OIDC_ARN, 'registry-auth': ALIBABA_ENTRY }, GITHUB);
    const exchanged = withTemporaryCredentials(config, TEMPORARY);
    const keys = { accessKeyId: TEMPORARY.accessKeyId, accessKeySecret: TEMPORARY.secretAccessKey, securityToken: TEMPORARY.securityToken };
    assert.deepEqual(exchanged.registryAuth.alibabaKeys, keys);
    assert.deepEqual(await staticCredentialProviders(exchanged.registryAuth).alibaba?.(), keys);
  });

  test('a keyless run without provider entries keeps its registry-auth untouched', () => {
    const config = parse({ region: 'cn-north-4', namespace: 'o', image: 'a', 'oidc-provider-urn': PROVIDER_URN, 'agency-urn': AGENCY_URN }, GITHUB);
    assert.equal(withTemporaryCredentials(config, TEMPORARY).registryAuth.huaweiKeys, undefined);
  });

  test('static AK/SK with a security token (input, or env HUAWEICLOUD_SDK_SECURITY_TOKEN) hand the token to the entry', async () => {
    const step = { region: 'cn-north-4', namespace: 'o', image: 'a', 'access-key': TEMPORARY.accessKeyId, 'secret-key': TEMPORARY.secretAccessKey, 'registry-auth': HUAWEI_ENTRY };
    const fromInput = parse({ ...step, 'security-token': TEMPORARY.securityToken });
    assert.equal(fromInput.registryAuth.huaweiKeys?.securityToken, TEMPORARY.securityToken);
    assert.equal((await staticCredentialProviders(fromInput.registryAuth).huawei?.())?.securityToken, TEMPORARY.securityToken);
    assert.equal(parse(step, { HUAWEICLOUD_SDK_SECURITY_TOKEN: TEMPORARY.securityToken }).registryAuth.huaweiKeys?.securityToken, TEMPORARY.securityToken);
    const generic = parse(
      { provider: 'generic', registry: 'registry.example.com', username: 'bot', password: 'bot-password-1', image: 'app', 'registry-auth': HUAWEI_ENTRY },
      { HUAWEICLOUD_SDK_AK: TEMPORARY.accessKeyId, HUAWEICLOUD_SDK_SK: TEMPORARY.secretAccessKey, HUAWEICLOUD_SDK_SECURITY_TOKEN: TEMPORARY.securityToken },
    );
    assert.equal(generic.registryAuth.huaweiKeys?.securityToken, TEMPORARY.securityToken, 'env keys come with the env token');
    assert.equal(parse(step).registryAuth.huaweiKeys?.securityToken, undefined, 'long-term keys carry no token');
  });
});

describe('a huaweicloud entry with temporary keys logs in through CreateSecret', () => {
  let swr: SwrApiStandIn;
  before(async () => {
    swr = await startSwrApiStandIn({ ak: TEMPORARY.accessKeyId, sk: TEMPORARY.secretAccessKey, securityToken: TEMPORARY.securityToken, region: 'cn-east-3' });
  });
  after(() => swr.close());

  const loginWith = (securityToken: string | undefined, secrets = createSecretRegistry()) =>
    resolveRegistryAuthLogin(
      { index: 1, kind: 'huaweicloud', registry: '127.0.0.1:5999', region: 'cn-east-3' },
      {
        providers: { huawei: async () => ({ accessKey: TEMPORARY.accessKeyId, secretKey: TEMPORARY.secretAccessKey, ...(securityToken ? { securityToken } : {}) }) },
        domain: 'myhuaweicloud.com',
        endpoints: new Map([['swr-api', swr.url]]),
        swrLoginMode: 'long-term',
        ports: { secrets, fetch, clock: { now: () => new Date() }, logger: { info: () => undefined, warn: () => undefined, debug: () => undefined, group: <T>(_: string, body: () => Promise<T>) => body() } },
      },
    );

  test('the login is the one SWR issued for the signed call with the token, masked; not the derived one', async () => {
    const secrets = createSecretRegistry();
    const login = await loginWith(TEMPORARY.securityToken, secrets);
    const issued = swr.state.logins.at(-1)!;
    assert.deepEqual({ username: login.username, password: login.password }, { username: issued.username, password: issued.password });
    const derived = deriveSwrLogin({ region: 'cn-east-3', accessKey: TEMPORARY.accessKeyId, secretKey: TEMPORARY.secretAccessKey, domain: 'myhuaweicloud.com' });
    assert.notEqual(login.password, derived.password);
    assert.equal(secrets.redact(`${issued.password} ${TEMPORARY.securityToken} ${TEMPORARY.secretAccessKey}`), '*** *** ***');
    const createSecret = swr.calls.filter((call) => call.route === 'swr.createSecret');
    assert.deepEqual(createSecret.map((call) => [call.signatureValid, call.status]), [[true, 200]]);
  });

  test('the same keys without their token get the derived login, which is no SWR call (the registry then refuses it)', async () => {
    const before = swr.calls.length;
    const login = await loginWith(undefined);
    assert.equal(swr.calls.length, before);
    assert.equal(login.username, `cn-east-3@${TEMPORARY.accessKeyId}`);
  });
});
