/**
 * The Alibaba Cloud RPC and ROA signatures against the shared vectors (made
 * with @alicloud/pop-core 1.8.0), then against the Container Registry
 * stand-in, whose verifier is written independently of the signer.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  percentEncode,
  roaCanonicalResource,
  roaHeaders,
  roaStringToSign,
  rpcCanonicalQuery,
  rpcQuery,
  rpcStringToSign,
  rpcTimestamp,
  signRoa,
  signRpc,
} from '../../src/cloud/alibaba/signer.js';
import { startAlibabaCrStandIn, type AlibabaCrStandIn } from '../standins/alibaba-cr.js';

interface RpcVector {
  name: string;
  method: string;
  endpoint: string;
  access_key_id: string;
  access_key_secret: string;
  params: Record<string, string>;
  signature: string;
}

interface RoaVector {
  name: string;
  method: string;
  endpoint: string;
  path: string;
  access_key_id: string;
  access_key_secret: string;
  headers: Record<string, string>;
  authorization: string;
}

const vectors = JSON.parse(readFileSync(new URL('../../../__tests__/fixtures/vectors/alibaba-signing.json', import.meta.url), 'utf8')) as {
  cases: RpcVector[];
  roa: { cases: RoaVector[] };
};

const AK = 'LTAITESTAK000001';
const SECRET = 'TestSecret000000000000000000000';
const REGION = 'cn-hangzhou';
const INSTANCE = 'cri-testinstance0001';

/** Splits a query string the way a server would, for comparing with the vector's parameters. */
function decodeQuery(query: string): Map<string, string> {
  return new Map(
    query.split('&').map((pair) => {
      const at = pair.indexOf('=');
      return [decodeURIComponent(pair.slice(0, at)), decodeURIComponent(pair.slice(at + 1))] as [string, string];
    }),
  );
}

describe('RPC signature vectors', () => {
  test('the vector file has RPC cases to check', () => {
    assert.ok(vectors.cases.length >= 1);
  });

  for (const vector of vectors.cases) {
    test(`signRpc reproduces ${vector.name}`, () => {
      assert.equal(signRpc(vector.method, vector.params, vector.access_key_secret), vector.signature);
    });

    test(`rpcQuery rebuilds ${vector.name} from its parts, Signature last`, () => {
      const { Action, Version, AccessKeyId, SignatureNonce, Timestamp, Format, SignatureMethod, SignatureVersion, ...apiParams } = vector.params;
      assert.equal(Format, 'JSON');
      assert.equal(SignatureMethod, 'HMAC-SHA1');
      assert.equal(SignatureVersion, '1.0');
      const query = rpcQuery({
        action: Action as string,
        version: Version as string,
        params: apiParams,
        accessKeyId: AccessKeyId as string,
        accessKeySecret: vector.access_key_secret,
        now: new Date(Timestamp as string),
        nonce: SignatureNonce as string,
        method: vector.method as 'GET' | 'POST',
      });
      assert.match(query, /&Signature=[^&]+$/);
      const decoded = decodeQuery(query);
      assert.equal(decoded.get('Signature'), vector.signature);
      decoded.delete('Signature');
      assert.deepEqual(Object.fromEntries([...decoded].sort()), Object.fromEntries(Object.entries(vector.params).sort()));
    });

    test(`the string to sign of ${vector.name} has the documented form`, () => {
      const toSign = rpcStringToSign(vector.method, vector.params);
      assert.ok(toSign.startsWith(`${vector.method}&%2F&`));
      assert.equal(toSign.slice(`${vector.method}&%2F&`.length), percentEncode(rpcCanonicalQuery(vector.params)));
    });
  }
});

describe('ROA signature vectors', () => {
  test('the vector file has ROA cases to check', () => {
    assert.ok(vectors.roa.cases.length >= 1);
  });

  for (const vector of vectors.roa.cases) {
    test(`signRoa reproduces ${vector.name}`, () => {
      const authorization = signRoa({
        method: vector.method,
        path: vector.path,
        headers: vector.headers,
        accessKeyId: vector.access_key_id,
        accessKeySecret: vector.access_key_secret,
      });
      assert.equal(authorization, vector.authorization);
    });

    test(`roaHeaders rebuilds the signed headers of ${vector.name}`, () => {
      const headers = roaHeaders({
        version: vector.headers['x-acs-version'] as string,
        now: new Date(vector.headers['date'] as string),
        nonce: vector.headers['x-acs-signature-nonce'] as string,
        accessKeyId: vector.access_key_id,
      });
      assert.deepEqual(headers, vector.headers);
    });

    test(`signRoa of ${vector.name} ignores header name case`, () => {
      const upper = Object.fromEntries(Object.entries(vector.headers).map(([name, value]) => [name.toUpperCase(), value]));
      const authorization = signRoa({
        method: vector.method,
        path: vector.path,
        headers: upper,
        accessKeyId: vector.access_key_id,
        accessKeySecret: vector.access_key_secret,
      });
      assert.equal(authorization, vector.authorization);
    });
  }
});

describe('signer details', () => {
  test("percentEncode escapes !'()* and spaces, and leaves unreserved characters", () => {
    assert.equal(percentEncode("a b!'()*~-_.Z9"), 'a%20b%21%27%28%29%2A~-_.Z9');
    assert.equal(percentEncode('2024-01-01T00:00:00Z'), '2024-01-01T00%3A00%3A00Z');
    assert.equal(percentEncode('é/+='), '%C3%A9%2F%2B%3D');
  });

  test('rpcTimestamp is UTC to the second, without milliseconds', () => {
    assert.equal(rpcTimestamp(new Date('2024-03-05T07:08:09.987Z')), '2024-03-05T07:08:09Z');
  });

  test('rpcQuery adds SecurityToken only when one is given', () => {
    const base = { action: 'GetAuthorizationToken', version: '2018-12-01', params: {}, accessKeyId: AK, accessKeySecret: SECRET, now: new Date(), nonce: 'n1' };
    assert.equal(decodeQuery(rpcQuery(base)).has('SecurityToken'), false);
    assert.equal(decodeQuery(rpcQuery({ ...base, securityToken: 'sts token/+=' })).get('SecurityToken'), 'sts token/+=');
  });

  test('the ROA resource sorts query keys and keeps values unencoded', () => {
    assert.equal(roaCanonicalResource('/tokens'), '/tokens');
    assert.equal(roaCanonicalResource('/repos', { page: '2', Namespace: 'a b' }), '/repos?Namespace=a b&page=2');
  });

  test('the ROA string to sign lists content headers, then x-acs-* headers sorted, then the resource', () => {
    const toSign = roaStringToSign('get', '/tokens', {
      'X-Acs-Version': '2016-06-07',
      'x-acs-b': ' tab\there ',
      Date: 'D',
      Accept: 'application/json',
      'x-other': 'not signed',
    });
    assert.equal(toSign, 'GET\napplication/json\n\n\nD\nx-acs-b:tab here\nx-acs-version:2016-06-07\n/tokens');
  });

  test('roaHeaders names the AccessKey next to an STS token, and the region when given', () => {
    const headers = roaHeaders({ version: '2016-06-07', now: new Date(0), nonce: 'n', accessKeyId: AK, securityToken: 'sts', regionId: REGION });
    assert.equal(headers['x-acs-security-token'], 'sts');
    assert.equal(headers['x-acs-accesskey-id'], AK);
    assert.equal(headers['x-acs-region-id'], REGION);
    assert.equal(headers['date'], 'Thu, 01 Jan 1970 00:00:00 GMT');
  });
});

describe("the stand-in's own verifier agrees with the signer", () => {
  let standIn: AlibabaCrStandIn;
  let nonceCounter = 0;
  const nonce = (): string => `cross-check-${++nonceCounter}-${Date.now()}`;

  before(async () => {
    standIn = await startAlibabaCrStandIn({
      accessKeyId: AK,
      accessKeySecret: SECRET,
      region: REGION,
      instances: [{ id: INSTANCE, tempUsername: 'cr_temp_user', token: 'temp-password-0001' }],
      personal: { tempUsername: 'cr_temp_user', token: 'personal-password-0001' },
    });
  });
  after(() => standIn.close());

  const rpcUrl = (overrides: { secret?: string; params?: Record<string, string>; method?: 'GET' | 'POST'; fixedNonce?: string } = {}): string =>
    rpcQuery({
      action: 'GetAuthorizationToken',
      version: '2018-12-01',
      params: overrides.params ?? { InstanceId: INSTANCE, RegionId: REGION },
      accessKeyId: AK,
      accessKeySecret: overrides.secret ?? SECRET,
      now: new Date(),
      nonce: overrides.fixedNonce ?? nonce(),
      method: overrides.method ?? 'GET',
    });

  test('an RPC GET signed by signRpc is accepted', async () => {
    const response = await fetch(`${standIn.url}/?${rpcUrl()}`);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(response.status, 200);
    assert.equal(body['IsSuccess'], true);
    assert.equal(body['TempUsername'], 'cr_temp_user');
  });

  test('an RPC POST with the signed form as its body is accepted', async () => {
    const response = await fetch(`${standIn.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: rpcUrl({ method: 'POST' }),
    });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as Record<string, unknown>)['Code'], 'success');
  });

  test('an RPC request signed with the wrong secret is refused as the gateway does', async () => {
    const response = await fetch(`${standIn.url}/?${rpcUrl({ secret: 'WrongSecret0000000000000000000' })}`);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(response.status, 400);
    assert.equal(body['Code'], 'SignatureDoesNotMatch');
    assert.match(String(body['Message']), /^Specified signature is not matched with our calculation\. server string to sign is:GET&%2F&/);
    assert.equal(body['HostId'], `cr.${REGION}.aliyuncs.com`);
    assert.match(String(body['Recommend']), /^https:\/\/api\.aliyun\.com\/troubleshoot\?q=SignatureDoesNotMatch&product=cr&requestId=/);
    assert.equal(typeof body['RequestId'], 'string');
  });

  test('a parameter changed after signing breaks the signature', async () => {
    const tampered = rpcUrl().replace(`RegionId=${REGION}`, 'RegionId=cn-beijing');
    const response = await fetch(`${standIn.url}/?${tampered}`);
    assert.equal(((await response.json()) as Record<string, unknown>)['Code'], 'SignatureDoesNotMatch');
  });

  test('values that need percent-encoding are signed the way the verifier reads them', async () => {
    const response = await fetch(`${standIn.url}/?${rpcUrl({ params: { InstanceId: "cri a!'()*/é", RegionId: REGION } })}`);
    const body = (await response.json()) as Record<string, unknown>;
    // The signature holds; the instance simply does not exist.
    assert.equal(response.status, 200);
    assert.deepEqual([body['IsSuccess'], body['Code']], [false, 'INSTANCE_NOT_EXIST']);
  });

  test('the same signed request sent twice is refused as a nonce replay', async () => {
    const once = rpcUrl({ fixedNonce: `replay-${Date.now()}` });
    assert.equal((await fetch(`${standIn.url}/?${once}`)).status, 200);
    const again = await fetch(`${standIn.url}/?${once}`);
    assert.equal(again.status, 400);
    assert.equal(((await again.json()) as Record<string, unknown>)['Code'], 'SignatureNonceUsed');
  });

  test('a signed request without InstanceId gets MissingParameter naming it', async () => {
    const response = await fetch(`${standIn.url}/?${rpcUrl({ params: { RegionId: REGION } })}`);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(response.status, 400);
    assert.equal(body['Code'], 'MissingParameter');
    assert.match(String(body['Message']), /"InstanceId"/);
  });

  const roaRequest = async (secret: string, query: Record<string, string> = {}): Promise<Response> => {
    const headers = roaHeaders({ version: '2016-06-07', now: new Date(), nonce: nonce(), accessKeyId: AK, regionId: REGION });
    headers['authorization'] = signRoa({ method: 'GET', path: '/tokens', query, headers, accessKeyId: AK, accessKeySecret: secret });
    const search = new URLSearchParams(query).toString();
    return fetch(`${standIn.url}/tokens${search === '' ? '' : `?${search}`}`, { headers });
  };

  test('an ROA GET /tokens signed by signRoa is accepted', async () => {
    const response = await roaRequest(SECRET);
    const body = (await response.json()) as { data?: Record<string, unknown> };
    assert.equal(response.status, 200);
    assert.equal(body.data?.['tempUserName'], 'cr_temp_user');
  });

  test('an ROA request with a query is signed over the sorted query', async () => {
    const response = await roaRequest(SECRET, { zeta: '1', alpha: '2' });
    assert.equal(response.status, 200);
  });

  test('an ROA request signed with the wrong secret is refused', async () => {
    const response = await roaRequest('WrongSecret0000000000000000000');
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(response.status, 400);
    assert.equal(body['Code'], 'SignatureDoesNotMatch');
    assert.equal(body['HostId'], `cr.${REGION}.aliyuncs.com`);
    assert.equal(typeof body['Recommend'], 'string');
  });
});
