/**
 * A local stand-in for CCI 2.0's Kubernetes-shaped Deployment API
 * (`cci.{region}.{domain}/apis/cci/v2/namespaces/{ns}/deployments/{name}`),
 * strict where it matters:
 *
 * - every request's AK/SK signature is checked with the independent check of
 *   huawei-cloud.ts (401 APIGW.0301), an unknown path is the gateway's 404
 *   APIGW.0101, and X-Project-Id, when sent, must be this project (403);
 * - PATCH takes `application/merge-patch+json` and applies it as RFC 7386
 *   says (objects merged, lists replaced whole, null deletes), so a patch
 *   that names one container drops the others; `metadata.resourceVersion`
 *   in the patch must be the current one (409 Conflict); a container
 *   without name or image is 422 Invalid; other media types are 415;
 * - errors are Kubernetes `Status` objects (404 NotFound, 409 Conflict…);
 * - state is kept: generation and resourceVersion move on each change, and
 *   the status follows a new template one replica per `stepMs` (or never,
 *   for a deployment marked stuck).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerWithFault, FaultQueues, serveBuffered, statusFaultAnswer, writeJsonAnswer, type Answer } from './http-faults.js';
import { verifySignature, type Fault } from './huawei-cloud.js';

export type CciRouteName = 'cci.getDeployment' | 'cci.patchDeployment';

export interface CciDeploymentSeed {
  namespace: string;
  name: string;
  replicas: number;
  /** Full container objects; the stand-in keeps every field. */
  containers: Record<string, unknown>[];
  stuck?: boolean;
}

export interface CciStandInOptions {
  ak: string;
  sk: string;
  /** Temporary credentials: every call must carry this X-Security-Token, signed (huawei-cloud.ts verifySignature); without it a token is refused. */
  securityToken?: string;
  projectId: string;
  deployments: CciDeploymentSeed[];
  /** How long one replica takes to update (default 50 ms). */
  stepMs?: number;
  faults?: Partial<Record<CciRouteName, Fault[]>>;
}

interface StoredDeployment {
  object: Record<string, unknown>;
  stuck: boolean;
  /** When the current template was written; status catches up from here. */
  templateAt: number;
}

export interface CciRecordedCall {
  route: CciRouteName | undefined;
  method: string;
  url: string;
  status: number;
  signatureValid: boolean;
  contentType: string | undefined;
  projectIdHeader: string | undefined;
  body: string;
}

export interface CciStandIn {
  url: string;
  calls: CciRecordedCall[];
  /** The deployment as the API would answer it now. */
  deployment(namespace: string, name: string): Record<string, unknown> | undefined;
  /** Patches that changed a pod template. */
  templateChanges(): number;
  /** Change a deployment behind imageship's back (another deploy), moving its resourceVersion. */
  touch(namespace: string, name: string): void;
  setFaults(route: CciRouteName, faults: Fault[]): void;
  close(): Promise<void>;
}

export async function startCciStandIn(options: CciStandInOptions): Promise<CciStandIn> {
  const stepMs = options.stepMs ?? 50;
  const store = new Map<string, StoredDeployment>();
  let version = 1000;
  let templateChanges = 0;
  for (const seed of options.deployments) {
    const object = {
      apiVersion: 'cci/v2',
      kind: 'Deployment',
      metadata: {
        name: seed.name,
        namespace: seed.namespace,
        uid: randomBytes(16).toString('hex'),
        resourceVersion: String(++version),
        generation: 1,
        creationTimestamp: new Date(Date.now() - 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        labels: { app: seed.name },
      },
      spec: {
        replicas: seed.replicas,
        selector: { matchLabels: { app: seed.name } },
        template: {
          metadata: { labels: { app: seed.name }, annotations: { 'resource.cci.io/pod-size-specs': '2.00_4.0' } },
          spec: { containers: structuredClone(seed.containers), dnsPolicy: 'Default' },
        },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
      },
      status: {},
    };
    store.set(`${seed.namespace}/${seed.name}`, { object, stuck: seed.stuck ?? false, templateAt: 0 });
  }
  const faults = new FaultQueues<CciRouteName, Fault>(options.faults);
  const calls: CciRecordedCall[] = [];

  function handle(req: IncomingMessage, res: ServerResponse, rawBody: Buffer): void {
    const target = req.url ?? '/';
    const method = req.method ?? 'GET';
    const match = /^\/apis\/cci\/v2\/namespaces\/([^/?]+)\/deployments\/([^/?]+)$/.exec(target.split('?')[0] ?? '');
    const route: CciRouteName | undefined = match && method === 'GET' ? 'cci.getDeployment' : match && method === 'PATCH' ? 'cci.patchDeployment' : undefined;
    const verdict = route === undefined ? undefined : verifySignature(req, rawBody, options);
    const call: CciRecordedCall = {
      route,
      method,
      url: target,
      status: 0,
      signatureValid: verdict?.ok === true,
      contentType: header(req, 'content-type'),
      projectIdHeader: header(req, 'x-project-id'),
      body: rawBody.toString('utf8'),
    };
    calls.push(call);
    const send = (answer: Answer): void => {
      call.status = answer.status;
      writeJsonAnswer(res, answer, { 'content-type': 'application/json', 'x-request-id': randomBytes(16).toString('hex') });
    };
    if (route === undefined || match === null) {
      send(gatewayError(404, 'APIGW.0101', 'The API does not exist or has not been published in the environment'));
      return;
    }
    if (verdict !== undefined && !verdict.ok) {
      send(gatewayError(401, 'APIGW.0301', `Incorrect IAM authentication information: ${verdict.reason}`));
      return;
    }
    answerWithFault(req, res, faults.next(route), {
      statusAnswer: (fault) => statusFaultAnswer(fault, () => status(fault.status, 'ServiceUnavailable', 'the server is currently unable to handle the request').body),
      process: () => dispatch(route, decodeURIComponent(match[1] as string), decodeURIComponent(match[2] as string), req, rawBody),
      send,
    });
  }

  function dispatch(route: CciRouteName, namespace: string, name: string, req: IncomingMessage, rawBody: Buffer): Answer {
    const projectHeader = header(req, 'x-project-id');
    if (projectHeader !== undefined && projectHeader !== options.projectId) {
      return status(403, 'Forbidden', `deployments.cci "${name}" is forbidden: the project ${projectHeader} is not this account's project in the region`);
    }
    const stored = store.get(`${namespace}/${name}`);
    if (stored === undefined) return status(404, 'NotFound', `deployments.cci "${name}" not found`);
    if (route === 'cci.getDeployment') return { status: 200, body: view(stored) };

    const contentType = (header(req, 'content-type') ?? '').split(';')[0]?.trim();
    if (contentType !== 'application/merge-patch+json') {
      return status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json`);
    }
    let patch: unknown;
    try {
      patch = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return status(400, 'BadRequest', 'the request body is not JSON');
    }
    if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return status(400, 'BadRequest', 'a merge patch must be a JSON object');
    const current = stored.object as Json;
    const wantedVersion = ((patch as Json)['metadata'] as Json | undefined)?.['resourceVersion'];
    const currentVersion = (current['metadata'] as Json)['resourceVersion'];
    if (wantedVersion !== undefined && wantedVersion !== currentVersion) {
      return status(409, 'Conflict', `Operation cannot be fulfilled on deployments.cci "${name}": the object has been modified; please apply your changes to the latest version and try again`);
    }
    const next = mergePatch(current, patch) as Json;
    const containers = (((next['spec'] as Json)?.['template'] as Json)?.['spec'] as Json)?.['containers'];
    if (!Array.isArray(containers) || containers.length === 0 || containers.some((c) => typeof (c as Json)?.['name'] !== 'string' || typeof (c as Json)?.['image'] !== 'string' || (c as Json)['image'] === '')) {
      return status(422, 'Invalid', `Deployment.cci "${name}" is invalid: spec.template.spec.containers: Required value: every container needs a name and an image`);
    }
    // What the API owns is not the client's to change.
    (next['metadata'] as Json)['uid'] = (current['metadata'] as Json)['uid'];
    (next['metadata'] as Json)['name'] = name;
    (next['metadata'] as Json)['namespace'] = namespace;
    next['status'] = current['status'];
    const specChanged = JSON.stringify(next['spec']) !== JSON.stringify(current['spec']);
    if (JSON.stringify(next) !== JSON.stringify(current)) {
      (next['metadata'] as Json)['resourceVersion'] = String(++version);
      if (specChanged) {
        (next['metadata'] as Json)['generation'] = Number((current['metadata'] as Json)['generation']) + 1;
        templateChanges++;
        stored.templateAt = Date.now();
      }
      stored.object = next;
    }
    return { status: 200, body: view(stored) };
  }

  /** The object with its status caught up to now. */
  function view(stored: StoredDeployment): Json {
    const object = structuredClone(stored.object) as Json;
    const generation = Number((object['metadata'] as Json)['generation']);
    const want = Number((object['spec'] as Json)['replicas']);
    const elapsed = Date.now() - stored.templateAt;
    const steps = stored.templateAt === 0 ? want + 1 : Math.floor(elapsed / stepMs);
    const updated = stored.stuck ? Math.min(want, steps >= 1 ? 1 : 0) : Math.min(want, steps);
    const available = stored.stuck ? 0 : Math.min(want, Math.max(0, steps - 1));
    const done = !stored.stuck && updated === want && available === want;
    object['status'] = {
      observedGeneration: steps >= 1 || stored.templateAt === 0 ? generation : generation - 1,
      replicas: done ? want : Math.min(want + 1, want + (updated > 0 ? 1 : 0)),
      updatedReplicas: updated,
      readyReplicas: available,
      availableReplicas: available,
      conditions: [
        { type: 'Available', status: available >= want ? 'True' : 'False', reason: available >= want ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable' },
        { type: 'Progressing', status: 'True', reason: done ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated' },
      ],
    };
    stored.object['status'] = object['status'];
    return object;
  }

  const server = await serveBuffered(handle);
  return {
    url: server.url,
    calls,
    deployment: (namespace, name) => {
      const stored = store.get(`${namespace}/${name}`);
      return stored === undefined ? undefined : view(stored);
    },
    templateChanges: () => templateChanges,
    touch: (namespace, name) => {
      const stored = store.get(`${namespace}/${name}`);
      if (stored) (stored.object['metadata'] as Json)['resourceVersion'] = String(++version);
    },
    setFaults: (route, list) => faults.set(route, list),
    close: () => server.close(),
  };
}

type Json = Record<string, unknown>;

/** RFC 7386: objects merge member by member, null removes, anything else (lists included) replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return structuredClone(patch);
  const result: Json = target !== null && typeof target === 'object' && !Array.isArray(target) ? structuredClone(target as Json) : {};
  for (const [key, value] of Object.entries(patch as Json)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

function status(code: number, reason: string, message: string): Answer {
  return { status: code, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code } };
}

function gatewayError(code: number, errorCode: string, message: string): Answer {
  return { status: code, body: { error_msg: message, error_code: errorCode, request_id: randomBytes(16).toString('hex') } };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
