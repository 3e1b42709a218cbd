/**
 * Credential scoping in-process: which host a login may reach (the rule, the
 * documented token services, the authenticator's realm check), which headers
 * a redirect to another origin keeps (nodeFetch, the raw blob GET), and the
 * refusal of redirects for signed calls. The bundled action meets the same
 * rules against hostile TLS servers in e2e/hostile-scope.test.ts.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { chooseLogin, swrRegionOf, type LoginScope } from '../../src/domain/credential-scope.js';
import { RegistryAuthenticator } from '../../src/registry/authenticator.js';
import { http1Get } from '../../src/registry/raw-http1.js';
import { isDocumentedTokenService } from '../../src/registry/token-services.js';
import { isCredentialHeader } from '../../src/util/credential-headers.js';
import { fetchWithRetry, HttpError } from '../../src/http/retry.js';
import { nodeFetch } from '../../src/http/node-fetch.js';
import type { Fetch } from '../../src/ports.js';
import { parseInputs, problemsFor, VALID_SWR_INPUTS } from '../helpers/config-input.js';

const SWR_SCOPE: LoginScope = { loginRegistry: 'swr.cn-north-4.myhuaweicloud.com', swrDomain: 'myhuaweicloud.com', optedIn: [] };

describe('chooseLogin: a login goes only to the host it belongs to', () => {
  it('gives the configured login to its own host, and the derived SWR login to another region of the same domain', () => {
    assert.deepEqual(chooseLogin('swr.cn-north-4.myhuaweicloud.com', SWR_SCOPE), { kind: 'configured' });
    assert.deepEqual(chooseLogin('SWR.cn-south-1.myhuaweicloud.com', SWR_SCOPE), { kind: 'swr-region', region: 'cn-south-1' });
    assert.deepEqual(chooseLogin('swr.ap-southeast-1.myhuaweicloud.com:443', SWR_SCOPE), { kind: 'swr-region', region: 'ap-southeast-1' });
  });

  it('keeps the login from look-alikes and third-party registries, saying why', () => {
    for (const host of ['swr.cn-north-4.evil.example', 'swr.cn-north-4.myhuaweicloud.com.evil.example', 'hub.example.test', 'docker.io', 'evilswr.cn-north-4.myhuaweicloud.com']) {
      const choice = chooseLogin(host, SWR_SCOPE);
      assert.equal(choice.kind, 'elsewhere', host);
      assert.match(choice.kind === 'elsewhere' ? choice.why : '', /is not swr\.<region>\.myhuaweicloud\.com \(the configured domain\)/);
    }
  });

  it('a username/password login goes to its registry only, not to other SWR regions', () => {
    const scope: LoginScope = { loginRegistry: 'registry.example.com', swrDomain: undefined, optedIn: [] };
    assert.deepEqual(chooseLogin('registry.example.com', scope), { kind: 'configured' });
    assert.equal(chooseLogin('swr.cn-south-1.myhuaweicloud.com', scope).kind, 'elsewhere');
    assert.equal(chooseLogin('registry.example.com:5000', scope).kind, 'elsewhere');
  });

  it('an opted-in host gets the login: derived for its region when it looks like SWR, else as configured', () => {
    const scope: LoginScope = { ...SWR_SCOPE, optedIn: ['swr.cn-north-4.evil.example', 'mirror.example.com'] };
    assert.deepEqual(chooseLogin('swr.cn-north-4.evil.example', scope), { kind: 'swr-region', region: 'cn-north-4' });
    assert.deepEqual(chooseLogin('mirror.example.com', scope), { kind: 'configured' });
    assert.equal(chooseLogin('other.example.com', scope).kind, 'elsewhere');
  });

  it('swrRegionOf reads the region only for the given domain', () => {
    assert.equal(swrRegionOf('swr.cn-north-4.myhuaweicloud.com', 'myhuaweicloud.com'), 'cn-north-4');
    assert.equal(swrRegionOf('swr.cn-north-4.myhuaweicloud.eu', 'myhuaweicloud.com'), undefined);
    assert.equal(swrRegionOf('swr.cn-north-4.myhuaweicloud.eu', undefined), 'cn-north-4');
    assert.equal(swrRegionOf('registry.cn-north-4.myhuaweicloud.com', undefined), undefined);
  });
});

describe('parseConfig: loginRegistry and replicate-credentials', () => {
  it('the login belongs to swr.<region>.<domain>, not to where deploy-image points; an explicit registry moves it', () => {
    const deployOnly = { region: 'cn-north-4', 'access-key': VALID_SWR_INPUTS['access-key'] ?? '', 'secret-key': VALID_SWR_INPUTS['secret-key'] ?? '', 'deploy-image': 'hub.example.test/library/nginx:1.27', 'deploy-trigger': 'https://trigger.example.com/hook/abc' };
    const config = parseInputs(deployOnly);
    assert.equal(config.registry, 'hub.example.test');
    assert.equal(config.loginRegistry, 'swr.cn-north-4.myhuaweicloud.com');
    assert.equal(parseInputs({ ...deployOnly, registry: 'hub.example.test' }).loginRegistry, 'hub.example.test');
    assert.equal(parseInputs({ ...VALID_SWR_INPUTS, registry: '127.0.0.1:5101' }).loginRegistry, '127.0.0.1:5101');
  });

  it('accepts the host of a replicate-to line, lowercased', () => {
    const config = parseInputs({ ...VALID_SWR_INPUTS, 'replicate-to': 'swr.cn-north-4.evil.example/mirror/app', 'replicate-credentials': 'SWR.cn-north-4.evil.example' });
    assert.deepEqual(config.copy.replicateCredentials, ['swr.cn-north-4.evil.example']);
  });

  it('refuses a host that is no replica, a URL, a duplicate, and a run without a login', () => {
    assert.match(problemsFor({ ...VALID_SWR_INPUTS, 'replicate-to': 'mirror.example.com/a/b', 'replicate-credentials': 'other.example.com' }).join('\n'), /^replicate-credentials: "other.example.com" is not the host of any replicate-to line: give the host\[:port\] of a replica, e\.g\. mirror\.example\.com$/m);
    assert.match(problemsFor({ ...VALID_SWR_INPUTS, 'replicate-to': 'mirror.example.com/a/b', 'replicate-credentials': 'https://mirror.example.com' }).join('\n'), /^replicate-credentials: "https:\/\/mirror.example.com" must be host\[:port\] without a scheme/m);
    assert.match(problemsFor({ ...VALID_SWR_INPUTS, 'replicate-to': 'mirror.example.com/a/b', 'replicate-credentials': 'mirror.example.com\nmirror.example.com' }).join('\n'), /is listed twice/);
    assert.match(
      problemsFor({ provider: 'generic', registry: 'registry.example.com', image: 'app', tags: 'latest', 'replicate-to': 'mirror.example.com/a/b', 'replicate-credentials': 'mirror.example.com' }).join('\n'),
      /^replicate-credentials: set, but the run has no login to hand on/m,
    );
  });
});

describe('token services documented for a registry', () => {
  it('knows Docker Hub, ACR Personal (and its VPC pair) and GitLab.com, and nothing else', () => {
    assert.ok(isDocumentedTokenService('registry-1.docker.io', 'auth.docker.io'));
    assert.ok(isDocumentedTokenService('registry.cn-hangzhou.aliyuncs.com', 'dockerauth.cn-hangzhou.aliyuncs.com'));
    assert.ok(isDocumentedTokenService('registry-vpc.cn-hangzhou.aliyuncs.com', 'dockerauth-vpc.cn-hangzhou.aliyuncs.com'));
    assert.ok(isDocumentedTokenService('registry.gitlab.com', 'gitlab.com'));
    assert.ok(!isDocumentedTokenService('registry.cn-hangzhou.aliyuncs.com', 'dockerauth.cn-shanghai.aliyuncs.com'), 'another region');
    assert.ok(!isDocumentedTokenService('registry.cn-hangzhou.aliyuncs.com', 'dockerauth-vpc.cn-hangzhou.aliyuncs.com'), 'the VPC pair of another endpoint');
    assert.ok(!isDocumentedTokenService('hub.example.test', 'auth.docker.io'));
    assert.ok(!isDocumentedTokenService('swr.cn-north-4.myhuaweicloud.com', 'auth.docker.io'));
  });
});

/** A fake fetch that answers token requests and records them. */
function tokenFetch(seen: { url: string; authorization: string | undefined }[]): Fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    seen.push({ url: String(input), authorization: headers['authorization'] });
    return new Response(JSON.stringify({ token: 'tok' }), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as Fetch;
}

function challenge(realm: string): Response {
  return new Response('', { status: 401, headers: { 'www-authenticate': `Bearer realm="${realm}",service="svc"` } });
}

describe('RegistryAuthenticator: where the login goes on a Bearer challenge', () => {
  const credentials = { username: 'cn-north-4@HPUATESTAK0000000001', password: 'derived-password' };

  it('sends Basic to a realm on the registry host and to the documented token service', async () => {
    for (const [registry, realm] of [
      ['hub.example.test:8443', 'https://hub.example.test:9443/token'],
      ['docker.io', 'https://auth.docker.io/token'],
      ['registry.cn-hangzhou.aliyuncs.com', 'https://dockerauth.cn-hangzhou.aliyuncs.com/auth'],
    ] as const) {
      const seen: { url: string; authorization: string | undefined }[] = [];
      const warnings: string[] = [];
      const auth = new RegistryAuthenticator({ registry, credentials, fetch: tokenFetch(seen), allowPlainHttpRealm: false, warn: (m) => warnings.push(m) });
      assert.equal(await auth.answerChallenge(challenge(realm), 'repository:a/b:pull', 'read'), 'Bearer tok');
      assert.match(seen[0]?.authorization ?? '', /^Basic /, `${registry} → ${realm}`);
      assert.deepEqual(warnings, []);
    }
  });

  it('asks any other realm anonymously, and warns once per realm host', async () => {
    const seen: { url: string; authorization: string | undefined }[] = [];
    const warnings: string[] = [];
    const auth = new RegistryAuthenticator({ registry: 'hub.example.test', credentials, fetch: tokenFetch(seen), allowPlainHttpRealm: false, warn: (m) => warnings.push(m) });
    assert.equal(await auth.answerChallenge(challenge('https://auth.example.test/token'), 'repository:a/b:pull', 'read'), 'Bearer tok');
    await auth.answerChallenge(challenge('https://auth.example.test/token'), 'repository:c/d:pull', 'read');
    assert.equal(seen.length, 2);
    assert.ok(seen.every((request) => request.authorization === undefined), 'no Authorization to the foreign realm');
    assert.deepEqual(warnings, [
      'registry hub.example.test names the token service auth.example.test, which is neither hub.example.test nor a token service documented for it: the login for hub.example.test is not sent there; asking auth.example.test for an anonymous token',
    ]);
  });

  it('still refuses a plain-HTTP realm on another host when the registry is HTTPS', async () => {
    const seen: { url: string; authorization: string | undefined }[] = [];
    const auth = new RegistryAuthenticator({ registry: 'hub.example.test', credentials, fetch: tokenFetch(seen), allowPlainHttpRealm: false });
    await assert.rejects(auth.answerChallenge(challenge('http://auth.example.test/token'), 'repository:a/b:pull', 'read'), /refusing to send credentials to the plain-HTTP token realm/);
    assert.equal(seen.length, 0);
  });
});

// ---------------------------------------------------------------- redirects

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const SIGNED_HEADERS = {
  authorization: 'acs LTAI:sig',
  'x-acs-accesskey-id': 'LTAI5tTestKey',
  'x-acs-security-token': 'sts-token-secret',
  'x-acs-signature-nonce': 'n1',
  'x-sdk-date': '20240101T000000Z',
  'x-auth-token': 'iam-token',
  'x-security-token': 'hw-sts-token',
  cookie: 'c=1',
  'proxy-authorization': 'Basic cHJveHk6cHc=',
  accept: 'application/json',
};

describe('redirects to another origin keep no credential header', () => {
  it('names every credential and signer header', () => {
    for (const name of Object.keys(SIGNED_HEADERS)) assert.equal(isCredentialHeader(name), name !== 'accept', name);
    assert.ok(isCredentialHeader('X-Acs-Region-Id'));
    assert.ok(!isCredentialHeader('content-type'));
  });

  it('nodeFetch drops them all across origins and keeps them on the same origin', async () => {
    const other = await serve((_req, res) => res.end('elsewhere'));
    const origin = await serve((req, res) => {
      if (req.url === '/first') res.writeHead(302, { Location: '/second' }).end();
      else res.writeHead(307, { Location: `${other.base}/third` }).end();
    });
    assert.equal(await (await nodeFetch(`${origin.base}/first`, { headers: SIGNED_HEADERS })).text(), 'elsewhere');
    assert.equal(origin.seen[1]?.headers['x-acs-security-token'], 'sts-token-secret', 'same origin keeps them');
    const leaked = Object.keys(other.seen[0]?.headers ?? {}).filter((name) => isCredentialHeader(name));
    assert.deepEqual(leaked, []);
    assert.equal(other.seen[0]?.headers.accept, 'application/json');
  });

  it('the raw blob GET follows a redirect to a CDN without the Authorization, and keeps it on the registry', async () => {
    const cdn = await serve((_req, res) => res.end('blob'));
    const registry = await serve((req, res) => {
      if (req.url === '/v2/a/blobs/x') res.writeHead(307, { Location: '/v2/a/blobs/y' }).end();
      else res.writeHead(302, { Location: `${cdn.base}/signed?sig=1` }).end();
    });
    const { exchange, head } = await http1Get(new URL(`${registry.base}/v2/a/blobs/x`), { 'accept-encoding': 'identity' }, 'Bearer registry-token', AbortSignal.timeout(5_000));
    assert.equal(head.status, 200);
    assert.equal((await exchange.readAll()).toString(), 'blob');
    assert.equal(registry.seen[1]?.headers.authorization, 'Bearer registry-token');
    assert.equal(cdn.seen[0]?.headers.authorization, undefined);
    assert.equal(cdn.seen[0]?.headers['accept-encoding'], 'identity');
  });
});

describe('fetchWithRetry: signed calls refuse redirects', () => {
  it('throws naming the operation, the status and the Location host; nothing reaches the other origin', async () => {
    const other = await serve((_req, res) => res.end('{}'));
    const api = await serve((_req, res) => res.writeHead(307, { Location: `${other.base}/v2/put-here` }).end());
    const error = await fetchWithRetry(nodeFetch, { url: `${api.base}/v2/function`, method: 'PUT', body: '{"user_data":"secret"}', operation: 'update FunctionGraph function f', refuseRedirects: true }).then(
      () => assert.fail('resolved'),
      (reason: unknown) => reason,
    );
    assert.ok(error instanceof HttpError);
    assert.equal(error.status, 307);
    assert.equal(
      error.message,
      `update FunctionGraph function f: the API answered HTTP 307, a redirect to ${new URL(other.base).host}; imageship does not follow redirects of signed calls (nothing was sent there): check the endpoint`,
    );
    assert.equal(api.seen.length, 1, 'not retried');
    assert.equal(other.seen.length, 0);
  });

  it('without refuseRedirects a redirect is still followed (unsigned calls)', async () => {
    const api = await serve((req, res) => (req.url === '/a' ? res.writeHead(302, { Location: '/b' }).end() : res.end('ok')));
    const response = await fetchWithRetry(nodeFetch, { url: `${api.base}/a`, operation: 'read' });
    assert.equal(await response.text(), 'ok');
  });
});
