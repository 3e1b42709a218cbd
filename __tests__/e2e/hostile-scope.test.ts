/**
 * Credentials go only to the hosts they belong to, proved through the bundled
 * action against hostile TLS servers that play remote hosts on loopback
 * (hub.example.test, auth.example.test, swr.<region>.evil.example…; names
 * resolved to 127.0.0.1 in the child only, TLS from a test CA). Every server
 * records what it received, so each case asserts what a credential reached:
 *
 * - a token realm on another host gets no login (one warning names it); the
 *   registry's own host and a documented token service do get it;
 * - the SWR login goes only to swr.<region>.<configured domain> or the
 *   registry the user named (replicate-credentials opts more hosts in);
 * - signed cloud calls (FunctionGraph, ACR's token API) never follow a
 *   redirect; unsigned ones (registry blobs, Kubernetes, triggers) never take
 *   a credential to another origin.
 */
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { hostileEnv, startHostileServer, type HostileServer, type RecordedRequest } from '../helpers/hostile/hostile-server.js';
import { makeTestCa, type TestCa } from '../helpers/hostile/test-ca.js';
import { pushRandomImage } from '../helpers/image-fixtures.js';
import { manifestDigest } from '../helpers/registry-api.js';
import { ghContextForBranch, runAction, type StepResult } from '../helpers/runner.js';
import { loadTestbed } from '../helpers/testbed.js';
import { uniqueNamespace } from '../helpers/workspace.js';
import { startHuaweiCloudStandIn } from '../standins/huawei-cloud.js';
import { tempDir } from '../helpers/temp-dir.js';

const bed = loadTestbed();
const SHA = '3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c';
const bedAuth = { username: bed.username, password: bed.derivedPassword };

// The run's own AK/SK for the deploy-only cases (the test bed's pair for the copies to 127.0.0.1:5101).
const REGION = 'cn-north-4';
const AK = 'HPUAHOSTILESCOPE0001';
const SK = 'HostileScopeSecretKey000000000000000000';
const DERIVED = createHmac('sha256', SK).update(AK, 'utf8').digest('hex');
const SWR_USER = `${REGION}@${AK}`;
const PROJECT = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const FUNCTION_URN = `urn:fss:${REGION}:${PROJECT}:function:default:api-fn`;
const TRIGGER_TOKEN = 'trg-HostileScopeToken0123456789abcdef';

const EVIL_SWR = `swr.${bed.region}.evil.example`;
const REAL_SWR = `swr.${bed.region}.myhuaweicloud.com`;
const NAMES = [
  'hub.example.test',
  'auth.example.test',
  'cdn.example.test',
  'elsewhere.example.test',
  'trigger.example.test',
  'kube.example.test',
  'registry-1.docker.io',
  'auth.docker.io',
  'cr.cn-hangzhou.aliyuncs.com',
  'registry.cn-hangzhou.aliyuncs.com',
  `functiongraph.${REGION}.myhuaweicloud.com`,
  EVIL_SWR,
  REAL_SWR,
];

type Handler = (request: IncomingMessage & { body: Buffer }, response: ServerResponse) => void;

let ca: TestCa;
let server: HostileServer;
/** What each host name does in the current test; a host not listed answers 404. */
let routes: Record<string, Handler> = {};

before(async () => {
  ca = await makeTestCa(NAMES);
  server = await startHostileServer((request, response) => {
    const name = (request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const handler = routes[name];
    if (handler) handler(request, response);
    else response.writeHead(404).end();
  }, { tls: ca });
});
after(async () => {
  await server?.close();
  await ca?.remove();
});
beforeEach(() => {
  routes = {};
  server.requests.length = 0;
});

const at = (name: string): string => `${name}:${server.port}`;
const origin = (name: string): string => server.origin(name);
const requestsTo = (name: string): RecordedRequest[] => server.requests.filter((r) => r.host.toLowerCase() === at(name));
const basic = (username: string, password: string): string => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
const decodeBasic = (header: unknown): string => (typeof header === 'string' && header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '');
/** The run's warnings about where a login goes (other warnings, e.g. about plain-http endpoints, are not this suite's). */
const warnings = (run: StepResult): string[] =>
  run.commands.filter((c) => c.command === 'warning' && /login|token service/.test(c.message)).map((c) => c.message);
const errors = (run: StepResult): string => run.commands.filter((c) => c.command === 'error').map((c) => c.message).join('\n');

/** Whether a request carries the SWR login (user, password, or their Basic form) anywhere. */
function carriesSwrLogin(request: RecordedRequest, user = SWR_USER, password = DERIVED): boolean {
  const text = `${request.url}\n${JSON.stringify(request.headers)}\n${request.body.toString('utf8')}`;
  return text.includes(password) || text.includes(Buffer.from(`${user}:${password}`).toString('base64')) || text.includes(user);
}

function run(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<StepResult> {
  return runAction({
    inputs,
    env: { ...hostileEnv(NAMES, ca), ...env },
    github: ghContextForBranch('main', SHA),
    secrets: [SK, DERIVED, bed.sk, bed.derivedPassword],
    timeoutMs: 120_000,
  });
}

// ---------------------------------------------------------------- a hostile registry

/** A small image the hostile registries serve: a Docker schema 2 manifest, its config and one layer. */
const LAYER = randomBytes(4096);
const sha256 = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const CONFIG = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(LAYER)] }, config: {} }));
const MANIFEST = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: CONFIG.length, digest: sha256(CONFIG) },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: LAYER.length, digest: sha256(LAYER) }],
  }),
);
const MANIFEST_DIGEST = sha256(MANIFEST);
const BLOBS = new Map([[sha256(CONFIG), CONFIG], [sha256(LAYER), LAYER]]);
const ISSUED_TOKEN = 'hostile-token-0123456789';

interface RegistryPlay {
  /** `none`: public; `bearer`: challenges with `realm` until a token comes; `basic`: wants exactly `basicUser`. */
  auth: 'none' | 'bearer' | 'basic';
  realm?: string;
  basicUser?: { username: string; password: string };
  /** Blob GETs are answered 307 to this origin (a CDN), with a signed-looking query. */
  blobsAt?: string;
}

function registry(play: RegistryPlay): Handler {
  return (request, response) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    const authorization = request.headers.authorization;
    const allowed =
      play.auth === 'none' ||
      (play.auth === 'bearer' && authorization === `Bearer ${ISSUED_TOKEN}`) ||
      (play.auth === 'basic' && play.basicUser !== undefined && authorization === basic(play.basicUser.username, play.basicUser.password));
    if (!allowed) {
      const challenge = play.auth === 'bearer' ? `Bearer realm="${play.realm}",service="hostile",scope="repository:library/nginx:pull"` : 'Basic realm="hostile"';
      response.writeHead(401, { 'www-authenticate': challenge, 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      return;
    }
    const manifest = /^\/v2\/.+\/manifests\/[^/]+$/.exec(path);
    if (manifest) {
      response.writeHead(200, {
        'content-type': 'application/vnd.docker.distribution.manifest.v2+json',
        'docker-content-digest': MANIFEST_DIGEST,
        'content-length': MANIFEST.length,
      });
      response.end(request.method === 'HEAD' ? undefined : MANIFEST);
      return;
    }
    const blob = /^\/v2\/.+\/blobs\/(sha256:[0-9a-f]{64})$/.exec(path);
    if (blob && BLOBS.has(blob[1] ?? '')) {
      if (play.blobsAt) {
        response.writeHead(307, { location: `${play.blobsAt}/blobs/${blob[1]}?X-Signature=abc123&Expires=9999999999` }).end();
        return;
      }
      const bytes = BLOBS.get(blob[1] ?? '') as Buffer;
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length, 'docker-content-digest': blob[1] });
      response.end(request.method === 'HEAD' ? undefined : bytes);
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"NOT_FOUND"}]}');
  };
}

/** A token service: any caller gets a token (a public image's pull). */
const tokenService: Handler = (_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: ISSUED_TOKEN }));
};

/** A CDN serving the blobs a registry redirected to. */
const cdn: Handler = (request, response) => {
  const digest = /\/blobs\/(sha256:[0-9a-f]{64})/.exec(request.url ?? '')?.[1] ?? '';
  const bytes = BLOBS.get(digest);
  if (!bytes) return void response.writeHead(404).end();
  response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length }).end(bytes);
};

/** A redeploy trigger that acknowledges. */
const trigger: Handler = (_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' }).end('{"code":"200","message":"success","requestId":"r-1"}');
};

/** Anything: answers 200 with a JSON body and keeps nothing, so a test can prove nobody came. */
const recorder: Handler = (_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
};

const triggerUrl = (): string => `${origin('trigger.example.test')}/hook/${TRIGGER_TOKEN}`;
const hubImage = (): string => `${at('hub.example.test')}/library/nginx:1.27`;

// ---------------------------------------------------------------- realms

describe('token realms: the login goes to the registry host or its documented token service, nowhere else', () => {
  test('deploy-image on a third-party registry with AK/SK set: no SWR login anywhere, the realm is asked anonymously, one warning', async () => {
    routes = { 'hub.example.test': registry({ auth: 'bearer', realm: `${origin('auth.example.test')}/token` }), 'auth.example.test': tokenService };
    const huawei = await startHuaweiCloudStandIn({
      ak: AK,
      sk: SK,
      projectId: PROJECT,
      region: REGION,
      functions: [{ func_name: 'api-fn', runtime: 'Custom Image', handler: '-', memory_size: 256, timeout: 30, code_type: 'Custom-Image-Swr', custom_image: { enabled: true, image: 'old/app:1' } }],
    });
    try {
      const result = await run({ region: REGION, 'access-key': AK, 'secret-key': SK, 'deploy-image': hubImage(), 'function-urn': FUNCTION_URN, endpoints: `functiongraph=${huawei.url}` });
      assert.equal(result.exitCode, 0, result.stdout + result.stderr);
      const realm = requestsTo('auth.example.test');
      assert.equal(realm.length, 1);
      assert.equal(realm[0]?.headers.authorization, undefined, 'the realm got no Authorization');
      assert.deepEqual(server.requests.filter((r) => carriesSwrLogin(r)).map((r) => `${r.host} ${r.url}`), [], 'the SWR login reached no hostile host');
      assert.ok(requestsTo('hub.example.test').every((r) => r.headers.authorization === undefined || r.headers.authorization === `Bearer ${ISSUED_TOKEN}`));
      const said = warnings(result);
      assert.equal(said.length, 1, said.join('\n'));
      assert.match(said[0] ?? '', new RegExp(`${at('hub.example.test')} is not swr\\.<region>\\.myhuaweicloud\\.com \\(the configured domain\\), so the SWR login is not sent there: reading it anonymously \\(set registry: ${at('hub.example.test')} if the login is meant for it\\)`));
      assert.equal((huawei.state.functions.get(FUNCTION_URN) as { custom_image: { image: string } }).custom_image.image, hubImage(), 'the function runs the public image');
    } finally {
      await huawei.close();
    }
  });

  test('a login given for the registry is not sent to a realm on another host: anonymous token, one warning naming the realm host', async () => {
    routes = { 'hub.example.test': registry({ auth: 'bearer', realm: `${origin('auth.example.test')}/token?x=1` }), 'auth.example.test': tokenService, 'trigger.example.test': trigger };
    const result = await run({ region: REGION, 'access-key': AK, 'secret-key': SK, registry: at('hub.example.test'), 'deploy-image': hubImage(), 'deploy-trigger': triggerUrl() });
    assert.equal(result.exitCode, 0, result.stdout + result.stderr);
    const realm = requestsTo('auth.example.test');
    assert.ok(realm.length >= 1);
    assert.ok(realm.every((r) => r.headers.authorization === undefined), 'the foreign realm got no Authorization');
    assert.deepEqual(server.requests.filter((r) => carriesSwrLogin(r)).map((r) => r.host), []);
    const said = warnings(result).filter((w) => w.includes('token service'));
    assert.deepEqual(said, [
      `registry ${at('hub.example.test')} names the token service ${at('auth.example.test')}, which is neither hub.example.test nor a token service documented for it: the login for ${at('hub.example.test')} is not sent there; asking ${at('auth.example.test')} for an anonymous token`,
    ]);
  });

  test('positive control: a realm on the registry host itself gets the login the user gave for that registry', async () => {
    routes = { 'hub.example.test': (request, response) => ((request.url ?? '').startsWith('/token') ? tokenService(request, response) : registry({ auth: 'bearer', realm: `${origin('hub.example.test')}/token` })(request, response)), 'trigger.example.test': trigger };
    const result = await run({ region: REGION, 'access-key': AK, 'secret-key': SK, registry: at('hub.example.test'), 'deploy-image': hubImage(), 'deploy-trigger': triggerUrl() });
    assert.equal(result.exitCode, 0, result.stdout + result.stderr);
    const tokenRequests = requestsTo('hub.example.test').filter((r) => r.url.startsWith('/token'));
    assert.equal(tokenRequests.length, 1);
    assert.equal(decodeBasic(tokenRequests[0]?.headers.authorization), `${SWR_USER}:${DERIVED}`);
    assert.deepEqual(warnings(result), []);
  });

  test("a Docker Hub-style registry: the documented token service (auth.docker.io) gets the registry's login", async () => {
    routes = { 'registry-1.docker.io': registry({ auth: 'bearer', realm: `${origin('auth.docker.io')}/token` }), 'auth.docker.io': tokenService, 'trigger.example.test': trigger };
    const image = `${at('registry-1.docker.io')}/library/nginx:1.27`;
    const result = await run({ provider: 'generic', username: 'hub-user', password: 'hub-password-0123', 'deploy-image': image, 'deploy-trigger': triggerUrl() });
    assert.equal(result.exitCode, 0, result.stdout + result.stderr);
    const realm = requestsTo('auth.docker.io');
    assert.equal(realm.length, 1);
    assert.equal(decodeBasic(realm[0]?.headers.authorization), 'hub-user:hub-password-0123');
    assert.deepEqual(warnings(result), []);
  });
});

// ---------------------------------------------------------------- SWR login scope

describe('the SWR login goes only to SWR of the configured domain', () => {
  test('a Basic-challenging foreign registry gets no SWR login: the run fails with the 401 and says how to send a login there', async () => {
    routes = { 'hub.example.test': registry({ auth: 'basic', basicUser: { username: SWR_USER, password: DERIVED } }), 'trigger.example.test': trigger };
    const result = await run({ region: REGION, 'access-key': AK, 'secret-key': SK, 'deploy-image': hubImage(), 'deploy-trigger': triggerUrl() });
    assert.equal(result.exitCode, 1);
    assert.ok(requestsTo('hub.example.test').length >= 1);
    assert.ok(requestsTo('hub.example.test').every((r) => r.headers.authorization === undefined), 'no Authorization at all');
    assert.deepEqual(server.requests.filter((r) => carriesSwrLogin(r)).map((r) => r.host), []);
    assert.equal(requestsTo('trigger.example.test').length, 0, 'nothing deployed');
    assert.match(errors(result), /\(401\): hub\.example\.test:\d+ is not swr\.<region>\.myhuaweicloud\.com \(the configured domain\), so the SWR login is not sent there: put a login for hub\.example\.test:\d+ in the Docker config, or set registry: hub\.example\.test:\d+ if the configured login is meant for it/);
    assert.match(warnings(result).join('\n'), /set registry: hub\.example\.test:\d+ if the login is meant for it/);
  });

  test("deploy-image on another host uses the Docker config's login for that host, not the SWR login", async () => {
    routes = { 'hub.example.test': registry({ auth: 'basic', basicUser: { username: 'robot', password: 'robot-password-0123' } }), 'trigger.example.test': trigger };
    const dockerConfig = tempDir('imageship-hostile-cfg-');
    writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [at('hub.example.test')]: { auth: Buffer.from('robot:robot-password-0123').toString('base64') } } }));
    const result = await run({ region: REGION, 'access-key': AK, 'secret-key': SK, 'deploy-image': hubImage(), 'deploy-trigger': triggerUrl() }, { DOCKER_CONFIG: dockerConfig });
    rmSync(dockerConfig, { recursive: true, force: true });
    assert.equal(result.exitCode, 0, result.stdout + result.stderr);
    const sent = requestsTo('hub.example.test').map((r) => decodeBasic(r.headers.authorization)).filter(Boolean);
    assert.deepEqual([...new Set(sent)], ['robot:robot-password-0123']);
    assert.deepEqual(server.requests.filter((r) => carriesSwrLogin(r)).map((r) => r.host), []);
    assert.match(result.maskedLog, /using the Docker config's login for hub\.example\.test:\d+/);
    assert.equal(requestsTo('trigger.example.test').length, 1);
  });

  describe('replicate-to', () => {
    const namespace = uniqueNamespace('hscope');
    const swrUser = `${bed.region}@${bed.ak}`;
    before(async () => {
      await pushRandomImage(bed.swrRegistry, `${namespace}/app`, 'src', { layers: 1, layerBytes: 1024, auth: bedAuth });
    });
    const copyInputs = (extra: Record<string, string>): Record<string, string> => ({
      region: bed.region,
      'access-key': bed.ak,
      'secret-key': bed.sk,
      registry: bed.swrRegistry,
      namespace,
      image: 'app',
      'source-image': `${bed.swrRegistry}/${namespace}/app:src`,
      tags: 'copied',
      ...extra,
    });
    const wantsLogin = registry({ auth: 'basic', basicUser: { username: 'nobody', password: 'never-matches' } });

    test('swr.<region>.evil.example gets no credentials; the log warns and names replicate-credentials', async () => {
      routes = { [EVIL_SWR]: wantsLogin };
      const result = await run(copyInputs({ 'replicate-to': `${at(EVIL_SWR)}/mirror/app` }));
      assert.equal(result.exitCode, 1);
      assert.ok(requestsTo(EVIL_SWR).length >= 1, 'the replica was contacted');
      assert.ok(requestsTo(EVIL_SWR).every((r) => r.headers.authorization === undefined));
      assert.deepEqual(server.requests.filter((r) => carriesSwrLogin(r, swrUser, bed.derivedPassword)).map((r) => r.host), []);
      assert.match(warnings(result).join('\n'), new RegExp(`replicate-to: ${at(EVIL_SWR).replace(/\./g, '\\.')} is not swr\\.<region>\\.myhuaweicloud\\.com \\(the configured domain\\), so the SWR login is not sent there, and the Docker config has no login for it: copying without a login \\(list ${at(EVIL_SWR).replace(/\./g, '\\.')} in replicate-credentials`));
      assert.equal(await manifestDigest(bed.swrRegistry, `${namespace}/app`, 'copied', bedAuth), (await manifestDigest(bed.swrRegistry, `${namespace}/app`, 'src', bedAuth)), 'the copy itself was done');
    });

    test('listed in replicate-credentials, the same host gets the SWR login derived for its region (the user opted in)', async () => {
      routes = { [EVIL_SWR]: wantsLogin };
      const result = await run(copyInputs({ 'replicate-to': `${at(EVIL_SWR)}/mirror/app`, 'replicate-credentials': at(EVIL_SWR) }));
      assert.equal(result.exitCode, 1, 'the hostile replica refuses every login');
      const sent = requestsTo(EVIL_SWR).map((r) => decodeBasic(r.headers.authorization)).filter(Boolean);
      assert.ok(sent.length >= 1, 'the login was sent');
      assert.deepEqual([...new Set(sent)], [`${swrUser}:${bed.derivedPassword}`]);
    });

    test('swr.<region>.myhuaweicloud.com (the configured domain) gets the derived login without opting in', async () => {
      routes = { [REAL_SWR]: wantsLogin };
      const result = await run(copyInputs({ 'replicate-to': `${at(REAL_SWR)}/mirror/app` }));
      assert.equal(result.exitCode, 1);
      const sent = requestsTo(REAL_SWR).map((r) => decodeBasic(r.headers.authorization)).filter(Boolean);
      assert.deepEqual([...new Set(sent)], [`${swrUser}:${bed.derivedPassword}`]);
      assert.doesNotMatch(warnings(result).join('\n'), /is not swr\./);
    });
  });
});

// ---------------------------------------------------------------- redirects

describe('redirects: signed calls are never followed; unsigned ones keep credentials at home', () => {
  test('the ACR token API answering 307 to another origin: refused, the AccessKey id and security token go nowhere else', async () => {
    routes = {
      'cr.cn-hangzhou.aliyuncs.com': (_request, response) => response.writeHead(307, { location: `${origin('elsewhere.example.test')}/tokens` }).end(),
      'elsewhere.example.test': recorder,
    };
    const registryHost = at('registry.cn-hangzhou.aliyuncs.com');
    const result = await run({
      provider: 'alibabacloud',
      region: 'cn-hangzhou',
      'access-key': 'STS.NUHostileScope0001',
      'secret-key': 'HostileAlibabaSecret0000000000',
      'security-token': 'hostile-sts-security-token-0123456789',
      registry: registryHost,
      'deploy-image': `${registryHost}/team/app:1`,
      'deploy-trigger': triggerUrl(),
      endpoints: `cr=${origin('cr.cn-hangzhou.aliyuncs.com')}`,
    });
    assert.equal(result.exitCode, 1);
    assert.equal(requestsTo('cr.cn-hangzhou.aliyuncs.com').length, 1, 'asked once, not retried, not followed');
    assert.equal(requestsTo('cr.cn-hangzhou.aliyuncs.com')[0]?.headers['x-acs-security-token'], 'hostile-sts-security-token-0123456789');
    assert.equal(requestsTo('elsewhere.example.test').length, 0);
    assert.equal(requestsTo('registry.cn-hangzhou.aliyuncs.com').length, 0);
    assert.match(errors(result), new RegExp(`get Container Registry Personal Edition login in cn-hangzhou: the API answered HTTP 307, a redirect to elsewhere\\.example\\.test:${server.port}; imageship does not follow redirects of signed calls`));
  });

  const functionGraph = (play: { get: 'ok' | 'redirect'; put: 'redirect' }): Handler => (request, response) => {
    if (request.method === 'GET' && play.get === 'redirect') {
      response.writeHead(302, { location: `${origin('elsewhere.example.test')}${request.url}` }).end();
    } else if (request.method === 'GET') {
      const config = { func_urn: FUNCTION_URN, func_name: 'api-fn', runtime: 'Custom Image', handler: '-', memory_size: 256, timeout: 30, code_type: 'Custom-Image-Swr', user_data: '{"DB_PASSWORD":"fn-env-secret-0123"}', custom_image: { enabled: true, image: 'old/app:1' } };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(config));
    } else {
      response.writeHead(307, { location: `${origin('elsewhere.example.test')}${request.url}` }).end();
    }
  };
  const functionGraphInputs = (): Record<string, string> => ({
    region: REGION,
    'access-key': AK,
    'secret-key': SK,
    'deploy-image': hubImage(),
    'function-urn': FUNCTION_URN,
    endpoints: `functiongraph=${origin(`functiongraph.${REGION}.myhuaweicloud.com`)}`,
  });

  test("FunctionGraph's GET answering 302: refused; no config from another origin is read or PUT back", async () => {
    routes = { 'hub.example.test': registry({ auth: 'none' }), [`functiongraph.${REGION}.myhuaweicloud.com`]: functionGraph({ get: 'redirect', put: 'redirect' }), 'elsewhere.example.test': recorder };
    const result = await run(functionGraphInputs());
    assert.equal(result.exitCode, 1);
    assert.deepEqual(requestsTo(`functiongraph.${REGION}.myhuaweicloud.com`).map((r) => r.method), ['GET']);
    assert.equal(requestsTo('elsewhere.example.test').length, 0);
    assert.match(errors(result), new RegExp(`read FunctionGraph function api-fn: the API answered HTTP 302, a redirect to elsewhere\\.example\\.test:${server.port}; imageship does not follow redirects of signed calls`));
  });

  test("FunctionGraph's PUT answering 307: refused; the function config (user_data) is not re-sent elsewhere", async () => {
    routes = { 'hub.example.test': registry({ auth: 'none' }), [`functiongraph.${REGION}.myhuaweicloud.com`]: functionGraph({ get: 'ok', put: 'redirect' }), 'elsewhere.example.test': recorder };
    const result = await run(functionGraphInputs());
    assert.equal(result.exitCode, 1);
    const calls = requestsTo(`functiongraph.${REGION}.myhuaweicloud.com`);
    assert.deepEqual(calls.map((r) => r.method), ['GET', 'PUT'], 'the PUT is neither followed nor repeated');
    assert.match(calls[1]?.body.toString('utf8') ?? '', /fn-env-secret-0123/, 'the PUT carried the config to its own host');
    assert.equal(requestsTo('elsewhere.example.test').length, 0);
    assert.match(errors(result), /update FunctionGraph function api-fn to .*: the API answered HTTP 307, a redirect to elsewhere\.example\.test:\d+; imageship does not follow redirects of signed calls/);
  });

  test('a registry sending blob GETs to its CDN: followed, the CDN gets no Authorization, the copy completes', async () => {
    const source = { username: 'reader', password: 'reader-password-0123' };
    routes = { 'hub.example.test': registry({ auth: 'basic', basicUser: source, blobsAt: origin('cdn.example.test') }), 'cdn.example.test': cdn };
    const namespace = uniqueNamespace('hcdn');
    const result = await run({
      region: bed.region,
      'access-key': bed.ak,
      'secret-key': bed.sk,
      registry: bed.swrRegistry,
      namespace,
      image: 'app',
      'source-image': `${at('hub.example.test')}/library/nginx:1.27`,
      'source-username': source.username,
      'source-password': source.password,
      tags: 'mirrored',
    });
    assert.equal(result.exitCode, 0, result.stdout + result.stderr);
    const blobGets = requestsTo('hub.example.test').filter((r) => r.method === 'GET' && r.url.includes('/blobs/'));
    assert.ok(blobGets.length >= 1 && blobGets.every((r) => decodeBasic(r.headers.authorization) === `${source.username}:${source.password}`), 'the registry got its login');
    const atCdn = requestsTo('cdn.example.test');
    assert.ok(atCdn.length >= 2, 'config and layer came from the CDN');
    assert.ok(atCdn.every((r) => r.headers.authorization === undefined), 'the CDN got no Authorization');
    assert.equal(await manifestDigest(bed.swrRegistry, `${namespace}/app`, 'mirrored', bedAuth), MANIFEST_DIGEST);
  });

  test('a Kubernetes API server answering 302: not followed, the bearer token reaches no other origin', async () => {
    routes = {
      'hub.example.test': registry({ auth: 'none' }),
      'kube.example.test': (request, response) => response.writeHead(302, { location: `${origin('elsewhere.example.test')}${request.url}` }).end(),
      'elsewhere.example.test': recorder,
    };
    const kubeconfig = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: c',
      '  cluster:',
      `    server: ${origin('kube.example.test')}`,
      `    certificate-authority-data: ${Buffer.from(ca.caPem).toString('base64')}`,
      'users:',
      '- name: u',
      '  user:',
      '    token: hostile-kube-token-0123456789',
      'contexts:',
      '- name: x',
      '  context: {cluster: c, user: u}',
      'current-context: x',
    ].join('\n');
    const result = await run({ region: REGION, 'access-key': AK, 'secret-key': SK, 'deploy-image': hubImage(), workloads: 'prod/deployment/web', kubeconfig });
    assert.equal(result.exitCode, 1);
    const kube = requestsTo('kube.example.test');
    assert.ok(kube.length >= 1 && kube[0]?.headers.authorization === 'Bearer hostile-kube-token-0123456789', 'the API server itself got the token');
    assert.equal(requestsTo('elsewhere.example.test').length, 0);
  });

  test('a redeploy trigger answering 307: not followed, the token in its URL reaches no other origin', async () => {
    routes = {
      'hub.example.test': registry({ auth: 'none' }),
      'trigger.example.test': (_request, response) => response.writeHead(307, { location: `${origin('elsewhere.example.test')}/hook/${TRIGGER_TOKEN}` }).end(),
      'elsewhere.example.test': recorder,
    };
    const result = await run({ region: REGION, 'access-key': AK, 'secret-key': SK, 'deploy-image': hubImage(), 'deploy-trigger': triggerUrl() });
    assert.equal(result.exitCode, 1);
    assert.equal(requestsTo('trigger.example.test').length, 1);
    assert.equal(requestsTo('elsewhere.example.test').length, 0);
    assert.match(errors(result), /the trigger URL redirects/);
    assert.ok(!result.maskedLog.includes(TRIGGER_TOKEN), 'the token is not printed');
  });
});
