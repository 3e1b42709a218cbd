/**
 * Bad deploy inputs through the bundled action: the message, exit code 1, no
 * stand-in touched (no API call, no Kubernetes request, no trigger), and
 * nothing pushed.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CLUSTER_ID, startDeployBed, type DeployBed } from '../helpers/deploy-bed.js';
import { catalog } from '../helpers/registry-api.js';
import { ghContextForBranch, runAction } from '../helpers/runner.js';
import { findSecrets } from '../helpers/secret-scan.js';
import { loadTestbed } from '../helpers/testbed.js';
import { sampleAppWorkspace } from '../helpers/workspace.js';

const bed = loadTestbed();
const NAMESPACE = 'e2e-bad-deploy-inputs';
const REPOSITORY = `${bed.swrRegistry}/${NAMESPACE}/app`;
const auth = { username: bed.username, password: bed.derivedPassword };
let stand: DeployBed;

before(async () => {
  stand = await startDeployBed(bed, REPOSITORY);
});
after(() => stand.close());

const good = (): Record<string, string> => ({
  region: bed.region,
  'access-key': bed.ak,
  'secret-key': bed.sk,
  registry: bed.swrRegistry,
  namespace: NAMESPACE,
  image: 'app',
  tags: 'latest',
  'build-args': `BASE_IMAGE=${bed.baseImage}`,
  endpoints: stand.endpoints,
  'function-urn': stand.functionUrn,
  workloads: 'prod/deployment/web',
  kubeconfig: stand.kube.kubeconfig(),
  'deploy-trigger': stand.trigger.url(),
});

const CASES: ReadonlyArray<readonly [string, () => Record<string, string>, RegExp]> = [
  ['malformed function URN', () => ({ 'function-urn': 'urn:fss:cn-north-4:my-function' }), /^function-urn: .*urn:fss:cn-north-4:my-function/],
  ['unknown workload kind', () => ({ workloads: 'prod/daemonset/agent' }), /^workloads: .*daemonset/],
  ['workload without a namespace', () => ({ workloads: 'deployment/web' }), /^workloads: "deployment\/web"/],
  ['kubeconfig without a current context', () => ({ kubeconfig: stand.kube.kubeconfig({ noCurrentContext: true }) }), /^kubeconfig: .*current-context/],
  ['kube-context that does not exist', () => ({ 'kube-context': 'staging' }), /^kubeconfig: .*staging/],
  ['kubeconfig that is not YAML', () => ({ kubeconfig: '{{ not yaml' }), /^kubeconfig: /],
  ['trigger URL that is not http(s)', () => ({ 'deploy-trigger': 'ftp://hooks.example.com/redeploy?token=SecretTokenValue1234' }), /^deploy-trigger: /],
  ['function-urn without AK/SK', () => ({ provider: 'generic', 'access-key': '', 'secret-key': '', username: bed.username, password: bed.derivedPassword }), /^access-key: FunctionGraph and CCE calls are signed/],
  ['workloads without cluster credentials', () => ({ kubeconfig: '' }), /^workloads: needs cluster credentials/],
  ['kubeconfig and cce-cluster-id together', () => ({ 'cce-cluster-id': CLUSTER_ID }), /^kubeconfig: give either kubeconfig or cce-cluster-id/],
  ['rollout-timeout that is not seconds', () => ({ 'rollout-timeout': '5m' }), /^rollout-timeout: "5m" is not a number of seconds/],
  ['endpoints line without =', () => ({ endpoints: 'functiongraph' }), /^endpoints: /],
  ['deploy targets with push: false', () => ({ push: 'false' }), /^push: false, but deploy targets are set/],
  ['function-tag that is not pushed', () => ({ 'function-tag': 'stable' }), /^function-tag: "stable" is not among the pushed tags/],
  ['deploy-image without tag or digest', () => ({ namespace: '', image: '', 'deploy-image': REPOSITORY }), /^deploy-image: .* names no tag or digest/],
  ['bad CCE cluster id', () => ({ kubeconfig: '', 'cce-cluster-id': 'prod-cluster' }), /^cce-cluster-id: "prod-cluster" is not a CCE cluster id/],
  ['bad project id', () => ({ 'project-id': 'cn-north-4' }), /^project-id: "cn-north-4" is not a project id/],
  ['duplicate trigger URL', () => ({ 'deploy-trigger': `${stand.trigger.url()}\n${stand.trigger.url()}` }), /^deploy-trigger: /],
];

for (const [name, override, expected] of CASES) {
  test(`bad deploy input through the action: ${name}`, async () => {
    const result = await runAction({ inputs: { ...good(), ...override() }, workdir: sampleAppWorkspace(), github: ghContextForBranch('main', 'c'.repeat(40)) });
    assert.equal(result.exitCode, 1, result.stdout);
    const errors = result.stdout.split('\n').filter((line) => line.startsWith('::error::')).map((line) => line.slice('::error::'.length));
    assert.ok(errors.some((line) => expected.test(line)), `expected ${expected} among ${JSON.stringify(errors)}`);
    assert.ok(stand.untouched(), 'no stand-in was called');
    const sideEffects = result.argv.filter((argv) => ['login', 'build', 'push', 'tag'].includes(argv[0] ?? '') || argv[1] === 'build');
    assert.deepEqual(sideEffects, []);
    assert.deepEqual(findSecrets({ stdout: result.stdout, stderr: result.stderr }, [bed.sk, 'SecretTokenValue1234']), []);
  });
}

test('nothing was pushed by any of the bad deploy inputs', async () => {
  assert.deepEqual((await catalog(bed.swrRegistry, auth)).filter((repo) => repo.startsWith(`${NAMESPACE}/`)), []);
});
