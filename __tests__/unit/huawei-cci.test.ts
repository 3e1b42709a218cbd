/**
 * CCI 2.0 rollouts (`cci-workloads`) against the CCI stand-in: signed calls
 * (checked independently), a JSON merge patch that keeps every other
 * container and field (the stand-in applies RFC 7386, so a list is replaced
 * whole), the resourceVersion guard, the rollout wait shared with CCE, and
 * the documented Status errors.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { HuaweiApiClient } from '../../src/cloud/huawei/api-client.js';
import { imagePatch } from '../../src/deploy/cci-api.js';
import { parseCciWorkloads, rolloutCciWorkload } from '../../src/deploy/cci-workloads.js';
import type { DeployedImage } from '../../src/domain/targets/deploy-result.js';
import type { RetryPolicy } from '../../src/http/retry.js';
import { parseInputs, problemsFor, VALID_SWR_INPUTS } from '../helpers/config-input.js';
import { mergePatch, startCciStandIn, type CciStandIn, type CciStandInOptions } from '../standins/huawei-cci.js';

const AK = 'HPUATESTAK0000000001';
const SK = 'TestSecretKey0000000000000000000000000000';
const PROJECT = '0123456789abcdef0123456789abcdef';
const REGION = 'cn-north-4';
const FAST: RetryPolicy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 2_000 };
const REPO = 'swr.cn-north-4.myhuaweicloud.com/team/app';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const IMAGE: DeployedImage = { registry: 'swr.cn-north-4.myhuaweicloud.com', repository: 'team/app', tag: '1.1.0', digest: DIGEST, reference: `${REPO}:1.1.0`, pinned: `${REPO}:1.1.0@${DIGEST}` };

const APP = {
  name: 'app',
  image: `${REPO}:1.0.0`,
  command: ['/bin/app', '--serve'],
  env: [{ name: 'LOG_LEVEL', value: 'info' }],
  resources: { limits: { cpu: '1', memory: '2Gi' }, requests: { cpu: '1', memory: '2Gi' } },
};
const SIDECAR = { name: 'log-agent', image: 'swr.cn-north-4.myhuaweicloud.com/ops/fluent-bit:2.2', resources: { limits: { cpu: '250m', memory: '512Mi' }, requests: { cpu: '250m', memory: '512Mi' } } };

let standIn: CciStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

async function start(options: Partial<CciStandInOptions> = {}): Promise<CciStandIn> {
  standIn = await startCciStandIn({
    ak: AK,
    sk: SK,
    projectId: PROJECT,
    stepMs: 10,
    deployments: [{ namespace: 'prod', name: 'web', replicas: 2, containers: [APP, SIDECAR] }],
    ...options,
  });
  return standIn;
}

function clientFor(target: CciStandIn): HuaweiApiClient {
  return new HuaweiApiClient({
    credentials: { accessKey: AK, secretKey: SK },
    region: REGION,
    domain: 'myhuaweicloud.com',
    endpoints: new Map([['cci', target.url]]),
    fetch,
    clock: { now: () => new Date() },
    retry: FAST,
    sleep: async () => {},
  });
}

const workload = (text: string) => {
  const parsed = parseCciWorkloads(text);
  assert.deepEqual(parsed.errors, []);
  return parsed.workloads[0]!;
};

const rollout = (cci: CciStandIn, text: string, timeoutMs = 5_000) =>
  rolloutCciWorkload(clientFor(cci), PROJECT, workload(text), IMAGE, { timeoutMs, pollIntervalMs: 5 });

function containers(cci: CciStandIn): Record<string, unknown>[] {
  const object = cci.deployment('prod', 'web') as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
  return object.spec.template.spec.containers;
}

describe('cci-workloads lines', () => {
  it('namespace/deployment/name[:container], deployments only', () => {
    assert.deepEqual(parseCciWorkloads('prod/deployment/web\nprod/deployments/api:app').workloads.map((w) => [w.namespace, w.name, w.container]), [
      ['prod', 'web', undefined],
      ['prod', 'api', 'app'],
    ]);
    const { errors } = parseCciWorkloads('prod/statefulset/db\nProd/deployment/web\nweb');
    assert.match(errors[0] ?? '', /^cci-workloads: "Prod\/deployment\/web" has namespace "Prod" with capital letters/);
    assert.match(errors[1] ?? '', /^cci-workloads: "web" is not namespace\/kind\/name/);
    assert.match(errors[2] ?? '', /^cci-workloads: "prod\/statefulset\/db" names a statefulset: CCI 2.0 rolls out deployments only/);
  });

  it('the config carries them; they need AK/SK and a region', () => {
    assert.equal(parseInputs({ ...VALID_SWR_INPUTS, 'cci-workloads': 'prod/deployment/web' }).deploy.cciWorkloads.length, 1);
    assert.ok(
      problemsFor({ provider: 'generic', registry: 'registry.example.com', image: 'app', 'cci-workloads': 'prod/deployment/web', 'access-key': AK, 'secret-key': SK }).some((p) =>
        p.startsWith('region: required for cci-workloads'),
      ),
    );
    assert.ok(problemsFor({ ...VALID_SWR_INPUTS, 'access-key': '', 'secret-key': '', username: 'u', password: 'p', 'cci-workloads': 'prod/deployment/web' }).some((p) => p.startsWith('access-key: ')));
  });
});

describe('the merge patch', () => {
  it('carries the containers as read with only the chosen image changed, and the resourceVersion', () => {
    const read = { metadata: { resourceVersion: '42' }, spec: { template: { spec: { containers: [APP, SIDECAR] } } } };
    const patch = imagePatch(read, [{ name: 'app', image: IMAGE.pinned }]);
    assert.deepEqual(patch, { metadata: { resourceVersion: '42' }, spec: { template: { spec: { containers: [{ ...APP, image: IMAGE.pinned }, SIDECAR] } } } });
    // Applied as RFC 7386 applies it, nothing but the image changes.
    assert.deepEqual(mergePatch(read, patch), { metadata: { resourceVersion: '42' }, spec: { template: { spec: { containers: [{ ...APP, image: IMAGE.pinned }, SIDECAR] } } } });
  });
});

describe('rolloutCciWorkload against the CCI stand-in', () => {
  it('pins the app container by digest, keeps every other field and container, waits for the rollout, reads back', async () => {
    const cci = await start();
    const result = await rollout(cci, 'prod/deployment/web');
    assert.deepEqual(result, { target: 'cci', id: 'prod/deployment/web:app', previous: `${REPO}:1.0.0`, current: IMAGE.pinned, verified: true });
    assert.deepEqual(containers(cci), [{ ...APP, image: IMAGE.pinned }, SIDECAR]);
    const status = (cci.deployment('prod', 'web') as { status: { updatedReplicas: number; availableReplicas: number } }).status;
    assert.equal(status.updatedReplicas, 2);
    assert.equal(status.availableReplicas, 2);
    assert.equal(cci.templateChanges(), 1);
    const patch = cci.calls.find((call) => call.method === 'PATCH');
    assert.equal(patch?.contentType, 'application/merge-patch+json');
    assert.equal(patch?.url, '/apis/cci/v2/namespaces/prod/deployments/web');
    assert.ok(cci.calls.every((call) => call.signatureValid && call.projectIdHeader === PROJECT), 'every call signed, with the project');
    assert.ok(cci.calls.filter((call) => call.method === 'GET').length >= 2, 'read before and polled after the patch');
  });

  it('the same image again changes nothing and still checks the rollout', async () => {
    const cci = await start({ deployments: [{ namespace: 'prod', name: 'web', replicas: 1, containers: [{ ...APP, image: IMAGE.pinned }] }] });
    const result = await rollout(cci, 'prod/deployment/web');
    assert.equal(result.verified, true);
    assert.equal(cci.templateChanges(), 0);
  });

  it('a deployment that is not there: 404 NotFound, with what to check', async () => {
    const cci = await start();
    await assert.rejects(rollout(cci, 'prod/deployment/nope'), /^HuaweiApiError: cci: read CCI deployment prod\/nope: HTTP 404: deployments\.cci "nope" not found — check the namespace and name in cci-workloads/);
  });

  it('a change between the read and the patch is refused with 409 Conflict, not overwritten', async () => {
    const cci = await start();
    const client = clientFor(cci);
    const api = new (await import('../../src/deploy/cci-api.js')).CciWorkloadApi(client, PROJECT);
    const id = { namespace: 'prod', kind: 'deployment' as const, name: 'web' };
    await api.getWorkload(id);
    cci.touch('prod', 'web');
    await assert.rejects(api.setContainerImages(id, [{ name: 'app', image: IMAGE.pinned }]), /HTTP 409: Operation cannot be fulfilled.*— the deployment was changed by someone else at the same time: run again/);
    assert.equal(containers(cci)[0]?.['image'], `${REPO}:1.0.0`);
  });

  it('a patch whose answer was lost: the repeat meets 409, the read shows the image, the rollout goes on', async () => {
    const cci = await start({ faults: { 'cci.patchDeployment': [{ kind: 'reset', afterProcessing: true }] } });
    const result = await rollout(cci, 'prod/deployment/web');
    assert.equal(result.current, IMAGE.pinned);
    assert.equal(cci.templateChanges(), 1);
    assert.deepEqual(cci.calls.filter((call) => call.method === 'PATCH').map((call) => call.status), [0, 409]);
  });

  it('a container name that is not there names the input to fix', async () => {
    const cci = await start();
    await assert.rejects(rollout(cci, 'prod/deployment/web:api'), /^KubernetesError: cci: deployment prod\/web has no container "api" — its containers are "app", "log-agent": fix the name after ":" in cci-workloads/);
  });

  it('a rollout that never finishes fails after the timeout with its status', async () => {
    const cci = await start({ deployments: [{ namespace: 'prod', name: 'web', replicas: 2, containers: [APP], stuck: true }] });
    await assert.rejects(rollout(cci, 'prod/deployment/web', 200), /^KubernetesError: cci: deployment prod\/web did not finish rolling out .* within 0\.2 s .*replicas: 2 desired/);
  });
});

describe('cci-workloads with temporary credentials (STS keys and their security token)', () => {
  const TOKEN = 'temporary-security-token-0001';
  const temporaryClient = (target: CciStandIn, securityToken: string | undefined): HuaweiApiClient =>
    new HuaweiApiClient({
      credentials: { accessKey: AK, secretKey: SK, ...(securityToken === undefined ? {} : { securityToken }) },
      region: REGION,
      domain: 'myhuaweicloud.com',
      endpoints: new Map([['cci', target.url]]),
      fetch,
      clock: { now: () => new Date() },
      retry: FAST,
      sleep: async () => {},
    });
  const rolloutWith = (cci: CciStandIn, securityToken: string | undefined) =>
    rolloutCciWorkload(temporaryClient(cci, securityToken), PROJECT, workload('prod/deployment/web:app'), IMAGE, { timeoutMs: 5_000, pollIntervalMs: 5 });

  it('rolls out with X-Security-Token signed; without it, or with another token, the gateway refuses and nothing changes', async () => {
    const cci = await start({ securityToken: TOKEN });
    await assert.rejects(rolloutWith(cci, undefined), /HTTP 401 APIGW\.0301/);
    await assert.rejects(rolloutWith(cci, 'another-token-0002'), /HTTP 401 APIGW\.0301/);
    assert.equal(cci.templateChanges(), 0);
    await rolloutWith(cci, TOKEN);
    assert.equal(containers(cci)[0]?.['image'], IMAGE.pinned);
    assert.equal(cci.templateChanges(), 1);
    assert.ok(cci.calls.filter((call) => call.signatureValid).every((call) => call.status < 400));
  });

  it('a stand-in for long-term keys refuses a call that carries a security token', async () => {
    const cci = await start();
    await assert.rejects(rolloutWith(cci, TOKEN), /HTTP 401 APIGW\.0301/);
  });
});
