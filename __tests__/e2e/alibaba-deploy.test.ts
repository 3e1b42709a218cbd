/**
 * Function Compute 3.0 and SAE end to end: the image is built and pushed to
 * a real registry (whose only user is the temporary login the ACR stand-in
 * hands out for the AccessKey), verified, then rolled out to an FC function
 * and an SAE application at their stand-ins (signature V3 checked
 * independently; the FC stand-in resolves the image's digest in that
 * registry, the SAE change order pulls it there). Through the bundled action
 * with debug logging on, and through the CLI with STS credentials (AccessKey
 * + secret + security token). Bad inputs stop before any call.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { startLocalRegistry } from '../helpers/local-registry.js';
import { catalog, manifestDigest } from '../helpers/registry-api.js';
import { ghContextForBranch, REPO_ROOT, DOCKER_WRAPPER_DIR, runMainThenPost } from '../helpers/runner.js';
import { findSecrets } from '../helpers/secret-scan.js';
import { loadTestbed } from '../helpers/testbed.js';
import { tempDir } from '../helpers/temp-dir.js';
import { sampleAppWorkspace, uniqueNamespace } from '../helpers/workspace.js';
import { startAlibabaCrStandIn } from '../standins/alibaba-cr.js';
import { startFcStandIn, startSaeStandIn, type FcStandIn, type SaeStandIn } from '../standins/alibaba-fc-sae.js';

const bed = loadTestbed();
const STATIC = { accessKeyId: 'LTAI5tTESTAK0000000001', accessKeySecret: 'TestSecret000000000000000000000' };
const STS = { accessKeyId: 'STS.NTESTAK0000000000000001', accessKeySecret: 'TestStsSecret00000000000000000000000000000', securityToken: 'CAISTESTTOKEN1q6Ft5B2yfSjIr5bTEtHz2+JZ0r/aV1Ov0dUasdfRbxx3Tz2IHhMenNhAusfsv4yn29X5v4clqB6T55OSAmcNZEoKKvs8S2M5A==' };
const INSTANCE = 'cri-testinstance0001';
const LOGIN = { tempUsername: 'cr_temp_user', token: 'eyJ0ZW1wb3JhcnkiOiJmYy1zYWUtdG9rZW4tMDAwMSJ9' };
const APP_ID = '7171a6ca-d1cd-4928-8642-7d5cfe69a2b1';
const REGION = 'cn-hangzhou';

interface Bed {
  cr: Awaited<ReturnType<typeof startAlibabaCrStandIn>>;
  fc: FcStandIn;
  sae: SaeStandIn;
  endpoints: string;
  close(): Promise<void>;
}

let registry: Awaited<ReturnType<typeof startLocalRegistry>>;
const auth = (): { username: string; password: string } => ({ username: LOGIN.tempUsername, password: LOGIN.token });

/** `host/repo:tag` (or `@digest`) → its digest in the test registry, as FC and SAE would resolve it. */
async function resolveInRegistry(image: string): Promise<string | undefined> {
  const slash = image.indexOf('/');
  const host = image.slice(0, slash);
  const rest = image.slice(slash + 1);
  if (host !== registry.host) return undefined;
  const at = rest.indexOf('@');
  const colon = rest.lastIndexOf(':');
  const [repo, ref] = at !== -1 ? [rest.slice(0, at), rest.slice(at + 1)] : [rest.slice(0, colon), rest.slice(colon + 1)];
  return manifestDigest(registry.host, repo, ref, auth());
}

async function startBed(credentials: { accessKeyId: string; accessKeySecret: string; securityToken?: string }): Promise<Bed> {
  const cr = await startAlibabaCrStandIn({ ...credentials, region: REGION, instances: [{ id: INSTANCE, tempUsername: LOGIN.tempUsername, token: LOGIN.token }] });
  const fc = await startFcStandIn({
    ...credentials,
    region: REGION,
    resolveImage: resolveInRegistry,
    functions: [
      { functionName: 'web', runtime: 'custom-container', memorySize: 512, customContainerConfig: { image: 'registry.cn-hangzhou.aliyuncs.com/old/web:v1', port: 9000 }, lastUpdateStatus: 'Successful', state: 'Active' },
    ],
  });
  const sae = await startSaeStandIn({ ...credentials, region: REGION, resolveImage: resolveInRegistry, apps: [{ appId: APP_ID, imageUrl: 'registry.cn-hangzhou.aliyuncs.com/old/web:v1' }], steps: 1 });
  return {
    cr,
    fc,
    sae,
    endpoints: `cr=${cr.url}\nfc=${fc.url}\nsae=${sae.url}`,
    close: async () => {
      await Promise.all([cr.close(), fc.close(), sae.close()]);
    },
  };
}

before(async () => {
  registry = await startLocalRegistry({ users: [{ username: LOGIN.tempUsername, password: LOGIN.token }] });
});
after(async () => {
  await registry.close();
});

function inputs(stand: Bed, namespace: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    provider: 'alibabacloud',
    region: REGION,
    registry: registry.host,
    'instance-id': INSTANCE,
    'access-key': STATIC.accessKeyId,
    'secret-key': STATIC.accessKeySecret,
    namespace,
    image: 'web',
    tags: 'latest\ntype=sha',
    endpoints: stand.endpoints,
    'fc-function': 'web',
    'sae-app-id': APP_ID,
    'build-args': `BASE_IMAGE=${bed.baseImage}`,
    ...extra,
  };
}

interface Deployment {
  target: string;
  id: string;
  previous: string;
  current: string;
  verified: boolean;
}

describe('Function Compute and SAE through the bundled action (debug logging on)', () => {
  let stand: Bed;
  before(async () => {
    stand = await startBed(STATIC);
  });
  after(() => stand.close());

  test('push, verify, then the function resolves the pushed digest and the SAE change order completes; nothing secret shows', async () => {
    const namespace = uniqueNamespace('fcsae').slice(0, 30).replace(/-$/, '');
    const run = await runMainThenPost({
      inputs: inputs(stand, namespace),
      workdir: sampleAppWorkspace(),
      github: ghContextForBranch('main', 'ab'.repeat(20)),
      env: { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' },
    });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    const digest = await manifestDigest(registry.host, `${namespace}/web`, 'latest', auth());
    assert.ok(digest !== undefined);
    assert.equal(run.main.outputs['digest'], digest);

    const deployments = JSON.parse(run.main.outputs['deployments'] ?? '[]') as Deployment[];
    assert.deepEqual(deployments, [
      { target: 'fc', id: `${REGION}/web`, previous: 'registry.cn-hangzhou.aliyuncs.com/old/web:v1', current: `${registry.host}/${namespace}/web@${digest}`, verified: true },
      { target: 'sae', id: APP_ID, previous: 'registry.cn-hangzhou.aliyuncs.com/old/web:v1', current: `${registry.host}/${namespace}/web:latest`, verified: true },
    ]);
    const container = stand.fc.functionOf('web')?.['customContainerConfig'] as Record<string, unknown>;
    assert.equal(container['image'], `${registry.host}/${namespace}/web:latest`);
    assert.equal(container['acrInstanceId'], INSTANCE, 'the Enterprise instance is named for FC to pull from');
    assert.equal(container['port'], 9000, 'the rest of the container config is kept');
    assert.equal(stand.sae.app(APP_ID)?.imageUrl, `${registry.host}/${namespace}/web:latest`);
    for (const call of [...stand.fc.calls, ...stand.sae.calls]) assert.equal(call.status, 200, `${call.method} ${call.url}: ${call.code}`);

    // Deploy runs only after the verified push: the first FC call comes after the registry has the image.
    assert.ok(run.main.stdout.indexOf('Verify the tags') < run.main.stdout.indexOf('Update Function Compute function web'), 'verify before deploy');
    // The job summary has one row per target, linked to its console page, verified.
    assert.match(run.main.summary, /<tr><td>fc<\/td><td><a href="https:\/\/fcnext\.console\.aliyun\.com\/cn-hangzhou\/functions\/web"><code>cn-hangzhou\/web<\/code><\/a><\/td>.*?<td>yes<\/td><\/tr>/);
    assert.match(run.main.summary, new RegExp(`<tr><td>sae</td><td><a href="[^"]*appId=${APP_ID}[^"]*"><code>${APP_ID}</code></a></td>.*?<td>yes</td></tr>`));
    const texts: Record<string, string> = {};
    for (const [phase, step] of Object.entries(run)) {
      Object.assign(texts, { [`${phase} stdout`]: step.stdout, [`${phase} stderr`]: step.stderr, [`${phase} outputs`]: JSON.stringify(step.outputs), [`${phase} state`]: JSON.stringify(step.state), [`${phase} summary`]: step.summary, [`${phase} argv`]: JSON.stringify(step.argv) });
    }
    assert.deepEqual(findSecrets(texts, [STATIC.accessKeySecret, LOGIN.token]), []);
  });

  test('a function that does not exist: the push stays, the step fails with FunctionNotFound and its fix', async () => {
    const namespace = uniqueNamespace('fcmiss').slice(0, 30).replace(/-$/, '');
    const run = await runMainThenPost({ inputs: inputs(stand, namespace, { 'fc-function': 'no-such-fn', 'sae-app-id': '' }), workdir: sampleAppWorkspace(), github: ghContextForBranch('main', 'cd'.repeat(20)) });
    assert.equal(run.main.exitCode, 1);
    assert.match(run.main.stdout, /::error::.*read Function Compute function no-such-fn: HTTP 404 FunctionNotFound: .* — no function with this name in this region: check fc-function/);
    assert.ok((await manifestDigest(registry.host, `${namespace}/web`, 'latest', auth())) !== undefined, 'the verified push is not undone');
  });

  test('bad inputs: one line naming the input, exit 1, no API call, nothing built or pushed', async () => {
    const cases: ReadonlyArray<readonly [Record<string, string>, RegExp]> = [
      [{ 'fc-function': 'svc/web' }, /^fc-function: "svc\/web" is not a Function Compute function name/],
      [{ 'sae-app-id': 'my-app' }, /^sae-app-id: "my-app" is not an SAE application id/],
    ];
    for (const [override, expected] of cases) {
      const before = stand.cr.calls.length + stand.fc.calls.length + stand.sae.calls.length;
      const run = await runMainThenPost({ inputs: { ...inputs(stand, 'e2e-fc-bad'), ...override }, workdir: sampleAppWorkspace(), github: ghContextForBranch('main', '12'.repeat(20)) });
      assert.equal(run.main.exitCode, 1, run.main.stdout);
      const errors = run.main.stdout.split('\n').filter((line) => line.startsWith('::error::')).map((line) => line.slice(9));
      assert.ok(errors.some((line) => expected.test(line)), `expected ${expected} among ${JSON.stringify(errors)}`);
      assert.equal(stand.cr.calls.length + stand.fc.calls.length + stand.sae.calls.length, before, 'no API call');
      assert.deepEqual(run.main.argv.filter((argv) => ['login', 'build', 'push'].includes(argv[0] ?? '')), []);
    }
    assert.ok(!(await catalog(registry.host, auth())).some((repo) => repo.startsWith('e2e-fc-bad')));
  });
});

describe('Function Compute and SAE through the CLI with STS credentials', () => {
  let stand: Bed;
  before(async () => {
    stand = await startBed(STS);
  });
  after(() => stand.close());

  test('AccessKey, secret and security token from env: every call carries the signed token; nothing secret shows', async () => {
    const namespace = uniqueNamespace('fcsts').slice(0, 30).replace(/-$/, '');
    const dockerConfig = tempDir('imageship-cli-docker-');
    const cli = join(REPO_ROOT, 'build', 'src', 'cli', 'main.js');
    const result = await runProcess(
      process.execPath,
      [cli, 'run', '--verbose', '--provider', 'alibabacloud', '--region', REGION, '--registry', registry.host, '--instance-id', INSTANCE, '--namespace', namespace, '--image', 'web', '--tags', 'cli', '--endpoints', stand.endpoints, '--fc-function', 'web', '--sae-app-id', APP_ID, '--build-args', `BASE_IMAGE=${bed.baseImage}`],
      {
        cwd: sampleAppWorkspace(),
        env: {
          PATH: `${DOCKER_WRAPPER_DIR}:${process.env['PATH'] ?? ''}`,
          HOME: process.env['HOME'] ?? '/root',
          DOCKER_CONFIG: dockerConfig,
          ALIBABA_CLOUD_ACCESS_KEY_ID: STS.accessKeyId,
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: STS.accessKeySecret,
          ALIBABA_CLOUD_SECURITY_TOKEN: STS.securityToken,
        },
      },
    );
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const digest = await manifestDigest(registry.host, `${namespace}/web`, 'cli', auth());
    assert.equal((stand.fc.functionOf('web')?.['customContainerConfig'] as Record<string, unknown>)['resolvedImageUri'], `${registry.host}/${namespace}/web@${digest}`);
    assert.equal(stand.sae.app(APP_ID)?.imageUrl, `${registry.host}/${namespace}/web:cli`);
    const calls = [...stand.fc.calls, ...stand.sae.calls];
    assert.ok(calls.length >= 5);
    for (const call of calls) {
      assert.equal(call.status, 200);
      assert.equal(call.headers['x-acs-security-token'], STS.securityToken);
      assert.match(call.headers['authorization'] ?? '', /^ACS3-HMAC-SHA256 Credential=STS\.NTESTAK0000000000000001,SignedHeaders=[^,]*x-acs-security-token/);
    }
    assert.match(result.stdout + result.stderr, /fc cn-hangzhou\/web: .* \(verified\)/);
    assert.deepEqual(findSecrets({ stdout: result.stdout, stderr: result.stderr }, [STS.accessKeySecret, STS.securityToken, LOGIN.token]), []);
  });
});

function runProcess(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
