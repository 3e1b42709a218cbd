/**
 * Push, then deploy, through the bundled action as the runner runs it: a
 * FunctionGraph function, a Kubernetes deployment and a redeploy trigger in
 * one run, each against a stand-in that enforces the real contract; then a
 * deploy-only run of the same digest, and the CCE credential path.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { manifestDigest } from '../helpers/registry-api.js';
import { CLUSTER_ID, startDeployBed, TRIGGER_TOKEN, type DeployBed } from '../helpers/deploy-bed.js';
import { runAction, runMainThenPost } from '../helpers/runner.js';
import { DEBUG_ENV, sampleAppJob } from '../helpers/sample-app-job.js';
import { findSecrets } from '../helpers/secret-scan.js';
import { runTexts } from '../helpers/step-texts.js';
import { loadTestbed } from '../helpers/testbed.js';
import { uniqueNamespace } from '../helpers/workspace.js';

const bed = loadTestbed();
const SHA = '5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e';
const auth = { username: bed.username, password: bed.derivedPassword };

interface Deployment {
  target: string;
  id: string;
  previous: string;
  current: string;
  verified: boolean;
}

function containerImages(stand: DeployBed, kind: 'deployment' | 'statefulset', name: string): Record<string, string> {
  const object = stand.kube.state.get('prod', kind, name);
  return Object.fromEntries((object?.spec.template.spec.containers ?? []).map((container) => [container.name, container.image]));
}

describe('push, then update a function, a deployment and a trigger in one run', () => {
  const namespace = uniqueNamespace('deploy');
  const repository = `${bed.swrRegistry}/${namespace}/my-app`;
  let stand: DeployBed;
  let run: Awaited<ReturnType<typeof runMainThenPost>>;
  let kubeconfig: string;

  before(async () => {
    stand = await startDeployBed(bed, repository);
    kubeconfig = stand.kube.kubeconfig();
    // The first FunctionGraph update answers 503 once: retried, applied once.
    stand.huawei.setFaults('functiongraph.updateConfig', [{ kind: 'status', status: 503 }]);
    run = await runMainThenPost({
      inputs: {
        region: bed.region,
        'access-key': bed.ak,
        'secret-key': bed.sk,
        registry: bed.swrRegistry,
        namespace,
        image: 'my-app',
        tags: 'latest\ntype=sha',
        'build-args': `BASE_IMAGE=${bed.baseImage}`,
        endpoints: stand.endpoints,
        'function-urn': stand.functionUrn,
        workloads: 'prod/deployment/web',
        kubeconfig,
        'rollout-timeout': '60',
        'deploy-trigger': stand.trigger.url(),
      },
      ...sampleAppJob(SHA, DEBUG_ENV),
    });
  });
  after(() => stand.close());

  test('the run succeeds and the image is in the registry', async () => {
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.equal(await manifestDigest(bed.swrRegistry, `${namespace}/my-app`, 'latest', auth), run.main.outputs['digest']);
  });

  test('the function now runs <image>:latest, its command/args/working_dir/uid/gid kept, updated exactly once', () => {
    const fn = stand.huawei.state.functions.get(stand.functionUrn) as { custom_image: Record<string, unknown> };
    assert.deepEqual(fn.custom_image, { enabled: true, image: `${repository}:latest`, command: '/bin/httpd', args: '-f,-p,8000', working_dir: '/www', uid: '1003', gid: '1003' });
    assert.equal(stand.huawei.state.updates.length, 1);
    assert.equal(stand.huawei.attempts('functiongraph.updateConfig'), 2, 'one 503, one success');
    assert.ok(stand.huawei.calls.every((call) => call.signatureValid), 'every call was correctly signed');
  });

  test('the deployment rolled out the pinned digest to the app container only', () => {
    const images = containerImages(stand, 'deployment', 'web');
    assert.equal(images['app'], `${repository}:latest@${run.main.outputs['digest']}`);
    assert.equal(images['proxy'], 'envoyproxy/envoy:v1.30');
    const status = stand.kube.state.get('prod', 'deployment', 'web')?.status as { updatedReplicas?: number; availableReplicas?: number };
    assert.equal(status.updatedReplicas, 2);
    assert.equal(status.availableReplicas, 2);
    assert.equal(stand.kube.state.effectivePatches, 1);
    assert.deepEqual(containerImages(stand, 'statefulset', 'worker'), { main: `${repository}:old` }, 'workloads not listed are left alone');
  });

  test('the trigger got the ACR webhook payload for the pushed image', () => {
    assert.equal(stand.trigger.received.length, 1);
    const body = stand.trigger.received[0]?.body as { push_data: Record<string, string>; repository: Record<string, string> };
    assert.equal(body.push_data['digest'], run.main.outputs['digest']);
    assert.equal(body.push_data['tag'], 'latest');
    assert.equal(body.repository['repo_full_name'], `${namespace}/my-app`);
    assert.equal(body.repository['region'], bed.region);
  });

  test('the deployments output lists what changed, each verified', () => {
    const deployments = JSON.parse(run.main.outputs['deployments'] ?? '[]') as Deployment[];
    assert.deepEqual(
      deployments.map(({ target, previous, current, verified }) => ({ target, previous, current, verified })),
      [
        { target: 'functiongraph', previous: `${repository}:old`, current: `${repository}:latest`, verified: true },
        { target: 'kubernetes', previous: `${repository}:old`, current: `${repository}:latest@${run.main.outputs['digest']}`, verified: true },
        { target: 'trigger', previous: '', current: `${repository}:latest@${run.main.outputs['digest']}`, verified: true },
      ],
    );
    assert.equal(deployments[0]?.id, stand.functionUrn);
    assert.match(deployments[1]?.id ?? '', /^prod\/deployment\/web/);
    assert.ok(!(deployments[2]?.id ?? '').includes(TRIGGER_TOKEN), 'the trigger id is redacted');
    assert.match(run.main.summary, /Deployments/);
  });

  test('no secret (SK, derived password, kubeconfig key, trigger token) in logs, outputs, state, summary or argv', () => {
    const clientKeyData = /client-key-data:\s*(\S+)/.exec(kubeconfig)?.[1] ?? '';
    assert.ok(clientKeyData.length > 100, 'the kubeconfig holds a client key');
    const texts = runTexts(run);
    const secrets = [bed.sk, bed.derivedPassword, clientKeyData, Buffer.from(clientKeyData, 'base64').toString('utf8').split('\n')[1] ?? 'x'.repeat(20), TRIGGER_TOKEN];
    assert.deepEqual(findSecrets(texts, secrets), []);
  });
});

describe('deploy-only run (the second job of a manual-review workflow)', () => {
  test('deploy-image is found in the registry and deployed without docker', async () => {
    const namespace = uniqueNamespace('deployonly');
    const repository = `${bed.swrRegistry}/${namespace}/my-app`;
    const stand = await startDeployBed(bed, repository);
    try {
      const build = await runMainThenPost({
        inputs: { region: bed.region, 'access-key': bed.ak, 'secret-key': bed.sk, registry: bed.swrRegistry, namespace, image: 'my-app', tags: 'type=sha', 'build-args': `BASE_IMAGE=${bed.baseImage}` },
        ...sampleAppJob(SHA),
      });
      assert.equal(build.main.exitCode, 0, build.main.stdout);
      const deployImage = `${build.main.outputs['image']}@${build.main.outputs['digest']}`;
      assert.ok(stand.untouched(), 'the build job deploys nothing');

      const deploy = await runAction({
        inputs: { region: bed.region, 'access-key': bed.ak, 'secret-key': bed.sk, registry: bed.swrRegistry, 'deploy-image': deployImage, 'function-tag': 'sha-5e5e5e5', endpoints: stand.endpoints, 'function-urn': stand.functionUrn, workloads: 'prod/statefulset/worker', 'cce-cluster-id': CLUSTER_ID, 'deploy-trigger': stand.trigger.url() },
        ...sampleAppJob(SHA),
      });
      assert.equal(deploy.exitCode, 0, deploy.stdout + deploy.stderr);
      assert.deepEqual(
        deploy.argv.filter((argv) => !(argv[0] === 'version' || (argv[0] === 'buildx' && argv[1] === 'version'))),
        [],
        'no docker work beyond the read-only startup probe',
      );
      assert.equal(deploy.outputs['digest'], build.main.outputs['digest']);
      const fn = stand.huawei.state.functions.get(stand.functionUrn) as { custom_image: { image: string } };
      assert.equal(fn.custom_image.image, `${repository}:sha-5e5e5e5`);
      assert.deepEqual(containerImages(stand, 'statefulset', 'worker'), { main: `${repository}:sha-5e5e5e5@${build.main.outputs['digest']}` });
      assert.equal(stand.huawei.state.issuedCerts.length, 1, 'the kubeconfig came from the CCE clustercert API');
      assert.equal(stand.trigger.received.length, 1);
      assert.equal(JSON.parse(deploy.outputs['deployments'] ?? '[]').length, 3);
    } finally {
      await stand.close();
    }
  });

  test('a deploy-image that is not in the registry deploys nothing', async () => {
    const namespace = uniqueNamespace('missing');
    const stand = await startDeployBed(bed, `${bed.swrRegistry}/${namespace}/my-app`);
    try {
      const deploy = await runAction({
        inputs: { region: bed.region, 'access-key': bed.ak, 'secret-key': bed.sk, registry: bed.swrRegistry, 'deploy-image': `${bed.swrRegistry}/${namespace}/my-app@sha256:${'0'.repeat(64)}`, endpoints: stand.endpoints, 'function-urn': stand.functionUrn, 'deploy-trigger': stand.trigger.url() },
        ...sampleAppJob(SHA),
      });
      assert.equal(deploy.exitCode, 1);
      assert.match(deploy.stdout, /::error::deploy-image: .* is not in the registry: check that the build job pushed it/);
      assert.ok(stand.untouched(), 'no stand-in touched');
    } finally {
      await stand.close();
    }
  });
});

describe('a failing deploy step', () => {
  test('a workload that never becomes available fails after rollout-timeout with its conditions; earlier targets are reported', async () => {
    const namespace = uniqueNamespace('stuck');
    const repository = `${bed.swrRegistry}/${namespace}/my-app`;
    const stand = await startDeployBed(bed, repository);
    try {
      const stuck = stand.kube.state.workloads;
      for (const stored of stuck.values()) stored.stuck = true;
      const run = await runAction({
        inputs: { region: bed.region, 'access-key': bed.ak, 'secret-key': bed.sk, registry: bed.swrRegistry, namespace, image: 'my-app', tags: 'latest', 'build-args': `BASE_IMAGE=${bed.baseImage}`, endpoints: stand.endpoints, 'function-urn': stand.functionUrn, workloads: 'prod/deployment/web', kubeconfig: stand.kube.kubeconfig(), 'rollout-timeout': '2', 'deploy-trigger': stand.trigger.url() },
        ...sampleAppJob(SHA),
      });
      assert.equal(run.exitCode, 1);
      assert.match(run.stdout, /::error::kubernetes: deployment prod\/web did not finish rolling out .* within 2 s .*conditions: /);
      const deployments = JSON.parse(run.outputs['deployments'] ?? '[]') as Deployment[];
      assert.deepEqual(deployments.map((d) => d.target), ['functiongraph'], 'the function was updated before the failure; the trigger was not called');
      assert.equal(stand.trigger.attempts, 0);
    } finally {
      await stand.close();
    }
  });
});
