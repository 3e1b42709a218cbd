/**
 * A local stand-in for the Huawei Cloud APIs imageship calls (FunctionGraph
 * function config, IAM project list, CCE cluster certificate), strict enough
 * that passing against it means something:
 *
 * - every request's AK/SK signature is checked with an implementation of its
 *   own, built from the raw request line, headers and body bytes received
 *   (not from src/cloud/huawei/signer.ts), and rejected as API Gateway does;
 * - bodies are validated against the documented required fields and answered
 *   with the services' real error shapes;
 * - state is kept (a function's configuration), and faults can be injected
 *   per route to exercise retries.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerWithFault, FaultQueues, serveBuffered, statusFaultAnswer, writeJsonAnswer, type Answer, type HttpFault } from './http-faults.js';

export type RouteName =
  | 'functiongraph.getConfig'
  | 'functiongraph.updateConfig'
  | 'iam.listProjects'
  | 'cce.clusterCert';

/**
 * `status`: answer this status before doing anything (429 comes with APIGW.0308 and Retry-After when given);
 * `reset`: drop the connection without an answer, before the request is applied or (afterProcessing) after;
 * `slow`: apply the request, then hold the answer back this long (past the client's timeout).
 */
export type Fault = HttpFault;

/** A function as the test seeds it; the stand-in adds URN, namespace and timestamps. */
export interface FunctionState {
  func_name: string;
  package?: string;
  runtime: string;
  handler: string;
  memory_size: number;
  timeout: number;
  code_type: string;
  custom_image?: {
    enabled: boolean;
    image: string;
    command?: string;
    args?: string;
    working_dir?: string;
    uid?: string;
    gid?: string;
  };
  [field: string]: unknown;
}

export interface StandInOptions {
  ak: string;
  sk: string;
  /**
   * Set when ak/sk are temporary credentials: every request must carry this
   * X-Security-Token, and it must be one of the signed headers (a token sent
   * unsigned, or a different one, is refused as API Gateway refuses it).
   * Unset: a request carrying a security token is refused (the AK is permanent).
   */
  securityToken?: string;
  projectId: string;
  region: string;
  functions?: FunctionState[];
  clusters?: { id: string; kubeconfig: object }[];
  /** Extra IAM projects besides `{id: projectId, name: region}`. */
  projects?: { id: string; name: string }[];
  faults?: Partial<Record<RouteName, Fault[]>>;
}

export interface RecordedCall {
  route: RouteName | undefined;
  method: string;
  /** The request target exactly as received. */
  url: string;
  /** The answer's status; 0 when the connection was dropped. */
  status: number;
  signatureValid: boolean;
  sdkDate: string | undefined;
  projectIdHeader: string | undefined;
  body: string;
}

/** A PUT that changed a function's configuration (a repeat of the same change is not one). */
export interface EffectiveUpdate {
  urn: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

export interface StandInState {
  /** Keyed by unversioned URN. */
  functions: Map<string, Record<string, unknown>>;
  updates: EffectiveUpdate[];
  issuedCerts: { clusterId: string; duration: number }[];
}

export interface HuaweiCloudStandIn {
  url: string;
  state: StandInState;
  calls: RecordedCall[];
  /** How many requests reached `route` (faulted ones included). */
  attempts(route: RouteName): number;
  setFaults(route: RouteName, faults: Fault[]): void;
  close(): Promise<void>;
}

/** API Gateway rejects a signature whose X-Sdk-Date is further than this from its clock. */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const CERT_MAX_DAYS = 1827;

/** Fields of a function the owner cannot set through UpdateFunctionConfig. */
const READ_ONLY_FUNCTION_FIELDS = [
  'func_urn', 'namespace', 'project_name', 'package', 'version', 'code_type', 'code_url', 'code_filename',
  'code_size', 'digest', 'domain_id', 'image_name', 'last_modified',
];

interface RouteMatch {
  name: RouteName;
  params: string[];
}

export async function startHuaweiCloudStandIn(options: StandInOptions): Promise<HuaweiCloudStandIn> {
  const state: StandInState = { functions: new Map(), updates: [], issuedCerts: [] };
  for (const seed of options.functions ?? []) {
    const pkg = seed.package ?? 'default';
    const urn = `urn:fss:${options.region}:${options.projectId}:function:${pkg}:${seed.func_name}`;
    state.functions.set(urn, {
      ...structuredClone(seed),
      func_urn: urn,
      namespace: options.projectId,
      project_name: options.region,
      package: pkg,
      version: 'latest',
      last_modified: new Date(Date.now() - 86_400_000).toISOString(),
    });
  }
  const clusters = new Map((options.clusters ?? []).map((cluster) => [cluster.id, cluster.kubeconfig]));
  const projects = [{ id: options.projectId, name: options.region }, ...(options.projects ?? [])];
  const faults = new FaultQueues<RouteName, Fault>(options.faults);
  const calls: RecordedCall[] = [];

  function handle(req: IncomingMessage, res: ServerResponse, rawBody: Buffer): void {
    const target = req.url ?? '/';
    const method = req.method ?? 'GET';
    const route = matchRoute(method, target);
    const verdict = route === undefined ? undefined : verifySignature(req, rawBody, options);
    const call: RecordedCall = {
      route: route?.name,
      method,
      url: target,
      status: 0,
      signatureValid: verdict?.ok === true,
      sdkDate: headerValue(req, 'x-sdk-date'),
      projectIdHeader: headerValue(req, 'x-project-id'),
      body: rawBody.toString('utf8'),
    };
    calls.push(call);
    const send = (answer: Answer): void => {
      call.status = answer.status;
      writeJsonAnswer(res, answer, { 'content-type': 'application/json', 'x-request-id': randomBytes(16).toString('hex') });
    };

    // The gateway has to find the API before it knows how to authenticate it.
    if (route === undefined) {
      send(gatewayError(404, 'APIGW.0101', 'The API does not exist or has not been published in the environment'));
      return;
    }
    if (verdict !== undefined && !verdict.ok) {
      send(gatewayError(401, 'APIGW.0301', `Incorrect IAM authentication information: ${verdict.reason}`));
      return;
    }

    answerWithFault(req, res, faults.next(route.name), {
      statusAnswer: (fault) => faultAnswer(route.name, fault),
      process: () => dispatch(route, req, rawBody),
      send,
    });
  }

  function dispatch(route: RouteMatch, req: IncomingMessage, rawBody: Buffer): Answer {
    switch (route.name) {
      case 'functiongraph.getConfig':
      case 'functiongraph.updateConfig':
        return functionConfig(route, req, rawBody);
      case 'iam.listProjects':
        return listProjects(req);
      case 'cce.clusterCert':
        return clusterCert(route, req, rawBody);
    }
  }

  function functionConfig(route: RouteMatch, req: IncomingMessage, rawBody: Buffer): Answer {
    const [pathProject, encodedUrn] = route.params as [string, string];
    const projectHeader = headerValue(req, 'x-project-id');
    if (pathProject !== options.projectId) return fssError(403, 'FSS.0403', 'Forbidden');
    if (projectHeader !== undefined && projectHeader !== pathProject) {
      return fssError(403, 'FSS.0403', 'Forbidden: X-Project-Id is not the project in the path');
    }
    const urn = safeDecode(encodedUrn);
    const urnParts = urn.split(':');
    if (urnParts.length < 7 || urnParts.length > 8 || urnParts[0] !== 'urn' || urnParts[1] !== 'fss' || urnParts[4] !== 'function') {
      return fssError(400, 'FSS.0400', 'Invalid parameter: function_urn');
    }
    if (urnParts[3] !== pathProject) return fssError(400, 'FSS.0400', 'Invalid parameter: the project in function_urn is not the project in the path');
    const version = urnParts[7];
    const key = urnParts.slice(0, 7).join(':');
    const current = state.functions.get(key);
    if (current === undefined || (version !== undefined && version !== 'latest')) {
      return fssError(404, 'FSS.1051', 'Not found the function');
    }
    if (route.name === 'functiongraph.getConfig') return { status: 200, body: current };

    if (!(headerValue(req, 'content-type') ?? '').startsWith('application/json')) {
      return fssError(400, 'FSS.0400', 'Invalid parameter: Content-Type must be application/json');
    }
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return fssError(406, 'FSS.0406', 'Not acceptable.');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return fssError(406, 'FSS.0406', 'Not acceptable.');
    const update = body as Record<string, unknown>;
    const invalid = validateFunctionUpdate(current, update);
    if (invalid !== undefined) return invalid;

    // UpdateFunctionConfig replaces the configuration: what the body leaves out is reset.
    const next: Record<string, unknown> = {};
    for (const field of READ_ONLY_FUNCTION_FIELDS) if (field in current) next[field] = current[field];
    for (const [field, value] of Object.entries(update)) if (!READ_ONLY_FUNCTION_FIELDS.includes(field)) next[field] = value;
    next['last_modified'] = new Date().toISOString();
    if (comparable(next) !== comparable(current)) state.updates.push({ urn: key, before: current, after: structuredClone(next) });
    state.functions.set(key, next);
    return { status: 200, body: next };
  }

  function listProjects(req: IncomingMessage): Answer {
    const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
    const name = query.get('name');
    const host = headerValue(req, 'host') ?? '127.0.0.1';
    const matching = projects.filter((project) => name === null || project.name === name);
    return {
      status: 200,
      body: {
        links: { self: `http://${host}/v3/projects`, previous: null, next: null },
        projects: matching.map((project) => ({
          id: project.id,
          name: project.name,
          domain_id: 'd78cbac186b744899480f25bd0224c0a',
          parent_id: 'd78cbac186b744899480f25bd0224c0a',
          is_domain: false,
          enabled: true,
          description: '',
          links: { self: `http://${host}/v3/projects/${project.id}` },
        })),
      },
    };
  }

  function clusterCert(route: RouteMatch, req: IncomingMessage, rawBody: Buffer): Answer {
    const [pathProject, clusterId] = route.params as [string, string];
    const projectHeader = headerValue(req, 'x-project-id');
    if (pathProject !== options.projectId || (projectHeader !== undefined && projectHeader !== pathProject)) {
      return cceError(403, 'CCE.01403001', 'Permission denied: the project is not the project of this request');
    }
    if (!(headerValue(req, 'content-type') ?? '').startsWith('application/json')) {
      return cceError(400, 'CCE.01400001', 'Invalid request: Content-Type must be application/json');
    }
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return cceError(400, 'CCE.01400001', 'Invalid request: the body is not JSON');
    }
    const duration = (body as { duration?: unknown } | null)?.duration;
    if (typeof duration !== 'number' || !Number.isInteger(duration) || (duration !== -1 && (duration < 1 || duration > CERT_MAX_DAYS))) {
      return cceError(400, 'CCE.01400001', `Invalid request: duration must be -1 or an integer from 1 to ${CERT_MAX_DAYS}`);
    }
    const kubeconfig = clusters.get(clusterId);
    if (kubeconfig === undefined) return cceError(404, 'CCE.01404001', `Resource not found: cluster ${clusterId}`);
    state.issuedCerts.push({ clusterId, duration });
    return { status: 200, body: kubeconfig, headers: { 'Port-ID': randomBytes(8).toString('hex') } };
  }

  const server = await serveBuffered(handle);
  return {
    url: server.url,
    state,
    calls,
    attempts: (route) => calls.filter((call) => call.route === route).length,
    setFaults: (route, list) => faults.set(route, list),
    close: () => server.close(),
  };
}

function matchRoute(method: string, target: string): RouteMatch | undefined {
  const path = target.split('?')[0] ?? '';
  const config = /^\/v2\/([^/]+)\/fgs\/functions\/([^/]+)\/config$/.exec(path);
  if (config && (method === 'GET' || method === 'PUT')) {
    return { name: method === 'GET' ? 'functiongraph.getConfig' : 'functiongraph.updateConfig', params: config.slice(1) };
  }
  if (path === '/v3/projects' && method === 'GET') return { name: 'iam.listProjects', params: [] };
  const cert = /^\/api\/v3\/projects\/([^/]+)\/clusters\/([^/]+)\/clustercert$/.exec(path);
  if (cert && method === 'POST') return { name: 'cce.clusterCert', params: cert.slice(1) };
  return undefined;
}

function validateFunctionUpdate(current: Record<string, unknown>, update: Record<string, unknown>): Answer | undefined {
  if (typeof update['func_name'] !== 'string' || update['func_name'] !== current['func_name']) {
    return fssError(400, 'FSS.1002', 'Invalid function name.');
  }
  if (typeof update['runtime'] !== 'string') return fssError(400, 'FSS.1005', 'Invalid runtime.');
  if (update['runtime'] !== current['runtime']) return fssError(400, 'FSS.1005', 'Invalid runtime: the runtime of a function cannot be changed.');
  const timeout = update['timeout'];
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 3 || timeout > 259_200) {
    return fssError(400, 'FSS.1008', 'Invalid function timeout.');
  }
  const handler = update['handler'];
  if (typeof handler !== 'string' || handler.length === 0 || handler.length > 128) {
    return fssError(400, 'FSS.1003', 'Invalid function handler.');
  }
  const memory = update['memory_size'];
  if (typeof memory !== 'number' || !Number.isInteger(memory) || memory < 128 || memory > 32_768) {
    return fssError(400, 'FSS.1007', 'Invalid function memory.');
  }
  if (current['runtime'] === 'Custom Image') {
    const image = update['custom_image'] as { enabled?: unknown; image?: unknown } | undefined;
    if (image === null || typeof image !== 'object' || image.enabled !== true || typeof image.image !== 'string' || image.image === '') {
      return fssError(400, 'FSS.0400', 'Invalid parameter: custom_image with enabled and image is required for a Custom Image function.');
    }
  }
  return undefined;
}

/**
 * The signature check, written apart from src/cloud/huawei/signer.ts so the two keep each other honest.
 * Exported for the other Huawei stand-ins (swr-api.ts), which check signatures the same way.
 */
export function verifySignature(
  req: IncomingMessage,
  rawBody: Buffer,
  options: Pick<StandInOptions, 'ak' | 'sk' | 'securityToken'>,
): { ok: true } | { ok: false; reason: string } {
  const authorization = headerValue(req, 'authorization');
  if (authorization === undefined) return { ok: false, reason: 'x-auth-token not found' };
  const parsed = /^SDK-HMAC-SHA256 Access=([^,\s]+), SignedHeaders=([a-z0-9;_-]+), Signature=([0-9a-f]{64})$/.exec(authorization);
  if (parsed === null) return { ok: false, reason: 'verify aksk signature fail, malformed Authorization' };
  const [, accessKey, signedList, signature] = parsed as unknown as [string, string, string, string];
  if (accessKey !== options.ak) return { ok: false, reason: 'Get secretKey failed,ak:******,err:ak not exist' };

  const signedNames = signedList.split(';');
  if (!signedNames.includes('host') || !signedNames.includes('x-sdk-date')) {
    return { ok: false, reason: 'verify aksk signature fail, host and x-sdk-date must be signed' };
  }
  const token = headerValue(req, 'x-security-token');
  if (options.securityToken !== undefined) {
    if (token === undefined) return { ok: false, reason: 'temporary ak needs x-security-token' };
    if (!signedNames.includes('x-security-token')) return { ok: false, reason: 'verify aksk signature fail, x-security-token must be signed' };
    if (token !== options.securityToken) return { ok: false, reason: 'verify security token fail' };
  } else if (token !== undefined) {
    return { ok: false, reason: 'verify security token fail: the ak is not a temporary one' };
  }
  const sdkDate = headerValue(req, 'x-sdk-date') ?? '';
  const stamp = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(sdkDate);
  if (stamp === null) return { ok: false, reason: `verify aksk signature fail, invalid x-sdk-date ${sdkDate}` };
  const [year, month, day, hour, minute, second] = stamp.slice(1).map(Number) as [number, number, number, number, number, number];
  const signedAt = Date.UTC(year, month - 1, day, hour, minute, second);
  if (Math.abs(Date.now() - signedAt) > MAX_CLOCK_SKEW_MS) {
    return { ok: false, reason: `signature expired, signature time:${sdkDate},server time:${formatStamp(new Date())}` };
  }

  const target = req.url ?? '/';
  const queryAt = target.indexOf('?');
  const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
  const rawQuery = queryAt === -1 ? '' : target.slice(queryAt + 1);
  let uri = rawPath.split('/').map((segment) => strictEncode(safeDecode(segment))).join('/');
  if (!uri.endsWith('/')) uri += '/';
  // Sorted by key, then by value for a repeated key, as API Gateway orders them.
  const query = [...new URLSearchParams(rawQuery)]
    .map(([key, value]) => [strictEncode(key), strictEncode(value)] as const)
    .sort(([keyA, valueA], [keyB, valueB]) => (keyA === keyB ? (valueA < valueB ? -1 : 1) : keyA < keyB ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const headerLines: string[] = [];
  for (const name of signedNames) {
    const value = headerValue(req, name);
    if (value === undefined) return { ok: false, reason: `verify aksk signature fail, signed header ${name} missing` };
    headerLines.push(`${name}:${value.trim()}\n`);
  }
  const canonical = [
    req.method ?? 'GET',
    uri,
    query,
    headerLines.join(''),
    signedList,
    createHash('sha256').update(rawBody).digest('hex'),
  ].join('\n');
  const toSign = `SDK-HMAC-SHA256\n${sdkDate}\n${createHash('sha256').update(canonical).digest('hex')}`;
  const expected = createHmac('sha256', options.sk).update(toSign).digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'verify aksk signature fail' };
  }
  return { ok: true };
}

function strictEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function formatStamp(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}T${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Key order and last_modified ignored: only a real change of configuration counts as an update. */
function comparable(config: Record<string, unknown>): string {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>)
          .filter(([key]) => key !== 'last_modified')
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([key, inner]) => [key, sorted(inner)]),
      );
    }
    return value;
  };
  return JSON.stringify(sorted(config));
}

function gatewayError(status: number, code: string, message: string): Answer {
  return { status, body: { error_msg: message, error_code: code, request_id: randomBytes(16).toString('hex') } };
}

function fssError(status: number, code: string, message: string): Answer {
  return { status, body: { error_code: code, error_msg: message } };
}

function cceError(status: number, code: string, message: string): Answer {
  return { status, body: { errorCode: code, errorMessage: message } };
}

function faultAnswer(route: RouteName, fault: Extract<Fault, { kind: 'status' }>): Answer {
  return statusFaultAnswer(fault, () => {
    if (fault.status === 429) {
      return gatewayError(429, 'APIGW.0308', 'The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 minute').body;
    }
    if (route.startsWith('functiongraph.')) return fssError(fault.status, `FSS.0${fault.status}`, 'Service unavailable.').body;
    if (route.startsWith('cce.')) return { message: 'Service Unavailable' };
    return { error: { code: String(fault.status), message: 'Service Unavailable' } };
  });
}
