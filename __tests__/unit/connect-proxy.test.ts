import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import type { Socket } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import { promisify } from 'node:util';
import { startConnectProxy, type ConnectProxy } from '../helpers/connect-proxy.js';
import { startHostileServer, type HostileServer } from '../helpers/hostile/hostile-server.js';
import { makeTestCa, type TestCa } from '../helpers/hostile/test-ca.js';

// The stand-in for a corporate proxy: names resolve only at the proxy, so a
// client that reaches registry.corp.test must have gone through it.

const run = promisify(execFile);
let ca: TestCa;
let registry: HostileServer;
let api: HostileServer;
let proxy: ConnectProxy;
const USER = { username: 'proxy-user', password: 'p@ss:word' };

before(async () => {
  ca = await makeTestCa(['registry.corp.test']);
  registry = await startHostileServer((_request, response) => void response.end('{"registry":true}'), { tls: ca });
  api = await startHostileServer((request, response) => void response.end(`plain ${request.method} ${request.url}`));
  proxy = await startConnectProxy({ hosts: { 'registry.corp.test': `127.0.0.1:${registry.port}`, 'api.corp.test': `127.0.0.1:${api.port}` } });
});
after(async () => {
  await proxy.close();
  await registry.close();
  await api.close();
  await ca.remove();
});
beforeEach(() => {
  proxy.reset();
  proxy.setRefuse(false);
  proxy.setCredentials(undefined);
});

const curl = (args: string[]): Promise<{ stdout: string; code: number }> =>
  run('curl', ['-sS', '--max-time', '10', ...args], { encoding: 'utf8' }).then(
    (r) => ({ stdout: r.stdout, code: 0 }),
    (e: { stdout: string; code: number }) => ({ stdout: e.stdout, code: e.code }),
  );

test('curl through the proxy reaches a name only the proxy resolves, over verified TLS; the tunnel is recorded', async () => {
  const url = `https://registry.corp.test:${registry.port}/v2/`;
  const through = await curl(['-x', proxy.url(), '--cacert', ca.caFile, url]);
  assert.equal(through.stdout, '{"registry":true}');
  assert.deepEqual(proxy.tunnels(), [`registry.corp.test:${registry.port}`]);
  assert.equal(proxy.calls[0]?.connectedTo, `127.0.0.1:${registry.port}`);
  assert.ok((proxy.calls[0]?.bytesToClient ?? 0) > 0);
  assert.equal(registry.requests.at(-1)?.host, `registry.corp.test:${registry.port}`);
  // Without the proxy the name does not resolve: code 6 (could not resolve host).
  const direct = await curl(['--cacert', ca.caFile, url]);
  assert.equal(direct.code, 6);
});

test('with credentials required: 407 and Proxy-Authenticate without them, the tunnel with them', async () => {
  proxy.setCredentials(USER);
  const url = `https://registry.corp.test:${registry.port}/v2/`;
  const refused = await curl(['-x', proxy.url(), '--cacert', ca.caFile, '-o', '/dev/null', '-w', '%{http_connect}', url]);
  assert.equal(refused.stdout, '407');
  assert.notEqual(refused.code, 0);
  assert.equal(proxy.calls[0]?.status, 407);
  const challenge = await new Promise<string | undefined>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: proxy.port, method: 'CONNECT', path: `registry.corp.test:${registry.port}` });
    req.on('connect', (response, tunnel: Socket) => {
      tunnel.destroy();
      resolve(response.statusCode === 407 ? String(response.headers['proxy-authenticate']) : undefined);
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal(challenge, 'Basic realm="imageship-test-proxy"');
  const wrong = await curl(['-x', proxy.url({ username: USER.username, password: 'nope' }), '--cacert', ca.caFile, '-o', '/dev/null', '-w', '%{http_connect}', url]);
  assert.equal(wrong.stdout, '407');
  const ok = await curl(['-x', proxy.url(USER), '--cacert', ca.caFile, url]);
  assert.equal(ok.stdout, '{"registry":true}');
  assert.equal(proxy.calls.at(-1)?.proxyAuthorization, `Basic ${Buffer.from(`${USER.username}:${USER.password}`).toString('base64')}`);
  assert.deepEqual(proxy.tunnels(), [`registry.corp.test:${registry.port}`]);
});

test('refusal mode answers CONNECT with 403 and opens nothing', async () => {
  proxy.setRefuse(true);
  const before = registry.requests.length;
  const r = await curl(['-x', proxy.url(), '--cacert', ca.caFile, '-o', '/dev/null', '-w', '%{http_connect}', `https://registry.corp.test:${registry.port}/v2/`]);
  assert.equal(r.stdout, '403');
  assert.deepEqual(proxy.tunnels(), []);
  assert.equal(proxy.calls[0]?.status, 403);
  assert.equal(registry.requests.length, before);
});

test('plain HTTP is forwarded from an absolute URI (HTTP_PROXY), Host kept, Proxy-Authorization not passed on', async () => {
  proxy.setCredentials(USER);
  const r = await curl(['-x', proxy.url(USER), `http://api.corp.test:${api.port}/v1/things?x=1`]);
  assert.equal(r.stdout, 'plain GET /v1/things?x=1');
  const seen = api.requests.at(-1);
  assert.equal(seen?.host, `api.corp.test:${api.port}`);
  assert.equal(seen?.headers['proxy-authorization'], undefined);
  assert.equal(proxy.calls[0]?.method, 'GET');
  assert.equal(proxy.calls[0]?.target, `http://api.corp.test:${api.port}/v1/things?x=1`);
  assert.equal(proxy.calls[0]?.status, 200);
});

test('a Node client opens a CONNECT tunnel and speaks TLS through it with SNI for the proxied name', async () => {
  const socket = await new Promise<Socket>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: proxy.port, method: 'CONNECT', path: `registry.corp.test:${registry.port}` });
    req.on('connect', (response, tunnel: Socket) => {
      if (response.statusCode === 200) resolve(tunnel);
      else reject(new Error(`CONNECT answered ${response.statusCode}`));
    });
    req.on('error', reject);
    req.end();
  });
  const body = await new Promise<string>((resolve, reject) => {
    const tls = tlsConnect({ socket, servername: 'registry.corp.test', ca: ca.caPem }, () => {
      tls.write(`GET /v2/ HTTP/1.1\r\nHost: registry.corp.test:${registry.port}\r\nConnection: close\r\n\r\n`);
    });
    let text = '';
    tls.on('data', (chunk: Buffer) => (text += chunk.toString()));
    tls.on('end', () => resolve(text));
    tls.on('error', reject);
  });
  assert.match(body, /^HTTP\/1\.1 200/);
  assert.match(body, /\{"registry":true\}$/);
  assert.deepEqual(proxy.tunnels(), [`registry.corp.test:${registry.port}`]);
});

test('an unknown name that does not resolve gets 502 from the proxy', async () => {
  const r = await curl(['-x', proxy.url(), '-o', '/dev/null', '-w', '%{http_connect}', 'https://nowhere.invalid:443/']);
  assert.equal(r.stdout, '502');
  assert.equal(proxy.calls[0]?.status, 502);
});
