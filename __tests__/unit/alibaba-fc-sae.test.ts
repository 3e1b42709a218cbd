/**
 * Function Compute 3.0 and SAE clients against their stand-ins (signature V3
 * verified independently, UpdateFunctionInput's fields, documented error
 * codes, change orders), through imageship's real transport.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { AlibabaApiError } from '../../src/cloud/alibaba/api-errors.js';
import { updateFcFunctionImage, vpcRegistryHost, type FcTarget } from '../../src/cloud/alibaba/fc3.js';
import { deploySaeApplication, type SaeTarget } from '../../src/cloud/alibaba/sae.js';
import { nodeFetch } from '../../src/http/node-fetch.js';
import { startFcStandIn, startSaeStandIn, type FcStandIn, type SaeStandIn } from '../standins/alibaba-fc-sae.js';

const AK = 'LTAI5tTESTAK0000000001';
const SK = 'TestSecret000000000000000000000';
const STS = { accessKeyId: 'STS.NTESTAK0000000000000001', accessKeySecret: 'TestStsSecret00000000000000000000000000000', securityToken: 'CAISTESTTOKEN1q6Ft5B2yfSjIr5bTEtHz2+JZ0r/aV1Ov0dUasdfRbxx3Tz2IHhMenNhAusfsv4yn29X5v4clqB6T55OSAmcNZEoKKvs8S2M5A==' };
const REGION = 'cn-hangzhou';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const OTHER_DIGEST = `sha256:${'cd'.repeat(32)}`;
const REGISTRY = 'registry.cn-hangzhou.aliyuncs.com';
const APP_ID = '7171a6ca-d1cd-4928-8642-7d5cfe69a2b1';
const clock = { now: () => new Date() };
const fast = { pollIntervalMs: 5, log: (): void => undefined };

/** The registry as the stand-ins see it: these references exist. */
const known = new Map<string, string>([
  [`${REGISTRY}/team/app:v2`, DIGEST],
  [`registry-vpc.cn-hangzhou.aliyuncs.com/team/app:v2`, DIGEST],
  [`acme-registry.cn-hangzhou.cr.aliyuncs.com/team/app:v2`, DIGEST],
]);
const resolveImage = async (image: string): Promise<string | undefined> => known.get(image);

function fnState(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    functionName: name,
    runtime: 'custom-container',
    memorySize: 512,
    customContainerConfig: { image: `${REGISTRY}/team/app:v1`, command: ['/bin/app'], port: 9000, resolvedImageUri: `${REGISTRY}/team/app@${OTHER_DIGEST}`, accelerationInfo: { status: 'Ready' } },
    lastUpdateStatus: 'Successful',
    state: 'Active',
    ...extra,
  };
}

function fcTarget(standIn: { url: string }, credentials: { accessKeyId: string; accessKeySecret: string; securityToken?: string } = { accessKeyId: AK, accessKeySecret: SK }): FcTarget {
  return { endpoint: standIn.url, region: REGION, client: { credentials, fetch: nodeFetch, clock, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 5000 } } };
}

describe('Function Compute 3.0: GetFunction, UpdateFunction, read back', () => {
  let fc: FcStandIn;
  beforeEach(async () => {
    fc = await startFcStandIn({
      accessKeyId: AK,
      accessKeySecret: SK,
      region: REGION,
      resolveImage,
      functions: [fnState('web'), fnState('in-vpc', { vpcConfig: { vpcId: 'vpc-bp1', vSwitchIds: ['vsw-1'], securityGroupId: 'sg-1' } }), { functionName: 'zip-fn', runtime: 'python3.10', handler: 'index.handler' }],
    });
  });
  afterEach(() => fc.close());

  const update = (name: string, extra: Partial<Parameters<typeof updateFcFunctionImage>[1]> = {}): Parameters<typeof updateFcFunctionImage>[1] => ({
    name,
    repository: { registry: REGISTRY, path: 'team/app' },
    tag: 'v2',
    digest: DIGEST,
    acrInstanceId: '',
    timeoutMs: 5000,
    ...fast,
    ...extra,
  });

  test('the image is set, the rest of the container config kept, and FC resolved the pushed digest', async () => {
    const lines: string[] = [];
    const result = await updateFcFunctionImage(fcTarget(fc), update('web', { log: (line) => lines.push(line) }));
    assert.deepEqual(result, {
      target: 'fc',
      id: `${REGION}/web`,
      previous: `${REGISTRY}/team/app:v1`,
      current: `${REGISTRY}/team/app@${DIGEST}`,
      verified: true,
      consoleUrl: `https://fcnext.console.aliyun.com/${REGION}/functions/web`,
    });
    const put = fc.calls.find((call) => call.method === 'PUT');
    assert.ok(put);
    assert.deepEqual(JSON.parse(put.body), { customContainerConfig: { image: `${REGISTRY}/team/app:v2`, command: ['/bin/app'], port: 9000 } }, 'read-only fields are not sent back, and no acrInstanceId for Personal Edition');
    assert.ok(lines.some((line) => /update InProgress/.test(line)), lines.join('\n'));
    assert.ok(fc.calls.filter((call) => call.action === 'GetFunction').length >= 3, 'read before, polled, read back');
    assert.ok(fc.calls.every((call) => call.status === 200));
  });

  test('an Enterprise Edition image carries acrInstanceId; without it FC answers InvalidArgument with the fix', async () => {
    const enterprise = { registry: 'acme-registry.cn-hangzhou.cr.aliyuncs.com', path: 'team/app' };
    const error = await updateFcFunctionImage(fcTarget(fc), update('web', { repository: enterprise })).catch((e: unknown) => e);
    assert.ok(error instanceof AlibabaApiError);
    assert.equal(error.code, 'InvalidArgument');
    assert.match(error.message, /HTTP 400 InvalidArgument: acrInstanceId is required.* — .*instance-id/);
    const done = await updateFcFunctionImage(fcTarget(fc), update('web', { repository: enterprise, acrInstanceId: 'cri-testinstance0001' }));
    assert.equal(done.current, `acme-registry.cn-hangzhou.cr.aliyuncs.com/team/app@${DIGEST}`);
    assert.equal((fc.functionOf('web')?.['customContainerConfig'] as Record<string, unknown>)['acrInstanceId'], 'cri-testinstance0001');
  });

  test('a function in a VPC gets the registry VPC host', async () => {
    const result = await updateFcFunctionImage(fcTarget(fc), update('in-vpc'));
    assert.equal(result.current, `registry-vpc.cn-hangzhou.aliyuncs.com/team/app@${DIGEST}`);
    assert.equal(vpcRegistryHost('acme-registry.cn-hangzhou.cr.aliyuncs.com'), 'acme-registry-vpc.cn-hangzhou.cr.aliyuncs.com');
    assert.equal(vpcRegistryHost('crpi-abc123.cn-hangzhou.personal.cr.aliyuncs.com'), 'crpi-abc123-vpc.cn-hangzhou.personal.cr.aliyuncs.com');
    assert.equal(vpcRegistryHost('registry-vpc.cn-hangzhou.aliyuncs.com'), 'registry-vpc.cn-hangzhou.aliyuncs.com');
    assert.equal(vpcRegistryHost('127.0.0.1:5000'), '127.0.0.1:5000');
  });

  test('FunctionNotFound names the function and the fix; nothing is written', async () => {
    const error = await updateFcFunctionImage(fcTarget(fc), update('missing')).catch((e: unknown) => e);
    assert.ok(error instanceof AlibabaApiError);
    assert.match(error.message, /^read Function Compute function missing: HTTP 404 FunctionNotFound: function 'missing' does not exist — no function with this name in this region: check fc-function/);
    assert.equal(fc.calls.filter((call) => call.method === 'PUT').length, 0);
  });

  test('a function that is not a container function is refused before any update', async () => {
    await assert.rejects(updateFcFunctionImage(fcTarget(fc), update('zip-fn')), /fc-function: zip-fn is not a container function \(runtime python3.10\)/);
    assert.equal(fc.calls.filter((call) => call.method === 'PUT').length, 0);
  });

  test('an update that ends Failed is reported with FC reason code', async () => {
    fc.failNextUpdate({ reasonCode: 'ImagePullFailed', reason: 'pull image failed: unauthorized' });
    await assert.rejects(updateFcFunctionImage(fcTarget(fc), update('web')), /the update failed ImagePullFailed: pull image failed: unauthorized/);
  });

  test('an update still in progress at rollout-timeout fails naming the wait', async () => {
    await fc.close();
    fc = await startFcStandIn({ accessKeyId: AK, accessKeySecret: SK, region: REGION, resolveImage, functions: [fnState('web')], updateSteps: 1000 });
    await assert.rejects(updateFcFunctionImage(fcTarget(fc), update('web', { timeoutMs: 60 })), /function web: not finished within .* \(update InProgress.*raise rollout-timeout/);
  });

  test('a wrong secret is SignatureDoesNotMatch with its fix, and the secret never shows', async () => {
    const wrong = 'WrongSecret00000000000000000000';
    const error = await updateFcFunctionImage(fcTarget(fc, { accessKeyId: AK, accessKeySecret: wrong }), update('web')).catch((e: unknown) => e);
    assert.ok(error instanceof AlibabaApiError);
    assert.equal(error.code, 'SignatureDoesNotMatch');
    assert.match(error.message, /secret/);
    assert.ok(!error.message.includes(wrong));
  });
});

describe('Function Compute with STS credentials (AccessKey + secret + security token)', () => {
  let fc: FcStandIn;
  before(async () => {
    fc = await startFcStandIn({ ...STS, region: REGION, resolveImage, functions: [fnState('web')] });
  });
  after(() => fc.close());

  test('the token travels signed; without it the gateway answers MissingSecurityToken', async () => {
    const target = fcTarget(fc, STS);
    const result = await updateFcFunctionImage(target, { name: 'web', repository: { registry: REGISTRY, path: 'team/app' }, tag: 'v2', digest: DIGEST, acrInstanceId: '', timeoutMs: 5000, ...fast });
    assert.equal(result.verified, true);
    assert.ok(fc.calls.every((call) => call.headers['x-acs-security-token'] === STS.securityToken && call.headers['authorization']?.includes('x-acs-security-token')));
    const error = await updateFcFunctionImage(fcTarget(fc, { accessKeyId: STS.accessKeyId, accessKeySecret: STS.accessKeySecret }), { name: 'web', repository: { registry: REGISTRY, path: 'team/app' }, tag: 'v2', digest: DIGEST, acrInstanceId: '', timeoutMs: 5000, ...fast }).catch((e: unknown) => e);
    assert.ok(error instanceof AlibabaApiError);
    assert.match(error.message, /MissingSecurityToken.* — this is a temporary STS AccessKey/);
  });
});

describe('SAE: DeployApplication, change order, read back', () => {
  let sae: SaeStandIn;
  const target = (credentials: { accessKeyId: string; accessKeySecret: string; securityToken?: string } = { accessKeyId: AK, accessKeySecret: SK }): SaeTarget => ({
    endpoint: sae.url,
    region: REGION,
    client: { credentials, fetch: nodeFetch, clock, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 5000 } },
  });
  beforeEach(async () => {
    sae = await startSaeStandIn({ accessKeyId: AK, accessKeySecret: SK, region: REGION, resolveImage, apps: [{ appId: APP_ID, imageUrl: `${REGISTRY}/team/app:v1` }] });
  });
  afterEach(() => sae.close());

  test('deploys, follows the change order to done, and reads the image back', async () => {
    const lines: string[] = [];
    const result = await deploySaeApplication(target(), { appId: APP_ID, image: `${REGISTRY}/team/app:v2`, timeoutMs: 5000, ...fast, log: (line) => lines.push(line) });
    assert.deepEqual({ ...result, consoleUrl: undefined }, { target: 'sae', id: APP_ID, previous: `${REGISTRY}/team/app:v1`, current: `${REGISTRY}/team/app:v2`, verified: true, consoleUrl: undefined });
    assert.equal(sae.app(APP_ID)?.imageUrl, `${REGISTRY}/team/app:v2`);
    const deploy = sae.calls.find((call) => call.action === 'DeployApplication');
    assert.ok(deploy);
    assert.equal(deploy.method, 'POST');
    assert.equal(deploy.body, '', 'the parameters travel in the query, as the SDK sends them');
    assert.match(deploy.url, /^\/pop\/v1\/sam\/app\/deployApplication\?AppId=7171a6ca-d1cd-4928-8642-7d5cfe69a2b1&ImageUrl=registry\.cn-hangzhou\.aliyuncs\.com%2Fteam%2Fapp%3Av2&PackageType=Image$/);
    assert.ok(lines.some((line) => /change order .*/.test(line)) && lines.some((line) => /executing/.test(line)), lines.join('\n'));
  });

  test('a failed change order shows its error and the failed batch', async () => {
    await assert.rejects(
      deploySaeApplication(target(), { appId: APP_ID, image: `${REGISTRY}/team/app:missing`, timeoutMs: 5000, ...fast }),
      /change order .* failed: batch "Batch 1 Change" failed: Failed to pull image registry\.cn-hangzhou\.aliyuncs\.com\/team\/app:missing: manifest unknown — see the change order/,
    );
    assert.equal(sae.app(APP_ID)?.imageUrl, `${REGISTRY}/team/app:v1`, 'the application keeps its image');
  });

  test('an unknown application is InvalidApplication.NotFound with the fix', async () => {
    const error = await deploySaeApplication(target(), { appId: '00000000-0000-4000-8000-000000000000', image: `${REGISTRY}/team/app:v2`, timeoutMs: 5000, ...fast }).catch((e: unknown) => e);
    assert.ok(error instanceof AlibabaApiError);
    assert.match(error.message, /HTTP 400 InvalidApplication\.NotFound: The current application does not exist\. — no SAE application with this id in this region: check sae-app-id/);
  });

  test('a change order already running: Application.ChangerOrderRunning with the fix', async () => {
    const running = deploySaeApplication(target(), { appId: APP_ID, image: `${REGISTRY}/team/app:v2`, timeoutMs: 5000, pollIntervalMs: 200, log: () => undefined });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const error = await deploySaeApplication(target(), { appId: APP_ID, image: `${REGISTRY}/team/app:v2`, timeoutMs: 5000, ...fast }).catch((e: unknown) => e);
    await running;
    assert.ok(error instanceof AlibabaApiError);
    assert.match(error.message, /Application\.ChangerOrderRunning.* — another change of this application is in progress/);
  });

  test('STS credentials: accepted with the token, refused with an old one', async () => {
    await sae.close();
    sae = await startSaeStandIn({ ...STS, region: REGION, resolveImage, apps: [{ appId: APP_ID, imageUrl: `${REGISTRY}/team/app:v1` }] });
    const result = await deploySaeApplication(target(STS), { appId: APP_ID, image: `${REGISTRY}/team/app:v2`, timeoutMs: 5000, ...fast });
    assert.equal(result.verified, true);
    const error = await deploySaeApplication(target({ ...STS, securityToken: 'CAISOLDTOKEN' }), { appId: APP_ID, image: `${REGISTRY}/team/app:v2`, timeoutMs: 5000, ...fast }).catch((e: unknown) => e);
    assert.ok(error instanceof AlibabaApiError);
    assert.match(error.message, /InvalidSecurityToken\.Expired.* — the STS security token has expired/);
    assert.ok(!error.message.includes('CAISOLDTOKEN') && !error.message.includes(STS.accessKeySecret));
  });
});
