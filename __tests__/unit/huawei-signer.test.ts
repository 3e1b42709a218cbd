import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  canonicalParts,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  formatSdkDate,
  signHuaweiRequest,
  stringToSign,
} from '../../src/cloud/huawei/signer.js';
import { startHuaweiCloudStandIn, type HuaweiCloudStandIn } from '../standins/huawei-cloud.js';

interface VectorCase {
  name: string;
  ak: string;
  sk: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  authorization: string;
  canonical_uri?: string;
  body_sha256?: string;
  canonical_request_sha256?: string;
}

const vectors = JSON.parse(
  readFileSync(new URL('../../../__tests__/fixtures/vectors/huawei-apig-signing.json', import.meta.url), 'utf8'),
) as { cases: VectorCase[] };

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('signHuaweiRequest: the official SDK vectors', () => {
  it('has cases to check', () => {
    assert.ok(vectors.cases.length >= 3);
  });

  for (const vector of vectors.cases) {
    it(`reproduces "${vector.name}"`, () => {
      const request = { method: vector.method, url: vector.url, headers: vector.headers, body: vector.body };
      // The vectors carry their own X-Sdk-Date, which must win over `now`.
      const headers = signHuaweiRequest(request, { accessKey: vector.ak, secretKey: vector.sk }, new Date('2030-01-01T00:00:00Z'));
      assert.equal(headers['Authorization'], vector.authorization);

      const parts = canonicalParts(request);
      if (vector.canonical_uri !== undefined) assert.equal(parts.canonicalUri, vector.canonical_uri);
      if (vector.body_sha256 !== undefined) assert.equal(parts.bodySha256, vector.body_sha256);
      if (vector.canonical_request_sha256 !== undefined) {
        assert.equal(sha256(canonicalRequest(parts)), vector.canonical_request_sha256);
      }
    });
  }

  it('signs the same bytes whether the body is a string or its UTF-8 encoding', () => {
    const vector = vectors.cases.find((c) => c.name === 'functiongraph-update-code') as VectorCase;
    const headers = signHuaweiRequest(
      { method: vector.method, url: vector.url, headers: vector.headers, body: new TextEncoder().encode(vector.body) },
      { accessKey: vector.ak, secretKey: vector.sk },
      new Date(),
    );
    assert.equal(headers['Authorization'], vector.authorization);
  });
});

describe('signHuaweiRequest: details', () => {
  const credentials = { accessKey: 'HPUATESTAK0000000001', secretKey: 'TestSecretKey0000000000000000000000000000' };
  const url = 'https://functiongraph.cn-north-4.myhuaweicloud.com/v2/p/fgs/functions/urn:fss:x/config';

  it('adds X-Sdk-Date from the clock when none is given, and keeps the input headers', () => {
    const headers = signHuaweiRequest(
      { method: 'GET', url, headers: { 'Content-Type': 'application/json' }, body: '' },
      credentials,
      new Date('2024-03-05T07:08:09.123Z'),
    );
    assert.equal(headers['X-Sdk-Date'], '20240305T070809Z');
    assert.equal(headers['Content-Type'], 'application/json');
    assert.match(headers['Authorization'] ?? '', /^SDK-HMAC-SHA256 Access=HPUATESTAK0000000001, SignedHeaders=content-type;host;x-sdk-date, Signature=[0-9a-f]{64}$/);
    assert.equal(Object.keys(headers).some((name) => name.toLowerCase() === 'host'), false, 'host is left to the HTTP client');
  });

  it('changes the signature when one byte of the body changes', () => {
    const now = new Date('2024-01-01T00:00:00Z');
    const sign = (body: string): string | undefined =>
      signHuaweiRequest({ method: 'PUT', url, headers: { 'Content-Type': 'application/json' }, body }, credentials, now)['Authorization'];
    assert.notEqual(sign('{"memory_size":128}'), sign('{"memory_size":256}'));
    assert.equal(sign('{"memory_size":128}'), sign('{"memory_size":128}'));
  });

  it('signs the host with a non-default port and without a default one', () => {
    const hostLine = (target: string): string | undefined =>
      canonicalParts({ method: 'GET', url: target, headers: {}, body: '' }).canonicalHeaders.split('\n').find((line) => line.startsWith('host:'));
    assert.equal(hostLine('http://127.0.0.1:9000/v3/projects'), 'host:127.0.0.1:9000');
    assert.equal(hostLine('https://iam.cn-north-4.myhuaweicloud.com:443/v3/projects'), 'host:iam.cn-north-4.myhuaweicloud.com');
  });

  it('encodes path segments (":" as %3A) and adds the trailing slash once', () => {
    assert.equal(canonicalUri('/v2/p/fgs/functions/urn:fss:a:b/config'), '/v2/p/fgs/functions/urn%3Afss%3Aa%3Ab/config/');
    assert.equal(canonicalUri('/v3/projects/'), '/v3/projects/');
    assert.equal(canonicalUri('/a%20b/c'), '/a%20b/c/', 'an already escaped segment is not escaped twice');
    assert.equal(canonicalUri('/'), '/');
  });

  it('sorts and encodes the query', () => {
    assert.equal(canonicalQuery('?name=cn-north-4&limit=2&a=x%20y&a=b'), 'a=b&a=x%20y&limit=2&name=cn-north-4');
    assert.equal(canonicalQuery(''), '');
    assert.equal(canonicalQuery('?flag'), 'flag=');
  });

  it('formats X-Sdk-Date as YYYYMMDDTHHMMSSZ in UTC', () => {
    assert.equal(formatSdkDate(new Date('2019-11-15T03:36:55.999Z')), '20191115T033655Z');
  });

  it('builds the string to sign from the algorithm, the date and the canonical request hash', () => {
    assert.equal(stringToSign('20191115T033655Z', 'x'), `SDK-HMAC-SHA256\n20191115T033655Z\n${sha256('x')}`);
  });
});

describe('signHuaweiRequest against the stand-in\'s own verifier', () => {
  const AK = 'HPUATESTAK0000000001';
  const SK = 'TestSecretKey0000000000000000000000000000';
  const PROJECT = '0123456789abcdef0123456789abcdef';
  const CLUSTER = '6b3c2b9a-1f2e-4d5c-8b7a-112233445566';
  let standIn: HuaweiCloudStandIn;

  before(async () => {
    standIn = await startHuaweiCloudStandIn({
      ak: AK,
      sk: SK,
      projectId: PROJECT,
      region: 'cn-north-4',
      functions: [{ func_name: 'zip-fn', runtime: 'Python3.9', handler: 'index.handler', memory_size: 128, timeout: 3, code_type: 'zip' }],
      clusters: [{ id: CLUSTER, kubeconfig: { kind: 'Config', apiVersion: 'v1', clusters: [], users: [], contexts: [] } }],
    });
  });
  after(() => standIn.close());

  const send = async (
    method: string,
    path: string,
    body: string,
    secretKey: string,
    tamper?: string,
  ): Promise<{ status: number; json: Record<string, unknown> }> => {
    const url = `${standIn.url}${path}`;
    const headers = signHuaweiRequest(
      { method, url, headers: { 'Content-Type': 'application/json', 'X-Project-Id': PROJECT }, body },
      { accessKey: AK, secretKey },
      new Date(),
    );
    const response = await fetch(url, { method, headers, ...(method === 'GET' ? {} : { body: tamper ?? body }) });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  it('accepts a GET with a query string', async () => {
    const { status, json } = await send('GET', '/v3/projects?name=cn-north-4', '', SK);
    assert.equal(status, 200);
    assert.equal((json['projects'] as { id: string }[])[0]?.id, PROJECT);
  });

  it('accepts a path carrying a URN with ":"', async () => {
    const urn = `urn:fss:cn-north-4:${PROJECT}:function:default:zip-fn`;
    const { status, json } = await send('GET', `/v2/${PROJECT}/fgs/functions/${urn}/config`, '', SK);
    assert.equal(status, 200);
    assert.equal(json['func_name'], 'zip-fn');
  });

  it('accepts a POST with a body', async () => {
    const { status } = await send('POST', `/api/v3/projects/${PROJECT}/clusters/${CLUSTER}/clustercert`, '{"duration":1}', SK);
    assert.equal(status, 200);
  });

  it('rejects a wrong secret key as API Gateway does', async () => {
    const { status, json } = await send('GET', '/v3/projects?name=cn-north-4', '', `${SK}x`);
    assert.equal(status, 401);
    assert.equal(json['error_code'], 'APIGW.0301');
    assert.equal(json['error_msg'], 'Incorrect IAM authentication information: verify aksk signature fail');
    assert.equal(typeof json['request_id'], 'string');
  });

  it('rejects a body changed after signing', async () => {
    const { status, json } = await send('POST', `/api/v3/projects/${PROJECT}/clusters/${CLUSTER}/clustercert`, '{"duration":1}', SK, '{"duration":2}');
    assert.equal(status, 401);
    assert.equal(json['error_code'], 'APIGW.0301');
  });

  it('rejects an unsigned request', async () => {
    const response = await fetch(`${standIn.url}/v3/projects`);
    assert.equal(response.status, 401);
    assert.equal(((await response.json()) as { error_code: string }).error_code, 'APIGW.0301');
  });
});
