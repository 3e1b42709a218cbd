/**
 * The Kubernetes sender on the shared transport: through HTTPS_PROXY it opens
 * a CONNECT tunnel to an API server name only the proxy resolves, and still
 * checks the server against the kubeconfig's CA (a CA it does not know fails
 * with the kubeconfig field to fix).
 */
import { strict as assert } from 'node:assert';
import { afterEach, test } from 'node:test';
import { KubeTransport } from '../../src/deploy/kubernetes/transport.js';
import { startConnectProxy } from '../helpers/connect-proxy.js';
import { startHostileServer } from '../helpers/hostile/hostile-server.js';
import { makeTestCa } from '../helpers/hostile/test-ca.js';

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function apiServerBehindProxy(): Promise<{ proxyUrl: string; tunnels: () => string[]; caPem: string; requests: () => number }> {
  const ca = await makeTestCa(['kube.proxied.test']);
  closers.push(() => ca.remove());
  const server = await startHostileServer((_request, response) => void response.writeHead(200, { 'content-type': 'application/json' }).end('{"kind":"Deployment"}'), { tls: ca });
  closers.push(() => server.close());
  const proxy = await startConnectProxy({ hosts: { 'kube.proxied.test': `127.0.0.1:${server.port}` } });
  closers.push(() => proxy.close());
  return { proxyUrl: proxy.url(), tunnels: () => proxy.tunnels(), caPem: ca.caPem, requests: () => server.requests.length };
}

const request = { method: 'GET' as const, path: '/apis/apps/v1/namespaces/prod/deployments/web', operation: 'get deployment prod/web', idempotent: true };

test('an API server reached only through HTTPS_PROXY, trusted by the kubeconfig CA', async () => {
  const bed = await apiServerBehindProxy();
  const transport = new KubeTransport(
    { server: 'https://kube.proxied.test', ca: Buffer.from(bed.caPem), token: 't', insecureSkipTlsVerify: false, context: 'c' },
    { env: { HTTPS_PROXY: bed.proxyUrl }, retry: { attempts: 1 } },
  );
  closers.push(() => transport.close());
  const answer = await transport.request(request);
  assert.equal(answer.status, 200);
  assert.equal(answer.body, '{"kind":"Deployment"}');
  assert.deepEqual(bed.tunnels(), ['kube.proxied.test:443']);
});

test('through the proxy, a server the kubeconfig CA does not sign fails naming certificate-authority-data', async () => {
  const bed = await apiServerBehindProxy();
  const other = await makeTestCa(['kube.proxied.test']);
  closers.push(() => other.remove());
  const transport = new KubeTransport(
    { server: 'https://kube.proxied.test', ca: Buffer.from(other.caPem), token: 't', insecureSkipTlsVerify: false, context: 'c' },
    { env: { HTTPS_PROXY: bed.proxyUrl }, retry: { attempts: 1 } },
  );
  closers.push(() => transport.close());
  await assert.rejects(transport.request(request), /certificate-authority-data/);
  assert.equal(bed.requests(), 0);
});
