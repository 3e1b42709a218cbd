/**
 * registry-auth entry logins: a huaweicloud entry's SWR login is derived
 * from the keys a credential provider hands over (the provider is a function,
 * so a keyless step can plug in temporary keys), and every value is masked
 * before it is returned.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { resolveRegistryAuthLogin, staticCredentialProviders } from '../../src/app/registry-auth-logins.js';
import { createSecretRegistry } from '../../src/util/secrets.js';

const AK = 'HPUATESTAK0000000001';
const SK = 'TestSecretKey0000000000000000000000000000';

function options(providers: Parameters<typeof resolveRegistryAuthLogin>[1]['providers']) {
  const secrets = createSecretRegistry();
  const logged: string[] = [];
  return {
    secrets,
    logged,
    options: {
      providers,
      domain: 'myhuaweicloud.com',
      endpoints: new Map<string, string>(),
      swrLoginMode: 'long-term' as const,
      ports: {
        secrets,
        fetch: (() => Promise.reject(new Error('no network call expected'))) as unknown as typeof fetch,
        clock: { now: () => new Date('2026-01-01T00:00:00Z') },
        logger: { info: (line: string) => logged.push(line), warn: (line: string) => logged.push(line), debug: () => undefined, group: <T>(_: string, body: () => Promise<T>) => body() },
      },
    },
  };
}

describe('registry-auth entry logins', () => {
  test('huaweicloud: the login derived for the entry region from the provider keys, asked once, all masked', async () => {
    let calls = 0;
    const { secrets, options: opts } = options({ huawei: async () => (calls++, { accessKey: AK, secretKey: SK }) });
    const login = await resolveRegistryAuthLogin({ index: 1, kind: 'huaweicloud', registry: '127.0.0.1:5101', region: 'cn-north-4' }, opts);
    const password = createHmac('sha256', SK).update(AK).digest('hex');
    assert.deepEqual(
      { registry: login.registry, username: login.username, password: login.password, loginUser: login.loginUser },
      { registry: '127.0.0.1:5101', username: `cn-north-4@${AK}`, password, loginUser: 'cn-north-4@HPUA…' },
    );
    assert.equal(calls, 1);
    assert.equal(secrets.redact(`${SK} ${AK} ${password} ${Buffer.from(`cn-north-4@${AK}:${password}`).toString('base64')}`), '*** *** *** ***');
    assert.ok(!login.loginHint.includes(SK) && !login.loginHint.includes(password));
  });

  test('password entries are masked as the password and as user:password; static providers hand out the config keys', async () => {
    const { secrets, options: opts } = options({});
    const login = await resolveRegistryAuthLogin({ index: 2, kind: 'password', registry: 'ghcr.io', username: 'octocat', password: 'ghp_0123456789abcdef' }, opts);
    assert.equal(login.password, 'ghp_0123456789abcdef');
    assert.equal(secrets.redact('ghp_0123456789abcdef'), '***');
    const providers = staticCredentialProviders({ entries: [], huaweiKeys: { accessKey: AK, secretKey: SK }, alibabaKeys: undefined });
    assert.deepEqual(await providers.huawei?.(), { accessKey: AK, secretKey: SK });
    assert.equal(providers.alibaba, undefined);
  });

  test('a provider entry without a provider says which cloud keys are missing', async () => {
    const { options: opts } = options({});
    await assert.rejects(
      resolveRegistryAuthLogin({ index: 3, kind: 'alibabacloud', registry: 'registry.cn-hangzhou.aliyuncs.com', region: 'cn-hangzhou', edition: 'personal', instanceId: '' }, opts),
      /^Error: registry-auth entry 3 \(registry\.cn-hangzhou\.aliyuncs\.com\): no Alibaba Cloud credentials to log in with/,
    );
  });
});
