import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { parseKubeconfig, type KubeTarget } from '../../src/deploy/kubernetes/kubeconfig.js';
import { rolloutImage, type RolloutOptions } from '../../src/deploy/kubernetes/rollout.js';
import { KubeTransport } from '../../src/deploy/kubernetes/transport.js';
import type { WorkloadRef } from '../../src/domain/targets/kubernetes-workloads.js';
import type { DeployedImage } from '../../src/domain/targets/deploy-result.js';
import { startKubeApiServer, type Fault, type KubeApiServer, type StandInWorkload } from '../standins/kube-apiserver.js';

const DIGEST = `sha256:${'cd'.repeat(32)}`;
const IMAGE: DeployedImage = {
  registry: 'swr.example.com',
  repository: 'team/api',
  tag: '7',
  digest: DIGEST,
  reference: 'swr.example.com/team/api:7',
  pinned: `swr.example.com/team/api:7@${DIGEST}`,
};
const PATH = (name: string): string => `/apis/apps/v1/namespaces/prod/deployments/${name}`;

/** One workload per test, so every test starts from generation 1 and its own call log. */
const NAMES = ['rate-limited', 'unavailable', 'reset', 'slow', 'slow-get', 'exhausted', 'resets', 'raw'];
const WORKLOADS: StandInWorkload[] = NAMES.map((name) => ({
  namespace: 'prod',
  kind: 'deployment',
  name,
  replicas: 1,
  containers: [{ name: 'api', image: 'swr.example.com/team/api:6' }],
}));

let server: KubeApiServer;
let target: KubeTarget;

before(async () => {
  server = await startKubeApiServer({ workloads: WORKLOADS, stepMs: 5 });
  target = await parseKubeconfig(server.kubeconfig());
});
after(async () => {
  await server.close();
});

/** Records every wait (retry backoff and polling alike) and waits at most a few real milliseconds. */
function recordingSleep(): { waits: number[]; sleep: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms) => {
      waits.push(ms);
      await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 3)));
    },
  };
}

function ref(name: string): WorkloadRef {
  return { namespace: 'prod', kind: 'deployment', name, text: `prod/deployment/${name}` };
}

function options(sleep: (ms: number) => Promise<void>, retry: RolloutOptions['retry'] = {}): RolloutOptions {
  return { timeoutMs: 3_000, pollIntervalMs: 7, sleep, retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 1, timeoutMs: 2_000, ...retry } };
}

function methods(name: string): { method: string; outcome: number | 'reset'; fault?: string }[] {
  return server.calls.filter((call) => call.path === PATH(name)).map(({ method, outcome, fault }) => ({ method, outcome, ...(fault ? { fault } : {}) }));
}

const times = (n: number, fault: Fault): Fault[] => Array.from({ length: n }, () => ({ ...fault }));

describe('transport: transient failures are retried by the shared policy', () => {
  it('429 with Retry-After: the server-given pause is honoured (via the injected sleep)', async () => {
    const { waits, sleep } = recordingSleep();
    server.setFaults('GET', times(2, { type: 'status', status: 429, retryAfter: '2' }));
    const result = await rolloutImage(target, ref('rate-limited'), IMAGE, options(sleep));
    assert.equal(result.verified, true);
    assert.deepEqual(waits.slice(0, 2), [2_000, 2_000]);
    assert.deepEqual(methods('rate-limited').slice(0, 4), [
      { method: 'GET', outcome: 429, fault: 'status' },
      { method: 'GET', outcome: 429, fault: 'status' },
      { method: 'GET', outcome: 200 },
      { method: 'PATCH', outcome: 200 },
    ]);
  });

  it('503 on the PATCH: retried, applied once', async () => {
    const { sleep } = recordingSleep();
    const before = server.state.effectivePatches;
    server.setFaults('PATCH', [{ type: 'status', status: 503 }]);
    await rolloutImage(target, ref('unavailable'), IMAGE, options(sleep));
    assert.deepEqual(methods('unavailable').filter((c) => c.method === 'PATCH').map((c) => c.outcome), [503, 200]);
    assert.equal(server.state.effectivePatches - before, 1);
    assert.equal(server.state.get('prod', 'deployment', 'unavailable')?.metadata.generation, 2);
  });

  it('connection reset after the PATCH was applied: the retry changes nothing more', async () => {
    const { sleep } = recordingSleep();
    const before = server.state.effectivePatches;
    server.setFaults('PATCH', [{ type: 'reset', afterApply: true }]);
    const result = await rolloutImage(target, ref('reset'), IMAGE, options(sleep));
    assert.equal(result.current, IMAGE.pinned);
    assert.deepEqual(methods('reset').filter((c) => c.method === 'PATCH').map((c) => c.outcome), ['reset', 200]);
    assert.equal(server.state.effectivePatches - before, 1, 'exactly one effective patch');
    assert.equal(server.state.get('prod', 'deployment', 'reset')?.metadata.generation, 2);
  });

  it('a PATCH answered after the per-try timeout: retried, still one effective patch', async () => {
    const { sleep } = recordingSleep();
    const before = server.state.effectivePatches;
    server.setFaults('PATCH', [{ type: 'slow', delayMs: 400 }]);
    const started = Date.now();
    const result = await rolloutImage(target, ref('slow'), IMAGE, options(sleep, { timeoutMs: 100 }));
    assert.ok(Date.now() - started < 400, 'did not wait for the slow answer');
    assert.equal(result.verified, true);
    assert.deepEqual(methods('slow').filter((c) => c.method === 'PATCH').length, 2);
    assert.equal(server.state.effectivePatches - before, 1);
    assert.equal(server.state.get('prod', 'deployment', 'slow')?.metadata.generation, 2);
  });

  it('a slow answer on the last try: timed out, named', async () => {
    const { sleep } = recordingSleep();
    server.setFaults('GET', [{ type: 'slow', delayMs: 300 }]);
    await assert.rejects(rolloutImage(target, ref('slow-get'), IMAGE, options(sleep, { attempts: 1, timeoutMs: 50 })), {
      message: /^kubernetes: get deployment prod\/slow-get: timed out after 0\.05 s after 1 attempt — check that 127\.0\.0\.1:\d+ is the API server's address/,
    });
    server.setFaults('GET', []);
  });
});

describe('transport: giving up', () => {
  it('a 503 that persists: the last Status, the attempt count and what to do', async () => {
    const { sleep } = recordingSleep();
    server.setFaults('GET', times(5, { type: 'status', status: 503 }));
    await assert.rejects(rolloutImage(target, ref('exhausted'), IMAGE, options(sleep, { attempts: 3 })), {
      message:
        'kubernetes: get deployment prod/exhausted: 503 Service Unavailable after 3 attempts: injected fault — the API server is overloaded or restarting: try again later',
    });
    assert.equal(methods('exhausted').length, 3);
    server.setFaults('GET', []);
  });

  it('resets that persist: no PATCH is ever sent', async () => {
    const { sleep } = recordingSleep();
    server.setFaults('GET', times(3, { type: 'reset' }));
    await assert.rejects(rolloutImage(target, ref('resets'), IMAGE, options(sleep, { attempts: 3 })), {
      message: /^kubernetes: get deployment prod\/resets: the connection to 127\.0\.0\.1:\d+ was reset \(ECONNRESET\) after 3 attempts$/,
    });
    assert.deepEqual(methods('resets').map((c) => c.method), ['GET', 'GET', 'GET']);
  });

  it('nothing listening: connection refused, named', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const { sleep } = recordingSleep();
    await assert.rejects(rolloutImage({ ...target, server: `https://127.0.0.1:${port}` }, ref('raw'), IMAGE, options(sleep, { attempts: 2 })), {
      message: new RegExp(`^kubernetes: get deployment prod/raw: connection refused by 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\) — nothing listens there: check the address and port after 2 attempts$`),
    });
  });

  it('a request that is not idempotent is not retried on 503', async () => {
    const { waits, sleep } = recordingSleep();
    const transport = new KubeTransport(target, { sleep, retry: { attempts: 4, baseDelayMs: 1 } });
    try {
      server.setFaults('PATCH', [{ type: 'status', status: 503 }]);
      const response = await transport.request({
        method: 'PATCH',
        path: PATH('raw'),
        operation: 'patch deployment prod/raw',
        contentType: 'application/strategic-merge-patch+json',
        body: '{}',
        idempotent: false,
      });
      assert.equal(response.status, 503);
      assert.equal(response.attempts, 1);
      assert.deepEqual(waits, []);
    } finally {
      transport.close();
    }
  });

  it('a client key that does not match its certificate is reported before any request', () => {
    assert.throws(() => new KubeTransport({ ...target, clientKey: server.certs.otherUserKey }), {
      message: /^kubernetes: load the kubeconfig's TLS credentials: client-key-data does not belong to client-certificate-data/,
    });
  });
});

describe('stand-in API server behaves like the real one where the client depends on it', () => {
  async function patch(contentType: string, body: string): Promise<{ status: number; json: Record<string, unknown> }> {
    const transport = new KubeTransport(target, { retry: { attempts: 1 } });
    try {
      const response = await transport.request({ method: 'PATCH', path: PATH('raw'), operation: 'patch', contentType, body, idempotent: true });
      return { status: response.status, json: JSON.parse(response.body) as Record<string, unknown> };
    } finally {
      transport.close();
    }
  }

  it('415 Status for a content type other than a strategic merge patch', async () => {
    const { status, json } = await patch('application/json', '{}');
    assert.equal(status, 415);
    assert.equal(json.kind, 'Status');
    assert.equal(json.reason, 'UnsupportedMediaType');
  });

  it('400 Status for malformed JSON', async () => {
    const { status, json } = await patch('application/strategic-merge-patch+json', '{"spec":');
    assert.equal(status, 400);
    assert.equal(json.reason, 'BadRequest');
  });

  it('an unknown container name is ADDED, as the real API does (so the client checks names first)', async () => {
    const { status } = await patch(
      'application/strategic-merge-patch+json',
      JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'extra', image: 'busybox:1' }] } } } }),
    );
    assert.equal(status, 200);
    const containers = server.state.get('prod', 'deployment', 'raw')?.spec.template.spec.containers.map((c) => c.name);
    assert.deepEqual(containers, ['api', 'extra']);
  });

  it('422 Status when a patch leaves a container without an image', async () => {
    const { status, json } = await patch(
      'application/strategic-merge-patch+json',
      JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'sidecar' }] } } } }),
    );
    assert.equal(status, 422);
    assert.match(String(json.message), /containers\[2\]\.image: Required value/);
  });
});
