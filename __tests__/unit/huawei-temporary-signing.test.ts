/**
 * Temporary credentials (AK, SK, security token) sign exactly as the official
 * SDK does (vectors from @huaweicloud/huaweicloud-sdk-core), and the signed
 * client carries the token through to a stand-in that verifies it with its
 * own implementation.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { canonicalParts, canonicalRequest, signHuaweiRequest } from '../../src/cloud/huawei/signer.js';
import { HuaweiApiClient, HuaweiApiError } from '../../src/cloud/huawei/api-client.js';
import { createTemporaryLogin } from '../../src/cloud/huawei/swr.js';
import { chooseLogin } from '../../src/domain/credential-scope.js';
import { derivedSwrCredentials, loginScopeOf } from '../../src/app/run-credentials.js';
import { createSecretRegistry } from '../../src/util/secrets.js';
import { parseInputs } from '../helpers/config-input.js';
import { startSwrApiStandIn } from '../standins/swr-api.js';

interface VectorCase {
  name: string;
  ak: string;
  sk: string;
  security_token: string | null;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  signed_headers: string;
  canonical_request: string;
  canonical_request_sha256: string;
  authorization: string;
}

const vectors = JSON.parse(
  readFileSync(new URL('../../../__tests__/fixtures/vectors/huawei-temporary-credentials-signing.json', import.meta.url), 'utf8'),
) as { cases: VectorCase[] };

/** The headers the SDK had set at signing time: all but Authorization, User-Agent (added later) and the token (the signer adds it). */
function headersBeforeSigning(vector: VectorCase): Record<string, string> {
  return Object.fromEntries(
    Object.entries(vector.headers).filter(([name]) => !['authorization', 'user-agent', 'x-security-token'].includes(name.toLowerCase())),
  );
}

describe('signHuaweiRequest with a security token: the official SDK vectors', () => {
  it('has temporary and permanent cases', () => {
    assert.ok(vectors.cases.some((c) => c.security_token !== null));
    assert.ok(vectors.cases.some((c) => c.security_token === null));
  });

  for (const vector of vectors.cases) {
    it(`reproduces "${vector.name}"`, () => {
      const request = { method: vector.method, url: vector.url, headers: headersBeforeSigning(vector), body: vector.body };
      const credentials = { accessKey: vector.ak, secretKey: vector.sk, ...(vector.security_token === null ? {} : { securityToken: vector.security_token }) };
      const headers = signHuaweiRequest(request, credentials, new Date('2030-01-01T00:00:00Z'));
      assert.equal(headers['Authorization'], vector.authorization);
      if (vector.security_token === null) {
        assert.equal(Object.keys(headers).find((name) => name.toLowerCase() === 'x-security-token'), undefined);
      } else {
        assert.equal(headers['X-Security-Token'], vector.security_token, 'the token travels in X-Security-Token');
        assert.ok(!vector.url.includes('security'), 'never in the query');
      }
      const { Authorization: _authorization, ...signedHeaders } = headers;
      const parts = canonicalParts({ ...request, headers: signedHeaders });
      assert.equal(parts.signedHeaders, vector.signed_headers);
      assert.equal(canonicalRequest(parts), vector.canonical_request);
      assert.equal(createHash('sha256').update(canonicalRequest(parts)).digest('hex'), vector.canonical_request_sha256);
    });
  }

  it('a token given among the headers is replaced by the credentials\' one, never sent twice', () => {
    const vector = vectors.cases.find((c) => c.name === 'swr-create-secret-temporary') as VectorCase;
    const headers = signHuaweiRequest(
      { method: vector.method, url: vector.url, headers: { ...headersBeforeSigning(vector), 'x-security-token': 'stale-token-value' }, body: '' },
      { accessKey: vector.ak, secretKey: vector.sk, securityToken: vector.security_token as string },
      new Date(),
    );
    assert.deepEqual(Object.keys(headers).filter((name) => name.toLowerCase() === 'x-security-token'), ['X-Security-Token']);
    assert.equal(headers['Authorization'], vector.authorization);
  });
});

describe('HuaweiApiClient with temporary credentials against the SWR stand-in', () => {
  const ak = 'HSTTESTAK00000000001';
  const sk = 'TestTemporarySecretKey000000000000000000';
  const token = 'gQpjbi1ub3J0aC00TESTTOKEN+Abc/Def=ghIJklMNopQRstUVwxYZ0123456789';
  const clientFor = (url: string, securityToken?: string): HuaweiApiClient =>
    new HuaweiApiClient({
      credentials: { accessKey: ak, secretKey: sk, ...(securityToken === undefined ? {} : { securityToken }) },
      region: 'cn-north-4',
      domain: 'myhuaweicloud.com',
      endpoints: new Map([['swr-api', url]]),
      fetch: globalThis.fetch,
      clock: { now: () => new Date() },
      retry: { attempts: 1 },
    });

  it('CreateSecret succeeds only with the matching token, signed', async () => {
    const api = await startSwrApiStandIn({ ak, sk, securityToken: token, region: 'cn-north-4' });
    try {
      const login = await createTemporaryLogin(clientFor(api.url, token), 'cn-north-4');
      assert.match(login.username, /^cn-north-4@/);
      assert.equal(api.state.logins.length, 1);

      for (const [label, given] of [['no token', undefined], ['another token', `${token}x`]] as const) {
        const error = await createTemporaryLogin(clientFor(api.url, given), 'cn-north-4').then(() => undefined, (e: unknown) => e);
        assert.ok(error instanceof HuaweiApiError, label);
        assert.equal(error.status, 401, label);
        assert.equal(error.code, 'APIGW.0301', label);
        assert.ok(!error.message.includes(token), 'the token is never in an error');
      }
      assert.equal(api.state.logins.length, 1, 'the refused calls issued nothing');
    } finally {
      await api.close();
    }
  });
});

describe('another SWR region with temporary keys (replicate-to): a temporary login from that region, never a derived one', () => {
  it('asks the SWR API of the replica region, signed with the token, and masks the login', async () => {
    const ak = 'HSTTESTAK00000000001';
    const sk = 'TestTemporarySecretKey000000000000000000';
    const token = 'gQpjbi1ub3J0aC00TESTTOKEN+Abc/Def=replica0123456789';
    const api = await startSwrApiStandIn({ ak, sk, securityToken: token, region: 'cn-east-3' });
    try {
      const config = parseInputs({ region: 'cn-north-4', namespace: 'o', image: 'a', 'access-key': ak, 'secret-key': sk, 'security-token': token, endpoints: `swr-api=${api.url}` });
      const masked: string[] = [];
      const ports = {
        fetch: globalThis.fetch,
        clock: { now: () => new Date() },
        secrets: createSecretRegistry((value) => masked.push(value)),
        logger: { info: () => undefined, warn: () => undefined, debug: () => undefined, group: <T>(_title: string, body: () => Promise<T>) => body() },
        exec: async () => ({ exitCode: 0, stdout: '', stderr: '' }),
      };
      assert.equal(chooseLogin('swr.cn-east-3.myhuaweicloud.com', loginScopeOf(config, true)).kind, 'swr-region');
      const login = await derivedSwrCredentials(config, ports, 'cn-east-3');
      assert.match(login?.username ?? '', /^cn-east-3@/);
      assert.equal(api.state.logins.length, 1);
      assert.ok(api.calls.every((call) => call.signatureValid));
      assert.ok(masked.includes(login?.password ?? 'missing'));
    } finally {
      await api.close();
    }
  });
});
