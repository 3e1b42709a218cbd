import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { AlibabaApiError } from '../../src/cloud/alibaba/api-errors.js';
import { HuaweiApiError } from '../../src/cloud/huawei/api-client.js';
import { idTokenProblem } from '../../src/domain/oidc/claim-checks.js';
import { explainExchangeFailure } from '../../src/cloud/oidc/exchange-errors.js';
import { obtainIdToken } from '../../src/cloud/oidc/id-token.js';
import { readClaims } from '../../src/domain/oidc/jwt-claims.js';
import { createSecretRegistry } from '../../src/util/secrets.js';

const jwt = (claims: Record<string, unknown>): string =>
  `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2lnbmF0dXJl`;
const now = new Date('2026-01-01T00:00:00Z');
const seconds = Math.floor(now.getTime() / 1000);
const claims = { iss: 'https://token.actions.githubusercontent.com', sub: 'repo:o/r:ref:refs/heads/main', aud: 'sts.aliyuncs.com', exp: seconds + 300, nbf: seconds - 5 };

describe('ID token claims', () => {
  test('read without verifying; aud as a list', () => {
    assert.deepEqual(readClaims(jwt({ ...claims, aud: ['a', 'b'] }))?.aud, ['a', 'b']);
    assert.equal(readClaims('not.a.jwt'), undefined);
  });

  test('expired, not yet valid, another audience: each named with sub/aud/iss', () => {
    assert.equal(idTokenProblem(readClaims(jwt(claims)), 'sts.aliyuncs.com', now), undefined);
    assert.match(idTokenProblem(readClaims(jwt({ ...claims, exp: seconds - 120 })), 'sts.aliyuncs.com', now) ?? '', /^oidc-token: the ID token expired at 2025-12-31T23:58:00\.000Z \(sub "repo:o\/r:ref:refs\/heads\/main"/);
    assert.match(idTokenProblem(readClaims(jwt({ ...claims, nbf: seconds + 600 })), 'sts.aliyuncs.com', now) ?? '', /not valid before .*clock/);
    assert.match(idTokenProblem(readClaims(jwt(claims)), 'other', now) ?? '', /^oidc-audience: the ID token was issued for aud "sts\.aliyuncs\.com", not "other"/);
  });
});

describe('exchange failures name the claim', () => {
  const context = { exchange: { kind: 'alibaba-sts' as const, roleArn: 'acs:ram::1:role/r', oidcProviderArn: 'acs:ram::1:oidc-provider/p' }, claims: readClaims(jwt(claims)), audience: 'sts.aliyuncs.com' };
  const ali = (code: string, message = 'x'): AlibabaApiError => new AlibabaApiError(`op: HTTP 401 ${code}: ${message}`, { status: 401, code, operation: 'op' });
  test('Alibaba codes', () => {
    const text = (error: unknown): string => (error as Error).message;
    assert.match(text(explainExchangeFailure(ali('AuthenticationFail.OIDCToken.AudienceNotMatch'), context)), /^oidc-audience: the OIDC provider acs:ram::1:oidc-provider\/p does not accept/);
    assert.match(text(explainExchangeFailure(ali('AuthenticationFail.OIDCToken.Expired'), context)), /^oidc-token: the cloud says the ID token expired/);
    assert.match(text(explainExchangeFailure(ali('AuthenticationFail.NoPermission', 'There is no permission'), context)), /^role-arn: the trust policy of RAM role acs:ram::1:role\/r does not allow this token \(sub "repo:o\/r:ref:refs\/heads\/main"/);
    assert.match(text(explainExchangeFailure(ali('AuthenticationFail.NoPermission', 'No such OIDC Provider registered.'), context)), /^oidc-provider-arn: no OIDC provider/);
    assert.match(text(explainExchangeFailure(ali('EntityNotExist.Role'), context)), /^role-arn: no RAM role/);
  });
  test('Huawei: read from status and message; a 5xx or network error is left as it is', () => {
    const sts = { ...context, exchange: { kind: 'huawei-sts' as const, providerUrn: 'iam::1:identity-provider:p', agencyUrn: 'iam::1:agency:a' } };
    const hw = (status: number, message: string): HuaweiApiError => new HuaweiApiError(`op: HTTP ${status}: ${message}`, { status, code: '', operation: 'op' });
    assert.match((explainExchangeFailure(hw(403, 'access denied'), sts) as Error).message, /^agency-urn: the trust policy of agency iam::1:agency:a does not allow/);
    assert.match((explainExchangeFailure(hw(400, 'invalid id_token: aud is not in the client id list'), sts) as Error).message, /^oidc-audience:/);
    const fed = { ...context, exchange: { kind: 'huawei-federation' as const, identityProvider: 'gl' } };
    assert.match((explainExchangeFailure(hw(401, 'does not match any mapping rule'), fed) as Error).message, /^identity-provider: the identity conversion rules of gl map this token/);
    const serverError = hw(500, 'boom');
    assert.equal(explainExchangeFailure(serverError, sts), serverError);
  });
});

describe('obtainIdToken', () => {
  test('masks every token the moment it is read (input, env, file)', async () => {
    const token = jwt(claims);
    for (const source of [{ kind: 'input' as const, token }, { kind: 'env' as const, variable: 'T' }, { kind: 'file' as const, path: '/token' }]) {
      const masked: string[] = [];
      const secrets = createSecretRegistry((value) => masked.push(value));
      const got = await obtainIdToken({ source, audience: 'a', env: { T: token }, fetch: globalThis.fetch, secrets, readText: async () => `${token}\n` });
      assert.equal(got, token);
      assert.ok(masked.includes(token), source.kind);
    }
  });

  test('GitHub: &audience= on the runner URL, bearer request token; a refused request token names the permission', async () => {
    const token = jwt(claims);
    const seen: { url: string; authorization: string | undefined }[] = [];
    const server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
      const ok = req.headers.authorization === 'Bearer req-token-123';
      res.writeHead(ok ? 200 : 403, { 'content-type': 'application/json' });
      res.end(ok ? JSON.stringify({ value: token }) : '{"message":"nope"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token?api-version=2.0`;
    try {
      const masked: string[] = [];
      const secrets = createSecretRegistry((value) => masked.push(value));
      const got = await obtainIdToken({ source: { kind: 'github', requestUrl: base, requestToken: 'req-token-123' }, audience: 'sts.aliyuncs.com', env: {}, fetch: globalThis.fetch, secrets });
      assert.equal(got, token);
      assert.deepEqual(seen[0], { url: '/token?api-version=2.0&audience=sts.aliyuncs.com', authorization: 'Bearer req-token-123' });
      assert.ok(masked.includes('req-token-123') && masked.includes(token));
      await assert.rejects(
        obtainIdToken({ source: { kind: 'github', requestUrl: base, requestToken: 'wrong-token' }, audience: 'a', env: {}, fetch: globalThis.fetch, secrets, retry: { attempts: 1 } }),
        /HTTP 403: the runner's request token was refused: add "permissions: id-token: write"/,
      );
    } finally {
      server.close();
    }
  });
});
