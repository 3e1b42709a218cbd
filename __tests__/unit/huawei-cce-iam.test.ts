import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { HuaweiApiClient, HuaweiApiError } from '../../src/cloud/huawei/api-client.js';
import { fetchClusterKubeconfig } from '../../src/cloud/huawei/cce.js';
import { findProjectId } from '../../src/cloud/huawei/iam.js';
import { HttpError, type RetryPolicy } from '../../src/http/retry.js';
import { startHuaweiCloudStandIn, type HuaweiCloudStandIn } from '../standins/huawei-cloud.js';

const AK = 'HPUATESTAK0000000001';
const SK = 'TestSecretKey0000000000000000000000000000';
const PROJECT = '0123456789abcdef0123456789abcdef';
const REGION = 'cn-north-4';
const CLUSTER = '6b3c2b9a-1f2e-4d5c-8b7a-112233445566';
const FAST: RetryPolicy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 2_000 };

/** The shape CCE answers: one cluster entry per access path, one user, one context per cluster entry. */
const KUBECONFIG = {
  kind: 'Config',
  apiVersion: 'v1',
  preferences: {},
  clusters: [
    { name: 'internalCluster', cluster: { server: 'https://192.168.0.10:5443', 'certificate-authority-data': 'Q0EtREFUQQ==' } },
    { name: 'externalCluster', cluster: { server: 'https://203.0.113.7:5443', 'insecure-skip-tls-verify': true } },
    { name: 'externalClusterTLSVerify', cluster: { server: 'https://203.0.113.7:5443', 'certificate-authority-data': 'Q0EtREFUQQ==' } },
  ],
  users: [{ name: 'user', user: { 'client-certificate-data': 'Q0VSVA==', 'client-key-data': 'S0VZ' } }],
  contexts: [
    { name: 'internal', context: { cluster: 'internalCluster', user: 'user' } },
    { name: 'external', context: { cluster: 'externalCluster', user: 'user' } },
    { name: 'externalTLSVerify', context: { cluster: 'externalClusterTLSVerify', user: 'user' } },
  ],
  'current-context': 'external',
};

function clientFor(standIn: HuaweiCloudStandIn, retry: RetryPolicy = FAST): HuaweiApiClient {
  return new HuaweiApiClient({
    credentials: { accessKey: AK, secretKey: SK },
    region: REGION,
    domain: 'myhuaweicloud.com',
    endpoints: new Map([
      ['cce', standIn.url],
      ['iam', standIn.url],
    ]),
    fetch,
    clock: { now: () => new Date() },
    retry,
    sleep: async () => {},
  });
}

describe('fetchClusterKubeconfig', () => {
  let standIn: HuaweiCloudStandIn;

  beforeEach(async () => {
    standIn = await startHuaweiCloudStandIn({
      ak: AK,
      sk: SK,
      projectId: PROJECT,
      region: REGION,
      clusters: [{ id: CLUSTER, kubeconfig: KUBECONFIG }],
    });
  });
  afterEach(() => standIn.close());

  it('returns the kubeconfig CCE issues, asking for one day by default', async () => {
    const text = await fetchClusterKubeconfig(clientFor(standIn), { projectId: PROJECT, clusterId: CLUSTER });
    assert.deepEqual(JSON.parse(text), KUBECONFIG);
    assert.deepEqual(standIn.state.issuedCerts, [{ clusterId: CLUSTER, duration: 1 }]);
    assert.equal(standIn.calls[0]?.body, '{"duration":1}');
    assert.equal(standIn.calls[0]?.url, `/api/v3/projects/${PROJECT}/clusters/${CLUSTER}/clustercert`);
    assert.equal(standIn.calls[0]?.projectIdHeader, PROJECT);
  });

  it('passes a chosen duration, -1 included', async () => {
    await fetchClusterKubeconfig(clientFor(standIn), { projectId: PROJECT, clusterId: CLUSTER, duration: 30 });
    await fetchClusterKubeconfig(clientFor(standIn), { projectId: PROJECT, clusterId: CLUSTER, duration: -1 });
    assert.deepEqual(standIn.state.issuedCerts.map((cert) => cert.duration), [30, -1]);
  });

  it('refuses a duration outside 1-1827 days, or a cluster id that is not one, before any call', async () => {
    for (const duration of [0, 1828, 1.5, -2]) {
      await assert.rejects(
        fetchClusterKubeconfig(clientFor(standIn), { projectId: PROJECT, clusterId: CLUSTER, duration }),
        new RegExp(`cce: certificate duration ${duration} is not a whole number of days from 1 to 1827`),
      );
    }
    await assert.rejects(fetchClusterKubeconfig(clientFor(standIn), { projectId: PROJECT, clusterId: 'my-cluster' }), /is not a cluster id/);
    assert.equal(standIn.calls.length, 0);
  });

  it('reports an unknown cluster with the CCE error code and remedy', async () => {
    const other = '00000000-0000-4000-8000-000000000000';
    await assert.rejects(fetchClusterKubeconfig(clientFor(standIn), { projectId: PROJECT, clusterId: other }), (error: unknown) => {
      assert.ok(error instanceof HuaweiApiError);
      assert.equal(error.status, 404);
      assert.equal(error.code, 'CCE.01404001');
      assert.match(error.message, new RegExp(`^get a kubeconfig for CCE cluster ${other}: HTTP 404 CCE\\.01404001: Resource not found: cluster ${other} — cluster not found: check cluster-id`));
      return true;
    });
  });

  it('does not repeat the POST after a 503: the server may have issued a credential', async () => {
    standIn.setFaults('cce.clusterCert', [{ kind: 'status', status: 503 }]);
    await assert.rejects(
      fetchClusterKubeconfig(clientFor(standIn), { projectId: PROJECT, clusterId: CLUSTER }),
      (error: unknown) => error instanceof HuaweiApiError && error.status === 503 && /Service Unavailable/.test(error.message),
    );
    assert.equal(standIn.attempts('cce.clusterCert'), 1);
  });

  it('does not repeat the POST after a dropped connection', async () => {
    standIn.setFaults('cce.clusterCert', [{ kind: 'reset', afterProcessing: true }]);
    await assert.rejects(
      fetchClusterKubeconfig(clientFor(standIn), { projectId: PROJECT, clusterId: CLUSTER }),
      (error: unknown) =>
        error instanceof HttpError && new RegExp(`^get a kubeconfig for CCE cluster ${CLUSTER}: the connection to 127\\.0\\.0\\.1:\\d+ was reset \\(\\w+\\) after 1 attempt$`).test(error.message),
    );
    assert.equal(standIn.attempts('cce.clusterCert'), 1);
    assert.equal(standIn.state.issuedCerts.length, 1, 'the server did issue one');
  });

  it('reports a throttled POST with the throttling remedy instead of retrying it', async () => {
    standIn.setFaults('cce.clusterCert', [{ kind: 'status', status: 429, retryAfter: '3' }]);
    await assert.rejects(
      fetchClusterKubeconfig(clientFor(standIn), { projectId: PROJECT, clusterId: CLUSTER }),
      (error: unknown) => error instanceof HuaweiApiError && error.code === 'APIGW.0308' && /throttled by API Gateway/.test(error.message),
    );
    assert.equal(standIn.attempts('cce.clusterCert'), 1);
  });
});

describe('findProjectId', () => {
  let standIn: HuaweiCloudStandIn;

  beforeEach(async () => {
    standIn = await startHuaweiCloudStandIn({
      ak: AK,
      sk: SK,
      projectId: PROJECT,
      region: REGION,
      projects: [
        { id: 'fedcba9876543210fedcba9876543210', name: 'cn-east-3' },
        { id: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', name: 'cn-north-4_dev' },
      ],
    });
  });
  afterEach(() => standIn.close());

  it('finds the project named after the region', async () => {
    assert.equal(await findProjectId(clientFor(standIn), REGION), PROJECT);
    assert.equal(await findProjectId(clientFor(standIn), 'cn-east-3'), 'fedcba9876543210fedcba9876543210');
    assert.equal(standIn.calls[0]?.url, '/v3/projects?name=cn-north-4');
    assert.equal(standIn.calls[0]?.signatureValid, true);
  });

  it('says clearly when the account has no project in the region', async () => {
    await assert.rejects(
      findProjectId(clientFor(standIn), 'ap-southeast-1'),
      /^Error: look up the project of region ap-southeast-1: this account has no project named ap-southeast-1; check region/,
    );
  });

  it('retries a transient failure of the lookup (a GET)', async () => {
    standIn.setFaults('iam.listProjects', [{ kind: 'reset' }, { kind: 'status', status: 502 }]);
    assert.equal(await findProjectId(clientFor(standIn), REGION), PROJECT);
    assert.equal(standIn.attempts('iam.listProjects'), 3);
  });
});
