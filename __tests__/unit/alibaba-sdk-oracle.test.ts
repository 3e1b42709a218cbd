/**
 * The official SDKs as oracles (devDependencies, used only here): the
 * Function Compute client (@alicloud/fc20230330) and openapi-core's callApi
 * with SAE DeployApplication's and DescribeChangeOrder's parameters (the
 * generated SAE package is not on the registry reachable here) send their
 * calls to the stand-ins. The stand-ins accepting them shows their checks
 * follow the real contract, not imageship's reading of it; then imageship's
 * own request for the same call is compared with the SDK's: the same target,
 * body, content type and signed headers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { callAcs3 } from '../../src/cloud/alibaba/acs3-client.js';
import { nodeFetch } from '../../src/http/node-fetch.js';
import { startFcStandIn, startSaeStandIn, type FcStandIn, type SaeStandIn, type StandInCall } from '../standins/alibaba-fc-sae.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the SDKs' generated models are used untyped */
const fcSdk: any = await import('@alicloud/fc20230330');
const core: any = await import('@alicloud/openapi-core');
const dara: any = await import('@darabonba/typescript');
const FcClient = fcSdk.default.default ?? fcSdk.default;
const OpenApiClient = core.default.default ?? core.default;

const STATIC = { accessKeyId: 'LTAI5tTESTAK0000000001', accessKeySecret: 'TestSecret000000000000000000000' };
const STS = { accessKeyId: 'STS.NTESTAK0000000000000001', accessKeySecret: 'TestStsSecret00000000000000000000000000000', securityToken: 'CAISTESTTOKEN1q6Ft5B2yfSjIr5bTEtHz2+JZ0r/aV1Ov0dUasdfRbxx3Tz2IHhMenNhAusfsv4yn29X5v4clqB6T55OSAmcNZEoKKvs8S2M5A==' };
const IMAGE = 'registry.cn-hangzhou.aliyuncs.com/team/app:v2';
const DIGEST = `sha256:${'ef'.repeat(32)}`;
const APP_ID = '7171a6ca-d1cd-4928-8642-7d5cfe69a2b1';
const clock = { now: () => new Date() };

function sdkConfig(url: string, credentials: { accessKeyId: string; accessKeySecret: string; securityToken?: string }): any {
  return new core.$OpenApiUtil.Config({ ...credentials, endpoint: new URL(url).host, protocol: 'http', regionId: 'cn-hangzhou' });
}

function signedHeadersOf(call: StandInCall): string {
  return /SignedHeaders=([^,]+)/.exec(call.headers['authorization'] ?? '')?.[1] ?? '';
}

/** The request target with its parameters in name order (the SDK keeps the order it was given; the signature sorts them anyway). */
function sortedTarget(url: string): string {
  const [path = '', query] = url.split('?');
  return query === undefined ? path : `${path}?${query.split('&').sort().join('&')}`;
}

/** What must agree between the SDK's request and imageship's. */
function shape(call: StandInCall): Record<string, unknown> {
  return { method: call.method, url: sortedTarget(call.url), body: call.body, contentType: call.headers['content-type'], signedHeaders: signedHeadersOf(call), status: call.status };
}

for (const [kind, credentials] of [['static AccessKey', STATIC], ['STS credentials', STS]] as const) {
  describe(`Function Compute SDK and imageship, ${kind}`, () => {
    let fc: FcStandIn;
    before(async () => {
      fc = await startFcStandIn({
        ...credentials,
        region: 'cn-hangzhou',
        resolveImage: async (image) => (image === IMAGE ? DIGEST : undefined),
        functions: [{ functionName: 'web', runtime: 'custom-container', customContainerConfig: { image: 'registry.cn-hangzhou.aliyuncs.com/team/app:v1' } }],
        updateSteps: 0,
      });
    });
    after(() => fc.close());

    test('GetFunction and UpdateFunction from the SDK are accepted; imageship sends the same requests', async () => {
      const client = new FcClient(sdkConfig(fc.url, credentials));
      const got = await client.getFunction('web', new fcSdk.GetFunctionRequest({}));
      assert.equal(got.body.functionName, 'web');
      const updated = await client.updateFunction('web', new fcSdk.UpdateFunctionRequest({ body: new fcSdk.UpdateFunctionInput({ customContainerConfig: new fcSdk.CustomContainerConfig({ image: IMAGE }) }) }));
      assert.equal(updated.statusCode, 200);
      assert.equal((fc.functionOf('web')?.['customContainerConfig'] as Record<string, unknown>)['resolvedImageUri'], `registry.cn-hangzhou.aliyuncs.com/team/app@${DIGEST}`);
      const sdkCalls = fc.calls.slice();
      assert.ok(sdkCalls.every((call) => call.status === 200), JSON.stringify(sdkCalls.map((call) => call.status)));

      const options = { credentials, fetch: nodeFetch, clock };
      await callAcs3(options, { endpoint: fc.url, action: 'GetFunction', version: '2023-03-30', method: 'GET', path: '/2023-03-30/functions/web', operation: 'get' });
      await callAcs3(options, { endpoint: fc.url, action: 'UpdateFunction', version: '2023-03-30', method: 'PUT', path: '/2023-03-30/functions/web', jsonBody: { customContainerConfig: { image: IMAGE } }, operation: 'update' });
      const ours = fc.calls.slice(sdkCalls.length);
      assert.deepEqual(ours.map(shape), sdkCalls.map(shape));
    });
  });

  describe(`SAE through openapi-core callApi and imageship, ${kind}`, () => {
    let sae: SaeStandIn;
    before(async () => {
      sae = await startSaeStandIn({ ...credentials, region: 'cn-hangzhou', resolveImage: async () => DIGEST, apps: [{ appId: APP_ID, imageUrl: 'registry.cn-hangzhou.aliyuncs.com/team/app:v1' }], steps: 1 });
    });
    after(() => sae.close());

    test('DeployApplication and DescribeChangeOrder as the SAE client builds them are accepted; imageship sends the same requests', async () => {
      const client = new OpenApiClient(sdkConfig(sae.url, credentials));
      const runtime = new dara.RuntimeOptions({});
      // sae20190506 Client.deployApplication's Params and request (client.ts of aliyun/alibabacloud-typescript-sdk: an empty form body).
      const deployParams = new core.$OpenApiUtil.Params({ action: 'DeployApplication', version: '2019-05-06', protocol: 'HTTPS', pathname: '/pop/v1/sam/app/deployApplication', method: 'POST', authType: 'AK', style: 'ROA', reqBodyType: 'formData', bodyType: 'json' });
      const deployed = await client.callApi(deployParams, new core.$OpenApiUtil.OpenApiRequest({ query: { AppId: APP_ID, PackageType: 'Image', ImageUrl: IMAGE }, body: {} }), runtime);
      const changeOrderId = deployed.body.Data.ChangeOrderId as string;
      const orderParams = new core.$OpenApiUtil.Params({ action: 'DescribeChangeOrder', version: '2019-05-06', protocol: 'HTTPS', pathname: '/pop/v1/sam/changeorder/DescribeChangeOrder', method: 'GET', authType: 'AK', style: 'ROA', reqBodyType: 'json', bodyType: 'json' });
      const order = await client.callApi(orderParams, new core.$OpenApiUtil.OpenApiRequest({ query: { ChangeOrderId: changeOrderId } }), runtime);
      assert.equal(order.body.Data.Status, 2);
      const sdkCalls = sae.calls.slice();
      assert.ok(sdkCalls.every((call) => call.status === 200));

      const options = { credentials, fetch: nodeFetch, clock };
      const ours = await callAcs3(options, { endpoint: sae.url, action: 'DeployApplication', version: '2019-05-06', method: 'POST', path: '/pop/v1/sam/app/deployApplication', query: { AppId: APP_ID, PackageType: 'Image', ImageUrl: IMAGE }, form: true, operation: 'deploy' });
      const ourOrder = (ours.body['Data'] as Record<string, unknown>)['ChangeOrderId'] as string;
      await callAcs3(options, { endpoint: sae.url, action: 'DescribeChangeOrder', version: '2019-05-06', method: 'GET', path: '/pop/v1/sam/changeorder/DescribeChangeOrder', query: { ChangeOrderId: ourOrder }, operation: 'order' });
      const ourCalls = sae.calls.slice(sdkCalls.length);
      const withoutOrderId = (call: StandInCall): Record<string, unknown> => ({ ...shape(call), url: sortedTarget(call.url.replace(/ChangeOrderId=[^&]+/, 'ChangeOrderId=…')) });
      assert.deepEqual(ourCalls.map(withoutOrderId), sdkCalls.map(withoutOrderId));
    });
  });
}
