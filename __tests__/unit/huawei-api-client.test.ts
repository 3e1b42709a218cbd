import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { HuaweiApiClient, HuaweiApiError, parseHuaweiErrorBody } from '../../src/cloud/huawei/api-client.js';
import { huaweiEndpoint, parseEndpoints } from '../../src/domain/targets/huawei-endpoints.js';
import { remedyFor } from '../../src/cloud/huawei/error-remedies.js';
import type { Clock } from '../../src/ports.js';
import { HttpError } from '../../src/http/retry.js';
import { startHuaweiCloudStandIn, type HuaweiCloudStandIn } from '../standins/huawei-cloud.js';

const AK = 'HPUATESTAK0000000001';
const SK = 'TestSecretKey0000000000000000000000000000';
const PROJECT = '0123456789abcdef0123456789abcdef';
const REGION = 'cn-north-4';
const FAST = { attempts: 4, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 2_000 };

function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

function clientFor(
  url: string,
  options: { sk?: string; clock?: Clock; sleep?: (ms: number) => Promise<void>; retry?: typeof FAST } = {},
): HuaweiApiClient {
  return new HuaweiApiClient({
    credentials: { accessKey: AK, secretKey: options.sk ?? SK },
    region: REGION,
    domain: 'myhuaweicloud.com',
    endpoints: new Map([
      ['functiongraph', url],
      ['iam', url],
      ['cce', url],
    ]),
    fetch,
    clock: options.clock ?? { now: () => new Date() },
    retry: options.retry ?? FAST,
    sleep: options.sleep ?? (async () => {}),
  });
}

describe('parseEndpoints', () => {
  it('reads service=url lines, skipping blanks and comments, and drops a trailing slash', () => {
    const { endpoints, errors } = parseEndpoints(
      '# local stand-ins\nfunctiongraph=http://127.0.0.1:9000/\n\n  cce = https://cce.example.test:8443/base \nswr-api=https://swr-api.example.test\n',
    );
    assert.deepEqual(errors, []);
    assert.deepEqual([...endpoints], [
      ['functiongraph', 'http://127.0.0.1:9000'],
      ['cce', 'https://cce.example.test:8443/base'],
      ['swr-api', 'https://swr-api.example.test'],
    ]);
  });

  it('names each bad line with its fix, one line each', () => {
    const { endpoints, errors } = parseEndpoints(
      [
        'functiongraph http://127.0.0.1:9000',
        'FunctionGraph=http://127.0.0.1:9000',
        'iam=ftp://127.0.0.1',
        'cce=http://127.0.0.1:9000/?x=1',
        'swr-api=not a url',
        'iam=http://user:pass@127.0.0.1',
        'functiongraph=http://127.0.0.1:1',
        'functiongraph=http://127.0.0.1:2',
      ].join('\n'),
    );
    assert.deepEqual([...endpoints], [['functiongraph', 'http://127.0.0.1:1']]);
    assert.equal(errors.length, 7);
    for (const error of errors) {
      assert.match(error, /^endpoints: ".+" .+: .+$/);
      assert.equal(error.includes('\n'), false);
    }
    assert.match(errors[0] ?? '', /^endpoints: "functiongraph http:\/\/127.0.0.1:9000" has no "=": write one service=url per line/);
    assert.match(errors[1] ?? '', /names service "FunctionGraph"/);
    assert.match(errors[2] ?? '', /uses ftp: use an http:\/\/ or https:\/\/ URL/);
    assert.match(errors[3] ?? '', /has a query or fragment/);
    assert.match(errors[4] ?? '', /has no valid URL/);
    assert.match(errors[5] ?? '', /user name or password/);
    assert.equal(errors[5]?.includes('user:pass'), false, 'a password in the URL is not echoed');
    assert.match(errors[5] ?? '', /^endpoints: "iam=http:\/\/\*\*\*@127\.0\.0\.1" /);
    assert.match(errors[6] ?? '', /sets functiongraph a second time/);
  });

  it('defaults to https://{service}.{region}.{domain}, or the override', () => {
    const overrides = new Map([['functiongraph', 'http://127.0.0.1:9000']]);
    assert.equal(huaweiEndpoint('iam', 'cn-north-4', 'myhuaweicloud.com', overrides), 'https://iam.cn-north-4.myhuaweicloud.com');
    assert.equal(huaweiEndpoint('functiongraph', 'cn-north-4', 'myhuaweicloud.com', overrides), 'http://127.0.0.1:9000');
  });
});

describe('error bodies and remedies', () => {
  it('reads every error shape the services use', () => {
    assert.deepEqual(parseHuaweiErrorBody('{"error_msg":"Incorrect IAM authentication information","error_code":"APIGW.0301","request_id":"r1"}'), {
      code: 'APIGW.0301',
      message: 'Incorrect IAM authentication information',
      requestId: 'r1',
    });
    assert.deepEqual(parseHuaweiErrorBody('{"error_code":"FSS.1051","error_msg":"Not found the function"}'), {
      code: 'FSS.1051',
      message: 'Not found the function',
    });
    assert.deepEqual(parseHuaweiErrorBody('{"errorCode":"CCE.01404001","errorMessage":"Resource not found"}'), {
      code: 'CCE.01404001',
      message: 'Resource not found',
    });
    assert.deepEqual(parseHuaweiErrorBody('{"code":"CCE_CM.0004","message":"cluster not found"}'), {
      code: 'CCE_CM.0004',
      message: 'cluster not found',
    });
    assert.deepEqual(parseHuaweiErrorBody('{"error":{"code":"IAM.0001","message":"The request you have made requires authentication."}}'), {
      code: 'IAM.0001',
      message: 'The request you have made requires authentication.',
    });
    assert.deepEqual(parseHuaweiErrorBody('{"code":503,"message":"busy"}'), { message: 'busy' }, 'a numeric code is a status, not a cloud code');
    assert.deepEqual(parseHuaweiErrorBody('<html>Bad Gateway</html>'), {});
  });

  it('treats APIG.xxxx and APIGW.xxxx alike and keeps unknown codes without a remedy', () => {
    assert.equal(remedyFor('APIG.0301'), remedyFor('APIGW.0301'));
    assert.match(remedyFor('APIGW.0301') ?? '', /secret-key.*clock.*15 minutes/);
    assert.match(remedyFor('APIGW.0101') ?? '', /region.*endpoints/);
    assert.match(remedyFor('APIGW.0308') ?? '', /throttled/);
    assert.match(remedyFor('FSS.0403') ?? '', /FunctionGraph FullAccess/);
    assert.match(remedyFor('FSS.1051') ?? '', /region, project id, package and name/);
    assert.match(remedyFor('FSS.1008') ?? '', /field/);
    assert.match(remedyFor('CCE.01404001') ?? '', /cluster not found/);
    assert.equal(remedyFor('XYZ.0001'), undefined);
    assert.equal(remedyFor('APIGW.0999'), undefined);
  });
});

describe('HuaweiApiClient against the stand-in', () => {
  let standIn: HuaweiCloudStandIn;

  beforeEach(async () => {
    standIn = await startHuaweiCloudStandIn({
      ak: AK,
      sk: SK,
      projectId: PROJECT,
      region: REGION,
      functions: [{ func_name: 'zip-fn', runtime: 'Python3.9', handler: 'index.handler', memory_size: 128, timeout: 3, code_type: 'zip' }],
    });
  });
  afterEach(() => standIn.close());

  it('sends a signed GET with an encoded query and parses the JSON answer', async () => {
    const client = clientFor(standIn.url);
    const response = await client.request<{ projects: { id: string; name: string }[] }>({
      service: 'iam',
      method: 'GET',
      path: '/v3/projects',
      query: { name: REGION },
      operation: 'list projects',
    });
    assert.equal(response.status, 200);
    assert.deepEqual(response.body.projects.map((p) => p.id), [PROJECT]);
    assert.equal(standIn.calls[0]?.url, '/v3/projects?name=cn-north-4');
    assert.equal(standIn.calls[0]?.signatureValid, true);
  });

  it('sends X-Project-Id when a project is given', async () => {
    const client = clientFor(standIn.url);
    const urn = `urn:fss:${REGION}:${PROJECT}:function:default:zip-fn`;
    await client.request({ service: 'functiongraph', method: 'GET', path: `/v2/${PROJECT}/fgs/functions/${urn}/config`, projectId: PROJECT, operation: 'read' });
    assert.equal(standIn.calls[0]?.projectIdHeader, PROJECT);
  });

  it('turns a rejected signature into a one-line HuaweiApiError with the remedy, and never shows the SK', async () => {
    const wrongSk = 'WrongSecretKey000000000000000000000000000';
    const client = clientFor(standIn.url, { sk: wrongSk });
    await assert.rejects(
      client.request({ service: 'iam', method: 'GET', path: '/v3/projects', operation: 'list projects' }),
      (error: unknown) => {
        assert.ok(error instanceof HuaweiApiError);
        assert.equal(error.status, 401);
        assert.equal(error.code, 'APIGW.0301');
        assert.equal(error.operation, 'list projects');
        assert.match(error.requestId ?? '', /^[0-9a-f]{32}$/);
        assert.match(
          error.message,
          /^list projects: HTTP 401 APIGW\.0301: Incorrect IAM authentication information: verify aksk signature fail — the AK\/SK signature was rejected: .*clock.*15 minutes/,
        );
        assert.equal(error.message.includes('\n'), false);
        assert.equal(error.message.includes(wrongSk), false);
        return true;
      },
    );
  });

  it('is rejected when the runner clock is more than 15 minutes off, with the clock remedy', async () => {
    const client = clientFor(standIn.url, { clock: { now: () => new Date(Date.now() - 20 * 60_000) } });
    await assert.rejects(
      client.request({ service: 'iam', method: 'GET', path: '/v3/projects', operation: 'list projects' }),
      (error: unknown) => error instanceof HuaweiApiError && error.code === 'APIGW.0301' && /signature expired/.test(error.message) && /clock/.test(error.message),
    );
  });

  it('reports an unknown API with the region/endpoints remedy', async () => {
    const client = clientFor(standIn.url);
    await assert.rejects(
      client.request({ service: 'iam', method: 'GET', path: '/v3/nothing-here', operation: 'read nothing' }),
      (error: unknown) =>
        error instanceof HuaweiApiError && error.status === 404 && error.code === 'APIGW.0101' && /check region and the endpoints input/.test(error.message),
    );
  });

  it('signs every attempt afresh: a retried request carries a new X-Sdk-Date and a valid signature', async () => {
    let at = Date.now();
    const clock = { now: () => new Date((at += 5_000)) };
    const { sleep, waits } = recordingSleep();
    standIn.setFaults('iam.listProjects', [{ kind: 'status', status: 503 }]);
    const client = clientFor(standIn.url, { clock, sleep });
    const response = await client.request({ service: 'iam', method: 'GET', path: '/v3/projects', operation: 'list projects' });
    assert.equal(response.status, 200);
    assert.equal(standIn.attempts('iam.listProjects'), 2);
    assert.equal(waits.length, 1);
    const [first, second] = standIn.calls;
    assert.ok(first?.signatureValid && second?.signatureValid);
    assert.notEqual(first?.sdkDate, second?.sdkDate);
  });

  it('gives up with the HttpError naming the operation when retries run out', async () => {
    standIn.setFaults('iam.listProjects', [
      { kind: 'status', status: 503 },
      { kind: 'status', status: 503 },
    ]);
    const client = clientFor(standIn.url, { retry: { ...FAST, attempts: 2 } });
    await assert.rejects(
      client.request({ service: 'iam', method: 'GET', path: '/v3/projects', operation: 'list projects' }),
      (error: unknown) => error instanceof HttpError && error.message === 'list projects: HTTP 503 after 2 attempts',
    );
  });
});

describe('HuaweiApiClient: what the cloud echoes back', () => {
  let server: ReturnType<typeof createServer>;
  let url: string;

  before(async () => {
    // A misbehaving proxy that echoes secrets: the client must still not print them.
    server = createServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json', 'x-request-id': 'hdr-123' });
      res.end(JSON.stringify({ error_code: 'XYZ.0001', error_msg: `bad request for ${AK} with ${SK}\nsecond line` }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('scrubs the SK, shortens the AK, keeps unknown codes as the cloud said, and takes the request id from the header', async () => {
    const client = clientFor(url);
    await assert.rejects(
      client.request({ service: 'iam', method: 'POST', path: '/x', body: { a: 1 }, operation: 'do x' }),
      (error: unknown) => {
        assert.ok(error instanceof HuaweiApiError);
        assert.equal(error.message, 'do x: HTTP 400 XYZ.0001: bad request for HPUA… with *** second line');
        assert.equal(error.requestId, 'hdr-123');
        return true;
      },
    );
  });
});
