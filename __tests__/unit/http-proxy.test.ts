/**
 * The transport through a proxy stand-in whose host names resolve only at
 * the proxy: a request that reaches its server went through the proxy. CONNECT
 * for https:// (with and without proxy credentials, 407, refusals), absolute-URI
 * forwarding for http://, NO_PROXY sending a host direct, keep-alive through a
 * tunnel, the raw socket path, and proxy settings that cannot work.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createTransport, NetworkError, ProxyConfigError, type Transport } from '../../src/http/index.js';
import { startConnectProxy, type ConnectProxy } from '../helpers/transport-test-proxy.js';
import { startHostileServer, type HostileServer } from '../helpers/hostile/hostile-server.js';
import { makeTestCa, type TestCa } from '../helpers/hostile/test-ca.js';
import { NODE24 } from '../helpers/runner.js';

let ca: TestCa;
let registry: HostileServer;
let api: HostileServer;
let certsDir: string;
const open: { close(): unknown }[] = [];

before(async () => {
  ca = await makeTestCa(['registry.test', 'proxy.test']);
  registry = await startHostileServer(
    (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url }));
    },
    { tls: ca },
  );
  api = await startHostileServer((req, res) => {
    res.end(`api ${req.method} ${req.url}`);
  });
  certsDir = await mkdtemp(join(tmpdir(), 'imageship-certs-d-'));
  await mkdir(join(certsDir, `registry.test:${registry.port}`));
  await writeFile(join(certsDir, `registry.test:${registry.port}`, 'ca.crt'), ca.caPem);
});
after(async () => {
  for (const item of open.splice(0)) await item.close();
  await registry.close();
  await api.close();
  await ca.remove();
  await rm(certsDir, { recursive: true, force: true });
});

async function proxy(options: Omit<Parameters<typeof startConnectProxy>[0], 'hosts'> = {}): Promise<ConnectProxy> {
  const started = await startConnectProxy({ hosts: { 'registry.test': registry.port, 'api.test': api.port }, ...options });
  open.push(started);
  return started;
}

function transport(env: Record<string, string>, secrets: string[] = []): Transport {
  const made = createTransport({ env, certsDir, onSecret: (value) => secrets.push(value), timeouts: { connectMs: 3_000, idleMs: 3_000 } });
  open.push(made);
  return made;
}

/** The NetworkError a rejected fetch carries as its cause. */
async function failure(promise: Promise<unknown>): Promise<NetworkError> {
  const error = await promise.then(
    () => assert.fail('expected the request to fail'),
    (reason: unknown) => reason,
  );
  assert.ok(error instanceof TypeError, String(error));
  const cause = (error as TypeError).cause;
  assert.ok(cause instanceof NetworkError, String(cause));
  return cause;
}

describe('https:// through a CONNECT proxy', () => {
  it('tunnels to a host only the proxy can resolve, trusting its CA from certs.d inside the tunnel', async () => {
    const p = await proxy();
    const t = transport({ HTTPS_PROXY: p.url });
    const before = registry.requests.length;
    const response = await t.fetch(`https://registry.test:${registry.port}/v2/app/tags/list?n=1`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { path: '/v2/app/tags/list?n=1' });
    assert.deepEqual(p.records.map((r) => [r.kind, r.target, r.proxyAuthorization]), [['connect', `registry.test:${registry.port}`, undefined]]);
    const seen = registry.requests.slice(before);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.host, `registry.test:${registry.port}`);
    assert.equal(seen[0]?.url, '/v2/app/tags/list?n=1', 'origin-form inside the tunnel');
  });

  it('keeps the tunnel alive: three requests, one CONNECT', async () => {
    const p = await proxy();
    const t = transport({ HTTPS_PROXY: p.url });
    for (let i = 0; i < 3; i++) await (await t.fetch(`https://registry.test:${registry.port}/v2/${i}`)).text();
    assert.equal(p.records.filter((r) => r.kind === 'connect').length, 1);
  });

  it('sends URL-decoded credentials as Proxy-Authorization: Basic, registers them as secrets, and never passes them to the registry', async () => {
    const p = await proxy({ auth: { user: 'ci bot', password: 'p@ss:word' } });
    const secrets: string[] = [];
    const t = transport({ https_proxy: `http://ci%20bot:p%40ss%3Aword@127.0.0.1:${p.port}` }, secrets);
    const before = registry.requests.length;
    const response = await t.fetch(`https://registry.test:${registry.port}/v2/`);
    assert.equal(response.status, 200);
    const basic = `Basic ${Buffer.from('ci bot:p@ss:word').toString('base64')}`;
    assert.equal(p.records[0]?.proxyAuthorization, basic);
    assert.ok(secrets.includes('p@ss:word'), 'the decoded password');
    assert.ok(secrets.includes(basic), 'the header value');
    assert.equal(registry.requests.slice(before)[0]?.headers['proxy-authorization'], undefined);
  });

  it('a 407 to CONNECT is one line naming the proxy (without credentials), the destination and the fix', async () => {
    const p = await proxy({ auth: { user: 'ci', password: 'right' } });
    const t = transport({ HTTPS_PROXY: `http://ci:wrong-secret@127.0.0.1:${p.port}` });
    const error = await failure(t.fetch(`https://registry.test:${registry.port}/v2/`));
    assert.equal(
      error.message,
      `the proxy http://127.0.0.1:${p.port} refused CONNECT to registry.test:${registry.port} (407 Proxy Authentication Required): check the credentials in HTTPS_PROXY`,
    );
    assert.equal(error.kind, 'proxy-auth');
    assert.equal(error.transient, false);
    assert.doesNotMatch(error.message, /wrong-secret/);
  });

  it('a 407 when no credentials were given says where to put them', async () => {
    const p = await proxy({ auth: { user: 'ci', password: 'right' } });
    const t = transport({ HTTPS_PROXY: p.url });
    const error = await failure(t.fetch(`https://registry.test:${registry.port}/v2/`));
    assert.match(error.message, /\(407 Proxy Authentication Required\): the proxy wants credentials: put them in HTTPS_PROXY as http:\/\/user:password@127\.0\.0\.1:\d+$/);
  });

  it('a refused destination (403) and an unreachable one (502) name the answer; only the 502 is worth a retry', async () => {
    const p = await proxy({ refuse: (authority) => (authority.startsWith('registry.test') ? 403 : undefined) });
    const t = transport({ HTTPS_PROXY: p.url });
    const forbidden = await failure(t.fetch(`https://registry.test:${registry.port}/v2/`));
    assert.equal(
      forbidden.message,
      `the proxy ${p.url} refused CONNECT to registry.test:${registry.port} (403 Forbidden): the proxy does not allow this destination: ask its administrator, or list the host in NO_PROXY if it is reachable without the proxy`,
    );
    assert.deepEqual([forbidden.kind, forbidden.transient, forbidden.nothingSent], ['proxy-refused', false, true]);
    const unknown = await failure(t.fetch('https://nowhere.test/v2/'));
    assert.equal(unknown.message, `the proxy ${p.url} refused CONNECT to nowhere.test:443 (502 Bad Gateway): the proxy could not reach nowhere.test:443: check the name and port, or try again`);
    assert.deepEqual([unknown.transient, unknown.nothingSent], [true, true]);
  });

  it('a proxy nobody listens on is named with the variable it came from', async () => {
    const p = await proxy();
    const port = p.port;
    await p.close();
    const t = transport({ HTTPS_PROXY: `http://127.0.0.1:${port}` });
    const error = await failure(t.fetch(`https://registry.test:${registry.port}/v2/`));
    assert.equal(error.message, `connection refused by the proxy http://127.0.0.1:${port} (from HTTPS_PROXY) (ECONNREFUSED) — is the proxy running? check HTTPS_PROXY`);
    assert.equal(error.nothingSent, true);
  });

  it('the raw socket path opens the same tunnel, TLS and trust', async () => {
    const p = await proxy();
    const t = transport({ HTTPS_PROXY: p.url });
    const { socket, forward } = await t.connect(`https://registry.test:${registry.port}/`);
    assert.equal(forward, undefined);
    socket.write(`GET /v2/raw HTTP/1.1\r\nHost: registry.test:${registry.port}\r\nConnection: close\r\n\r\n`);
    const chunks: Buffer[] = [];
    for await (const chunk of socket) chunks.push(chunk as Buffer);
    assert.match(Buffer.concat(chunks).toString(), /^HTTP\/1\.1 200[\s\S]*\{"path":"\/v2\/raw"\}/);
    assert.deepEqual(p.records.map((r) => r.target), [`registry.test:${registry.port}`]);
  });
});

describe('http:// through a proxy', () => {
  it('forwards with the absolute URI and Proxy-Authorization, which the server never sees', async () => {
    const p = await proxy({ auth: { user: 'u', password: 'pw' } });
    const t = transport({ HTTP_PROXY: `http://u:pw@127.0.0.1:${p.port}` });
    const before = api.requests.length;
    const response = await t.fetch(`http://api.test:${api.port}/hook?x=1`, { method: 'POST', body: 'ping' });
    assert.equal(await response.text(), 'api POST /hook?x=1');
    assert.deepEqual(p.records.map((r) => [r.kind, r.target]), [['forward', `http://api.test:${api.port}/hook?x=1`]]);
    assert.equal(p.records[0]?.headers.host, `api.test:${api.port}`);
    assert.equal(p.records[0]?.proxyAuthorization, `Basic ${Buffer.from('u:pw').toString('base64')}`);
    const seen = api.requests.slice(before);
    assert.equal(seen[0]?.headers['proxy-authorization'], undefined);
    assert.equal(seen[0]?.body.toString(), 'ping');
  });

  it("a forward proxy's own 407 is the same kind of one-line error", async () => {
    const p = await proxy({ auth: { user: 'u', password: 'pw' } });
    const t = transport({ HTTP_PROXY: `http://u:nope@127.0.0.1:${p.port}` });
    const error = await failure(t.fetch(`http://api.test:${api.port}/hook`));
    assert.equal(error.message, `the proxy http://127.0.0.1:${p.port} refused GET http://api.test:${api.port} (407 Proxy Authentication Required): check the credentials in HTTP_PROXY`);
  });
});

describe('NO_PROXY and loopback go direct', () => {
  it('a host in NO_PROXY is resolved and dialled here, not at the proxy', async () => {
    const p = await proxy();
    const t = transport({ HTTPS_PROXY: p.url, NO_PROXY: '.test' });
    const error = await failure(t.fetch(`https://registry.test:${registry.port}/v2/`));
    assert.equal(error.kind, 'dns');
    assert.match(error.message, /^cannot resolve registry\.test: (no such host \(ENOTFOUND\)|temporary DNS failure \(EAI_AGAIN\))/);
    assert.equal(p.records.length, 0);
  });

  it('loopback addresses never go through the proxy (Go)', async () => {
    const p = await proxy();
    const t = transport({ HTTP_PROXY: p.url });
    assert.equal(await (await t.fetch(`http://127.0.0.1:${api.port}/direct`)).text(), 'api GET /direct');
    assert.equal(p.records.length, 0);
    assert.equal(t.proxyFor(`http://api.test:${api.port}/`)?.display, p.url);
  });
});

describe('proxy settings that cannot work fail before any connection', () => {
  it('a socks proxy, a URL that does not parse: one line naming the variable, no password in it', () => {
    assert.throws(() => createTransport({ env: { HTTPS_PROXY: 'socks5://u:topsecret@proxy:1080' } }), (error: unknown) => {
      assert.ok(error instanceof ProxyConfigError);
      assert.equal(error.message, 'HTTPS_PROXY uses socks5://, which imageship does not speak: give an http:// (or https://) proxy');
      return true;
    });
    assert.throws(() => createTransport({ env: { HTTP_PROXY: 'http://u:topsecret@proxy:99999' } }), (error: unknown) => {
      assert.ok(error instanceof ProxyConfigError);
      assert.equal(error.message, 'HTTP_PROXY is not a proxy URL (http://***@proxy:99999): set it to http://host:port, or http://user:password@host:port');
      return true;
    });
  });
});

describe('in a fresh Node 24 process (the action runtime)', () => {
  it('an https:// proxy and the registry are both trusted through NODE_EXTRA_CA_CERTS, inside the tunnel too, without loading undici', async () => {
    const p = await proxy({ tls: { cert: ca.certPem, key: ca.keyPem } });
    const library = fileURLToPath(new URL('../../src/http/index.js', import.meta.url));
    const script = `
      const { createTransport } = await import(${JSON.stringify(library)});
      const t = createTransport({ certsDir: '/nonexistent' });
      const response = await t.fetch(${JSON.stringify(`https://registry.test:${registry.port}/v2/child`)});
      console.log(JSON.stringify({ status: response.status, body: await response.json(), undici: process.moduleLoadList.filter((m) => m.includes('undici')) }));
      t.close();`;
    const env = { PATH: process.env.PATH ?? '', HTTPS_PROXY: `https://localhost:${p.port}`, NODE_EXTRA_CA_CERTS: ca.caFile };
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(NODE24, ['--input-type=module', '-e', script], { env }, (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out))),
    );
    assert.deepEqual(JSON.parse(stdout), { status: 200, body: { path: '/v2/child' }, undici: [] });
    assert.deepEqual(p.records.map((r) => [r.kind, r.target]), [['connect', `registry.test:${registry.port}`]]);
  });
});
