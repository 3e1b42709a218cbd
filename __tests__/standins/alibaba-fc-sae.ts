/**
 * Local stand-ins for Function Compute 3.0 and Serverless App Engine, one
 * server each, strict enough that passing against them means something:
 *
 * - Every request goes through the V3 gateway check (acs3-gateway.ts:
 *   signature recomputed independently, clock, nonce, AccessKey, STS token),
 *   and must name the right x-acs-action and x-acs-version.
 * - FC: GetFunction / UpdateFunction on `/2023-03-30/functions/{name}`. The
 *   update body is checked against UpdateFunctionInput's fields (read-only
 *   `resolvedImageUri`/`accelerationInfo` refused), an Enterprise Edition
 *   image needs `acrInstanceId`, and the image must resolve to a digest (the
 *   tests resolve it in a real registry). The update stays InProgress for a
 *   few reads, then shows the image and `resolvedImageUri` = repo@digest.
 *   Errors: 404 FunctionNotFound, 400 InvalidArgument, `{Code, Message, RequestId}`.
 * - SAE: DeployApplication (form API: the query carries AppId, PackageType,
 *   ImageUrl), DescribeChangeOrder (Status 0 → 1 → 2, or 3 with
 *   ErrorMessage and a failed batch), DescribeApplicationConfig. Errors:
 *   InvalidApplication.NotFound, Application.ChangerOrderRunning,
 *   InvalidParameter.NotEmpty, with SAE's envelope.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Acs3Gateway, GatewayRejection, gatewayError } from './acs3-gateway.js';
import { serveBuffered, writeJsonAnswer, type Answer } from './http-faults.js';

/** UpdateFunctionInput's fields (@alicloud/fc20230330 4.7.6). */
const UPDATE_FUNCTION_FIELDS = new Set([
  'code', 'cpu', 'customContainerConfig', 'customDNS', 'customRuntimeConfig', 'description', 'disableInjectCredentials', 'disableOndemand',
  'diskSize', 'enableLongLiving', 'environmentVariables', 'gpuConfig', 'handler', 'idleTimeout', 'instanceConcurrency', 'instanceIsolationMode',
  'instanceLifecycleConfig', 'internetAccess', 'juiceFsConfig', 'layers', 'logConfig', 'memorySize', 'nasConfig', 'ossMountConfig', 'polarFsConfig',
  'role', 'runtime', 'sessionAffinity', 'sessionAffinityConfig', 'timeout', 'tracingConfig', 'vpcConfig',
]);
/** CustomContainerConfig's writable fields. */
const CONTAINER_FIELDS = new Set(['accelerationType', 'acrInstanceId', 'command', 'entrypoint', 'healthCheckConfig', 'image', 'port', 'registryConfig']);
const ENTERPRISE_HOST = /^[a-z0-9-]+-registry(-vpc)?\.[a-z0-9-]+\.cr\.aliyuncs\.com\//;

export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface StandInCall {
  method: string;
  url: string;
  action: string | undefined;
  status: number;
  code: string | undefined;
  headers: Record<string, string>;
  body: string;
}

/** Image reference → its digest in the registry, or undefined when it does not exist. */
export type ResolveImage = (image: string) => Promise<string | undefined>;

export interface FcStandInOptions extends Credentials {
  region: string;
  functions: Record<string, unknown>[];
  resolveImage: ResolveImage;
  /** GetFunction reads after an update until it settles; the last one shows the result (default 2). */
  updateSteps?: number;
  /** The next update ends Failed with this reason. */
  failNextUpdate?: { reasonCode: string; reason: string };
}

export interface SaeApp {
  appId: string;
  imageUrl: string;
  packageType?: string;
}

export interface SaeStandInOptions extends Credentials {
  region: string;
  apps: SaeApp[];
  resolveImage: ResolveImage;
  /** DescribeChangeOrder reads before a change order is done (default 2). */
  steps?: number;
}

export interface StandIn {
  url: string;
  calls: StandInCall[];
  close(): Promise<void>;
}

export interface FcStandIn extends StandIn {
  functionOf(name: string): Record<string, unknown> | undefined;
  failNextUpdate(failure: { reasonCode: string; reason: string } | undefined): void;
}

export interface SaeStandIn extends StandIn {
  app(appId: string): SaeApp | undefined;
}

class ApiError extends Error {
  constructor(readonly answer: Answer) {
    super('api error');
  }
}

function headersOf(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : (value ?? '')]));
}

/** Runs `route` behind the gateway check and records the call. */
async function serve(gateway: Acs3Gateway, route: (req: IncomingMessage, body: Buffer, action: string, version: string) => Promise<Answer>): Promise<{ url: string; calls: StandInCall[]; close(): Promise<void> }> {
  const calls: StandInCall[] = [];
  const server = await serveBuffered((req: IncomingMessage, res: ServerResponse, rawBody: Buffer) => {
    const headers = headersOf(req);
    const call: StandInCall = { method: req.method ?? 'GET', url: req.url ?? '/', action: headers['x-acs-action'], status: 0, code: undefined, headers, body: rawBody.toString('utf8') };
    calls.push(call);
    const send = (answer: Answer): void => {
      call.status = answer.status;
      const body = answer.body as Record<string, unknown> | undefined;
      const code = body?.['Code'];
      if (typeof code === 'string' && !/^\d+$/.test(code)) call.code = code;
      writeJsonAnswer(res, answer, { 'content-type': 'application/json;charset=utf-8', 'x-acs-request-id': randomUUID().toUpperCase() });
    };
    void (async () => {
      try {
        const verified = gateway.verify(call.method, call.url, headers, rawBody);
        send(await route(req, rawBody, verified.action, verified.version));
      } catch (error) {
        if (error instanceof GatewayRejection || error instanceof ApiError) send(error.answer);
        else send({ status: 500, body: { Code: 'InternalError', Message: String(error) } });
      }
    })();
  });
  return { url: server.url, calls, close: () => server.close() };
}

export async function startFcStandIn(options: FcStandInOptions): Promise<FcStandIn> {
  const hostId = `fcv3.${options.region}.aliyuncs.com`;
  const gateway = new Acs3Gateway({ ...options, hostId, product: 'FC' });
  const functions = new Map(options.functions.map((fn) => [fn['functionName'] as string, structuredClone(fn)]));
  const pendingReads = new Map<string, number>();
  const pendingUpdates = new Map<string, { container: Record<string, unknown>; digest: string; image: string }>();
  let failNext = options.failNextUpdate;
  const fcError = (status: number, code: string, message: string): ApiError => new ApiError({ status, body: { Code: code, Message: message, RequestId: `1-${randomUUID()}` } });

  const server = await serve(gateway, async (req, rawBody, action, version) => {
    const match = /^\/2023-03-30\/functions\/([^/?]+)$/.exec((req.url ?? '').split('?')[0] ?? '');
    if (match === null) throw gatewayError({ hostId, product: 'FC' }, 404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
    if (version !== '2023-03-30') throw gatewayError({ hostId, product: 'FC' }, 400, 'InvalidVersion', `Specified parameter Version is not valid.`);
    const name = decodeURIComponent(match[1] as string);
    const fn = functions.get(name);
    const method = req.method ?? 'GET';
    if (method === 'GET' && action === 'GetFunction') {
      if (fn === undefined) throw fcError(404, 'FunctionNotFound', `function '${name}' does not exist`);
      const left = pendingReads.get(name) ?? 0;
      if (left > 0) {
        pendingReads.set(name, left - 1);
        if (left - 1 === 0) settle(name, fn);
      }
      return { status: 200, body: fn };
    }
    if (method === 'PUT' && action === 'UpdateFunction') {
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) throw fcError(400, 'InvalidArgument', 'content type must be application/json');
      if (fn === undefined) throw fcError(404, 'FunctionNotFound', `function '${name}' does not exist`);
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(rawBody.toString('utf8')) as Record<string, unknown>;
      } catch {
        throw fcError(400, 'InvalidArgument', 'request body is not valid JSON');
      }
      for (const field of Object.keys(input)) if (!UPDATE_FUNCTION_FIELDS.has(field)) throw fcError(400, 'InvalidArgument', `unknown field ${field}`);
      const container = input['customContainerConfig'] as Record<string, unknown> | undefined;
      if (container !== undefined) {
        if (fn['runtime'] !== 'custom-container') throw fcError(400, 'InvalidArgument', 'customContainerConfig is only valid for runtime custom-container');
        for (const field of Object.keys(container)) if (!CONTAINER_FIELDS.has(field)) throw fcError(400, 'InvalidArgument', `customContainerConfig.${field} cannot be set`);
        const image = container['image'];
        if (typeof image !== 'string' || image === '') throw fcError(400, 'InvalidArgument', 'customContainerConfig.image is required');
        if (ENTERPRISE_HOST.test(image) && typeof container['acrInstanceId'] !== 'string') {
          throw fcError(400, 'InvalidArgument', `acrInstanceId is required for image ${image} of a Container Registry Enterprise Edition instance`);
        }
        const digest = await options.resolveImage(image);
        if (digest === undefined) throw fcError(400, 'InvalidArgument', `failed to resolve image ${image}: not found`);
        pendingUpdates.set(name, { container, digest, image });
      }
      fn['lastUpdateStatus'] = 'InProgress';
      fn['lastUpdateStatusReason'] = 'The system is currently processing the acceleration optimization for the image.';
      fn['lastUpdateStatusReasonCode'] = 'ImageOptimizing';
      const steps = options.updateSteps ?? 2;
      pendingReads.set(name, steps);
      if (steps === 0) settle(name, fn);
      return { status: 200, body: fn };
    }
    throw gatewayError({ hostId, product: 'FC' }, 404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
  });

  function settle(name: string, fn: Record<string, unknown>): void {
    const pending = pendingUpdates.get(name);
    pendingUpdates.delete(name);
    if (failNext) {
      Object.assign(fn, { lastUpdateStatus: 'Failed', lastUpdateStatusReason: failNext.reason, lastUpdateStatusReasonCode: failNext.reasonCode });
      failNext = undefined;
      return;
    }
    if (pending) {
      const repository = pending.image.replace(/@sha256:[0-9a-f]{64}$/, '').replace(/:[^:/]+$/, '');
      fn['customContainerConfig'] = { ...pending.container, resolvedImageUri: `${repository}@${pending.digest}` };
    }
    Object.assign(fn, { lastUpdateStatus: 'Successful', lastUpdateStatusReason: '', lastUpdateStatusReasonCode: '', lastModifiedTime: new Date().toISOString() });
  }

  return {
    ...server,
    functionOf: (name) => functions.get(name),
    failNextUpdate: (failure) => {
      failNext = failure;
    },
  };
}

interface ChangeOrder {
  id: string;
  appId: string;
  image: string;
  readsLeft: number;
  status: number;
  errorMessage: string;
}

export async function startSaeStandIn(options: SaeStandInOptions): Promise<SaeStandIn> {
  const hostId = `sae.${options.region}.aliyuncs.com`;
  const gateway = new Acs3Gateway({ ...options, hostId, product: 'sae' });
  const apps = new Map(options.apps.map((app) => [app.appId, { packageType: 'Image', ...app }]));
  const orders = new Map<string, ChangeOrder>();
  const ok = (data: Record<string, unknown>): Answer => ({
    status: 200,
    body: { RequestId: randomUUID().toUpperCase(), Code: '200', Message: 'success', TraceId: randomUUID().replace(/-/g, ''), Success: true, Data: data },
  });
  const saeError = (status: number, code: string, message: string): ApiError =>
    new ApiError({ status, body: { RequestId: randomUUID().toUpperCase(), Code: code, Message: message, Success: false, TraceId: randomUUID().replace(/-/g, ''), ErrorCode: code } });

  const server = await serve(gateway, async (req, _rawBody, action, version) => {
    const [path = '', rawQuery = ''] = (req.url ?? '').split('?');
    const query = new URLSearchParams(rawQuery);
    const method = req.method ?? 'GET';
    if (version !== '2019-05-06') throw gatewayError({ hostId, product: 'sae' }, 400, 'InvalidVersion', 'Specified parameter Version is not valid.');
    const required = (name: string): string => {
      const value = query.get(name);
      if (value === null || value === '') throw saeError(400, 'InvalidParameter.NotEmpty', `You must specify the parameter ${name}.`);
      return value;
    };
    if (method === 'POST' && path === '/pop/v1/sam/app/deployApplication' && action === 'DeployApplication') {
      // A form API: the parameters the SDK puts in the query travel there; a body would be a form, never JSON.
      if (_rawBody.length > 0 && req.headers['content-type'] !== 'application/x-www-form-urlencoded') throw saeError(400, 'InvalidParameter', 'DeployApplication takes a form body (application/x-www-form-urlencoded)');
      const appId = required('AppId');
      const app = apps.get(appId);
      if (app === undefined) throw saeError(400, 'InvalidApplication.NotFound', 'The current application does not exist.');
      if ([...orders.values()].some((order) => order.appId === appId && ![2, 3, 6, 10].includes(order.status))) {
        throw saeError(400, 'Application.ChangerOrderRunning', 'An application change process is in progress. Please try again later.');
      }
      if (required('PackageType') !== 'Image') throw saeError(400, 'InvalidParameter', 'PackageType must match the application (Image)');
      const image = required('ImageUrl');
      const order: ChangeOrder = { id: randomUUID(), appId, image, readsLeft: options.steps ?? 2, status: 0, errorMessage: '' };
      orders.set(order.id, order);
      return ok({ AppId: appId, ChangeOrderId: order.id, IsNeedApproval: false });
    }
    if (method === 'GET' && path === '/pop/v1/sam/changeorder/DescribeChangeOrder' && action === 'DescribeChangeOrder') {
      const order = orders.get(required('ChangeOrderId'));
      if (order === undefined) throw saeError(400, 'InvalidChangeOrder.NotFound', 'The change order does not exist.');
      if (order.status < 2) {
        order.readsLeft -= 1;
        order.status = 1;
        if (order.readsLeft <= 0) {
          // The new version's instances pull the image: one that does not exist fails the order, the old version keeps running.
          const digest = await options.resolveImage(order.image);
          if (digest === undefined) {
            order.status = 3;
            order.errorMessage = `Failed to pull image ${order.image}: manifest unknown`;
          } else {
            order.status = 2;
            order.errorMessage = 'success';
            (apps.get(order.appId) as SaeApp).imageUrl = order.image;
          }
        }
      }
      return ok({
        ChangeOrderId: order.id,
        AppId: order.appId,
        CoTypeCode: 'CoDeploy',
        Status: order.status,
        SubStatus: 0,
        ErrorMessage: order.errorMessage,
        BatchCount: 1,
        Pipelines: [{ PipelineId: `${order.id}-1`, PipelineName: 'Batch 1 Change', Status: order.status }],
      });
    }
    if (method === 'GET' && path === '/pop/v1/sam/app/describeApplicationConfig' && action === 'DescribeApplicationConfig') {
      const app = apps.get(required('AppId'));
      if (app === undefined) throw saeError(400, 'InvalidApplication.NotFound', 'The current application does not exist.');
      return ok({ AppId: app.appId, PackageType: app.packageType, ImageUrl: app.imageUrl, RegionId: options.region });
    }
    throw gatewayError({ hostId, product: 'sae' }, 404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
  });

  return { ...server, app: (appId) => apps.get(appId) };
}
