/**
 * Alibaba ACR end to end: the AK/SK is exchanged for a temporary login at a
 * stand-in of the CR API (RPC GetAuthorizationToken for Enterprise Edition,
 * ROA GET /tokens for Personal Edition; signatures verified independently),
 * and a real registry whose only htpasswd user is that temporary credential
 * receives the push, through the bundled action and through the CLI.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startLocalRegistry } from '../helpers/local-registry.js';
import { catalog, listTags, manifestDigest } from '../helpers/registry-api.js';
import { ghContextForBranch, parseArgvLog, REPO_ROOT, DOCKER_WRAPPER_DIR, runMainThenPost } from '../helpers/runner.js';
import { findSecrets } from '../helpers/secret-scan.js';
import { loadTestbed } from '../helpers/testbed.js';
import { sampleAppWorkspace, uniqueNamespace } from '../helpers/workspace.js';
import { startAlibabaCrStandIn } from '../standins/alibaba-cr.js';
import { tempDir } from '../helpers/temp-dir.js';

const bed = loadTestbed();
const AK = 'LTAI5tTESTAK0000000001';
const SK = 'TestSecret000000000000000000000';
const INSTANCE = 'cri-testinstance0001';
const ENTERPRISE = { tempUsername: 'cr_temp_user', token: 'eyJ0ZW1wb3JhcnkiOiJlbnRlcnByaXNlLXRva2VuLTAwMDEifQ' };
const PERSONAL = { tempUsername: 'cr_temp_personal', token: 'eyJ0ZW1wb3JhcnkiOiJwZXJzb25hbC10b2tlbi0wMDAxIn0' };

let standIn: Awaited<ReturnType<typeof startAlibabaCrStandIn>>;
let enterpriseRegistry: Awaited<ReturnType<typeof startLocalRegistry>>;
let personalRegistry: Awaited<ReturnType<typeof startLocalRegistry>>;

before(async () => {
  standIn = await startAlibabaCrStandIn({
    accessKeyId: AK,
    accessKeySecret: SK,
    region: 'cn-hangzhou',
    instances: [{ id: INSTANCE, tempUsername: ENTERPRISE.tempUsername, token: ENTERPRISE.token }],
    personal: PERSONAL,
  });
  enterpriseRegistry = await startLocalRegistry({ users: [{ username: ENTERPRISE.tempUsername, password: ENTERPRISE.token }] });
  personalRegistry = await startLocalRegistry({ users: [{ username: PERSONAL.tempUsername, password: PERSONAL.token }] });
});
after(async () => {
  await Promise.all([standIn.close(), enterpriseRegistry.close(), personalRegistry.close()]);
});

function acrInputs(registry: string, namespace: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    provider: 'alibabacloud',
    region: 'cn-hangzhou',
    registry,
    'access-key': AK,
    'secret-key': SK,
    namespace,
    image: 'web',
    tags: 'latest\ntype=sha',
    endpoints: `cr=${standIn.url}`,
    'build-args': `BASE_IMAGE=${bed.baseImage}`,
    ...extra,
  };
}

describe('ACR through the bundled action', () => {
  test('Enterprise Edition: GetAuthorizationToken, push, verify, logout; the token never shows', async () => {
    const namespace = uniqueNamespace('acree').slice(0, 30).replace(/-$/, '');
    const run = await runMainThenPost({
      inputs: acrInputs(enterpriseRegistry.host, namespace, { 'instance-id': INSTANCE }),
      workdir: sampleAppWorkspace(),
      github: ghContextForBranch('main', 'ab'.repeat(20)),
      env: { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' },
    });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    const auth = { username: ENTERPRISE.tempUsername, password: ENTERPRISE.token };
    assert.deepEqual((await listTags(enterpriseRegistry.host, `${namespace}/web`, auth)).sort(), ['latest', 'sha-abababa']);
    assert.equal(await manifestDigest(enterpriseRegistry.host, `${namespace}/web`, 'latest', auth), run.main.outputs['digest']);
    assert.ok(standIn.attempts('rpc.GetAuthorizationToken') >= 1);
    assert.deepEqual(run.main.argv.filter((argv) => argv[0] === 'login'), [], 'logged in without a docker login process');
    assert.ok(run.main.stdout.includes(`logged in to ${enterpriseRegistry.host} in `), run.main.stdout);
    assert.equal(run.post.exitCode, 0);
    const texts: Record<string, string> = {};
    for (const [phase, step] of Object.entries(run)) {
      Object.assign(texts, { [`${phase} stdout`]: step.stdout, [`${phase} stderr`]: step.stderr, [`${phase} outputs`]: JSON.stringify(step.outputs), [`${phase} state`]: JSON.stringify(step.state), [`${phase} summary`]: step.summary, [`${phase} argv`]: JSON.stringify(step.argv) });
    }
    assert.deepEqual(findSecrets(texts, [SK, ENTERPRISE.token]), []);
  });

  test('Personal Edition: GET /tokens, push', async () => {
    const namespace = uniqueNamespace('acrpe').slice(0, 30).replace(/-$/, '');
    const run = await runMainThenPost({ inputs: acrInputs(personalRegistry.host, namespace), workdir: sampleAppWorkspace(), github: ghContextForBranch('main', 'cd'.repeat(20)) });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.deepEqual((await listTags(personalRegistry.host, `${namespace}/web`, { username: PERSONAL.tempUsername, password: PERSONAL.token })).sort(), ['latest', 'sha-cdcdcdc']);
    assert.ok(standIn.attempts('roa.GetTokens') >= 1);
  });

  test('a wrong AccessKey secret fails with SignatureDoesNotMatch and its fix; nothing is pushed', async () => {
    const namespace = uniqueNamespace('acrbad').slice(0, 30).replace(/-$/, '');
    const run = await runMainThenPost({
      inputs: acrInputs(enterpriseRegistry.host, namespace, { 'instance-id': INSTANCE, 'secret-key': 'WrongSecret00000000000000000000' }),
      workdir: sampleAppWorkspace(),
      github: ghContextForBranch('main', 'ef'.repeat(20)),
    });
    assert.equal(run.main.exitCode, 1);
    assert.match(run.main.stdout, /::error::.*SignatureDoesNotMatch.*secret/i);
    assert.equal(run.main.argv.filter((argv) => ['login', 'build', 'push'].includes(argv[0] ?? '')).length, 0);
    const auth = { username: ENTERPRISE.tempUsername, password: ENTERPRISE.token };
    assert.ok(!(await catalog(enterpriseRegistry.host, auth)).some((repo) => repo.startsWith(namespace)));
    assert.deepEqual(findSecrets({ stdout: run.main.stdout }, ['WrongSecret00000000000000000000']), []);
  });
});

describe('ACR through the CLI', () => {
  test('imageship run with the keys from env pushes to the Enterprise registry and logs out at exit', async () => {
    const namespace = uniqueNamespace('acrcli').slice(0, 30).replace(/-$/, '');
    const dockerConfig = tempDir('imageship-cli-docker-');
    const argvLog = join(dockerConfig, 'argv.jsonl');
    const cli = join(REPO_ROOT, 'build', 'src', 'cli', 'main.js');
    // Asynchronous on purpose: the CR API stand-in answers from this same process.
    const result = await runProcess(
      process.execPath,
      [cli, 'run', '--provider', 'alibabacloud', '--region', 'cn-hangzhou', '--registry', enterpriseRegistry.host, '--instance-id', INSTANCE, '--namespace', namespace, '--image', 'web', '--tags', 'cli', '--endpoints', `cr=${standIn.url}`, '--build-args', `BASE_IMAGE=${bed.baseImage}`],
      {
        cwd: sampleAppWorkspace(),
        env: {
          PATH: `${DOCKER_WRAPPER_DIR}:${process.env['PATH'] ?? ''}`,
          HOME: process.env['HOME'] ?? '/root',
          DOCKER_CONFIG: dockerConfig,
          IMAGESHIP_ARGV_LOG: argvLog,
          ALIBABA_CLOUD_ACCESS_KEY_ID: AK,
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: SK,
        },
      },
    );
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.deepEqual(await listTags(enterpriseRegistry.host, `${namespace}/web`, { username: ENTERPRISE.tempUsername, password: ENTERPRISE.token }), ['cli']);
    const argv = parseArgvLog(existsSync(argvLog) ? readFileSync(argvLog, 'utf8') : '').map((call) => call.argv);
    assert.deepEqual(findSecrets({ stdout: result.stdout, stderr: result.stderr, argv: JSON.stringify(argv) }, [SK, ENTERPRISE.token]), []);
    const config = existsSync(join(dockerConfig, 'config.json')) ? (JSON.parse(readFileSync(join(dockerConfig, 'config.json'), 'utf8')) as { auths?: Record<string, unknown> }) : {};
    assert.deepEqual(Object.keys(config.auths ?? {}).filter((host) => host.includes(enterpriseRegistry.host)), [], 'logged out at exit');
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

describe('bad ACR inputs through the bundled action: message, exit 1, no API call, nothing pushed', () => {
  const CASES: ReadonlyArray<readonly [string, Record<string, string>, RegExp]> = [
    ['unknown provider', { provider: 'aliyun' }, /^provider: "aliyun" is not supported: use alibabacloud \(the providers are huaweicloud, alibabacloud, generic\)$/],
    ['Enterprise host without instance-id', { registry: 'acme-registry.cn-hangzhou.cr.aliyuncs.com' }, /^instance-id: required for a temporary login to an Enterprise Edition instance/],
    ['instance-name without instance-id', { registry: '', 'instance-name': 'acme' }, /^instance-id: required for a temporary login/],
    ['both password and AK/SK', { 'instance-id': INSTANCE, username: 'me', password: 'fixed-password' }, /^username: give either username\/password or access-key\/secret-key/],
    ['malformed instance id', { 'instance-id': 'acme-instance' }, /^instance-id: "acme-instance" is not an ACR Enterprise instance id/],
    ['Huawei region on Alibaba', { region: 'CN-HANGZHOU', 'instance-id': INSTANCE }, /^region: "CN-HANGZHOU" must be lowercase/],
    ['namespace too long', { namespace: 'n'.repeat(31), 'instance-id': INSTANCE }, /^namespace: .* 2 to 30 characters/],
    ['STS key without its token', { 'access-key': 'STS.NTestStsKey0001', 'instance-id': INSTANCE }, /^security-token: an STS AccessKey ID/],
    ['secret with a space', { 'secret-key': 'Test Secret 000000000000000000', 'instance-id': INSTANCE }, /^secret-key: not an Alibaba Cloud AccessKey secret/],
    ['FunctionGraph target with ACR', { 'instance-id': INSTANCE, 'function-urn': 'urn:fss:cn-north-4:0123456789abcdef0123456789abcdef:function:default:f' }, /^function-urn: FunctionGraph and CCE are Huawei Cloud targets/],
    ['cr endpoint that is not a URL', { 'instance-id': INSTANCE, endpoints: 'cr=not a url' }, /^endpoints: /],
  ];
  for (const [name, override, expected] of CASES) {
    test(name, async () => {
      const before = standIn.calls.length;
      const result = await runMainThenPost({
        inputs: { ...acrInputs(enterpriseRegistry.host, 'e2e-acr-bad'), ...override },
        workdir: sampleAppWorkspace(),
        github: ghContextForBranch('main', '12'.repeat(20)),
      });
      assert.equal(result.main.exitCode, 1, result.main.stdout);
      const errors = result.main.stdout.split('\n').filter((line) => line.startsWith('::error::')).map((line) => line.slice(9));
      assert.ok(errors.some((line) => expected.test(line)), `expected ${expected} among ${JSON.stringify(errors)}`);
      assert.equal(standIn.calls.length, before, 'no CR API call');
      assert.deepEqual(result.main.argv.filter((argv) => ['login', 'build', 'push'].includes(argv[0] ?? '')), []);
      assert.deepEqual(findSecrets({ stdout: result.main.stdout }, [SK]), []);
    });
  }
  test('nothing reached the registry', async () => {
    const auth = { username: ENTERPRISE.tempUsername, password: ENTERPRISE.token };
    assert.ok(!(await catalog(enterpriseRegistry.host, auth)).some((repo) => repo.startsWith('e2e-acr-bad')));
  });
});
