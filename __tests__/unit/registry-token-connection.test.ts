/**
 * A token realm on the registry's own origin (SWR, GHCR, Harbor, Quay):
 * the 401's body is read before the token is asked for, so the token request
 * rides the registry's kept-alive connection instead of opening another
 * (TCP + TLS, two round trips, at a remote registry). The refused answer
 * stays readable: a 401 nobody can answer is reported with the registry's
 * own message. A real node:http server on loopback, counting connections,
 * and the real transport (nodeFetch).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { describe, it } from 'node:test';
import { nodeFetch } from '../../src/http/node-fetch.js';
import { RegistryClient } from '../../src/registry/client.js';

const CONFIG_DIGEST = `sha256:${'b'.repeat(64)}`;
const MANIFEST = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: CONFIG_DIGEST, size: 2 }, layers: [] });
const DIGEST = `sha256:${createHash('sha256').update(MANIFEST).digest('hex')}`;
const CREDENTIALS = { username: 'user', password: 'secret-password' };

interface Seen {
  /** `connection#n METHOD path status`, in order. */
  requests: string[];
  connections: number;
}

/**
 * `/v2/org/app/…` wants `Bearer good`; `/v2/org/odd/…` is refused with a scheme nobody speaks. `/token` on the same
 * origin gives `good` for the right password. Every refusal carries distribution's JSON error body, as it does.
 */
function handler(seen: Seen, connectionOf: (socket: Socket) => number) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://registry');
    const answer = (status: number, headers: Record<string, string>, body: string): void => {
      seen.requests.push(`connection#${connectionOf(req.socket)} ${req.method} ${url.pathname} ${status}`);
      res.writeHead(status, { 'content-length': String(Buffer.byteLength(body)), ...headers }).end(body);
    };
    const refusal = (message: string): string => JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message, detail: null }] });
    if (url.pathname === '/token') {
      const basic = `Basic ${Buffer.from(`${CREDENTIALS.username}:${CREDENTIALS.password}`).toString('base64')}`;
      if (req.headers.authorization !== basic) answer(401, { 'content-type': 'application/json' }, '{"details":"incorrect username or password"}');
      else answer(200, { 'content-type': 'application/json' }, JSON.stringify({ token: 'good' }));
      return;
    }
    if (url.pathname.startsWith('/v2/org/odd/')) {
      answer(401, { 'www-authenticate': 'Negotiate', 'content-type': 'application/json' }, refusal('the odd repository says no'));
      return;
    }
    if (req.headers.authorization !== 'Bearer good') {
      const realm = `http://${req.headers.host}/token`;
      answer(401, { 'www-authenticate': `Bearer realm="${realm}",service="registry",scope="repository:org/app:pull"`, 'content-type': 'application/json' }, refusal('authentication required'));
      return;
    }
    answer(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': DIGEST }, MANIFEST);
  };
}

/** A registry of its own per test: a new origin, so no kept-alive connection of an earlier test is reused. */
async function startRegistry(): Promise<{ registry: string; seen: Seen; close(): Promise<void> }> {
  const seen: Seen = { requests: [], connections: 0 };
  const ids = new WeakMap<Socket, number>();
  const server: Server = createServer(handler(seen, (socket) => ids.get(socket) ?? 0));
  server.on('connection', (socket: Socket) => {
    seen.connections += 1;
    ids.set(socket, seen.connections);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    registry: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('a token realm on the registry origin', () => {
  it('the 401, the token and the retried GET share one connection', async () => {
    const { registry, seen, close } = await startRegistry();
    try {
      const client = new RegistryClient({ registry, fetch: nodeFetch, credentials: CREDENTIALS });
      const manifest = await client.getManifest('org/app', 'v1');
      assert.equal(manifest.info.digest, DIGEST);
      assert.deepEqual(seen.requests, ['connection#1 GET /v2/org/app/manifests/v1 401', 'connection#1 GET /token 200', 'connection#1 GET /v2/org/app/manifests/v1 200']);
      assert.equal(seen.connections, 1);
    } finally {
      await close();
    }
  });

  it('a HEAD refused (no body to read, a Content-Length all the same) gives its connection back before the token request', async () => {
    const { registry, seen, close } = await startRegistry();
    try {
      const client = new RegistryClient({ registry, fetch: nodeFetch, credentials: CREDENTIALS });
      const head = await client.headManifest('org/app', 'v1');
      assert.equal(head?.digest, DIGEST);
      assert.deepEqual(seen.requests, ['connection#1 HEAD /v2/org/app/manifests/v1 401', 'connection#1 GET /token 200', 'connection#1 HEAD /v2/org/app/manifests/v1 200']);
      assert.equal(seen.connections, 1);
    } finally {
      await close();
    }
  });

  it('a 401 no challenge answers is reported with the registry message from the body read before', async () => {
    const { registry, close } = await startRegistry();
    try {
      const client = new RegistryClient({ registry, fetch: nodeFetch, credentials: CREDENTIALS });
      await assert.rejects(client.getManifest('org/odd', 'v1'), (error: Error) => {
        assert.match(error.message, /HTTP 401 UNAUTHORIZED: the odd repository says no/);
        return true;
      });
    } finally {
      await close();
    }
  });

  it('a refused login at the token service is reported with its message, and the password is nowhere in it', async () => {
    const { registry, close } = await startRegistry();
    try {
      const client = new RegistryClient({ registry, fetch: nodeFetch, credentials: { username: 'user', password: 'wrong-password' } });
      await assert.rejects(client.getManifest('org/app', 'v1'), (error: Error) => {
        assert.match(error.message, /incorrect username or password/);
        assert.doesNotMatch(error.message, /wrong-password/);
        return true;
      });
    } finally {
      await close();
    }
  });
});
