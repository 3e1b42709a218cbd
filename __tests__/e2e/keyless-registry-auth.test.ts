/**
 * Keyless with `registry-auth` provider entries, through the bundled action,
 * main then post: the run's temporary credentials (OIDC → STS stand-in)
 * also log in the entry for a second registry, which holds the build's
 * private base and refuses anonymous pulls.
 *
 * - Huawei (keyless, and static access-key/secret-key + security-token): the
 *   huaweicloud entry logs in through the SWR API's CreateSecret
 *   (the stand-in accepts only the STS key with its security token, checked
 *   in the signature); the second registry learns only the logins SWR issues
 *   (and the admin login that seeded the base), so the FROM pull proves the
 *   entry login works.
 * - Alibaba: the alibabacloud entry gets its ACR temporary login with the STS
 *   key and token (the ACR stand-in checks both).
 * In both, the post step removes the entry login from the Docker config, and
 * no secret shows anywhere with debug logging on.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AGENCY_URN, alibabaKeylessInputs, keylessJob, PROVIDER_URN, startAlibabaSts, startGithubIssuer, startHuaweiSts } from '../helpers/keyless-bed.js';
import { stepTexts } from '../helpers/step-texts.js';
import { startLocalRegistry, type LocalRegistry, type RegistryUser } from '../helpers/local-registry.js';
import { manifestDigest, pingStatus } from '../helpers/registry-api.js';
import { runAction, type StepResult } from '../helpers/runner.js';
import { findSecrets } from '../helpers/secret-scan.js';
import { tempDir } from '../helpers/temp-dir.js';
import { loadTestbed } from '../helpers/testbed.js';
import { uniqueNamespace } from '../helpers/workspace.js';
import { startAlibabaCrStandIn, type AlibabaCrStandIn } from '../standins/alibaba-cr.js';
import type { AlibabaStsStandIn } from '../standins/alibaba-sts.js';
import type { HuaweiStsStandIn } from '../standins/huawei-sts.js';
import type { OidcIssuer } from '../standins/oidc-issuer.js';
import { startSwrApiStandIn, type SwrApiStandIn } from '../standins/swr-api.js';

const bed = loadTestbed();
const ADMIN: RegistryUser = { username: 'base-admin', password: 'base-Admin-Password-5c1f' };

type DockerConfig = { auths?: Record<string, { auth?: string }> };

const basic = (user: RegistryUser): string => Buffer.from(`${user.username}:${user.password}`).toString('base64');

function readConfig(dockerConfig: string): DockerConfig {
  const file = join(dockerConfig, 'config.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DockerConfig) : {};
}

/** Copies the test bed's base image into `registry` as `repository:1` with the admin login; returns the reference. */
function seedPrivateBase(registry: LocalRegistry, repository: string): string {
  const reference = `${registry.host}/${repository}:1`;
  const authFile = join(tempDir('imageship-keyless-regauth-skopeo-'), 'auth.json');
  writeFileSync(authFile, JSON.stringify({ auths: { [registry.host]: { auth: basic(ADMIN) } } }), { mode: 0o600 });
  execFileSync('skopeo', ['copy', '--src-tls-verify=false', '--dest-tls-verify=false', '--dest-authfile', authFile, `docker://${bed.baseImage}`, `docker://${reference}`], { stdio: 'pipe' });
  return reference;
}

/** main, the Docker config as main left it, then post with main's state. */
async function runMainThenPostWithConfig(options: Parameters<typeof runAction>[0]): Promise<{ main: StepResult; post: StepResult; configDuringMain: DockerConfig }> {
  const main = await runAction({ ...options, phase: 'main' });
  const configDuringMain = readConfig(main.dockerConfig);
  const post = await runAction({ ...options, phase: 'post', state: main.state, env: { ...(options.env ?? {}), DOCKER_CONFIG: main.dockerConfig } });
  return { main, post, configDuringMain };
}

let issuer: OidcIssuer;
before(async () => {
  issuer = await startGithubIssuer();
});
after(async () => {
  await issuer.close();
});

/** How the run gets its temporary Huawei keys: the OIDC exchange, or given as access-key/secret-key + security-token. */
type HuaweiKeySource = 'keyless' | 'static security-token';

for (const source of ['keyless', 'static security-token'] as const satisfies readonly HuaweiKeySource[]) describe(`Huawei ${source}: a huaweicloud registry-auth entry logs in with the temporary keys through CreateSecret`, () => {
  const namespace = uniqueNamespace(source === 'keyless' ? 'keyless-ra-hw' : 'sectoken-ra-hw');
  let sts: HuaweiStsStandIn;
  let swrApi: SwrApiStandIn;
  let stepRegistry: LocalRegistry;
  let baseRegistry: LocalRegistry;
  let base: string;
  let run: Awaited<ReturnType<typeof runMainThenPostWithConfig>>;

  before(async () => {
    sts = await startHuaweiSts(issuer);
    stepRegistry = await startLocalRegistry({ users: [] });
    baseRegistry = await startLocalRegistry({ users: [ADMIN] });
    base = seedPrivateBase(baseRegistry, `${namespace}/base`);
    const issued: RegistryUser[] = [];
    swrApi = await startSwrApiStandIn({
      ak: sts.issued.ak,
      sk: sts.issued.sk,
      securityToken: sts.issued.securityToken,
      region: bed.region,
      // Both registries learn each temporary login as SWR issues it (one SWR account, two registry hosts).
      onLoginIssued: (login) => {
        issued.push({ username: login.username, password: login.password });
        stepRegistry.setUsers(issued);
        baseRegistry.setUsers([ADMIN, ...issued]);
      },
    });
    assert.equal(await pingStatus(baseRegistry.host), 401, 'the base registry needs a login');
    run = await runMainThenPostWithConfig({
      inputs: {
        region: bed.region,
        registry: stepRegistry.host,
        namespace,
        image: 'app',
        tags: 'latest',
        'build-args': `BASE_IMAGE=${base}`,
        ...(source === 'keyless'
          ? { 'oidc-provider-urn': PROVIDER_URN, 'agency-urn': AGENCY_URN }
          : { 'access-key': sts.issued.ak, 'secret-key': sts.issued.sk, 'security-token': sts.issued.securityToken }),
        endpoints: `sts=${sts.url}\nswr-api=${swrApi.url}`,
        'registry-auth': ['- provider: huaweicloud', `  region: ${bed.region}`, `  registry: ${baseRegistry.host}`, ''].join('\n'),
      },
      ...keylessJob(issuer, { DOCKER_CONFIG: tempDir('imageship-keyless-regauth-config-') }),
    });
  });
  after(async () => {
    await Promise.all([sts?.close(), swrApi?.close(), stepRegistry?.close(), baseRegistry?.close()]);
  });

  test('two temporary SWR logins (the entry, then the step), every SWR call signed with the security token', () => {
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    // The static run is given the keys STS issued earlier (as a CI would be): no exchange.
    assert.deepEqual(sts.calls.map((call) => [call.path, call.status]), source === 'keyless' ? [['/v5/agencies/assume-with-oidc', 200]] : []);
    const createSecret = swrApi.calls.filter((call) => call.route === 'swr.createSecret');
    assert.deepEqual(createSecret.map((call) => [call.signatureValid, call.status]), [[true, 200], [true, 200]]);
    assert.ok(swrApi.calls.every((call) => call.signatureValid), 'no SWR call without the token');
    assert.deepEqual(JSON.parse(run.main.outputs['logins'] ?? '[]'), [baseRegistry.host, stepRegistry.host]);
    assert.match(run.main.stdout, /registry-auth entry 1 \([^)]+\): temporary SWR login/);
  });

  test('the build pulled the private base with the entry login and pushed to the step registry', async () => {
    const [entryLogin, stepLogin] = swrApi.state.logins;
    assert.ok(entryLogin && stepLogin);
    assert.equal(run.configDuringMain.auths?.[baseRegistry.host]?.auth, basic(entryLogin), 'the entry login is the first one SWR issued, not a derived one');
    assert.equal(run.configDuringMain.auths?.[stepRegistry.host]?.auth, basic(stepLogin));
    assert.equal(await manifestDigest(stepRegistry.host, `${namespace}/app`, 'latest', stepLogin), run.main.outputs['digest']);
    assert.deepEqual(run.main.argv.filter((argv) => argv[0] === 'login'), [], 'no docker login process: no password on a command line');
  });

  test('the post step removes the entry login and the step login', () => {
    assert.equal(run.post.exitCode, 0, run.post.stdout + run.post.stderr);
    const auths = readConfig(run.main.dockerConfig).auths ?? {};
    assert.equal(auths[baseRegistry.host], undefined);
    assert.equal(auths[stepRegistry.host], undefined);
  });

  test('no secret (ID token, temporary SK and token, either SWR password) anywhere, debug on', () => {
    const secrets: Record<string, string> = {
      ...(source === 'keyless' ? { 'ID token': issuer.issued.at(-1)!, 'request token': issuer.requestToken } : {}),
      'temporary SK': sts.issued.sk,
      'security token': sts.issued.securityToken,
    };
    swrApi.state.logins.forEach((login, index) => (secrets[`SWR password ${index + 1}`] = login.password));
    assert.ok(run.main.stdout.includes('::debug::'), 'debug logging was on');
    assert.deepEqual(findSecrets({ ...stepTexts(run.main, 'main'), ...stepTexts(run.post, 'post') }, secrets), []);
  });
});

describe('Alibaba keyless: an alibabacloud registry-auth entry gets its ACR temporary login with the STS key and token', () => {
  const namespace = uniqueNamespace('keyless-ra-ali').slice(0, 30).replace(/-$/, '');
  const PERSONAL = { tempUsername: 'cr_temp_keyless_entry', token: 'eyJ0ZW1wb3JhcnkiOiJrZXlsZXNzLWVudHJ5LTAwMDEifQ' };
  let sts: AlibabaStsStandIn;
  let cr: AlibabaCrStandIn;
  let stepRegistry: LocalRegistry;
  let baseRegistry: LocalRegistry;
  let run: Awaited<ReturnType<typeof runMainThenPostWithConfig>>;

  before(async () => {
    sts = await startAlibabaSts(issuer);
    cr = await startAlibabaCrStandIn({ ...sts.issued, region: 'cn-hangzhou', instances: [], personal: PERSONAL });
    const temporary = { username: PERSONAL.tempUsername, password: PERSONAL.token };
    stepRegistry = await startLocalRegistry({ users: [temporary] });
    baseRegistry = await startLocalRegistry({ users: [ADMIN, temporary] });
    const base = seedPrivateBase(baseRegistry, `${namespace}/base`);
    run = await runMainThenPostWithConfig({
      inputs: {
        ...alibabaKeylessInputs(stepRegistry.host, namespace, base, `sts=${sts.url}\ncr=${cr.url}`),
        'registry-auth': ['- provider: alibabacloud', '  region: cn-hangzhou', `  registry: ${baseRegistry.host}`, ''].join('\n'),
      },
      ...keylessJob(issuer, { DOCKER_CONFIG: tempDir('imageship-keyless-regauth-config-') }),
    });
  });
  after(async () => {
    await Promise.all([sts?.close(), cr?.close(), stepRegistry?.close(), baseRegistry?.close()]);
  });

  test('every ACR call (the entry and the step) was signed with the STS key and carried its token; the image is pushed', async () => {
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.deepEqual(sts.calls.map((call) => call.status), [200]);
    assert.ok(cr.calls.length >= 2, `the entry and the step each asked for a login (${cr.calls.length} calls)`);
    assert.ok(cr.calls.every((call) => call.signatureValid && call.securityToken === sts.issued.securityToken), 'ACR calls signed with the STS keys and token');
    assert.equal(run.configDuringMain.auths?.[baseRegistry.host]?.auth, basic({ username: PERSONAL.tempUsername, password: PERSONAL.token }));
    const auth = { username: PERSONAL.tempUsername, password: PERSONAL.token };
    assert.equal(await manifestDigest(stepRegistry.host, `${namespace}/web`, 'latest', auth), run.main.outputs['digest']);
  });

  test('the post step removes the entry login; no secret anywhere, debug on', () => {
    assert.equal(run.post.exitCode, 0, run.post.stdout + run.post.stderr);
    assert.equal((readConfig(run.main.dockerConfig).auths ?? {})[baseRegistry.host], undefined);
    const secrets = {
      'ID token': issuer.issued.at(-1)!,
      'STS secret': sts.issued.accessKeySecret,
      'STS token': sts.issued.securityToken,
      'ACR password': PERSONAL.token,
    };
    assert.deepEqual(findSecrets({ ...stepTexts(run.main, 'main'), ...stepTexts(run.post, 'post') }, secrets), []);
  });
});
