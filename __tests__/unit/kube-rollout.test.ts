import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { parseKubeconfig, type KubeTarget } from '../../src/deploy/kubernetes/kubeconfig.js';
import { rolloutImage, type RolloutOptions } from '../../src/deploy/kubernetes/rollout.js';
import type { WorkloadRef } from '../../src/domain/targets/kubernetes-workloads.js';
import type { DeployedImage } from '../../src/domain/targets/deploy-result.js';
import { startKubeApiServer, type KubeApiServer, type StandInWorkload } from '../standins/kube-apiserver.js';

const REGISTRY = 'swr.example.com';
const REPOSITORY = 'team/app';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const IMAGE: DeployedImage = {
  registry: REGISTRY,
  repository: REPOSITORY,
  tag: '2.0',
  digest: DIGEST,
  reference: `${REGISTRY}/${REPOSITORY}:2.0`,
  pinned: `${REGISTRY}/${REPOSITORY}:2.0@${DIGEST}`,
};

const WORKLOADS: StandInWorkload[] = [
  {
    namespace: 'prod',
    kind: 'deployment',
    name: 'web',
    replicas: 3,
    containers: [
      { name: 'app', image: `${REGISTRY}/${REPOSITORY}:1.0` },
      { name: 'proxy', image: 'docker.io/envoyproxy/envoy:v1.30' },
    ],
    initContainers: [{ name: 'migrate', image: `${REGISTRY}/team/migrate:1.0` }],
  },
  {
    namespace: 'prod',
    kind: 'deployment',
    name: 'workers',
    replicas: 2,
    containers: [
      { name: 'a', image: `${REGISTRY}/${REPOSITORY}:1.0@sha256:${'01'.repeat(32)}` },
      { name: 'b', image: `${REGISTRY}/${REPOSITORY}` },
      { name: 'metrics', image: `${REGISTRY}/team/exporter:3` },
    ],
  },
  {
    namespace: 'prod',
    kind: 'deployment',
    name: 'monitored',
    replicas: 1,
    containers: [
      { name: 'app', image: `${REGISTRY}/${REPOSITORY}:1.0` },
      { name: 'metrics', image: `${REGISTRY}/team/exporter:3` },
    ],
  },
  { namespace: 'prod', kind: 'deployment', name: 'retagged', replicas: 1, containers: [{ name: 'app', image: `${REGISTRY}/${REPOSITORY}:2.0` }] },
  { namespace: 'prod', kind: 'deployment', name: 'pinned', replicas: 1, containers: [{ name: 'app', image: IMAGE.pinned }] },
  { namespace: 'prod', kind: 'deployment', name: 'other-image', replicas: 1, containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'sidecar', image: 'busybox:1' }] },
  { namespace: 'prod', kind: 'deployment', name: 'stuck', replicas: 2, stuck: true, containers: [{ name: 'app', image: `${REGISTRY}/${REPOSITORY}:1.0` }] },
  {
    namespace: 'prod',
    kind: 'deployment',
    name: 'deadline',
    replicas: 2,
    stuck: true,
    progressDeadlineMs: 60,
    containers: [{ name: 'app', image: `${REGISTRY}/${REPOSITORY}:1.0` }],
  },
  { namespace: 'data', kind: 'statefulset', name: 'db', replicas: 3, containers: [{ name: 'app', image: `${REGISTRY}/${REPOSITORY}:1.0` }] },
  { namespace: 'data', kind: 'statefulset', name: 'db-stuck', replicas: 2, stuck: true, containers: [{ name: 'app', image: `${REGISTRY}/${REPOSITORY}:1.0` }] },
  { namespace: 'data', kind: 'statefulset', name: 'legacy', replicas: 2, updateStrategy: 'OnDelete', containers: [{ name: 'app', image: `${REGISTRY}/${REPOSITORY}:1.0` }] },
];

function ref(text: string): WorkloadRef {
  const [namespace = '', kind = '', rest = ''] = text.split('/');
  const [name = '', container] = rest.split(':');
  return { namespace, kind: kind as WorkloadRef['kind'], name, ...(container ? { container } : {}), text };
}

let server: KubeApiServer;
let target: KubeTarget;
const logs: string[] = [];

function options(extra: Partial<RolloutOptions> = {}): RolloutOptions {
  return {
    timeoutMs: 3_000,
    pollIntervalMs: 5,
    log: (line) => logs.push(line),
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 2_000 },
    ...extra,
  };
}

function containersOf(namespace: string, kind: 'deployment' | 'statefulset', name: string): Record<string, string> {
  const object = server.state.get(namespace, kind, name);
  return Object.fromEntries((object?.spec.template.spec.containers ?? []).map((c) => [c.name, c.image]));
}

function callsTo(name: string): { method: string; body: string; contentType: string | undefined }[] {
  return server.calls.filter((call) => call.path.endsWith(`/${name}`));
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Error);
    assert.ok(!error.message.includes('\n'), `one line: ${error.message}`);
    return error;
  }
  assert.fail('expected a rejection');
}

before(async () => {
  server = await startKubeApiServer({ workloads: WORKLOADS, stepMs: 15 });
  target = await parseKubeconfig(server.kubeconfig());
});
after(async () => {
  await server.close();
});
beforeEach(() => {
  logs.length = 0;
});

describe('rolloutImage: rolls out', () => {
  it('a deployment: only the container running the pushed repository, pinned by digest, waited for', async () => {
    const result = await rolloutImage(target, ref('prod/deployment/web'), IMAGE, options());
    assert.deepEqual(result, {
      target: 'kubernetes',
      id: 'prod/deployment/web:app',
      previous: `${REGISTRY}/${REPOSITORY}:1.0`,
      current: IMAGE.pinned,
      verified: true,
    });
    assert.deepEqual(containersOf('prod', 'deployment', 'web'), { app: IMAGE.pinned, proxy: 'docker.io/envoyproxy/envoy:v1.30' });
    const object = server.state.get('prod', 'deployment', 'web');
    assert.equal(object?.spec.template.spec.initContainers?.[0]?.image, `${REGISTRY}/team/migrate:1.0`, 'init containers untouched');
    assert.equal(object?.metadata.generation, 2);
    assert.deepEqual(object?.status.updatedReplicas, 3);

    const calls = callsTo('web');
    assert.deepEqual(calls.slice(0, 2).map((c) => c.method), ['GET', 'PATCH']);
    assert.ok(calls.slice(2).every((c) => c.method === 'GET') && calls.length > 3, 'polled with GETs');
    const patch = calls[1];
    assert.equal(patch?.contentType, 'application/strategic-merge-patch+json');
    assert.deepEqual(JSON.parse(patch?.body ?? ''), { spec: { template: { spec: { containers: [{ name: 'app', image: IMAGE.pinned }] } } } });
    assert.ok(logs.some((line) => /of 3 replicas updated$/.test(line)), logs.join('\n'));
    assert.match(logs.at(-1) ?? '', /3 of 3 replicas updated and available/);
  });

  it('a statefulset: waits for every replica ready and the update revision to become current', async () => {
    const result = await rolloutImage(target, ref('data/statefulset/db'), IMAGE, options());
    assert.equal(result.id, 'data/statefulset/db:app');
    assert.equal(result.verified, true);
    const object = server.state.get('data', 'statefulset', 'db');
    assert.equal(object?.status.currentRevision, object?.status.updateRevision);
    assert.equal(object?.status.readyReplicas, 3);
    assert.ok(logs.some((line) => /replicas ready|replicas updated|to become current/.test(line)));
  });

  it('a named container, even though it runs another repository', async () => {
    const result = await rolloutImage(target, ref('prod/deployment/monitored:metrics'), IMAGE, options());
    assert.equal(result.id, 'prod/deployment/monitored:metrics');
    assert.equal(result.previous, `${REGISTRY}/team/exporter:3`);
    assert.deepEqual(containersOf('prod', 'deployment', 'monitored'), { app: `${REGISTRY}/${REPOSITORY}:1.0`, metrics: IMAGE.pinned });
  });

  it('every container of the repository (tagged, digested or bare), previous images joined', async () => {
    const result = await rolloutImage(target, ref('prod/deployment/workers'), IMAGE, options());
    assert.equal(result.id, 'prod/deployment/workers:a,b');
    assert.equal(result.previous, `${REGISTRY}/${REPOSITORY}:1.0@sha256:${'01'.repeat(32)},${REGISTRY}/${REPOSITORY}`);
    const now = containersOf('prod', 'deployment', 'workers');
    assert.equal(now.a, IMAGE.pinned);
    assert.equal(now.b, IMAGE.pinned);
    assert.equal(now.metrics, `${REGISTRY}/team/exporter:3`);
  });

  it('a re-pushed tag still rolls out: the digest changes the template', async () => {
    const result = await rolloutImage(target, ref('prod/deployment/retagged'), IMAGE, options());
    assert.equal(result.previous, `${REGISTRY}/${REPOSITORY}:2.0`);
    assert.equal(server.state.get('prod', 'deployment', 'retagged')?.metadata.generation, 2);
  });

  it('already pinned: the patch changes nothing, the finished rollout is confirmed', async () => {
    const patchesBefore = server.state.effectivePatches;
    const result = await rolloutImage(target, ref('prod/deployment/pinned'), IMAGE, options());
    assert.equal(result.previous, IMAGE.pinned);
    assert.equal(result.verified, true);
    assert.equal(server.state.effectivePatches, patchesBefore);
    assert.equal(server.state.get('prod', 'deployment', 'pinned')?.metadata.generation, 1);
    assert.match(logs[0] ?? '', /already runs/);
  });

  it('statefulset with updateStrategy OnDelete: template updated, pods not verified', async () => {
    const result = await rolloutImage(target, ref('data/statefulset/legacy'), IMAGE, options());
    assert.equal(result.verified, false);
    assert.equal(containersOf('data', 'statefulset', 'legacy').app, IMAGE.pinned);
    assert.ok(logs.some((line) => line.includes('OnDelete')));
  });
});

describe('rolloutImage: fails clearly', () => {
  it('times out with the conditions and replica counts in the message', async () => {
    const started = Date.now();
    const error = await rejection(rolloutImage(target, ref('prod/deployment/stuck'), IMAGE, options({ timeoutMs: 150 })));
    assert.ok(Date.now() - started < 2_000);
    assert.match(error.message, /^kubernetes: deployment prod\/stuck did not finish rolling out .*@sha256:[0-9a-f]{64} within 0\.15 s/);
    assert.match(error.message, /replicas: 2 desired, 1 updated, 2 ready, 2 available, 3 total/);
    assert.match(error.message, /conditions: Available=True \(MinimumReplicasAvailable: Deployment has minimum availability\.\); Progressing=True \(ReplicaSetUpdated: ReplicaSet "stuck-[0-9a-f]+" is progressing\.\)/);
    assert.match(error.message, /kubectl -n prod describe deployment\/stuck/);
  });

  it('fails fast on ProgressDeadlineExceeded', async () => {
    const started = Date.now();
    const error = await rejection(rolloutImage(target, ref('prod/deployment/deadline'), IMAGE, options({ timeoutMs: 10_000 })));
    assert.ok(Date.now() - started < 2_000, 'did not wait for the timeout');
    assert.match(error.message, /deployment prod\/deadline failed to roll out .*: progress deadline exceeded: ReplicaSet "deadline-[0-9a-f]+" has timed out progressing\./);
    assert.match(error.message, /Progressing=False \(ProgressDeadlineExceeded/);
    assert.match(error.message, /rollout undo/);
  });

  it('a stuck statefulset times out naming both revisions', async () => {
    const error = await rejection(rolloutImage(target, ref('data/statefulset/db-stuck'), IMAGE, options({ timeoutMs: 120 })));
    assert.match(error.message, /statefulset data\/db-stuck did not finish rolling out/);
    assert.match(error.message, /revision current db-stuck-[0-9a-f]+, update db-stuck-[0-9a-f]+/);
  });

  it('no container runs the pushed repository: names the images, suggests :container, sends no PATCH', async () => {
    const error = await rejection(rolloutImage(target, ref('prod/deployment/other-image'), IMAGE, options()));
    assert.equal(
      error.message,
      'kubernetes: deployment prod/other-image has no container running swr.example.com/team/app (containers: nginx=nginx:1.27, sidecar=busybox:1; init containers are not considered) — name the container to update in workloads, e.g. prod/deployment/other-image:nginx',
    );
    assert.deepEqual(callsTo('other-image').map((c) => c.method), ['GET']);
  });

  it('a named container that does not exist, or is an init container: no PATCH', async () => {
    const missing = await rejection(rolloutImage(target, ref('prod/deployment/web:ap'), IMAGE, options()));
    assert.match(missing.message, /deployment prod\/web has no container "ap" — its containers are "app", "proxy"/);
    const init = await rejection(rolloutImage(target, ref('prod/deployment/web:migrate'), IMAGE, options()));
    assert.match(init.message, /"migrate" is an init container; imageship updates only containers/);
    assert.ok(!server.calls.some((call) => call.method === 'PATCH' && /"name":"(ap|migrate)"/.test(call.body)));
  });

  it('a workload that does not exist: 404 with the Status message and where to look', async () => {
    const error = await rejection(rolloutImage(target, ref('prod/deployment/nope'), IMAGE, options()));
    assert.match(error.message, /^kubernetes: get deployment prod\/nope: 404 Not Found: deployments\.apps "nope" not found — check the namespace and name in workloads: `kubectl -n prod get deployments`/);
  });

  it('the template is changed by someone else mid-rollout', async () => {
    const error = await rejection(
      rolloutImage(
        target,
        ref('prod/deployment/stuck'),
        { ...IMAGE, pinned: `${IMAGE.pinned.slice(0, -2)}ff` },
        options({
          log: (line) => {
            const stored = server.state.workloads.get('prod/deployment/stuck');
            const app = stored?.object.spec.template.spec.containers[0];
            if (app && line.includes('replicas updated')) app.image = 'someone/else:1';
          },
        }),
      ),
    );
    assert.match(error.message, /during the rollout the pod template shows app=someone\/else:1 instead of .* — another deploy or an admission webhook changed it/);
  });
});

describe('rolloutImage: credentials and RBAC', () => {
  it('another user: 403 with the Status message and the grant to add', async () => {
    const other = await parseKubeconfig(server.kubeconfig({ user: 'other' }));
    const error = await rejection(rolloutImage(other, ref('prod/deployment/web'), IMAGE, options()));
    assert.equal(
      error.message,
      'kubernetes: get deployment prod/web: 403 Forbidden: deployments.apps "web" is forbidden: User "someone-else" cannot get resource "deployments" in API group "apps" in the namespace "prod" — grant the CI user get on deployments in prod (a Role with get and patch on deployments.apps, bound to that user)',
    );
    assert.ok(!error.message.includes(other.clientKey?.toString('base64') ?? '?'));
  });

  it('may read but not patch: the patch is named in the error', async () => {
    server.state.denyPatch = true;
    try {
      const error = await rejection(rolloutImage(target, ref('data/statefulset/db'), IMAGE, options()));
      assert.match(error.message, /^kubernetes: patch statefulset data\/db: 403 Forbidden: statefulsets\.apps "db" is forbidden: .* — grant the CI user patch on statefulsets in data/);
    } finally {
      server.state.denyPatch = false;
    }
  });

  it('wrong CA: a TLS error with the fix, not retried', async () => {
    const wrong = await parseKubeconfig(server.kubeconfig({ wrongCa: true }));
    const before = server.calls.length;
    const error = await rejection(rolloutImage(wrong, ref('prod/deployment/web'), IMAGE, options()));
    assert.match(error.message, /^kubernetes: get deployment prod\/web: TLS: the API server's certificate is not signed by the kubeconfig's certificate-authority-data — use the kubeconfig of this very cluster/);
    assert.equal(server.calls.length, before, 'no request reached the server');
    assert.equal((error as { attempts?: number }).attempts, 1);
  });

  it('a JSON kubeconfig without current-context works with the context named', async () => {
    const json = server.kubeconfig({ format: 'json', noCurrentContext: true });
    await assert.rejects(parseKubeconfig(json), /no current-context and no context given/);
    const external = await parseKubeconfig(json, 'external');
    const result = await rolloutImage(external, ref('prod/deployment/pinned'), IMAGE, options());
    assert.equal(result.verified, true);
  });

  it('a server certificate for another name: a TLS error naming the host', async () => {
    const error = await rejection(rolloutImage({ ...target, tlsServerName: 'kube.example.com' }, ref('prod/deployment/web'), IMAGE, options()));
    assert.match(error.message, /^kubernetes: get deployment prod\/web: TLS: the API server's certificate is not valid for kube\.example\.com — use the server address the kubeconfig came with/);
  });

  it('no client certificate: refused at TLS, explained', async () => {
    const tokenOnly = await parseKubeconfig(server.kubeconfig({ user: 'token' }));
    const refusals = server.state.tlsRefusals;
    const error = await rejection(rolloutImage(tokenOnly, ref('prod/deployment/web'), IMAGE, options()));
    assert.match(error.message, /^kubernetes: get deployment prod\/web: TLS: the API server requires a client certificate — use a kubeconfig user with client-certificate-data and client-key-data/);
    assert.ok(server.state.tlsRefusals > refusals);
  });
});

describe('rolloutImage: bearer token', () => {
  let tokenServer: KubeApiServer;
  const TOKEN = 'standin-token-9f8e7d6c5b4a';
  before(async () => {
    tokenServer = await startKubeApiServer({ workloads: WORKLOADS.slice(0, 1), requireClientCert: false, token: TOKEN, stepMs: 10 });
  });
  after(async () => {
    await tokenServer.close();
  });

  it('authenticates with the token', async () => {
    const tokenTarget = await parseKubeconfig(tokenServer.kubeconfig({ user: 'token' }));
    assert.equal(tokenTarget.token, TOKEN);
    const result = await rolloutImage(tokenTarget, ref('prod/deployment/web'), IMAGE, options());
    assert.equal(result.verified, true);
  });

  it('a rejected token: 401 with the fix, and the token is not in the message', async () => {
    const stale = await parseKubeconfig(tokenServer.kubeconfig({ user: 'token' }).replace(TOKEN, 'expired-token-0000'));
    const error = await rejection(rolloutImage(stale, ref('prod/deployment/web'), IMAGE, options()));
    assert.match(error.message, /^kubernetes: get deployment prod\/web: 401 Unauthorized: Unauthorized — the API server did not accept the kubeconfig's credentials .*download a fresh kubeconfig$/);
    assert.ok(!error.message.includes('expired-token-0000'));
  });
});
