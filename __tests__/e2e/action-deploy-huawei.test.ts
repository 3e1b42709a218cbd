/**
 * The Huawei Cloud targets of issue 16 through the bundled action, as the
 * runner runs it: one push that updates a GPU FunctionGraph function (every
 * setting kept: the stand-in's UpdateFunctionConfig resets what it is not
 * sent), rolls out a CCI 2.0 deployment (merge patch, rollout waited for)
 * and shares the SWR repository with two accounts; then a deploy-only run of
 * the same digest (the shares already in place: no write); then bad inputs
 * that stop before anything is pushed or called. Every stand-in checks the
 * AK/SK signature on its own.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startLocalRegistry, type LocalRegistry, type RegistryUser } from '../helpers/local-registry.js';
import { manifestDigest } from '../helpers/registry-api.js';
import { runAction, runMainThenPost } from '../helpers/runner.js';
import { DEBUG_ENV, sampleAppJob } from '../helpers/sample-app-job.js';
import { findSecrets } from '../helpers/secret-scan.js';
import { runTexts } from '../helpers/step-texts.js';
import { loadTestbed } from '../helpers/testbed.js';
import { uniqueNamespace } from '../helpers/workspace.js';
import { startCciStandIn, type CciStandIn } from '../standins/huawei-cci.js';
import { startHuaweiCloudStandIn, type HuaweiCloudStandIn } from '../standins/huawei-cloud.js';
import { startSwrApiStandIn, type SwrApiStandIn } from '../standins/swr-api.js';

const bed = loadTestbed();
const SHA = '6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f';
const PROJECT_ID = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const auth = { username: bed.username, password: bed.derivedPassword };
const UNTIL = `${new Date().getUTCFullYear() + 1}-12-31`;

/** The seven settings imageship used to drop, as a GPU function carries them. */
const GPU_SETTINGS = {
  gpu_memory: 16_384,
  gpu_type: 'NVIDIA-Tesla-T4',
  peering_cidr: '192.168.0.0/16',
  heartbeat_handler: 'index.heartbeat',
  enable_class_isolation: true,
  enable_lts_log: true,
  lts_custom_tag: { team: 'vision' },
  user_data_encrypt_kms_key_id: 'b3b1c1f6-2d3a-4c52-9a7e-1f2e3d4c5b6a',
};

const SIDECAR = { name: 'log-agent', image: 'swr.cn-north-4.myhuaweicloud.com/ops/fluent-bit:2.2', resources: { limits: { cpu: '250m', memory: '512Mi' } } };

interface Deployment {
  target: string;
  id: string;
  previous: string;
  current: string;
  verified: boolean;
}

interface Beds {
  huawei: HuaweiCloudStandIn;
  cci: CciStandIn;
  swr: SwrApiStandIn;
  endpoints: string;
  functionUrn: string;
  close(): Promise<void>;
}

/** The keys every stand-in accepts: the test bed's long-term AK/SK by default, or a temporary key with its token. */
interface StandInKeys {
  ak: string;
  sk: string;
  securityToken?: string;
}

async function startBeds(namespace: string, repository: string, keys: StandInKeys = { ak: bed.ak, sk: bed.sk }, onLoginIssued?: (login: RegistryUser) => void): Promise<Beds> {
  const huawei = await startHuaweiCloudStandIn({
    ...keys,
    projectId: PROJECT_ID,
    region: bed.region,
    functions: [
      {
        func_name: 'vision-fn',
        runtime: 'Custom Image',
        handler: '-',
        memory_size: 4096,
        timeout: 60,
        code_type: 'Custom-Image-Swr',
        custom_image: { enabled: true, image: `${repository}:old`, command: '/bin/httpd', args: '-f,-p,8000' },
        ...GPU_SETTINGS,
      },
    ],
  });
  const cci = await startCciStandIn({
    ...keys,
    projectId: PROJECT_ID,
    stepMs: 30,
    deployments: [{ namespace: 'serving', name: 'api', replicas: 2, containers: [{ name: 'app', image: `${repository}:old`, env: [{ name: 'MODE', value: 'prod' }] }, SIDECAR] }],
  });
  const swr = await startSwrApiStandIn({
    ...keys,
    region: bed.region,
    repositories: { [`${namespace}/my-app`]: [] },
    ...(onLoginIssued ? { onLoginIssued: (login: RegistryUser) => onLoginIssued({ username: login.username, password: login.password }) } : {}),
  });
  return {
    huawei,
    cci,
    swr,
    endpoints: `functiongraph=${huawei.url}\niam=${huawei.url}\ncci=${cci.url}\nswr-api=${swr.url}`,
    functionUrn: `urn:fss:${bed.region}:${PROJECT_ID}:function:default:vision-fn`,
    close: async () => {
      await Promise.all([huawei.close(), cci.close(), swr.close()]);
    },
  };
}

describe('push, then a GPU function, a CCI 2.0 deployment and SWR shares in one run', () => {
  const namespace = uniqueNamespace('hwdeploy');
  const repository = `${bed.swrRegistry}/${namespace}/my-app`;
  let beds: Beds;
  let run: Awaited<ReturnType<typeof runMainThenPost>>;

  before(async () => {
    beds = await startBeds(namespace, repository);
    run = await runMainThenPost({
      inputs: {
        region: bed.region,
        'access-key': bed.ak,
        'secret-key': bed.sk,
        registry: bed.swrRegistry,
        namespace,
        image: 'my-app',
        tags: 'latest',
        'build-args': `BASE_IMAGE=${bed.baseImage}`,
        endpoints: beds.endpoints,
        'function-urn': beds.functionUrn,
        'cci-workloads': 'serving/deployment/api',
        'share-with': `partner-a\npartner-b:read:until ${UNTIL}`,
        'rollout-timeout': '60',
      },
      ...sampleAppJob(SHA, DEBUG_ENV),
    });
  });
  after(() => beds.close());

  test('the run succeeds and the image is in the registry', async () => {
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.equal(await manifestDigest(bed.swrRegistry, `${namespace}/my-app`, 'latest', auth), run.main.outputs['digest']);
  });

  test('the GPU function runs the new image and kept every setting (gpu_type with gpu_memory, and the rest)', () => {
    const fn = beds.huawei.state.functions.get(beds.functionUrn) as Record<string, unknown>;
    assert.deepEqual(fn['custom_image'], { enabled: true, image: `${repository}:latest`, command: '/bin/httpd', args: '-f,-p,8000' });
    for (const [field, value] of Object.entries(GPU_SETTINGS)) assert.deepEqual(fn[field], value, `${field} kept`);
    assert.equal(beds.huawei.state.updates.length, 1);
  });

  test('the CCI deployment runs the pinned digest in its app container; the sidecar and env are untouched', () => {
    const object = beds.cci.deployment('serving', 'api') as { spec: { template: { spec: { containers: Record<string, unknown>[] } } }; status: { updatedReplicas: number; availableReplicas: number } };
    assert.deepEqual(object.spec.template.spec.containers, [
      { name: 'app', image: `${repository}:latest@${run.main.outputs['digest']}`, env: [{ name: 'MODE', value: 'prod' }] },
      SIDECAR,
    ]);
    assert.equal(object.status.availableReplicas, 2);
    assert.equal(beds.cci.templateChanges(), 1);
    assert.ok(beds.cci.calls.every((call) => call.signatureValid && call.projectIdHeader === PROJECT_ID), 'signed, with the project IAM named');
  });

  test('the repository is shared with both accounts as asked, each read back', () => {
    const shares = beds.swr.state.shares.get(`${namespace}/my-app`);
    assert.equal(shares?.get('partner-a')?.deadline, 'forever');
    assert.equal(shares?.get('partner-b')?.deadline, `${UNTIL}T00:00:00.000Z`);
    assert.deepEqual(beds.swr.state.shareWrites, [`create ${namespace}/my-app partner-a`, `create ${namespace}/my-app partner-b`]);
    assert.ok(beds.swr.calls.every((call) => call.signatureValid));
  });

  test('every target is in the deployments output and the job summary, verified', () => {
    const deployments = JSON.parse(run.main.outputs['deployments'] ?? '[]') as Deployment[];
    assert.deepEqual(
      deployments.map(({ target, id, previous, current, verified }) => ({ target, id, previous, current, verified })),
      [
        { target: 'functiongraph', id: beds.functionUrn, previous: `${repository}:old`, current: `${repository}:latest`, verified: true },
        { target: 'cci', id: 'serving/deployment/api:app', previous: `${repository}:old`, current: `${repository}:latest@${run.main.outputs['digest']}`, verified: true },
        { target: 'swr-share', id: `${namespace}/my-app → partner-a`, previous: '', current: 'read (no end)', verified: true },
        { target: 'swr-share', id: `${namespace}/my-app → partner-b`, previous: '', current: `read until ${UNTIL}`, verified: true },
      ],
    );
    for (const text of ['cci', 'serving/deployment/api:app', 'swr-share', 'partner-b']) assert.ok(run.main.summary.includes(text), `summary names ${text}`);
  });

  test('no secret (SK, derived password) in logs, outputs, state, summary or argv, with debug logging on', () => {
    const texts = runTexts(run);
    assert.deepEqual(findSecrets(texts, [bed.sk, bed.derivedPassword]), []);
  });

  test('a deploy-only run of the same digest: the shares are in place, so no share write; the rollout is checked again', async () => {
    const writesBefore = beds.swr.state.shareWrites.length;
    const deploy = await runAction({
      inputs: {
        region: bed.region,
        'access-key': bed.ak,
        'secret-key': bed.sk,
        registry: bed.swrRegistry,
        'deploy-image': `${repository}:latest@${run.main.outputs['digest']}`,
        endpoints: beds.endpoints,
        'cci-workloads': 'serving/deployment/api',
        'share-with': `partner-a\npartner-b:read:until ${UNTIL}`,
      },
      ...sampleAppJob(SHA),
    });
    assert.equal(deploy.exitCode, 0, deploy.stdout + deploy.stderr);
    assert.equal(beds.swr.state.shareWrites.length, writesBefore, 'no create or update for shares already in place');
    assert.equal(beds.cci.templateChanges(), 1, 'the pinned image is already there: no new template');
    const deployments = JSON.parse(deploy.outputs['deployments'] ?? '[]') as Deployment[];
    assert.deepEqual(deployments.map((d) => `${d.target} ${d.previous} → ${d.current}`), [
      `cci ${repository}:latest@${run.main.outputs['digest']} → ${repository}:latest@${run.main.outputs['digest']}`,
      'swr-share read (no end) → read (no end)',
      `swr-share read until ${UNTIL} → read until ${UNTIL}`,
    ]);
  });
});

describe('temporary credentials (access-key/secret-key + security-token): the same three targets, every call signed with X-Security-Token', () => {
  const namespace = uniqueNamespace('hwdeploy-sts');
  const TEMPORARY = { ak: 'HSTDEPLOYTESTAK00001', sk: 'TemporaryDeploySecretKey0000000000000000', securityToken: 'gQpjbi1ub3J0aC00jJBtEmporaryDeployToken0001' };
  let registry: LocalRegistry;
  let repository: string;
  let beds: Beds;
  let run: Awaited<ReturnType<typeof runMainThenPost>>;

  before(async () => {
    // The registry learns only the temporary logins SWR issues: temporary keys cannot derive the long-term one.
    registry = await startLocalRegistry({ users: [] });
    repository = `${registry.host}/${namespace}/my-app`;
    const issued: RegistryUser[] = [];
    beds = await startBeds(namespace, repository, TEMPORARY, (login) => {
      issued.push(login);
      registry.setUsers(issued);
    });
    run = await runMainThenPost({
      inputs: {
        region: bed.region,
        'access-key': TEMPORARY.ak,
        'secret-key': TEMPORARY.sk,
        'security-token': TEMPORARY.securityToken,
        registry: registry.host,
        namespace,
        image: 'my-app',
        tags: 'latest',
        'build-args': `BASE_IMAGE=${bed.baseImage}`,
        endpoints: beds.endpoints,
        'function-urn': beds.functionUrn,
        'cci-workloads': 'serving/deployment/api',
        'share-with': 'partner-a',
        'rollout-timeout': '60',
      },
      ...sampleAppJob(SHA, DEBUG_ENV),
    });
  });
  after(async () => {
    await beds.close();
    await registry.close();
  });

  test('pushed with the temporary SWR login (CreateSecret, signed with the token)', async () => {
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    const login = beds.swr.state.logins[0];
    assert.ok(login, 'SWR issued a temporary login');
    assert.equal(await manifestDigest(registry.host, `${namespace}/my-app`, 'latest', login), run.main.outputs['digest']);
  });

  test('FunctionGraph: every call signed with the token, the GPU function kept every setting', () => {
    assert.ok(beds.huawei.calls.length > 0 && beds.huawei.calls.every((call) => call.signatureValid && call.status < 400), 'FunctionGraph/IAM calls accepted with the token');
    const fn = beds.huawei.state.functions.get(beds.functionUrn) as Record<string, unknown>;
    assert.deepEqual(fn['custom_image'], { enabled: true, image: `${repository}:latest`, command: '/bin/httpd', args: '-f,-p,8000' });
    for (const [field, value] of Object.entries(GPU_SETTINGS)) assert.deepEqual(fn[field], value, `${field} kept`);
  });

  test('CCI 2.0: the rollout was made with the token and runs the pinned digest', () => {
    assert.ok(beds.cci.calls.length > 0 && beds.cci.calls.every((call) => call.signatureValid && call.status < 400), 'CCI calls accepted with the token');
    const object = beds.cci.deployment('serving', 'api') as { spec: { template: { spec: { containers: Record<string, unknown>[] } } }; status: { availableReplicas: number } };
    assert.equal(object.spec.template.spec.containers[0]?.['image'], `${repository}:latest@${run.main.outputs['digest']}`);
    assert.deepEqual(object.spec.template.spec.containers[1], SIDECAR);
    assert.equal(object.status.availableReplicas, 2);
  });

  test('SWR sharing: created and read back with the token', () => {
    assert.ok(beds.swr.calls.every((call) => call.signatureValid && call.status < 400), 'SWR calls accepted with the token');
    assert.deepEqual(beds.swr.state.shareWrites, [`create ${namespace}/my-app partner-a`]);
    const deployments = JSON.parse(run.main.outputs['deployments'] ?? '[]') as Deployment[];
    assert.deepEqual(deployments.map((d) => [d.target, d.verified]), [['functiongraph', true], ['cci', true], ['swr-share', true]]);
  });

  test('no secret (temporary SK, security token, SWR password) in logs, outputs, state, summary or argv, debug on', () => {
    const texts = runTexts(run);
    assert.ok(run.main.stdout.includes('::debug::'), 'debug logging was on');
    assert.deepEqual(findSecrets(texts, [TEMPORARY.sk, TEMPORARY.securityToken, ...beds.swr.state.logins.map((login) => login.password)]), []);
  });
});

describe('bad Huawei deploy inputs stop the run before anything is pushed or called', () => {
  const namespace = uniqueNamespace('hwbad');
  const repository = `${bed.swrRegistry}/${namespace}/my-app`;
  let beds: Beds;
  before(async () => {
    beds = await startBeds(namespace, repository);
  });
  after(() => beds.close());

  const CASES: ReadonlyArray<readonly [string, Record<string, string>, RegExp]> = [
    ['share-with asking for write', { 'share-with': 'partner-a:write' }, /^share-with: "partner-a:write" asks for write: SWR shares grant pull \(read\) access only/],
    ['share-with ending yesterday', { 'share-with': 'partner-a:until 2020-01-01' }, /^share-with: "partner-a:until 2020-01-01" ended on 2020-01-01/],
    ['cci-workloads naming a statefulset', { 'cci-workloads': 'serving/statefulset/db' }, /^cci-workloads: "serving\/statefulset\/db" names a statefulset/],
  ];
  for (const [name, override, expected] of CASES) {
    test(name, async () => {
      const result = await runAction({
        inputs: { region: bed.region, 'access-key': bed.ak, 'secret-key': bed.sk, registry: bed.swrRegistry, namespace, image: 'my-app', tags: 'latest', 'build-args': `BASE_IMAGE=${bed.baseImage}`, endpoints: beds.endpoints, ...override },
        ...sampleAppJob(SHA),
      });
      assert.equal(result.exitCode, 1, result.stdout);
      const errors = result.stdout.split('\n').filter((line) => line.startsWith('::error::')).map((line) => line.slice('::error::'.length));
      assert.ok(errors.some((line) => expected.test(line)), `expected ${expected} among ${JSON.stringify(errors)}`);
      assert.equal(beds.huawei.calls.length + beds.cci.calls.length + beds.swr.calls.length, 0, 'no stand-in was called');
      assert.deepEqual(result.argv.filter((argv) => ['login', 'build', 'push', 'tag'].includes(argv[0] ?? '') || argv[1] === 'build'), []);
    });
  }
});
