/**
 * The scope cache of one registry client shared by a run: a token held for a
 * scope that covers a request is reused; a request needing more asks once for
 * the union (pull → pull+push), and that token serves both afterwards. The
 * registry stand-in checks scopes like distribution's token auth and counts
 * token requests and 401s.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RegistryClient } from '../../src/registry/client.js';
import { RegistryClients } from '../../src/registry/clients.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

interface StandIn {
  fetch: typeof globalThis.fetch;
  /** Each token request's scope parameters, sorted. */
  tokenRequests: string[][];
  /** `METHOD path` of requests refused with 401. */
  challenged: string[];
}

/** Registry `reg.test` with its token service at /token; HEAD/DELETE of manifests only. */
function registryStandIn(): StandIn {
  const tokens = new Map<string, Map<string, Set<string>>>();
  const tokenRequests: string[][] = [];
  const challenged: string[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = init?.method ?? 'GET';
    const headers = new Headers(init?.headers);
    if (url.pathname === '/token') {
      const scopes = url.searchParams.getAll('scope').sort();
      tokenRequests.push(scopes);
      const granted = new Map<string, Set<string>>();
      for (const item of scopes) {
        const colon = item.lastIndexOf(':');
        granted.set(item.slice(0, colon), new Set(item.slice(colon + 1).split(',')));
      }
      const token = `t${tokenRequests.length}`;
      tokens.set(token, granted);
      return Response.json({ token });
    }
    const name = /^\/v2\/(.+?)\/manifests\//.exec(url.pathname)?.[1] ?? '';
    const action = method === 'HEAD' || method === 'GET' ? 'pull' : method === 'DELETE' ? 'delete' : 'push';
    const held = tokens.get(headers.get('authorization')?.replace(/^Bearer /, '') ?? '')?.get(`repository:${name}`);
    if (!held?.has(action)) {
      challenged.push(`${method} ${url.pathname}`);
      const scope = `repository:${name}:${action === 'pull' ? 'pull' : `pull,${action}`}`;
      return new Response(null, { status: 401, headers: { 'www-authenticate': `Bearer realm="https://reg.test/token",service="reg.test",scope="${scope}"` } });
    }
    if (method === 'DELETE') return new Response(null, { status: 202 });
    return new Response(null, {
      status: 200,
      headers: { 'docker-content-digest': DIGEST, 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'content-length': '10' },
    });
  }) as typeof globalThis.fetch;
  return { fetch, tokenRequests, challenged };
}

const CREDENTIALS = { username: 'user', password: 'secret-password' };

describe('registry token scopes', () => {
  it('a pull+push token serves later reads of the same repository: no second token', async () => {
    const standIn = registryStandIn();
    const client = new RegistryClient({ registry: 'reg.test', fetch: standIn.fetch, credentials: CREDENTIALS });
    client.willPush('org/app');
    await client.headManifest('org/app', 'v1'); // asks pull+push up front
    // The verify step of the same run reads with the same client: the held token covers pull.
    const verify = await client.headManifest('org/app', 'v2');
    assert.equal(verify?.digest, DIGEST);
    assert.deepEqual(standIn.tokenRequests, [['repository:org/app:pull,push']]);
  });

  it('a pull token is widened once: the delete asks for pull+delete, and both scopes are then served by that token', async () => {
    const standIn = registryStandIn();
    const client = new RegistryClient({ registry: 'reg.test', fetch: standIn.fetch, credentials: CREDENTIALS });
    await client.headManifest('org/app', 'v1');
    assert.equal(await client.deleteManifest('org/app', DIGEST, 'tag old'), true);
    await client.headManifest('org/app', 'v2');
    assert.equal(await client.deleteManifest('org/app', DIGEST), true);
    assert.deepEqual(standIn.tokenRequests, [['repository:org/app:pull'], ['repository:org/app:delete,pull']]);
    // Only the first request of the run meets a 401: the widened token is fetched before the DELETE is sent.
    assert.deepEqual(standIn.challenged, ['HEAD /v2/org/app/manifests/v1']);
  });

  it('another repository gets its own token, not a widened one for both', async () => {
    const standIn = registryStandIn();
    const client = new RegistryClient({ registry: 'reg.test', fetch: standIn.fetch, credentials: CREDENTIALS });
    await client.headManifest('org/app', 'v1');
    await client.headManifest('org/other', 'v1');
    await client.headManifest('org/app', 'v1');
    assert.deepEqual(standIn.tokenRequests, [['repository:org/app:pull'], ['repository:org/other:pull']]);
  });

  it('parallel requests needing the same wider scope share one token request', async () => {
    const standIn = registryStandIn();
    const client = new RegistryClient({ registry: 'reg.test', fetch: standIn.fetch, credentials: CREDENTIALS });
    await client.headManifest('org/app', 'v1');
    await Promise.all([1, 2, 3, 4].map(() => client.deleteManifest('org/app', DIGEST)));
    assert.deepEqual(standIn.tokenRequests, [['repository:org/app:pull'], ['repository:org/app:delete,pull']]);
  });

  it('RegistryClients gives every step of a run the same client per host, with the login the rule gives that host', async () => {
    const standIn = registryStandIn();
    const asked: string[] = [];
    const clients = new RegistryClients({
      fetch: standIn.fetch,
      credentialsFor: (registry) => {
        asked.push(registry);
        return registry === 'reg.test' ? CREDENTIALS : undefined;
      },
    });
    const [first, second] = await Promise.all([clients.clientFor('reg.test'), clients.clientFor('REG.test')]);
    assert.equal(first, second);
    assert.notEqual(await clients.clientFor('other.test'), first);
    assert.deepEqual(asked, ['reg.test', 'other.test']);
    await first.headManifest('org/app', 'v1');
    await (await clients.clientFor('reg.test')).headManifest('org/app', 'v1');
    assert.equal(standIn.tokenRequests.length, 1);
  });
});
