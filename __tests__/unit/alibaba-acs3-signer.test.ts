/**
 * Signature V3 (ACS3-HMAC-SHA256) against every case of the shared vectors,
 * made with the official SDK (@alicloud/fc20230330 on @alicloud/openapi-core
 * 1.0.8, and openapi-core with SAE DeployApplication's parameters),
 * including the STS cases whose token is sent, and signed, as
 * x-acs-security-token. Then the independent gateway check of the stand-ins
 * accepts what the signer produces and refuses a tampered request.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { acs3CanonicalRequest, acs3StringToSign, signAcs3Request } from '../../src/cloud/alibaba/acs3-signer.js';
import { Acs3Gateway, GatewayRejection } from '../standins/acs3-gateway.js';

interface Acs3Vector {
  name: string;
  access_key_id: string;
  access_key_secret: string;
  security_token: string | null;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  x_acs_date: string;
  x_acs_signature_nonce: string;
  canonical_request: string;
  string_to_sign: string;
  authorization: string;
}

const vectors = JSON.parse(readFileSync(new URL('../../../__tests__/fixtures/vectors/alibaba-acs3-signing.json', import.meta.url), 'utf8')) as { cases: Acs3Vector[] };

function requestOf(vector: Acs3Vector): { host: string; path: string; query: Record<string, string> } {
  const url = new URL(vector.url);
  return { host: url.host, path: url.pathname, query: Object.fromEntries(url.searchParams.entries()) };
}

function sign(vector: Acs3Vector, overrides: { now?: Date } = {}): Record<string, string> {
  const { host, path, query } = requestOf(vector);
  const contentType = vector.headers['content-type'];
  return signAcs3Request({
    method: vector.method,
    host,
    path,
    query,
    ...(vector.body === '' ? {} : { body: vector.body }),
    ...(contentType === undefined ? {} : { contentType }),
    action: vector.headers['x-acs-action'] as string,
    version: vector.headers['x-acs-version'] as string,
    credentials: {
      accessKeyId: vector.access_key_id,
      accessKeySecret: vector.access_key_secret,
      ...(vector.security_token === null ? {} : { securityToken: vector.security_token }),
    },
    now: overrides.now ?? new Date(Date.parse(vector.x_acs_date)),
    nonce: vector.x_acs_signature_nonce,
  });
}

describe('ACS3-HMAC-SHA256 reproduces every SDK vector', () => {
  assert.ok(vectors.cases.length >= 6, 'the vector file has the FC, FC STS, SAE and SAE STS cases');
  assert.ok(vectors.cases.some((vector) => vector.security_token !== null), 'STS cases are among them');
  for (const vector of vectors.cases) {
    test(`${vector.name}: canonical request, string to sign, every header and the Authorization`, () => {
      const headers = sign(vector);
      const { path, query } = requestOf(vector);
      const { canonicalRequest } = acs3CanonicalRequest(vector.method, path, query, headers);
      assert.equal(canonicalRequest, vector.canonical_request);
      assert.equal(acs3StringToSign(canonicalRequest), vector.string_to_sign);
      assert.equal(headers['authorization'], vector.authorization);
      // Every header the SDK sent (the user-agent names the SDK's machine and is not signed), with the same values.
      const expected = Object.fromEntries(Object.entries(vector.headers).filter(([name]) => name !== 'user-agent').map(([name, value]) => [name.toLowerCase(), value]));
      assert.deepEqual(headers, expected);
      if (vector.security_token !== null) {
        assert.equal(headers['x-acs-security-token'], vector.security_token);
        assert.ok(vector.authorization.includes('x-acs-security-token'), 'the token is signed');
      } else {
        assert.equal(headers['x-acs-security-token'], undefined);
      }
    });
  }
});

describe('the stand-ins gateway check (written apart from the signer)', () => {
  for (const vector of vectors.cases) {
    test(`${vector.name}: accepted when signed now, refused when tampered`, () => {
      const gateway = new Acs3Gateway({
        accessKeyId: vector.access_key_id,
        accessKeySecret: vector.access_key_secret,
        ...(vector.security_token === null ? {} : { securityToken: vector.security_token }),
        hostId: 'test',
        product: 'test',
      });
      const url = new URL(vector.url);
      const target = `${url.pathname}${url.search}`;
      const headers = sign(vector, { now: new Date() });
      const body = Buffer.from(vector.body, 'utf8');
      const verified = gateway.verify(vector.method, target, headers, body);
      assert.equal(verified.action, vector.headers['x-acs-action']);

      const fresh = sign(vector, { now: new Date() });
      fresh['x-acs-signature-nonce'] = `${vector.x_acs_signature_nonce.slice(0, -1)}0`;
      assert.throws(() => gateway.verify(vector.method, target, fresh, body), (error: unknown) => error instanceof GatewayRejection && /SignatureDoesNotMatch/.test(JSON.stringify(error.answer.body)));
      assert.throws(() => gateway.verify(vector.method, target, headers, body), (error: unknown) => error instanceof GatewayRejection && /SignatureNonceUsed/.test(JSON.stringify(error.answer.body)), 'a replayed nonce is refused');
      // The vector's own headers are dated 2024: outside the 15-minute window.
      const old = Object.fromEntries(Object.entries(vector.headers).map(([name, value]) => [name.toLowerCase(), value]));
      assert.throws(() => gateway.verify(vector.method, target, old, body), (error: unknown) => error instanceof GatewayRejection && /InvalidTimeStamp.Expired/.test(JSON.stringify(error.answer.body)));
    });
  }
});
