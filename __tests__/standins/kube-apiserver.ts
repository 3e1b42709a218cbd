/**
 * A stand-in Kubernetes API server for the rollout tests: real HTTPS with
 * mutual TLS (certificates made with openssl for each test process), the
 * apps/v1 Deployment and StatefulSet endpoints imageship calls (GET, and
 * PATCH with a strategic merge patch), Status error bodies like the real
 * API's, and controllers faked by time: after a pod-template change the
 * status advances one replica per `stepMs`.
 *
 * Only the behaviour imageship depends on is modelled, but that part follows
 * the real API: containers merge by name (an unknown name is ADDED, as the
 * real server does), generation bumps only when the spec changes, a PATCH
 * answer carries the status from before the controller saw the change.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type StandInKind = 'deployment' | 'statefulset';

export interface StandInContainer {
  name: string;
  image: string;
}

export interface StandInWorkload {
  namespace: string;
  kind: StandInKind;
  name: string;
  /** Default 2. */
  replicas?: number;
  containers: StandInContainer[];
  initContainers?: StandInContainer[];
  /** StatefulSet update strategy; default RollingUpdate. */
  updateStrategy?: 'RollingUpdate' | 'OnDelete';
  /** New pods never become ready (bad image, failing probe). */
  stuck?: boolean;
  /** With `stuck`, a Deployment reports ProgressDeadlineExceeded this long after the rollout began; never when absent. */
  progressDeadlineMs?: number;
}

export interface KubeApiServerOptions {
  workloads?: StandInWorkload[];
  /** The client-certificate CN (or token holder) that is authorised; default `imageship-ci`. */
  allowedUser?: string;
  /** How long the fake controllers take per replica; default 100 ms. */
  stepMs?: number;
  /** Refuse connections without a trusted client certificate at TLS (default true, as the brief asks; a real API server would treat them as anonymous). */
  requireClientCert?: boolean;
  /** A bearer token accepted as `allowedUser`. */
  token?: string;
}

/** One injected failure, used up by one call of its route. */
export type Fault =
  | { type: 'status'; status: number; retryAfter?: string }
  /** Drops the connection; `afterApply` lets a PATCH take effect first (the answer is what gets lost). */
  | { type: 'reset'; afterApply?: boolean }
  /** Handles the call at once but answers only after `delayMs`. */
  | { type: 'slow'; delayMs: number };

/** `GET` or `PATCH`: faults apply to every workload path of that method. */
export type FaultRoute = 'GET' | 'PATCH';

export interface RecordedCall {
  method: string;
  path: string;
  contentType: string | undefined;
  body: string;
  /** The authenticated user, or '' for none. */
  user: string;
  /** The status answered, or the fault type when the call was faulted without an answer. */
  outcome: number | 'reset';
  fault?: Fault['type'];
}

export interface StoredWorkload {
  kind: StandInKind;
  object: WorkloadJson;
  stuck: boolean;
  progressDeadlineMs: number | undefined;
  /** When the current pod template started rolling out. */
  rolloutStartedAt: number;
  /** The StatefulSet revision the pods ran before the current rollout. */
  previousRevision: string;
}

export interface KubeconfigOptions {
  /** Which context is current; default `internal`. */
  context?: string;
  /** Put another CA's certificate in certificate-authority-data. */
  wrongCa?: boolean;
  noCurrentContext?: boolean;
  /** `ci` (default): the allowed client cert; `other`: a valid cert for another user; `token`: the token only. */
  user?: 'ci' | 'other' | 'token';
  format?: 'yaml' | 'json';
}

export interface StandInCerts {
  ca: Buffer;
  otherCa: Buffer;
  serverCert: Buffer;
  serverKey: Buffer;
  clientCert: Buffer;
  clientKey: Buffer;
  otherUserCert: Buffer;
  otherUserKey: Buffer;
}

export interface KubeApiServer {
  url: string;
  kubeconfig(options?: KubeconfigOptions): string;
  certs: StandInCerts;
  state: {
    workloads: Map<string, StoredWorkload>;
    /** Patches that changed a pod template. */
    effectivePatches: number;
    /** TLS handshakes the server refused. */
    tlsRefusals: number;
    /** When true the allowed user may get but not patch. */
    denyPatch: boolean;
    /** The stored object as a client would GET it now. */
    get(namespace: string, kind: StandInKind, name: string): WorkloadJson | undefined;
  };
  calls: RecordedCall[];
  setFaults(route: FaultRoute, faults: Fault[]): void;
  close(): Promise<void>;
}

interface WorkloadJson {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; generation: number; uid: string; resourceVersion: string };
  spec: Record<string, unknown> & { replicas: number; template: { metadata: unknown; spec: { containers: StandInContainer[]; initContainers?: StandInContainer[] } } };
  status: Record<string, unknown>;
}

const PATH = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/(deployments|statefulsets)\/([^/]+)$/;
const SMP = 'application/strategic-merge-patch+json';
/** Lists the real API merges by a key instead of replacing (from the pod spec's patch strategy). */
const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  imagePullSecrets: 'name',
  volumeMounts: 'mountPath',
};

export async function startKubeApiServer(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  const certs = await standInCerts();
  const allowedUser = options.allowedUser ?? 'imageship-ci';
  const stepMs = options.stepMs ?? 100;
  const workloads = new Map<string, StoredWorkload>();
  for (const spec of options.workloads ?? []) workloads.set(key(spec.namespace, spec.kind, spec.name), createWorkload(spec));
  const faults = new Map<FaultRoute, Fault[]>();
  const calls: RecordedCall[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const state: KubeApiServer['state'] = {
    workloads,
    effectivePatches: 0,
    tlsRefusals: 0,
    denyPatch: false,
    get(namespace, kind, name) {
      const stored = workloads.get(key(namespace, kind, name));
      if (!stored) return undefined;
      refreshStatus(stored, Date.now(), stepMs);
      return structuredClone(stored.object);
    },
  };

  const server: Server = createServer(
    {
      key: certs.serverKey,
      cert: certs.serverCert,
      ca: certs.ca,
      requestCert: true,
      rejectUnauthorized: options.requireClientCert ?? true,
    },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const call: RecordedCall = {
          method: req.method ?? '',
          path: req.url ?? '',
          contentType: req.headers['content-type'],
          body,
          user: identify(req, options.token, allowedUser),
          outcome: 0,
        };
        calls.push(call);
        const route = (req.method ?? '') as FaultRoute;
        const fault = faults.get(route)?.shift();
        if (fault) call.fault = fault.type;
        if (fault?.type === 'status') {
          call.outcome = fault.status;
          const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { 'Retry-After': fault.retryAfter };
          sendStatus(res, fault.status, fault.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable', 'injected fault', headers);
          return;
        }
        if (fault?.type === 'reset') {
          if (fault.afterApply) handle(req, body, call);
          call.outcome = 'reset';
          req.socket.destroy();
          return;
        }
        const answer = handle(req, body, call);
        call.outcome = answer.status;
        const send = (): void => {
          if (res.destroyed) return;
          res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
          res.end(answer.body);
        };
        if (fault?.type === 'slow') {
          const timer = setTimeout(() => {
            timers.delete(timer);
            send();
          }, fault.delayMs);
          timers.add(timer);
        } else {
          send();
        }
      });
    },
  );
  server.on('tlsClientError', () => {
    state.tlsRefusals++;
  });

  interface Answer {
    status: number;
    body: string;
    headers?: Record<string, string>;
  }

  function handle(req: IncomingMessage, body: string, call: RecordedCall): Answer {
    const match = PATH.exec((req.url ?? '').split('?')[0] ?? '');
    const method = req.method ?? '';
    if (call.user === 'invalid-token') return status(401, 'Unauthorized', 'Unauthorized');
    if (!match) return status(404, 'NotFound', 'the server could not find the requested resource');
    const [, namespace = '', plural = '', name = ''] = match;
    const kind: StandInKind = plural === 'deployments' ? 'deployment' : 'statefulset';
    const verb = method === 'GET' ? 'get' : method === 'PATCH' ? 'patch' : method.toLowerCase();
    const forbidden = (): Answer =>
      status(
        403,
        'Forbidden',
        `${plural}.apps "${name}" is forbidden: User "${call.user || 'system:anonymous'}" cannot ${verb} resource "${plural}" in API group "apps" in the namespace "${namespace}"`,
      );
    if (call.user !== allowedUser) return forbidden();
    if (verb === 'patch' && state.denyPatch) return forbidden();
    if (method !== 'GET' && method !== 'PATCH') return status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);

    const stored = workloads.get(key(namespace, kind, name));
    if (!stored) return status(404, 'NotFound', `${plural}.apps "${name}" not found`);
    const now = Date.now();
    refreshStatus(stored, now, stepMs);
    if (method === 'GET') return json(200, stored.object);

    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
    if (contentType !== SMP) {
      return status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${SMP} (this stand-in implements no other)`);
    }
    let patch: unknown;
    try {
      patch = JSON.parse(body);
    } catch (error) {
      return status(400, 'BadRequest', `error decoding patch: ${(error as Error).message}`);
    }
    if (!isObject(patch)) return status(400, 'BadRequest', 'error decoding patch: the patch is not a JSON object');

    const before = JSON.stringify(stored.object.spec);
    const beforeTemplate = JSON.stringify(stored.object.spec.template);
    const candidate = structuredClone(stored.object);
    const merged = strategicMerge(candidate, patch) as WorkloadJson;
    const invalid = validate(merged);
    if (invalid) return status(422, 'Invalid', `${stored.object.kind}.apps "${name}" is invalid: ${invalid}`);
    // The answer shows the status as it was: the controller has not seen the change yet.
    merged.status = stored.object.status;
    merged.metadata = { ...stored.object.metadata };
    if (JSON.stringify(merged.spec) !== before) merged.metadata.generation++;
    merged.metadata.resourceVersion = String(Number(merged.metadata.resourceVersion) + 1);
    if (JSON.stringify(merged.spec.template) !== beforeTemplate) {
      state.effectivePatches++;
      stored.previousRevision = String(merged.status.currentRevision ?? '');
      stored.rolloutStartedAt = now;
    }
    stored.object = merged;
    return json(200, stored.object);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;

  return {
    url,
    certs,
    state,
    calls,
    kubeconfig: (kubeconfigOptions) => renderKubeconfig(url, certs, options.token ?? 'standin-token-not-accepted', kubeconfigOptions ?? {}),
    setFaults(route, list) {
      faults.set(route, [...list]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function identify(req: IncomingMessage, token: string | undefined, allowedUser: string): string {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return token !== undefined && auth.slice(7) === token ? allowedUser : 'invalid-token';
  const socket = req.socket as TLSSocket;
  if (!socket.authorized) return '';
  const cn = socket.getPeerCertificate()?.subject?.CN;
  return typeof cn === 'string' ? cn : '';
}

function key(namespace: string, kind: StandInKind, name: string): string {
  return `${namespace}/${kind}/${name}`;
}

function createWorkload(spec: StandInWorkload): StoredWorkload {
  const labels = { app: spec.name };
  const template = {
    metadata: { labels },
    spec: {
      containers: spec.containers.map((c) => ({ ...c, resources: {} })),
      ...(spec.initContainers ? { initContainers: spec.initContainers.map((c) => ({ ...c })) } : {}),
    },
  };
  const object: WorkloadJson = {
    apiVersion: 'apps/v1',
    kind: spec.kind === 'deployment' ? 'Deployment' : 'StatefulSet',
    metadata: { name: spec.name, namespace: spec.namespace, generation: 1, uid: createHash('sha256').update(key(spec.namespace, spec.kind, spec.name)).digest('hex').slice(0, 32), resourceVersion: '1' },
    spec: {
      replicas: spec.replicas ?? 2,
      selector: { matchLabels: labels },
      template,
      ...(spec.kind === 'statefulset' ? { serviceName: spec.name, updateStrategy: { type: spec.updateStrategy ?? 'RollingUpdate', ...(spec.updateStrategy === 'OnDelete' ? {} : { rollingUpdate: { partition: 0 } }) } } : { strategy: { type: 'RollingUpdate' } }),
    },
    status: {},
  };
  const stored: StoredWorkload = {
    kind: spec.kind,
    object,
    stuck: spec.stuck ?? false,
    progressDeadlineMs: spec.progressDeadlineMs,
    rolloutStartedAt: Number.NEGATIVE_INFINITY,
    previousRevision: revision(object),
  };
  refreshStatus(stored, Date.now(), 1);
  return stored;
}

function revision(object: WorkloadJson): string {
  return `${object.metadata.name}-${createHash('sha256').update(JSON.stringify(object.spec.template)).digest('hex').slice(0, 10)}`;
}

/** The status the fake controller would have written by `now`. */
function refreshStatus(stored: StoredWorkload, now: number, stepMs: number): void {
  const object = stored.object;
  const want = object.spec.replicas;
  const elapsed = now - stored.rolloutStartedAt;
  const steps = Math.floor(elapsed / stepMs);
  const generation = object.metadata.generation;
  // Before any rollout the workload is settled, whatever the switches say about new pods.
  const stuck = stored.stuck && Number.isFinite(stored.rolloutStartedAt);
  if (stored.kind === 'deployment') {
    const rs = `${object.metadata.name}-${revision(object).slice(-10)}`;
    const updated = stuck ? Math.min(want, steps >= 1 ? 1 : 0) : Math.min(want, steps);
    const newAvailable = stuck ? 0 : Math.min(want, Math.max(0, steps - 1));
    const old = want - newAvailable;
    const deadlineHit = stuck && stored.progressDeadlineMs !== undefined && elapsed >= stored.progressDeadlineMs;
    const complete = !stuck && newAvailable === want && updated === want;
    object.status = {
      observedGeneration: generation,
      replicas: updated + old,
      updatedReplicas: updated,
      readyReplicas: newAvailable + old,
      availableReplicas: newAvailable + old,
      ...(updated - newAvailable > 0 ? { unavailableReplicas: updated - newAvailable } : {}),
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
        deadlineHit
          ? { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rs}" has timed out progressing.` }
          : complete
            ? { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rs}" has successfully progressed.` }
            : { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rs}" is progressing.` },
      ],
    };
    return;
  }

  const updateRevision = revision(object);
  const onDelete = (object.spec.updateStrategy as { type?: string } | undefined)?.type === 'OnDelete';
  const settled = !Number.isFinite(stored.rolloutStartedAt);
  // OnDelete: the controller replaces no pod by itself, so nothing moves until pods are deleted (never, here).
  const rollingDone = settled || (!stuck && !onDelete && steps > want);
  const updated = rollingDone ? want : onDelete ? 0 : stuck ? Math.min(want, steps >= 1 ? 1 : 0) : Math.min(want, steps);
  // One pod at a time is replaced; while it restarts it is not ready.
  const replacing = !onDelete && !rollingDone && updated > 0;
  const ready = replacing ? want - 1 : want;
  const currentRevision = rollingDone ? updateRevision : stored.previousRevision;
  object.status = {
    observedGeneration: generation,
    replicas: want,
    readyReplicas: ready,
    availableReplicas: ready,
    currentReplicas: rollingDone ? want : want - updated,
    updatedReplicas: updated,
    currentRevision,
    updateRevision,
  };
}

/** What the real API rejects that a patch could produce here: a container without a name or image. */
function validate(object: WorkloadJson): string | undefined {
  const containers = object.spec?.template?.spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) return 'spec.template.spec.containers: Required value';
  for (const [index, container] of containers.entries()) {
    if (!isObject(container) || typeof container.name !== 'string' || container.name === '') {
      return `spec.template.spec.containers[${index}].name: Required value`;
    }
    if (typeof container.image !== 'string' || container.image === '') {
      return `spec.template.spec.containers[${index}].image: Required value`;
    }
  }
  return undefined;
}

/**
 * A strategic merge patch, as far as pod templates need: maps merge
 * recursively, `null` deletes a field, lists with a merge key merge item by
 * item (an unknown key is appended, `$patch: delete` removes), other lists
 * are replaced.
 */
function strategicMerge(target: unknown, patch: unknown, field = ''): unknown {
  if (Array.isArray(patch)) {
    const mergeKey = MERGE_KEYS[field];
    if (!mergeKey || !Array.isArray(target)) return structuredClone(patch);
    const result = [...target] as unknown[];
    for (const item of patch) {
      if (!isObject(item) || !(mergeKey in item)) continue;
      const index = result.findIndex((existing) => isObject(existing) && existing[mergeKey] === item[mergeKey]);
      if (item.$patch === 'delete') {
        if (index >= 0) result.splice(index, 1);
      } else if (index >= 0) {
        result[index] = strategicMerge(result[index], item);
      } else {
        result.push(strategicMerge({}, item));
      }
    }
    return result;
  }
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [name, value] of Object.entries(patch)) {
    if (name === '$patch') continue;
    if (value === null) delete result[name];
    else result[name] = strategicMerge(result[name], value, name);
  }
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function json(code: number, value: unknown, headers?: Record<string, string>): { status: number; body: string; headers?: Record<string, string> } {
  return { status: code, body: JSON.stringify(value), ...(headers ? { headers } : {}) };
}

function status(code: number, reason: string, message: string): { status: number; body: string } {
  return json(code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

function sendStatus(res: ServerResponse, code: number, reason: string, message: string, headers: Record<string, string>): void {
  const answer = status(code, reason, message);
  res.writeHead(code, { 'Content-Type': 'application/json', ...headers });
  res.end(answer.body);
}

function renderKubeconfig(url: string, certs: StandInCerts, token: string, options: KubeconfigOptions): string {
  const b64 = (buffer: Buffer): string => buffer.toString('base64');
  const who = options.user ?? 'ci';
  const user: Record<string, string> =
    who === 'token'
      ? { token }
      : who === 'other'
        ? { 'client-certificate-data': b64(certs.otherUserCert), 'client-key-data': b64(certs.otherUserKey) }
        : { 'client-certificate-data': b64(certs.clientCert), 'client-key-data': b64(certs.clientKey) };
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'standin', cluster: { server: url, 'certificate-authority-data': b64(options.wrongCa ? certs.otherCa : certs.ca) } }],
    users: [{ name: 'ci', user }],
    contexts: [
      { name: 'internal', context: { cluster: 'standin', user: 'ci', namespace: 'prod' } },
      { name: 'external', context: { cluster: 'standin', user: 'ci' } },
    ],
    ...(options.noCurrentContext ? {} : { 'current-context': options.context ?? 'internal' }),
  };
  if (options.format === 'json') return JSON.stringify(config, null, 2);
  return toYaml(config);
}

/** Block-style YAML for the kubeconfig's plain shape (maps, lists of maps, scalars), as kubectl writes it. */
function toYaml(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    return value
      .map((item) => {
        const body = toYaml(item, `${indent}  `);
        return `${indent}- ${body.slice(indent.length + 2)}`;
      })
      .join('');
  }
  if (isObject(value)) {
    return Object.entries(value)
      .map(([name, child]) =>
        isObject(child) || Array.isArray(child) ? `${indent}${name}:\n${toYaml(child, Array.isArray(child) ? indent : `${indent}  `)}` : `${indent}${name}: ${scalar(child)}\n`,
      )
      .join('');
  }
  return `${indent}${scalar(value)}\n`;
}

function scalar(value: unknown): string {
  return typeof value === 'string' && /^[A-Za-z0-9+/=:._-]+$/.test(value) && !/^(true|false|null|\d+)$/.test(value) ? value : JSON.stringify(value);
}

let certsOnce: Promise<StandInCerts> | undefined;

/** Made once per test process: two CAs, a server certificate for 127.0.0.1 and localhost, and two client certificates (other stand-ins' TLS tests use them too). */
export function standInCerts(): Promise<StandInCerts> {
  certsOnce ??= makeCerts();
  return certsOnce;
}

const OPENSSL_CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = placeholder
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
authorityKeyIdentifier = keyid
[client_ext]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
`;

async function makeCerts(): Promise<StandInCerts> {
  const dir = await mkdtemp(join(tmpdir(), 'kube-standin-'));
  try {
    const cnf = join(dir, 'openssl.cnf');
    await writeFile(cnf, OPENSSL_CONFIG);
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    const openssl = (args: string[]): Promise<unknown> => run('openssl', args, { cwd: dir });
    const makeCa = (name: string): Promise<unknown> =>
      openssl(['req', '-x509', '-new', ...ec, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${name}`, '-config', cnf, '-extensions', 'ca_ext']);
    const makeLeaf = async (name: string, cn: string, ca: string, extensions: string): Promise<void> => {
      await openssl(['req', '-new', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/O=imageship-tests/CN=${cn}`, '-config', cnf]);
      const serial = `0x${createHash('sha256').update(`${name}${Date.now()}${Math.random()}`).digest('hex').slice(0, 16)}`;
      await openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-set_serial', serial, '-out', `${name}.crt`, '-days', '2', '-extfile', cnf, '-extensions', extensions]);
    };
    await Promise.all([makeCa('ca'), makeCa('other-ca')]);
    await Promise.all([
      makeLeaf('server', 'kube-apiserver', 'ca', 'server_ext'),
      makeLeaf('client', 'imageship-ci', 'ca', 'client_ext'),
      makeLeaf('other-user', 'someone-else', 'ca', 'client_ext'),
    ]);
    const read = (file: string): Promise<Buffer> => readFile(join(dir, file));
    return {
      ca: await read('ca.crt'),
      otherCa: await read('other-ca.crt'),
      serverCert: await read('server.crt'),
      serverKey: await read('server.key'),
      clientCert: await read('client.crt'),
      clientKey: await read('client.key'),
      otherUserCert: await read('other-user.crt'),
      otherUserKey: await read('other-user.key'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
