import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { HuaweiApiClient, HuaweiApiError } from '../../src/cloud/huawei/api-client.js';
import type { RetryPolicy } from '../../src/http/retry.js';
import { HttpError } from '../../src/http/retry.js';
import { getFunctionConfig, updateFunctionImage } from '../../src/cloud/huawei/functiongraph.js';
import { parseFunctionUrn } from '../../src/domain/targets/function-urn.js';
import { startHuaweiCloudStandIn, type FunctionState, type HuaweiCloudStandIn } from '../standins/huawei-cloud.js';

const AK = 'HPUATESTAK0000000001';
const SK = 'TestSecretKey0000000000000000000000000000';
const PROJECT = '0123456789abcdef0123456789abcdef';
const REGION = 'cn-north-4';
const FAST: RetryPolicy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 2_000 };
const OLD_IMAGE = 'swr.cn-north-4.myhuaweicloud.com/team/app:1.0.0';
const NEW_IMAGE = 'swr.cn-north-4.myhuaweicloud.com/team/app:1.1.0';
const URN = `urn:fss:${REGION}:${PROJECT}:function:default:app-fn`;

const containerFunction: FunctionState = {
  func_name: 'app-fn',
  runtime: 'Custom Image',
  handler: '-',
  memory_size: 512,
  timeout: 30,
  code_type: 'Custom-Image-Swr',
  custom_image: {
    enabled: true,
    image: OLD_IMAGE,
    command: '/bin/sh',
    args: '-c,./start.sh',
    working_dir: '/app',
    uid: '1003',
    gid: '1003',
  },
  user_data: '{"LOG_LEVEL":"info"}',
  xrole: 'fgs-agency',
  description: 'the app',
  strategy_config: { concurrency: -1, concurrent_num: 1 },
  func_vpc: { vpc_id: 'vpc-1', subnet_id: 'subnet-1' },
  code_size: 0,
  digest: 'abc123',
};

const zipFunction: FunctionState = {
  func_name: 'zip-fn',
  runtime: 'Python3.9',
  handler: 'index.handler',
  memory_size: 128,
  timeout: 3,
  code_type: 'zip',
};

function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

function clientFor(
  standIn: HuaweiCloudStandIn,
  options: { sk?: string; retry?: RetryPolicy; sleep?: (ms: number) => Promise<void>; region?: string } = {},
): HuaweiApiClient {
  return new HuaweiApiClient({
    credentials: { accessKey: AK, secretKey: options.sk ?? SK },
    region: options.region ?? REGION,
    domain: 'myhuaweicloud.com',
    endpoints: new Map([['functiongraph', standIn.url]]),
    fetch,
    clock: { now: () => new Date() },
    retry: options.retry ?? FAST,
    sleep: options.sleep ?? (async () => {}),
  });
}

const imageOf = (standIn: HuaweiCloudStandIn, urn = URN): unknown =>
  (standIn.state.functions.get(urn)?.['custom_image'] as { image?: string } | undefined)?.image;

describe('parseFunctionUrn', () => {
  it('reads a URN without a version', () => {
    assert.deepEqual(parseFunctionUrn(URN), {
      region: REGION,
      projectId: PROJECT,
      package: 'default',
      name: 'app-fn',
      unversioned: URN,
    });
  });

  it('reads a URN with a version or an alias', () => {
    assert.deepEqual(parseFunctionUrn(`${URN}:latest`), {
      region: REGION,
      projectId: PROJECT,
      package: 'default',
      name: 'app-fn',
      version: 'latest',
      unversioned: URN,
    });
    assert.equal(parseFunctionUrn(`${URN}:v2`).version, 'v2');
    assert.equal(parseFunctionUrn(`${URN}:!prod`).version, '!prod');
    assert.equal(parseFunctionUrn(`urn:fss:la-south-2:${PROJECT}:function:my_pkg:Fn_1-b`).name, 'Fn_1-b');
  });

  const malformed: [string, RegExp][] = [
    ['app-fn', /has 1 ':'-separated parts/],
    [`urn:fss:${REGION}:${PROJECT}:function:default`, /has 6 ':'-separated parts/],
    [`urn:fss:${REGION}:${PROJECT}:function:default:app-fn:latest:extra`, /has 9 ':'-separated parts/],
    [`urn:fgs:${REGION}:${PROJECT}:function:default:app-fn`, /is not a FunctionGraph function URN/],
    [`urn:fss:${REGION}:${PROJECT}:trigger:default:app-fn`, /is not a FunctionGraph function URN/],
    [`urn:fss:cn_north_4:${PROJECT}:function:default:app-fn`, /has region "cn_north_4", not a region id like cn-north-4/],
    [`urn:fss:${REGION}:0123456789ABCDEF0123456789ABCDEF:function:default:app-fn`, /not 32 lower-case hex characters/],
    [`urn:fss:${REGION}:0123:function:default:app-fn`, /has project id "0123"/],
    [`urn:fss:${REGION}:${PROJECT}:function::app-fn`, /has package ""/],
    [`urn:fss:${REGION}:${PROJECT}:function:default:1fn`, /has function name "1fn": a name is 1-60 letters/],
    [`urn:fss:${REGION}:${PROJECT}:function:default:fn-`, /ends with a letter or digit/],
    [`urn:fss:${REGION}:${PROJECT}:function:default:${'a'.repeat(61)}`, /has function name "a{61}"/],
    [`urn:fss:${REGION}:${PROJECT}:function:default:app-fn:`, /has version ""/],
  ];
  for (const [urn, why] of malformed) {
    it(`rejects ${JSON.stringify(urn.length > 70 ? `${urn.slice(0, 67)}...` : urn)}`, () => {
      assert.throws(
        () => parseFunctionUrn(urn),
        (error: unknown) => {
          assert.ok(error instanceof Error);
          assert.ok(error.message.startsWith(`function-urn: "${urn}" `), error.message);
          assert.match(error.message, why);
          assert.match(error.message, /expected urn:fss:\{region\}:\{project_id\}:function:\{package\}:\{name\}\[:\{version\}\]/);
          assert.equal(error.message.includes('\n'), false);
          return true;
        },
      );
    });
  }

  it('accepts a 60-character name', () => {
    assert.equal(parseFunctionUrn(`urn:fss:${REGION}:${PROJECT}:function:default:${'a'.repeat(60)}`).name.length, 60);
  });
});

describe('updateFunctionImage against the stand-in', () => {
  let standIn: HuaweiCloudStandIn;

  beforeEach(async () => {
    standIn = await startHuaweiCloudStandIn({ ak: AK, sk: SK, projectId: PROJECT, region: REGION, functions: [containerFunction, zipFunction] });
  });
  afterEach(() => standIn.close());

  it('reads the config of a function', async () => {
    const config = await getFunctionConfig(clientFor(standIn), URN);
    assert.equal(config.func_name, 'app-fn');
    assert.equal(config.custom_image?.image, OLD_IMAGE);
    assert.equal(standIn.calls[0]?.url, `/v2/${PROJECT}/fgs/functions/${URN}/config`);
  });

  it('rolls out the image, keeps the rest of the configuration, and verifies it', async () => {
    const before = structuredClone(standIn.state.functions.get(URN));
    const result = await updateFunctionImage(clientFor(standIn), `${URN}:latest`, NEW_IMAGE);

    assert.deepEqual(result, {
      target: 'functiongraph',
      id: URN,
      previous: OLD_IMAGE,
      current: NEW_IMAGE,
      verified: true,
      consoleUrl: `https://console.huaweicloud.com/functiongraph/?region=${REGION}#/serverless/functionDetails/default/app-fn?type=edit`,
    });
    const after = standIn.state.functions.get(URN) ?? {};
    assert.deepEqual(after['custom_image'], { ...containerFunction.custom_image, image: NEW_IMAGE });
    for (const kept of ['user_data', 'xrole', 'description', 'strategy_config', 'func_vpc', 'memory_size', 'timeout', 'handler', 'runtime']) {
      assert.deepEqual(after[kept], before?.[kept], `${kept} kept`);
    }
    assert.notEqual(after['last_modified'], before?.['last_modified']);
    assert.equal(standIn.state.updates.length, 1);
    assert.deepEqual(
      standIn.calls.map((call) => [call.route, call.status, call.signatureValid]),
      [
        ['functiongraph.getConfig', 200, true],
        ['functiongraph.updateConfig', 200, true],
        ['functiongraph.getConfig', 200, true],
      ],
    );
    assert.ok(standIn.calls.every((call) => call.projectIdHeader === PROJECT));
  });

  it('refuses a function that was not created from a container image, without changing it', async () => {
    const zipUrn = `urn:fss:${REGION}:${PROJECT}:function:default:zip-fn`;
    await assert.rejects(updateFunctionImage(clientFor(standIn), zipUrn, NEW_IMAGE), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.ok(error.message.startsWith(`function-urn: ${zipUrn} is not a container-image function (runtime Python3.9): `), error.message);
      return true;
    });
    assert.equal(standIn.attempts('functiongraph.updateConfig'), 0);
    assert.equal(standIn.state.updates.length, 0);
  });

  it('reports a wrong SK as APIGW.0301 with its remedy and changes nothing', async () => {
    const wrongSk = 'WrongSecretKey000000000000000000000000000';
    await assert.rejects(updateFunctionImage(clientFor(standIn, { sk: wrongSk }), URN, NEW_IMAGE), (error: unknown) => {
      assert.ok(error instanceof HuaweiApiError);
      assert.equal(error.code, 'APIGW.0301');
      assert.equal(error.status, 401);
      assert.match(error.message, /^read FunctionGraph function app-fn: HTTP 401 APIGW\.0301: .* — the AK\/SK signature was rejected: check that secret-key belongs to access-key/);
      assert.equal(error.message.includes(wrongSk), false);
      assert.equal(error.message.includes(SK), false);
      return true;
    });
    assert.equal(imageOf(standIn), OLD_IMAGE);
    assert.equal(standIn.state.updates.length, 0);
    assert.equal(standIn.attempts('functiongraph.updateConfig'), 0);
  });

  it('reports an unknown function with the not-found remedy', async () => {
    const missing = `urn:fss:${REGION}:${PROJECT}:function:default:no-such-fn`;
    await assert.rejects(updateFunctionImage(clientFor(standIn), missing, NEW_IMAGE), (error: unknown) => {
      assert.ok(error instanceof HuaweiApiError);
      assert.equal(error.status, 404);
      assert.equal(error.code, 'FSS.1051');
      assert.equal(
        error.message,
        "read FunctionGraph function no-such-fn: HTTP 404 FSS.1051: Not found the function — function not found: check the URN's region, project id, package and name (copy it from the function's page)",
      );
      return true;
    });
  });

  it('refuses a published version or an alias, and a URN from another region, before any call', async () => {
    await assert.rejects(updateFunctionImage(clientFor(standIn), `${URN}:v3`, NEW_IMAGE), /names version "v3"; published versions and aliases cannot be changed/);
    await assert.rejects(
      updateFunctionImage(clientFor(standIn, { region: 'cn-east-3' }), URN, NEW_IMAGE),
      /is in region cn-north-4 but region is cn-east-3/,
    );
    assert.equal(standIn.calls.length, 0);
  });

  it('waits as long as a 429 Retry-After asks, then updates once', async () => {
    const { sleep, waits } = recordingSleep();
    standIn.setFaults('functiongraph.updateConfig', [{ kind: 'status', status: 429, retryAfter: '7' }]);
    const result = await updateFunctionImage(clientFor(standIn, { sleep }), URN, NEW_IMAGE);
    assert.equal(result.verified, true);
    assert.deepEqual(waits, [7_000]);
    assert.equal(standIn.attempts('functiongraph.updateConfig'), 2);
    assert.equal(standIn.state.updates.length, 1);
  });

  it('retries a 503 and updates once', async () => {
    standIn.setFaults('functiongraph.updateConfig', [{ kind: 'status', status: 503 }]);
    await updateFunctionImage(clientFor(standIn), URN, NEW_IMAGE);
    assert.equal(standIn.attempts('functiongraph.updateConfig'), 2);
    assert.equal(standIn.state.updates.length, 1);
    assert.equal(imageOf(standIn), NEW_IMAGE);
  });

  it('retries a connection reset, before or after the update was applied, and updates once', async () => {
    standIn.setFaults('functiongraph.updateConfig', [{ kind: 'reset' }, { kind: 'reset', afterProcessing: true }]);
    const result = await updateFunctionImage(clientFor(standIn), URN, NEW_IMAGE);
    assert.equal(result.current, NEW_IMAGE);
    assert.equal(standIn.attempts('functiongraph.updateConfig'), 3);
    assert.equal(standIn.state.updates.length, 1);
  });

  it('retries an answer slower than the timeout; the repeat of an applied update changes nothing', async () => {
    standIn.setFaults('functiongraph.updateConfig', [{ kind: 'slow', delayMs: 5_000 }]);
    const started = Date.now();
    const result = await updateFunctionImage(clientFor(standIn, { retry: { ...FAST, timeoutMs: 400 } }), URN, NEW_IMAGE);
    assert.equal(result.verified, true);
    assert.ok(Date.now() - started < 4_000, 'did not wait for the slow answer');
    assert.equal(standIn.attempts('functiongraph.updateConfig'), 2);
    assert.equal(standIn.state.updates.length, 1);
  });

  it('gives up with a clear error when every attempt fails, leaving the function as it was', async () => {
    standIn.setFaults('functiongraph.updateConfig', [
      { kind: 'status', status: 503 },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 503 },
    ]);
    await assert.rejects(
      updateFunctionImage(clientFor(standIn, { retry: { ...FAST, attempts: 3 } }), URN, NEW_IMAGE),
      (error: unknown) => {
        assert.ok(error instanceof HttpError);
        assert.equal(error.message, `update FunctionGraph function app-fn to ${NEW_IMAGE}: HTTP 503 after 3 attempts`);
        assert.equal(error.attempts, 3);
        return true;
      },
    );
    assert.equal(standIn.attempts('functiongraph.updateConfig'), 3);
    assert.equal(standIn.state.updates.length, 0);
    assert.equal(imageOf(standIn), OLD_IMAGE);
  });

  it('sends the same image again without an effective change', async () => {
    const result = await updateFunctionImage(clientFor(standIn), URN, OLD_IMAGE);
    assert.equal(result.previous, OLD_IMAGE);
    assert.equal(result.current, OLD_IMAGE);
    assert.equal(standIn.state.updates.length, 0);
  });
});
