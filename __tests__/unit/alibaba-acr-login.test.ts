/**
 * Temporary Container Registry logins from an AccessKey, against the local
 * stand-in of the Alibaba Cloud CR API: success for both editions, STS,
 * each kind of refusal with its remedy (and no secret in any message),
 * transient faults and retries. Ends with a real registry (Debian's
 * docker-registry) accepting the temporary login the stand-in handed out.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  acrApiEndpoint,
  getEnterpriseLogin,
  getPersonalLogin,
  type AcrCredentials,
  type AcrTemporaryLogin,
} from '../../src/cloud/alibaba/acr-login.js';
import { AlibabaApiError, alibabaApiError, alibabaRemedyFor, parseAlibabaErrorBody, scrubSecrets, shortAccessKeyId } from '../../src/cloud/alibaba/api-errors.js';
import type { Clock } from '../../src/ports.js';
import { HttpError } from '../../src/http/retry.js';
import { startLocalRegistry, type LocalRegistry } from '../helpers/local-registry.js';
import { findSecrets } from '../helpers/secret-scan.js';
import { startAlibabaCrStandIn, type AlibabaCrStandIn } from '../standins/alibaba-cr.js';

const AK = 'LTAITESTAK000001';
const SECRET = 'TestSecret000000000000000000000';
const STS_AK = 'STS.TESTSTSKEY0000000001';
const STS_SECRET = 'StsSecret00000000000000000000000';
// Characters that percent-encoding changes, so a scrubber that only knows the raw spelling would miss it.
const STS_TOKEN = 'CAIS+sts/token=value!0001';
const REGION = 'cn-hangzhou';
const INSTANCE = 'cri-testinstance0001';
const ENTERPRISE = { tempUsername: 'cr_temp_user', token: 'enterprise-temp-password-0001' };
const PERSONAL = { tempUsername: 'cr_temp_personal', token: 'personal-temp-password-0001' };

const systemClock: Clock = { now: () => new Date() };
const FAST_RETRY = { attempts: 3, baseDelayMs: 0, maxDelayMs: 0, timeoutMs: 2_000 };

interface SleepLog {
  sleeps: number[];
  sleep: (ms: number) => Promise<void>;
}
function recordingSleep(): SleepLog {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms) => void sleeps.push(ms) };
}

/** Asserts the rejection is an AlibabaApiError with this code, and hands it over for more checks. */
async function rejectsWith(promise: Promise<unknown>, code: string): Promise<AlibabaApiError> {
  let caught: unknown;
  await assert.rejects(promise, (error: unknown) => {
    caught = error;
    return true;
  });
  assert.ok(caught instanceof AlibabaApiError, `expected AlibabaApiError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  return caught;
}

/** RFC 3986 encoding as the gateway applies it (plain encodeURIComponent would leave `!` and miss a spelling). */
const rfc3986 = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Each secret as is, encoded once (a query) and twice (a quoted RPC string to sign), plain or base64. */
function assertNoSecrets(message: string, credentials: AcrCredentials): void {
  const secrets: Record<string, string> = {};
  const add = (label: string, value: string): void => {
    secrets[label] = value;
    secrets[`${label}, encoded once`] = rfc3986(value);
    secrets[`${label}, encoded twice`] = rfc3986(rfc3986(value));
  };
  add('access key secret', credentials.accessKeySecret);
  if (credentials.securityToken !== undefined) add('security token', credentials.securityToken);
  assert.deepEqual(findSecrets({ message }, secrets), []);
  assert.ok(!message.includes(credentials.accessKeyId), `the full AccessKey ID is printed: ${message}`);
}

function assertFreshLogin(login: AcrTemporaryLogin, expected: { tempUsername: string; token: string }): void {
  assert.equal(login.username, expected.tempUsername);
  assert.equal(login.password, expected.token);
  assert.ok(login.expiresAt instanceof Date);
  const minutesLeft = (login.expiresAt.getTime() - Date.now()) / 60_000;
  assert.ok(minutesLeft > 55 && minutesLeft <= 60, `expires in ${minutesLeft} minutes`);
}

describe('acrApiEndpoint', () => {
  test('is the public regional endpoint by default', () => {
    assert.equal(acrApiEndpoint('cn-shanghai', new Map()), 'https://cr.cn-shanghai.aliyuncs.com');
  });
  test('is the cr= line of the endpoints input when there is one', () => {
    assert.equal(acrApiEndpoint('cn-shanghai', new Map([['cr', 'http://127.0.0.1:9000']])), 'http://127.0.0.1:9000');
    assert.equal(acrApiEndpoint('cn-shanghai', new Map([['functiongraph', 'http://127.0.0.1:9000']])), 'https://cr.cn-shanghai.aliyuncs.com');
  });
});

describe('with a long-term AccessKey', () => {
  let standIn: AlibabaCrStandIn;
  const credentials: AcrCredentials = { accessKeyId: AK, accessKeySecret: SECRET };

  before(async () => {
    standIn = await startAlibabaCrStandIn({
      accessKeyId: AK,
      accessKeySecret: SECRET,
      region: REGION,
      instances: [{ id: INSTANCE, ...ENTERPRISE }],
      personal: PERSONAL,
    });
  });
  after(() => standIn.close());
  beforeEach(() => {
    standIn.calls.length = 0;
  });

  const enterprise = (overrides: Partial<Parameters<typeof getEnterpriseLogin>[0]> = {}): Promise<AcrTemporaryLogin> =>
    getEnterpriseLogin({
      endpoint: acrApiEndpoint(REGION, new Map([['cr', standIn.url]])),
      region: REGION,
      instanceId: INSTANCE,
      credentials,
      fetch: globalThis.fetch,
      clock: systemClock,
      retry: FAST_RETRY,
      ...overrides,
    });
  const personal = (overrides: Partial<Parameters<typeof getPersonalLogin>[0]> = {}): Promise<AcrTemporaryLogin> =>
    getPersonalLogin({
      endpoint: `${standIn.url}/`,
      region: REGION,
      credentials,
      fetch: globalThis.fetch,
      clock: systemClock,
      retry: FAST_RETRY,
      ...overrides,
    });

  test('an Enterprise Edition login comes back with username, password and expiry', async () => {
    assertFreshLogin(await enterprise(), ENTERPRISE);
    assert.equal(standIn.attempts('rpc.GetAuthorizationToken'), 1);
    const call = standIn.calls[0];
    assert.equal(call?.signatureValid, true);
    assert.match(call?.url ?? '', /[?&]InstanceId=cri-testinstance0001(&|$)/);
    assert.match(call?.url ?? '', /[?&]RegionId=cn-hangzhou(&|$)/);
  });

  test('a Personal Edition login comes back with username, password and expiry', async () => {
    assertFreshLogin(await personal(), PERSONAL);
    assert.equal(standIn.attempts('roa.GetTokens'), 1);
    assert.equal(standIn.calls[0]?.signatureValid, true);
    assert.equal(standIn.calls[0]?.headers['x-acs-region-id'], REGION);
  });

  test('a pinned nonce is what gets signed and sent', async () => {
    await enterprise({ nonce: () => `pinned-${Date.now()}` });
    assert.match(standIn.calls[0]?.nonce ?? '', /^pinned-/);
  });

  test('a wrong AccessKey ID is InvalidAccessKeyId.NotFound, with the remedy', async () => {
    const wrong = { accessKeyId: 'LTAIWRONGAK00099', accessKeySecret: SECRET };
    for (const attempt of [enterprise({ credentials: wrong }), personal({ credentials: wrong })]) {
      const error = await rejectsWith(attempt, 'InvalidAccessKeyId.NotFound');
      assert.equal(error.status, 404);
      assert.match(error.message, /: HTTP 404 InvalidAccessKeyId\.NotFound: Specified access key is not found\. — the AccessKey ID is wrong or was deleted/);
      assert.match(error.message, /belongs to the Alibaba Cloud account/);
      assert.ok(error.requestId !== undefined && error.requestId !== '');
      assertNoSecrets(error.message, wrong);
    }
  });

  test('a wrong secret is SignatureDoesNotMatch; the message keeps the secret out', async () => {
    const wrong = { accessKeyId: AK, accessKeySecret: 'WrongSecret0000000000000000000' };
    for (const attempt of [enterprise({ credentials: wrong }), personal({ credentials: wrong })]) {
      const error = await rejectsWith(attempt, 'SignatureDoesNotMatch');
      assert.equal(error.status, 400);
      assert.match(error.message, /— the access-key-secret does not match the AccessKey ID: copy the secret again, without spaces/);
      assertNoSecrets(error.message, wrong);
      assertNoSecrets(error.message, credentials);
    }
  });

  test('an unknown instance (a 200 with IsSuccess false) is INSTANCE_NOT_EXIST, with the remedy', async () => {
    const error = await rejectsWith(enterprise({ instanceId: 'cri-doesnotexist99' }), 'INSTANCE_NOT_EXIST');
    assert.equal(error.status, 200);
    assert.match(error.message, /^get Container Registry login for instance cri-doesnotexist99 in cn-hangzhou: HTTP 200 INSTANCE_NOT_EXIST/);
    assert.match(error.message, /— no Container Registry instance with this ID in this region: check instance-id .* and region$/);
  });

  test('an instance of another region is not found either', async () => {
    await rejectsWith(enterprise({ region: 'cn-beijing' }), 'INSTANCE_NOT_EXIST');
  });

  test('an HTTP 404 InstanceNotExist answer gets the same remedy', async () => {
    standIn.setFaults('rpc.GetAuthorizationToken', [
      { kind: 'status', status: 404, body: { RequestId: 'R-404', HostId: 'cr.cn-hangzhou.aliyuncs.com', Code: 'InstanceNotExist', Message: 'The instance does not exist.' } },
    ]);
    const error = await rejectsWith(enterprise(), 'InstanceNotExist');
    assert.equal(error.requestId, 'R-404');
    assert.match(error.message, /HTTP 404 InstanceNotExist: The instance does not exist\. — no Container Registry instance/);
  });

  test('a runner clock 20 minutes off is InvalidTimeStamp.Expired, with the clock remedy', async () => {
    const stale: Clock = { now: () => new Date(Date.now() - 20 * 60_000) };
    for (const attempt of [enterprise({ clock: stale }), personal({ clock: stale })]) {
      const error = await rejectsWith(attempt, 'InvalidTimeStamp.Expired');
      assert.match(error.message, /— the runner clock is more than 15 minutes off/);
    }
  });

  test('a nonce the gateway has seen is SignatureNonceUsed, also a clock/replay remedy', async () => {
    const nonce = `reused-${Date.now()}`;
    await enterprise({ nonce: () => nonce });
    const error = await rejectsWith(enterprise({ nonce: () => nonce }), 'SignatureNonceUsed');
    assert.match(error.message, /runner clock/);
  });

  test('a security token sent with a long-term AccessKey is refused', async () => {
    const error = await rejectsWith(enterprise({ credentials: { ...credentials, securityToken: STS_TOKEN } }), 'InvalidSecurityToken.MismatchWithAccessKey');
    assertNoSecrets(error.message, { ...credentials, securityToken: STS_TOKEN });
  });

  test('a Personal Edition the account never set up is USER_NOT_EXIST (lower-case ROA body), with the remedy', async () => {
    const bare = await startAlibabaCrStandIn({ accessKeyId: AK, accessKeySecret: SECRET, region: REGION, instances: [] });
    try {
      const error = await rejectsWith(personal({ endpoint: bare.url }), 'USER_NOT_EXIST');
      assert.equal(error.status, 404);
      assert.match(error.message, /HTTP 404 USER_NOT_EXIST: user is not exist\. — this account or RAM user has not set up Container Registry Personal Edition/);
    } finally {
      await bare.close();
    }
  });

  describe('transient faults', () => {
    test('429 with Retry-After: the server-given pause is honoured, then the retry succeeds', async () => {
      standIn.setFaults('rpc.GetAuthorizationToken', [{ kind: 'status', status: 429, retryAfter: '7' }]);
      const log = recordingSleep();
      assertFreshLogin(await enterprise({ sleep: log.sleep }), ENTERPRISE);
      assert.deepEqual(log.sleeps, [7_000]);
      assert.equal(standIn.attempts('rpc.GetAuthorizationToken'), 2);
    });

    test('every attempt is signed afresh: new nonce, valid signature', async () => {
      standIn.setFaults('roa.GetTokens', [{ kind: 'status', status: 503 }, { kind: 'status', status: 503 }]);
      const log = recordingSleep();
      assertFreshLogin(await personal({ sleep: log.sleep }), PERSONAL);
      assert.equal(standIn.attempts('roa.GetTokens'), 3);
      const nonces = standIn.calls.map((call) => call.nonce);
      assert.equal(new Set(nonces).size, 3, `nonces repeat: ${nonces.join(', ')}`);
      assert.ok(standIn.calls.every((call) => call.signatureValid));
    });

    test('503 on the Enterprise call is retried', async () => {
      standIn.setFaults('rpc.GetAuthorizationToken', [{ kind: 'status', status: 503 }]);
      const log = recordingSleep();
      assertFreshLogin(await enterprise({ sleep: log.sleep }), ENTERPRISE);
      assert.equal(standIn.attempts('rpc.GetAuthorizationToken'), 2);
      assert.equal(log.sleeps.length, 1);
    });

    test('a dropped connection is retried', async () => {
      standIn.setFaults('rpc.GetAuthorizationToken', [{ kind: 'reset' }]);
      assertFreshLogin(await enterprise({ sleep: recordingSleep().sleep }), ENTERPRISE);
      assert.equal(standIn.attempts('rpc.GetAuthorizationToken'), 2);
    });

    test('an answer slower than the per-try timeout is abandoned and retried', async () => {
      standIn.setFaults('roa.GetTokens', [{ kind: 'slow', delayMs: 3_000 }]);
      const started = Date.now();
      assertFreshLogin(await personal({ sleep: recordingSleep().sleep, retry: { ...FAST_RETRY, timeoutMs: 300 } }), PERSONAL);
      assert.equal(standIn.attempts('roa.GetTokens'), 2);
      assert.ok(Date.now() - started < 2_500, 'the slow answer was waited for');
    });

    test('when every try fails, the error names the operation, the status and the tries', async () => {
      standIn.setFaults('rpc.GetAuthorizationToken', [
        { kind: 'status', status: 503 },
        { kind: 'status', status: 503 },
        { kind: 'status', status: 503 },
      ]);
      let caught: unknown;
      await assert.rejects(enterprise({ sleep: recordingSleep().sleep }), (error: unknown) => {
        caught = error;
        return true;
      });
      assert.ok(caught instanceof HttpError);
      assert.equal(caught.message, 'get Container Registry login for instance cri-testinstance0001 in cn-hangzhou: HTTP 503 after 3 attempts');
      assert.equal(caught.attempts, 3);
      assert.equal(caught.status, 503);
      assert.equal(standIn.attempts('rpc.GetAuthorizationToken'), 3);
    });

    test('connection refused everywhere ends in a clear error too', async () => {
      const closed = await startAlibabaCrStandIn({ accessKeyId: AK, accessKeySecret: SECRET, region: REGION, instances: [] });
      const url = closed.url;
      await closed.close();
      await assert.rejects(personal({ endpoint: url, sleep: recordingSleep().sleep }), (error: unknown) => {
        assert.ok(error instanceof HttpError);
        assert.match(error.message, /^get Container Registry Personal Edition login in cn-hangzhou: connection refused by 127\.0\.0\.1:\d+ \(ECONNREFUSED\) — nothing listens there: check the address and port after 3 attempts$/);
        return true;
      });
    });
  });
});

describe('with a temporary STS AccessKey', () => {
  let standIn: AlibabaCrStandIn;
  const credentials: AcrCredentials = { accessKeyId: STS_AK, accessKeySecret: STS_SECRET, securityToken: STS_TOKEN };

  before(async () => {
    standIn = await startAlibabaCrStandIn({
      accessKeyId: STS_AK,
      accessKeySecret: STS_SECRET,
      securityToken: STS_TOKEN,
      region: REGION,
      instances: [{ id: INSTANCE, ...ENTERPRISE }],
      personal: PERSONAL,
    });
  });
  after(() => standIn.close());
  beforeEach(() => {
    standIn.calls.length = 0;
  });

  const both = (creds: AcrCredentials): Promise<AcrTemporaryLogin>[] => {
    const common = { endpoint: standIn.url, region: REGION, credentials: creds, fetch: globalThis.fetch, clock: systemClock, retry: FAST_RETRY };
    return [getEnterpriseLogin({ ...common, instanceId: INSTANCE }), getPersonalLogin(common)];
  };

  test('the security token is sent (RPC SecurityToken, ROA x-acs-security-token) and accepted', async () => {
    const [enterpriseLogin, personalLogin] = await Promise.all(both(credentials));
    assertFreshLogin(enterpriseLogin as AcrTemporaryLogin, ENTERPRISE);
    assertFreshLogin(personalLogin as AcrTemporaryLogin, PERSONAL);
    assert.deepEqual(
      standIn.calls.map((call) => call.securityToken),
      [STS_TOKEN, STS_TOKEN],
    );
    const roa = standIn.calls.find((call) => call.route === 'roa.GetTokens');
    assert.equal(roa?.headers['x-acs-accesskey-id'], STS_AK);
  });

  test('without the token the gateway answers MissingSecurityToken, with the remedy', async () => {
    const { securityToken: _dropped, ...withoutToken } = credentials;
    for (const attempt of both(withoutToken)) {
      const error = await rejectsWith(attempt, 'MissingSecurityToken');
      assert.match(error.message, /— this is a temporary STS AccessKey \(STS\.…\): pass its security-token as well/);
    }
  });

  test('an old token is InvalidSecurityToken.Expired, with the refresh remedy, and no token in the message', async () => {
    const old = { ...credentials, securityToken: 'CAIS+old/token=value!0000' };
    for (const attempt of both(old)) {
      const error = await rejectsWith(attempt, 'InvalidSecurityToken.Expired');
      assert.match(error.message, /— the STS security token has expired: get a fresh one/);
      assertNoSecrets(error.message, old);
    }
  });

  test('a wrong secret: the echoed string to sign holds the token, which is scrubbed in every spelling', async () => {
    const wrong = { ...credentials, accessKeySecret: 'WrongStsSecret0000000000000000000' };
    for (const attempt of both(wrong)) {
      const error = await rejectsWith(attempt, 'SignatureDoesNotMatch');
      assertNoSecrets(error.message, wrong);
      // The quoted string to sign survives, minus the token: the message is still useful for debugging.
      assert.match(error.message, /server string to sign is:/);
      assert.match(error.message, /\*\*\*/);
    }
    // The answers really did quote the token (twice encoded for RPC, raw in the ROA header lines): the scrubbing was needed.
    const answers = new Map(standIn.calls.map((call) => [call.route, call.answer]));
    assert.ok(answers.get('rpc.GetAuthorizationToken')?.includes(rfc3986(rfc3986(STS_TOKEN))));
    assert.ok(answers.get('roa.GetTokens')?.includes(`x-acs-security-token:${STS_TOKEN}`));
  });
});

describe('error bodies and remedies', () => {
  test('the gateway shape and the lower-case ROA shape are both read', () => {
    assert.deepEqual(
      parseAlibabaErrorBody('{"RequestId":"R1","HostId":"cr.cn-hangzhou.aliyuncs.com","Code":"Forbidden.RAM","Message":"User not authorized.","Recommend":"https://x"}'),
      { code: 'Forbidden.RAM', message: 'User not authorized.', requestId: 'R1', hostId: 'cr.cn-hangzhou.aliyuncs.com', recommend: 'https://x' },
    );
    assert.deepEqual(parseAlibabaErrorBody('{"code":"USER_NOT_EXIST","message":"user is not exist.","requestId":"R2"}'), {
      code: 'USER_NOT_EXIST',
      message: 'user is not exist.',
      requestId: 'R2',
    });
    assert.deepEqual(parseAlibabaErrorBody('<html>bad gateway</html>'), {});
  });

  test('Forbidden.RAM and NoPermission point at cr:GetAuthorizationToken', () => {
    for (const code of ['Forbidden.RAM', 'NoPermission']) assert.match(alibabaRemedyFor(code) ?? '', /cr:GetAuthorizationToken on the instance/);
  });

  test('InvalidAccessKeyId has the same remedy as InvalidAccessKeyId.NotFound; unknown codes have none', () => {
    assert.equal(alibabaRemedyFor('InvalidAccessKeyId'), alibabaRemedyFor('InvalidAccessKeyId.NotFound'));
    assert.equal(alibabaRemedyFor('SomethingElse'), undefined);
  });

  test('a Forbidden.RAM answer reads as one line with the remedy', async () => {
    const standIn = await startAlibabaCrStandIn({ accessKeyId: AK, accessKeySecret: SECRET, region: REGION, instances: [{ id: INSTANCE, ...ENTERPRISE }] });
    try {
      standIn.setFaults('rpc.GetAuthorizationToken', [
        { kind: 'status', status: 403, body: { RequestId: 'R-403', Code: 'Forbidden.RAM', Message: "User not authorized to operate on the specified resource, or this API doesn't support RAM." } },
      ]);
      const error = await rejectsWith(
        getEnterpriseLogin({ endpoint: standIn.url, region: REGION, instanceId: INSTANCE, credentials: { accessKeyId: AK, accessKeySecret: SECRET }, fetch: globalThis.fetch, clock: systemClock }),
        'Forbidden.RAM',
      );
      assert.equal(
        error.message,
        "get Container Registry login for instance cri-testinstance0001 in cn-hangzhou: HTTP 403 Forbidden.RAM: User not authorized to operate on the specified resource, or this API doesn't support RAM. — " +
          'the RAM user may not get registry logins: grant it cr:GetAuthorizationToken on the instance (e.g. the AliyunContainerRegistryFullAccess policy, or a custom policy)',
      );
    } finally {
      await standIn.close();
    }
  });

  test('scrubSecrets removes the secret and the token in every spelling and shortens the AccessKey ID', () => {
    const secrets = { accessKeyId: STS_AK, accessKeySecret: 'Secret/with+chars!0001', securityToken: STS_TOKEN };
    const text = [secrets.accessKeyId, secrets.accessKeySecret, STS_TOKEN, rfc3986(STS_TOKEN), rfc3986(rfc3986(STS_TOKEN)), rfc3986(rfc3986(secrets.accessKeySecret))].join(' | ');
    assert.equal(scrubSecrets(text, secrets), 'STS.…0001 | *** | *** | *** | *** | ***');
  });

  test('a gateway message quoting the token is scrubbed before it is cut to length', () => {
    const secrets = { accessKeyId: AK, accessKeySecret: SECRET, securityToken: STS_TOKEN };
    const body = JSON.stringify({
      Code: 'SignatureDoesNotMatch',
      Message: `Specified signature is not matched with our calculation. server string to sign is:GET&%2F&AccessKeyId%3D${AK}%26SecurityToken%3D${rfc3986(rfc3986(STS_TOKEN))}`,
    });
    const error = alibabaApiError({ operation: 'op', status: 400, text: body, secrets });
    assert.equal(
      error.message,
      'op: HTTP 400 SignatureDoesNotMatch: Specified signature is not matched with our calculation. server string to sign is:GET&%2F&AccessKeyId%3DLTAI…0001%26SecurityToken%3D*** — ' +
        (alibabaRemedyFor('SignatureDoesNotMatch') ?? ''),
    );
  });

  test('a body that is not JSON is shown as text, one line, without secrets', () => {
    const error = alibabaApiError({ operation: 'op', status: 502, text: `<html>\n bad gateway ${SECRET}\n</html>`, requestIdHeader: 'R-9', secrets: { accessKeyId: AK, accessKeySecret: SECRET } });
    assert.equal(error.message, 'op: HTTP 502: <html> bad gateway *** </html>');
    assert.equal(error.code, '');
    assert.equal(error.requestId, 'R-9');
  });

  test('AccessKey IDs are printed by head and tail, since they all start alike', () => {
    assert.equal(shortAccessKeyId('LTAITESTAK000001'), 'LTAI…0001');
    assert.equal(shortAccessKeyId('short'), 'shor…');
  });
});

describe('startLocalRegistry', () => {
  let open: LocalRegistry | undefined;
  let guarded: LocalRegistry | undefined;
  const basic = (username: string, password: string): string => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const v2Status = async (registry: LocalRegistry, authorization?: string): Promise<number> => {
    const response = await fetch(`http://${registry.host}/v2/`, authorization === undefined ? {} : { headers: { authorization } });
    await response.body?.cancel();
    return response.status;
  };

  after(async () => {
    await Promise.all([open?.close(), guarded?.close()]);
  });

  test('without users the registry is open', async () => {
    open = await startLocalRegistry();
    assert.match(open.host, /^127\.0\.0\.1:\d+$/);
    assert.equal(await v2Status(open), 200);
    assert.throws(() => open?.setUsers([{ username: 'a', password: 'b' }]), /started without users/);
  });

  test('with users: 401 without credentials, 200 with the temporary login the stand-in handed out', async () => {
    const standIn = await startAlibabaCrStandIn({ accessKeyId: AK, accessKeySecret: SECRET, region: REGION, instances: [{ id: INSTANCE, ...ENTERPRISE }] });
    let login: AcrTemporaryLogin;
    try {
      login = await getEnterpriseLogin({
        endpoint: standIn.url,
        region: REGION,
        instanceId: INSTANCE,
        credentials: { accessKeyId: AK, accessKeySecret: SECRET },
        fetch: globalThis.fetch,
        clock: systemClock,
      });
    } finally {
      await standIn.close();
    }
    guarded = await startLocalRegistry({ users: [{ username: login.username, password: login.password }] });
    assert.equal(await v2Status(guarded), 401);
    assert.equal(await v2Status(guarded, basic(login.username, 'not-the-password')), 401);
    assert.equal(await v2Status(guarded, basic(login.username, login.password)), 200);
  });

  test('setUsers switches the accepted password of the running registry', async () => {
    assert.ok(guarded !== undefined);
    guarded.setUsers([{ username: ENTERPRISE.tempUsername, password: 'rotated-password-0002' }]);
    assert.equal(await v2Status(guarded, basic(ENTERPRISE.tempUsername, ENTERPRISE.token)), 401);
    assert.equal(await v2Status(guarded, basic(ENTERPRISE.tempUsername, 'rotated-password-0002')), 200);
  });
});
