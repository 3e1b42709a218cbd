/**
 * `registry-auth` through the bundled action, main then post, with real
 * registries and the real Docker daemon: the build's FROM is a private base
 * in registry A (the test bed's SWR-like registry, which takes only the login
 * derived from the AK/SK: a huaweicloud entry), the image is pushed to B (the
 * step's own registry, username/password) and replicated to C (a
 * username/password entry). C already had another login in the Docker
 * config: the post step puts it back exactly and removes the rest. A
 * malformed list gives one line and touches nothing. Every secret is scanned
 * for with debug logging on.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startLocalRegistry, type LocalRegistry } from '../helpers/local-registry.js';
import { listTags, manifestDigest, pingStatus } from '../helpers/registry-api.js';
import { ghContextForBranch, runAction, runMainThenPost, type StepResult } from '../helpers/runner.js';
import { findSecrets } from '../helpers/secret-scan.js';
import { tempDir } from '../helpers/temp-dir.js';
import { loadTestbed, type Testbed } from '../helpers/testbed.js';
import { sampleAppWorkspace, uniqueNamespace } from '../helpers/workspace.js';
import { startAlibabaCrStandIn } from '../standins/alibaba-cr.js';
import { startSwrApiStandIn } from '../standins/swr-api.js';

const SHA = '0123abcd4567ef890123abcd4567ef890123abcd';
const B_USER = { username: 'b-pusher', password: 'b-Password-7d1e4c2a9f' };
const C_USER = { username: 'c-pusher', password: 'c-Password-3b8f0e6d5a' };
const C_ROBOT = { username: 'c-robot', password: 'c-Robot-Password-91ac44e0' };

let bed: Testbed;
let registryB: LocalRegistry;
let registryC: LocalRegistry;
let namespace: string;
let base: string;

function basic(user: { username: string; password: string }): string {
  return Buffer.from(`${user.username}:${user.password}`).toString('base64');
}

function readConfig(dockerConfig: string): { auths?: Record<string, { auth?: string }> } {
  const file = join(dockerConfig, 'config.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { auths?: Record<string, { auth?: string }> }) : {};
}

/** Every text a run leaves for a reader: logs, outputs, state, summary, env file, docker argv. */
function everything(steps: Record<string, StepResult>): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const [phase, step] of Object.entries(steps)) {
    texts[`${phase} stdout`] = step.stdout;
    texts[`${phase} stderr`] = step.stderr;
    texts[`${phase} outputs`] = JSON.stringify(step.outputs);
    texts[`${phase} state`] = JSON.stringify(step.state);
    texts[`${phase} summary`] = step.summary;
    texts[`${phase} env file`] = step.envFile;
    texts[`${phase} argv`] = JSON.stringify(step.argv);
  }
  return texts;
}

before(async () => {
  bed = loadTestbed();
  registryB = await startLocalRegistry({ users: [B_USER] });
  registryC = await startLocalRegistry({ users: [C_USER, C_ROBOT] });
  namespace = uniqueNamespace('regauth');
  // The private base lives only in A, which refuses anonymous pulls.
  base = `${bed.swrRegistry}/${namespace}/base:1`;
  const authDir = tempDir('imageship-regauth-skopeo-');
  const authFile = join(authDir, 'auth.json');
  writeFileSync(authFile, JSON.stringify({ auths: { [bed.swrRegistry]: { auth: basic({ username: bed.username, password: bed.derivedPassword }) } } }), { mode: 0o600 });
  execFileSync('skopeo', ['copy', '--src-tls-verify=false', '--dest-tls-verify=false', '--dest-authfile', authFile, `docker://${bed.baseImage}`, `docker://${base}`], { stdio: 'pipe' });
});

after(async () => {
  await registryB?.close();
  await registryC?.close();
});

describe('registry-auth: private base from A, push to B and C, post step undoes exactly its logins', () => {
  let run: { main: StepResult; post: StepResult };
  let dockerConfig: string;
  let configDuringMain: { auths?: Record<string, { auth?: string }> };
  let preexisting: { auth: string };

  before(async () => {
    assert.equal(await pingStatus(bed.swrRegistry), 401, 'A needs a login');
    dockerConfig = tempDir('imageship-regauth-config-');
    preexisting = { auth: basic(C_ROBOT) };
    writeFileSync(join(dockerConfig, 'config.json'), `${JSON.stringify({ auths: { [registryC.host]: preexisting } }, null, 2)}\n`, { mode: 0o600 });
    const inputs = {
      provider: 'generic',
      registry: registryB.host,
      username: B_USER.username,
      password: B_USER.password,
      // The step's keys: the huaweicloud entry derives A's login from them.
      'access-key': bed.ak,
      'secret-key': bed.sk,
      namespace,
      image: 'app',
      tags: 'latest',
      'build-args': `BASE_IMAGE=${base}`,
      'replicate-to': `${registryC.host}/${namespace}/app`,
      'registry-auth': [
        '- provider: huaweicloud',
        `  region: ${bed.region}`,
        `  registry: ${bed.swrRegistry}`,
        `- registry: ${registryC.host}`,
        `  username: ${C_USER.username}`,
        `  password: ${C_USER.password}`,
        '',
      ].join('\n'),
    };
    const env = { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1', DOCKER_CONFIG: dockerConfig };
    const main = await runAction({ inputs, env, workdir: sampleAppWorkspace(), github: ghContextForBranch('main', SHA), secrets: [bed.sk, B_USER.password, C_USER.password] });
    configDuringMain = readConfig(dockerConfig);
    const post = await runAction({ inputs, env, phase: 'post', state: main.state, github: ghContextForBranch('main', SHA) });
    run = { main, post };
  });

  test('main builds FROM the private base and pushes to B; the logins output lists A, C, then B', async () => {
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    const digest = run.main.outputs['digest'] ?? '';
    assert.match(digest, /^sha256:[0-9a-f]{64}$/);
    assert.deepEqual(JSON.parse(run.main.outputs['logins'] ?? '[]'), [bed.swrRegistry, registryC.host, registryB.host]);
    assert.equal(await manifestDigest(registryB.host, `${namespace}/app`, 'latest', B_USER), digest);
    assert.ok(run.main.summary.includes(registryC.host) && run.main.summary.includes('Logged in to'), run.main.summary);
  });

  test('the replica in C was copied with the C entry login and has the same digest', async () => {
    assert.deepEqual(await listTags(registryC.host, `${namespace}/app`, C_USER), ['latest']);
    assert.equal(await manifestDigest(registryC.host, `${namespace}/app`, 'latest', C_USER), run.main.outputs['digest']);
  });

  test('during the job the Docker config holds imageship logins for A, B and C, and none came from a docker login process', () => {
    const auths = configDuringMain.auths ?? {};
    assert.equal(auths[bed.swrRegistry]?.auth, basic({ username: bed.username, password: bed.derivedPassword }));
    assert.equal(auths[registryB.host]?.auth, basic(B_USER));
    assert.equal(auths[registryC.host]?.auth, basic(C_USER));
    assert.deepEqual(run.main.argv.filter((argv) => argv[0] === 'login'), []);
    assert.ok(run.main.stdout.includes(`an existing login for ${registryC.host} was kept`), 'the log says the earlier C login is kept');
    assert.deepEqual(run.main.state['registries']?.split('\n'), [bed.swrRegistry, registryC.host, registryB.host]);
  });

  test('post removes the logins it added and puts the earlier C login back exactly', () => {
    assert.equal(run.post.exitCode, 0, run.post.stdout + run.post.stderr);
    assert.deepEqual(readConfig(dockerConfig), { auths: { [registryC.host]: preexisting } });
    assert.ok(!existsSync(join(dockerConfig, 'imageship-logins')), 'the saved-login records are gone');
    for (const host of [bed.swrRegistry, registryB.host]) assert.match(run.post.stdout, new RegExp(`^post: logged out of ${host.replace(/\./g, '\\.')}$`, 'm'));
    assert.match(run.post.stdout, /^post: logged out of 127\.0\.0\.1:\d+: the login that was there before is back/m);
  });

  test('no secret appears anywhere, with debug on; each was masked with ::add-mask::', () => {
    const secrets = {
      SK: bed.sk,
      'derived password': bed.derivedPassword,
      'B password': B_USER.password,
      'C password': C_USER.password,
      'C robot password': C_ROBOT.password,
    };
    assert.deepEqual(findSecrets(everything(run), secrets), []);
    for (const secret of [bed.sk, bed.derivedPassword, B_USER.password, C_USER.password]) assert.ok(run.main.masks.includes(secret), 'masked before use');
    assert.ok(run.main.stdout.includes('##[debug]') || run.main.stdout.includes('::debug::'), 'debug logging was on');
  });
});

describe('registry-auth: a malformed list', () => {
  test('one line naming the input and the position, no password in it, nothing logged in, built or pushed', async () => {
    const dockerConfig = tempDir('imageship-regauth-bad-config-');
    const before = `${JSON.stringify({ auths: { [registryC.host]: { auth: basic(C_ROBOT) } } })}\n`;
    writeFileSync(join(dockerConfig, 'config.json'), before, { mode: 0o600 });
    const secret = 'Bad-Yaml-Password-5e6f7a8b';
    const result = await runAction({
      inputs: {
        provider: 'generic',
        registry: registryB.host,
        username: B_USER.username,
        password: B_USER.password,
        image: 'app',
        tags: 'latest',
        'registry-auth': `- registry: ${registryC.host}\n  username: c\n  password: "${secret}\n bad: [\n`,
      },
      env: { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1', DOCKER_CONFIG: dockerConfig },
      workdir: sampleAppWorkspace(),
      github: ghContextForBranch('main', SHA),
    });
    assert.equal(result.exitCode, 1, result.stdout);
    const errors = result.stdout.split('\n').filter((line) => line.startsWith('::error::'));
    // The problem, then the step's closing line.
    assert.equal(errors.length, 2, errors.join('\n'));
    assert.match(errors[0] ?? '', /^::error::registry-auth: not valid YAML \(missing char\) at line \d+, column \d+: write a YAML list/);
    assert.match(errors[1] ?? '', /^::error::1 problem\(s\) found before any side effect/);
    assert.deepEqual(findSecrets(everything({ main: result }), { 'password in the malformed list': secret, 'B password': B_USER.password }), []);
    assert.ok(result.masks.includes(secret), 'the password in the unparsable list was masked all the same');
    assert.deepEqual(result.argv.filter((argv) => ['login', 'build', 'push', 'tag', 'pull'].includes(argv[0] ?? '') || argv[1] === 'build'), []);
    assert.equal(readFileSync(join(dockerConfig, 'config.json'), 'utf8'), before, 'the Docker config is untouched');
    assert.equal(result.state['registries'] ?? '', '');
  });
});

describe('registry-auth: an alibabacloud entry gets the ACR temporary login from the Alibaba keys in env (a Huawei step)', () => {
  const ALIBABA_AK = 'LTAI5tREGAUTH000000001';
  const ALIBABA_SK = 'RegAuthSecret0000000000000000';
  const INSTANCE = 'cri-regauthinstance01';
  const TEMPORARY = { tempUsername: 'cr_temp_regauth', token: 'eyJ0ZW1wb3JhcnkiOiJyZWdhdXRoLXRva2VuLTAwMDEifQ' };

  test('the replica lands in the Enterprise registry with the temporary login; the keys and the token never show; post removes both logins', async () => {
    const standIn = await startAlibabaCrStandIn({
      accessKeyId: ALIBABA_AK,
      accessKeySecret: ALIBABA_SK,
      region: 'cn-hangzhou',
      instances: [{ id: INSTANCE, tempUsername: TEMPORARY.tempUsername, token: TEMPORARY.token }],
      personal: { tempUsername: 'unused', token: 'unused-personal-token-0001' },
    });
    const acr = await startLocalRegistry({ users: [{ username: TEMPORARY.tempUsername, password: TEMPORARY.token }] });
    try {
      const ns = uniqueNamespace('regauth-acr');
      const run = await runMainThenPost({
        inputs: {
          region: bed.region,
          'access-key': bed.ak,
          'secret-key': bed.sk,
          registry: bed.swrRegistry,
          namespace: ns,
          image: 'app',
          tags: 'latest',
          'build-args': `BASE_IMAGE=${bed.baseImage}`,
          endpoints: `cr=${standIn.url}`,
          'replicate-to': `${acr.host}/${ns}/app`,
          'registry-auth': `- provider: alibabacloud\n  region: cn-hangzhou\n  instance-id: ${INSTANCE}\n  registry: ${acr.host}\n`,
        },
        env: { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1', ALIBABA_CLOUD_ACCESS_KEY_ID: ALIBABA_AK, ALIBABA_CLOUD_ACCESS_KEY_SECRET: ALIBABA_SK },
        workdir: sampleAppWorkspace(),
        github: ghContextForBranch('main', SHA),
      });
      assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
      assert.ok(standIn.attempts('rpc.GetAuthorizationToken') >= 1, 'the temporary login came from GetAuthorizationToken');
      const auth = { username: TEMPORARY.tempUsername, password: TEMPORARY.token };
      assert.equal(await manifestDigest(acr.host, `${ns}/app`, 'latest', auth), run.main.outputs['digest']);
      assert.deepEqual(JSON.parse(run.main.outputs['logins'] ?? '[]'), [acr.host, bed.swrRegistry]);
      assert.equal(run.post.exitCode, 0);
      assert.deepEqual(readConfig(run.main.dockerConfig).auths ?? {}, {});
      assert.deepEqual(findSecrets(everything(run), { 'Alibaba secret': ALIBABA_SK, 'ACR token': TEMPORARY.token, SK: bed.sk, 'derived password': bed.derivedPassword }), []);
    } finally {
      await Promise.all([standIn.close(), acr.close()]);
    }
  });
});

describe('registry-auth: login-mode temporary applies to huaweicloud entries too (CreateSecret, signed with the step keys)', () => {
  test('the entry and the step each get a temporary login from the SWR API; the replica lands with the entry login', async () => {
    const issued: { username: string; password: string }[] = [];
    const main = await startLocalRegistry({ users: [] });
    const extra = await startLocalRegistry({ users: [] });
    const api = await startSwrApiStandIn({
      ak: bed.ak,
      sk: bed.sk,
      region: bed.region,
      // Both registries learn each temporary login as SWR issues it.
      onLoginIssued: (login) => {
        issued.push({ username: login.username, password: login.password });
        main.setUsers(issued);
        extra.setUsers(issued);
      },
    });
    try {
      const ns = uniqueNamespace('regauth-tmp');
      const run = await runMainThenPost({
        inputs: {
          region: bed.region,
          'access-key': bed.ak,
          'secret-key': bed.sk,
          registry: main.host,
          namespace: ns,
          image: 'app',
          tags: 'latest',
          'build-args': `BASE_IMAGE=${bed.baseImage}`,
          endpoints: `swr-api=${api.url}`,
          'login-mode': 'temporary',
          'replicate-to': `${extra.host}/${ns}/app`,
          'registry-auth': `- provider: huaweicloud\n  region: ${bed.region}\n  registry: ${extra.host}\n`,
        },
        env: { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' },
        workdir: sampleAppWorkspace(),
        github: ghContextForBranch('main', SHA),
      });
      assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
      assert.equal(api.state.logins.length, 2, 'one temporary login for the entry, one for the step');
      assert.ok(api.calls.every((call) => call.signatureValid), 'every SWR API call was signed with the step keys');
      const entryLogin = api.state.logins[0]!;
      assert.equal(await manifestDigest(extra.host, `${ns}/app`, 'latest', { username: entryLogin.username, password: entryLogin.password }), run.main.outputs['digest']);
      assert.match(run.main.stdout, /registry-auth entry 1 \(127\.0\.0\.1:\d+\): temporary SWR login, valid until \d{4}-/);
      assert.equal(run.post.exitCode, 0);
      assert.deepEqual(readConfig(run.main.dockerConfig).auths ?? {}, {});
      const secrets = Object.fromEntries(api.state.logins.map((login, index) => [`temporary password ${index + 1}`, login.password]));
      assert.deepEqual(findSecrets(everything(run), { ...secrets, SK: bed.sk }), []);
    } finally {
      await Promise.all([main.close(), extra.close(), api.close()]);
    }
  });
});
