/**
 * The registry client's raw blob path (raw-http1.ts, raw-blob-put.ts) on the
 * transport's sockets: with a proxy for plain http:// the blob PUT and GET
 * go to the proxy as absolute-URI requests carrying the proxy's
 * credentials, and reach a name only the proxy resolves.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, test } from 'node:test';
import { createTransport } from '../../src/http/index.js';
import { RegistryClient } from '../../src/registry/client.js';
import { startConnectProxy } from '../helpers/connect-proxy.js';
import { startHostileRegistry } from '../helpers/hostile/hostile-registry.js';

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

test('blob PUT and GET go through HTTP_PROXY as absolute-URI requests with the proxy credentials', async () => {
  const registry = await startHostileRegistry();
  closers.push(() => registry.close());
  const credentials = { username: 'u', password: 'raw-path-secret' };
  const proxy = await startConnectProxy({ hosts: { 'plain.proxied.test': registry.host }, credentials });
  closers.push(() => proxy.close());
  const secrets: string[] = [];
  const transport = createTransport({ env: { HTTP_PROXY: proxy.url(credentials) }, onSecret: (secret) => secrets.push(secret) });
  closers.push(() => transport.close());
  const client = new RegistryClient({ registry: 'plain.proxied.test', scheme: 'http', fetch: transport.fetch });

  const bytes = Buffer.from('a blob that only the proxy can deliver');
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  await client.uploadBlobReadable('team/app', digest, bytes.length, Readable.from([bytes]));
  assert.deepEqual(registry.blobs.get(digest), bytes);
  const blob = await client.getBlobReadable('team/app', digest);
  assert.equal(await text(blob.stream), bytes.toString());

  const forwarded = proxy.calls.filter((call) => call.method !== 'CONNECT');
  assert.ok(
    forwarded.some((call) => call.method === 'PUT' && call.target.startsWith('http://plain.proxied.test/v2/team/app/blobs/uploads/')),
    forwarded.map((c) => `${c.method} ${c.target}`).join('\n'),
  );
  assert.ok(forwarded.some((call) => call.method === 'GET' && call.target === `http://plain.proxied.test/v2/team/app/blobs/${digest}`));
  assert.ok(forwarded.every((call) => call.status !== 407), 'every request carried the proxy credentials');
  assert.ok(secrets.includes(credentials.password), 'the proxy password went to onSecret');
});
