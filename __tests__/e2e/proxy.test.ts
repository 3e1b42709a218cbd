/**
 * The bundled action behind an HTTP CONNECT proxy. The registries and the
 * trigger stand-in answer on names (`*.proxied.test`) that resolve ONLY at
 * the proxy (the step's process has no hosts preload), so a run that
 * reaches them proves its requests went through the proxy; the proxy's
 * records say which tunnels it opened and with which credentials.
 */
import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect, createServer as createNetServer } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { after, afterEach, before, describe, test } from 'node:test';
import { startConnectProxy, type ConnectProxy } from '../helpers/connect-proxy.js';
import { sha256, startHostileRegistry, type HostileRegistry } from '../helpers/hostile/hostile-registry.js';
import { hostileEnv, startHostileServer, type HostileServer } from '../helpers/hostile/hostile-server.js';
import { makeTestCa, type TestCa } from '../helpers/hostile/test-ca.js';
import { runAction, type StepResult } from '../helpers/runner.js';
import { tempDir } from '../helpers/temp-dir.js';
import { startTlsRegistry, type TlsRegistry } from '../helpers/tls-registry.js';
import { startAlibabaCrStandIn } from '../standins/alibaba-cr.js';
import { startHuaweiCloudStandIn } from '../standins/huawei-cloud.js';
import { startKubeApiServer } from '../standins/kube-apiserver.js';

const SRC = 'src.proxied.test';
const DST = 'dst.proxied.test';
const HOOK = 'hook.proxied.test';
/** Resolved by the step itself (hosts preload), never by the proxy. */
const DIRECT = 'registry.direct.test';
/** The Huawei Cloud stand-in (IAM, FunctionGraph), behind a TLS front only the proxy can reach. */
const API = 'api.proxied.test';
const KUBE = 'kube.proxied.test';
/** A real registry (docker-registry over TLS, deletes enabled) for retention, behind the proxy. */
const KEEP = 'keep.proxied.test';
const FG = { ak: 'PROXIEDAK0123456789AB', sk: 'ProxiedSk0123456789abcdefghijklmnopqrstu', projectId: '0a1b2c3d4e5f60718293a4b5c6d7e8f9', region: 'cn-north-4' };

const ACR = { ak: 'LTAI5tPROXIEDAK000001', sk: 'ProxiedSecret000000000000000000', instance: 'cri-proxiedinstance01', token: 'eyJwcm94aWVkIjoidGVtcG9yYXJ5LXRva2VuIn0' };

/** TLS (the test CA's certificate) in front of a plain-HTTP stand-in at `url`. */
async function tlsFront(url: string): Promise<{ port: number; close(): Promise<void> }> {
  const target = new URL(url);
  const sockets = new Set<import('node:net').Socket>();
  const server = createTlsServer({ key: ca.keyPem, cert: ca.certPem }, (client) => {
    const upstream = netConnect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = (): void => void (client.destroy(), upstream.destroy());
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as import('node:net').AddressInfo).port,
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}
const PROXY_USER = { username: 'corp-user', password: 'Pr0xy-s3cret-Pa55' };
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

let ca: TestCa;
const started: Array<{ close(): Promise<void> }> = [];

before(async () => {
  ca = await makeTestCa([SRC, DST, HOOK, DIRECT, API, KEEP]);
});
after(async () => {
  await ca.remove();
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

/** A TLS source holding `src/app:v1` (one layer), a TLS destination, a TLS trigger stand-in, and a proxy that alone knows their names. */
async function proxiedBed(options: { credentials?: typeof PROXY_USER; hosts?: Record<string, string> } = {}): Promise<{ src: HostileRegistry; dst: HostileRegistry; hook: HostileServer; proxy: ConnectProxy; layer: string; digest: string }> {
  const src = await startHostileRegistry({ tls: ca });
  const dst = await startHostileRegistry({ tls: ca });
  const hook = await startHostileServer((_request, response) => void response.writeHead(200, { 'content-type': 'application/json' }).end('{}'), { tls: ca });
  started.push(src, dst, hook);
  const layerBytes = Buffer.from(`layer through the proxy ${Math.random()}`);
  const configBytes = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(layerBytes)] } }));
  const layer = src.putBlob(layerBytes);
  const config = src.putBlob(configBytes);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config, size: configBytes.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layer, size: layerBytes.length }],
    }),
  );
  const digest = src.putManifest('src/app', 'v1', manifest, OCI_MANIFEST);
  const port = (r: { host: string }): string => r.host.slice(r.host.lastIndexOf(':') + 1);
  const hookPort = new URL(hook.origin('127.0.0.1')).port;
  const proxy = await startConnectProxy({
    hosts: { [SRC]: `127.0.0.1:${port(src)}`, [DST]: `127.0.0.1:${port(dst)}`, [HOOK]: `127.0.0.1:${hookPort}`, ...options.hosts },
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  started.push(proxy);
  src.server.requests.length = 0;
  return { src, dst, hook, proxy, layer, digest };
}

function copyInputs(extra: Record<string, string> = {}): Record<string, string> {
  return { provider: 'generic', registry: DST, namespace: 'team', image: 'app', 'source-image': `${SRC}/src/app:v1`, tags: 'v1', ...extra };
}

/** The step's env: trust the test CA, and the proxy variables given (nothing else resolves the names). */
function proxyEnv(vars: Record<string, string>): Record<string, string> {
  return { NODE_EXTRA_CA_CERTS: ca.caFile, HTTPS_PROXY: '', HTTP_PROXY: '', NO_PROXY: '', https_proxy: '', http_proxy: '', no_proxy: '', ...vars };
}

/** One HTTPS call straight to a test registry at 127.0.0.1 (not through the proxy), trusting the test CA: seeding and reading back. */
function direct(registry: TlsRegistry, method: string, path: string, body?: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port: registry.port, method, path, ca: ca.caPem, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const digestOf = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Pushes `repository:tag` (a config with `created`, which retention reads, and one layer) straight into a TLS registry. */
async function seedImage(registry: TlsRegistry, repository: string, tag: string, created: string): Promise<void> {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', created, rootfs: { type: 'layers', diff_ids: [] } }));
  const layer = randomBytes(4096);
  for (const blob of [config, layer]) {
    const start = await direct(registry, 'POST', `/v2/${repository}/blobs/uploads/`);
    assert.equal(start.status, 202);
    const location = new URL(String(start.headers.location), `https://127.0.0.1:${registry.port}`);
    location.searchParams.set('digest', digestOf(blob));
    assert.equal((await direct(registry, 'PUT', `${location.pathname}${location.search}`, blob, { 'content-type': 'application/octet-stream' })).status, 201);
  }
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digestOf(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: digestOf(layer), size: layer.length }],
    }),
  );
  assert.equal((await direct(registry, 'PUT', `/v2/${repository}/manifests/${tag}`, manifest, { 'content-type': OCI_MANIFEST })).status, 201);
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as import('node:net').AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const errorLines = (run: StepResult): string[] => run.maskedLog.split('\n').filter((line) => line.startsWith('::error'));

describe('the action behind a CONNECT proxy', () => {
  test('a copy, its verify and a trigger go through an authenticating proxy; its password never reaches the log', async () => {
    const { dst, hook, proxy, layer } = await proxiedBed({ credentials: PROXY_USER });
    const run = await runAction({
      inputs: copyInputs({ 'deploy-trigger': `https://${HOOK}/hooks/redeploy` }),
      env: proxyEnv({ HTTPS_PROXY: proxy.url(PROXY_USER) }),
    });
    assert.equal(run.exitCode, 0, run.maskedLog);
    // Only the proxy could have reached these names.
    assert.ok(dst.manifest('team/app', 'v1'), 'the image reached the destination');
    assert.ok(dst.blobs.has(layer), 'the layer was copied through the tunnel');
    assert.equal(hook.requests.filter((r) => r.method === 'POST').length, 1, 'the trigger was called once');
    const tunnels = new Set(proxy.tunnels());
    for (const name of [SRC, DST, HOOK]) assert.ok(tunnels.has(`${name}:443`), `a tunnel to ${name}: ${[...tunnels].join(', ')}`);
    assert.ok(proxy.calls.length > 0 && proxy.calls.every((call) => call.status === 200), 'every CONNECT was accepted (credentials sent)');
    assert.ok(!run.maskedLog.includes(PROXY_USER.password), 'the proxy password is masked');
    assert.ok(run.masks.includes(PROXY_USER.password), 'the proxy password was registered as a mask');
  });

  test('deploy to FunctionGraph: the signed IAM and FunctionGraph calls go through the proxy', async () => {
    const huawei = await startHuaweiCloudStandIn({
      ak: FG.ak,
      sk: FG.sk,
      projectId: FG.projectId,
      region: FG.region,
      functions: [{ func_name: 'api-fn', runtime: 'Custom Image', handler: '-', memory_size: 256, timeout: 30, code_type: 'Custom-Image-Swr', custom_image: { enabled: true, image: `${SRC}/src/app:old` } }],
    });
    started.push(huawei);
    const front = await tlsFront(huawei.url);
    started.push(front);
    const { proxy, digest } = await proxiedBed({ hosts: { [API]: `127.0.0.1:${front.port}` } });
    const functionUrn = `urn:fss:${FG.region}:${FG.projectId}:function:default:api-fn`;
    const run = await runAction({
      inputs: {
        region: FG.region,
        'access-key': FG.ak,
        'secret-key': FG.sk,
        'deploy-image': `${SRC}/src/app@${digest}`,
        'function-tag': 'v1',
        'function-urn': functionUrn,
        endpoints: `functiongraph=https://${API}\niam=https://${API}`,
      },
      env: proxyEnv({ HTTPS_PROXY: proxy.url() }),
    });
    assert.equal(run.exitCode, 0, run.maskedLog);
    const fn = huawei.state.functions.get(functionUrn) as { custom_image: { image: string } };
    assert.equal(fn.custom_image.image, `${SRC}/src/app:v1`);
    assert.ok(huawei.calls.length > 0 && huawei.calls.every((call) => call.signatureValid), 'every call arrived signed');
    assert.ok(proxy.tunnels().includes(`${API}:443`), 'the API calls went through the proxy');
  });

  test('Alibaba ACR: the signed GetAuthorizationToken call goes through the proxy, then the copy with its token', async () => {
    const acr = await startAlibabaCrStandIn({
      accessKeyId: ACR.ak,
      accessKeySecret: ACR.sk,
      region: 'cn-hangzhou',
      instances: [{ id: ACR.instance, tempUsername: 'cr_temp_user', token: ACR.token }],
    });
    started.push(acr);
    const front = await tlsFront(acr.url);
    started.push(front);
    const { dst, proxy, layer } = await proxiedBed({ hosts: { [API]: `127.0.0.1:${front.port}` } });
    const run = await runAction({
      inputs: copyInputs({ provider: 'alibabacloud', region: 'cn-hangzhou', 'access-key': ACR.ak, 'secret-key': ACR.sk, 'instance-id': ACR.instance, endpoints: `cr=https://${API}` }),
      env: proxyEnv({ HTTPS_PROXY: proxy.url() }),
    });
    assert.equal(run.exitCode, 0, run.maskedLog);
    assert.ok(acr.calls.length > 0 && acr.calls.every((call) => call.signatureValid && call.status === 200), 'the token call reached the stand-in, signed');
    assert.ok(proxy.tunnels().includes(`${API}:443`), 'the token call went through the proxy');
    assert.ok(dst.blobs.has(layer));
    assert.ok(!run.maskedLog.includes(ACR.token), 'the temporary token is masked');
  });

  test('a Kubernetes rollout: the API server is reached through a CONNECT tunnel, its client certificate and CA kept', async () => {
    const { proxy, digest } = await proxiedBed();
    const kube = await startKubeApiServer({ stepMs: 50, workloads: [{ namespace: 'prod', kind: 'deployment', name: 'web', replicas: 1, containers: [{ name: 'app', image: `${SRC}/src/app:old` }] }] });
    started.push(kube);
    proxy.mapHost(KUBE, `127.0.0.1:${new URL(kube.url).port}`);
    const kubeconfig = JSON.parse(kube.kubeconfig({ format: 'json' })) as { clusters: Array<{ cluster: Record<string, string> }> };
    // A name only the proxy resolves; the stand-in's certificate is for localhost.
    kubeconfig.clusters[0]!.cluster = { ...kubeconfig.clusters[0]!.cluster, server: `https://${KUBE}`, 'tls-server-name': 'localhost' };
    const run = await runAction({
      inputs: { provider: 'generic', 'deploy-image': `${SRC}/src/app@${digest}`, workloads: 'prod/deployment/web', kubeconfig: JSON.stringify(kubeconfig), 'rollout-timeout': '60' },
      env: proxyEnv({ HTTPS_PROXY: proxy.url() }),
    });
    assert.equal(run.exitCode, 0, run.maskedLog);
    assert.ok(JSON.stringify([...kube.state.workloads.values()]).includes(digest), 'the workload now runs the digest');
    assert.ok(proxy.tunnels().includes(`${KUBE}:443`), 'the API server was reached through the proxy');
  });

  test('retention through an authenticating proxy: the tags list, the configs and the DELETE reach a registry only the proxy resolves', async () => {
    const { proxy, layer } = await proxiedBed({ credentials: PROXY_USER });
    const keep = await startTlsRegistry({ tls: ca, parentDir: tempDir('imageship-proxy-retention-') });
    started.push(keep);
    await seedImage(keep, 'team/app', 'old-1', '2026-01-01T00:00:00Z');
    await seedImage(keep, 'team/app', 'old-2', '2026-01-02T00:00:00Z');
    await keep.settle();
    keep.accessLog.length = 0;
    proxy.mapHost(KEEP, keep.host);
    const run = await runAction({
      inputs: copyInputs({ registry: KEEP, retention: 'keep-last=1 tag-pattern=old-.*' }),
      env: proxyEnv({ HTTPS_PROXY: proxy.url(PROXY_USER) }),
    });
    assert.equal(run.exitCode, 0, run.maskedLog);
    const tags = JSON.parse((await direct(keep, 'GET', '/v2/team/app/tags/list')).body.toString()) as { tags: string[] };
    assert.deepEqual(tags.tags.sort(), ['old-2', 'v1'], 'old-1 was deleted, the newest old tag and the pushed one kept');
    assert.equal((await direct(keep, 'HEAD', `/v2/team/app/blobs/${layer}`)).status, 200, 'the copy reached it too');
    await keep.settle();
    // The registry's own log: the deletion and the reads retention needs, all arrived (through the tunnel: nothing else resolves the name).
    assert.ok(keep.accessLog.some((entry) => entry.method === 'DELETE' && /^\/v2\/team\/app\/manifests\/sha256:/.test(entry.url) && entry.status === 202), JSON.stringify(keep.accessLog));
    assert.ok(keep.accessLog.some((entry) => entry.method === 'GET' && entry.url.startsWith('/v2/team/app/tags/list')));
    assert.ok(proxy.tunnels().includes(`${KEEP}:443`), 'the retention registry was reached through the proxy');
    assert.ok(proxy.calls.every((call) => call.status === 200), 'every CONNECT carried the credentials');
    assert.ok(!run.maskedLog.includes(PROXY_USER.password), 'the proxy password is masked');
  });

  test('NO_PROXY sends a host direct: the proxy records no request for it', async () => {
    const { proxy, layer } = await proxiedBed();
    // A TLS destination only the step resolves (hosts preload), so only a direct connection reaches it.
    const direct = await startHostileRegistry({ tls: ca });
    started.push(direct);
    const registry = `${DIRECT}:${direct.host.slice(direct.host.lastIndexOf(':') + 1)}`;
    const run = await runAction({
      inputs: copyInputs({ registry }),
      env: { ...proxyEnv({ HTTPS_PROXY: proxy.url(), NO_PROXY: 'localhost,.direct.test' }), ...hostileEnv([DIRECT], ca) },
    });
    assert.equal(run.exitCode, 0, run.maskedLog);
    assert.ok(direct.blobs.has(layer), 'the layer reached the NO_PROXY destination');
    assert.ok(proxy.tunnels().includes(`${SRC}:443`), 'the source still went through the proxy');
    assert.deepEqual(
      proxy.calls.filter((call) => call.target.includes(DIRECT)),
      [],
      'nothing for the NO_PROXY host reached the proxy',
    );
  });

  test('a proxy that refuses (403) gives one clear line, and nothing reaches the destination', async () => {
    const { dst, proxy } = await proxiedBed();
    proxy.setRefuse(true);
    const run = await runAction({ inputs: copyInputs(), env: proxyEnv({ HTTPS_PROXY: proxy.url() }) });
    assert.notEqual(run.exitCode, 0);
    const errors = errorLines(run);
    assert.equal(errors.length, 1, run.maskedLog);
    assert.match(errors[0]!, /proxy/i);
    assert.match(errors[0]!, /403/);
    assert.equal(dst.server.requests.length, 0);
  });

  test('a proxy that refuses connections gives one clear line naming it, and nothing reaches the destination', async () => {
    const { dst } = await proxiedBed();
    const port = await closedPort();
    const run = await runAction({ inputs: copyInputs(), env: proxyEnv({ HTTPS_PROXY: `http://127.0.0.1:${port}` }) });
    assert.notEqual(run.exitCode, 0);
    const errors = errorLines(run);
    assert.equal(errors.length, 1, run.maskedLog);
    assert.match(errors[0]!, new RegExp(`connection refused by the proxy http://127\\.0\\.0\\.1:${port} \\(from HTTPS_PROXY\\) \\(ECONNREFUSED\\) — is the proxy running\\? check HTTPS_PROXY`));
    assert.equal(dst.server.requests.length, 0);
  });

  test('a proxy that wants credentials (407) says so in one line', async () => {
    const { dst, proxy } = await proxiedBed({ credentials: PROXY_USER });
    const run = await runAction({ inputs: copyInputs(), env: proxyEnv({ HTTPS_PROXY: proxy.url() }) });
    assert.notEqual(run.exitCode, 0);
    const errors = errorLines(run);
    assert.equal(errors.length, 1, run.maskedLog);
    assert.match(errors[0]!, /407/);
    assert.match(errors[0]!, /credential|user|password|authenticat/i);
    assert.equal(dst.server.requests.length, 0);
  });

  test('wrong proxy credentials: refused with 407, and the wrong password is masked', async () => {
    const { proxy } = await proxiedBed({ credentials: PROXY_USER });
    const wrong = { username: PROXY_USER.username, password: 'not-the-Pa55word' };
    const run = await runAction({ inputs: copyInputs(), env: proxyEnv({ HTTPS_PROXY: proxy.url(wrong) }) });
    assert.notEqual(run.exitCode, 0);
    assert.match(errorLines(run).join('\n'), /407/);
    assert.ok(!run.maskedLog.includes(wrong.password));
  });

  test('an unusable proxy URL is an input error: one line naming the variable, nothing requested', async () => {
    const { src, proxy } = await proxiedBed();
    const run = await runAction({ inputs: copyInputs(), env: proxyEnv({ HTTPS_PROXY: 'ftp://proxy.example:21' }) });
    assert.notEqual(run.exitCode, 0);
    // Reported as every input error is: the problem, then the line saying nothing was done.
    const errors = errorLines(run);
    assert.equal(errors.length, 2, run.maskedLog);
    assert.match(errors[0]!, /HTTPS_PROXY uses ftp:\/\/.*give an http:\/\/ \(or https:\/\/\) proxy/);
    assert.match(errors[1]!, /before any side effect: nothing was logged in, built or pushed/);
    assert.equal(src.server.requests.length, 0);
    assert.equal(proxy.calls.length, 0);
  });
});
