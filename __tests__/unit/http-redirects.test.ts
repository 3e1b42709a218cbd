/**
 * Redirects on the transport's fetch: every credential header stays behind
 * when a redirect leaves the origin (the storage host a registry sends a blob
 * GET to must not see the token, nor a cloud signature); method and body
 * rules as fetch has them; and a transport that refuses every redirect (for
 * signed cloud API calls).
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, describe, it } from 'node:test';
import { createTransport, CREDENTIAL_HEADERS, NetworkError } from '../../src/http/index.js';

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
const t = createTransport({ env: {}, certsDir: '/nonexistent' });
const refusing = createTransport({ env: {}, certsDir: '/nonexistent', redirects: 'refuse' });
after(() => {
  t.close();
  refusing.close();
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const CREDENTIALS: Record<string, string> = {
  Authorization: 'Bearer registry-token',
  Cookie: 'session=1',
  'Proxy-Authorization': 'Basic cHJveHk6cHc=',
  'x-acs-security-token': 'sts-token',
  'x-acs-accesskey-id': 'LTAI-key-id',
  'X-Auth-Token': 'iam-token',
  'X-Security-Token': 'huawei-sts',
};

describe('credential headers across origins', () => {
  it('all seven stay on the same origin and are all dropped on another; the rest travel on', async () => {
    const storage = await serve((_req, res) => res.end('blob bytes'));
    const registry = await serve((req, res) => {
      if (req.url === '/hop') res.writeHead(302, { location: '/blob' }).end();
      else res.writeHead(307, { location: `${storage.base}/signed?sig=1` }).end();
    });
    const response = await t.fetch(`${registry.base}/hop`, { headers: { ...CREDENTIALS, Accept: 'application/octet-stream', 'X-Trace': 'keep' } });
    assert.equal(await response.text(), 'blob bytes');
    assert.equal(response.redirected, true);
    assert.equal(response.url, `${storage.base}/signed?sig=1`);
    for (const name of CREDENTIAL_HEADERS) {
      assert.ok(registry.seen[1]?.headers[name] !== undefined, `same origin keeps ${name}`);
      assert.equal(storage.seen[0]?.headers[name], undefined, `the other origin never sees ${name}`);
    }
    assert.equal(CREDENTIAL_HEADERS.length, 7);
    assert.equal(storage.seen[0]?.headers.accept, 'application/octet-stream');
    assert.equal(storage.seen[0]?.headers['x-trace'], 'keep');
  });

  it('a different port is a different origin', async () => {
    const other = await serve((_req, res) => res.end('other'));
    const first = await serve((_req, res) => res.writeHead(308, { location: `${other.base}/x` }).end());
    await (await t.fetch(`${first.base}/`, { headers: { authorization: 'Basic dTpw' } })).text();
    assert.equal(other.seen[0]?.headers.authorization, undefined);
  });
});

describe('methods and bodies, as fetch', () => {
  it('307 keeps method and body, 303 turns into a GET without body or content headers', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/start') res.writeHead(307, { location: '/moved' }).end();
      else if (req.url === '/moved') res.writeHead(303, { location: '/final' }).end();
      else res.end(`final ${req.method}`);
    });
    const response = await t.fetch(`${server.base}/start`, { method: 'POST', body: 'payload', headers: { 'content-type': 'text/x' } });
    assert.equal(await response.text(), 'final GET');
    assert.deepEqual(
      server.seen.map((s) => [s.method, s.url, s.body, s.headers['content-type'] ?? '']),
      [
        ['POST', '/start', 'payload', 'text/x'],
        ['POST', '/moved', 'payload', 'text/x'],
        ['GET', '/final', '', ''],
      ],
    );
  });

  it('a streamed body is not sent twice: a 307 after one is an error', async () => {
    const server = await serve((_req, res) => res.writeHead(307, { location: '/again' }).end());
    const body = (async function* () {
      yield new TextEncoder().encode('streamed');
    })();
    const error = await t.fetch(`${server.base}/upload`, { method: 'PUT', body } as unknown as RequestInit).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    assert.ok(error instanceof TypeError);
    assert.match(String((error.cause as Error).message), /a streamed body cannot be sent twice$/);
    assert.equal(server.seen.length, 1);
    assert.equal(server.seen[0]?.body, 'streamed');
  });

  it('gives up after 20 redirects', async () => {
    const server = await serve((_req, res) => res.writeHead(302, { location: '/again' }).end());
    await assert.rejects(t.fetch(`${server.base}/loop`), (error: unknown) => error instanceof TypeError && /redirect count exceeded \(20\)/.test(String((error.cause as Error).message)));
    assert.equal(server.seen.length, 21);
  });
});

describe('refusing redirects', () => {
  it("redirect: 'manual' returns the redirect, 'error' rejects without following", async () => {
    const server = await serve((_req, res) => res.writeHead(302, { location: '/elsewhere' }).end());
    const manual = await t.fetch(`${server.base}/x`, { redirect: 'manual' });
    assert.equal(manual.status, 302);
    assert.equal(manual.headers.get('location'), '/elsewhere');
    await assert.rejects(t.fetch(`${server.base}/x`, { redirect: 'error' }), TypeError);
    assert.equal(server.seen.length, 2);
  });

  it("a transport with redirects: 'refuse' rejects every redirect with one line, and follows none", async () => {
    const elsewhere = await serve((_req, res) => res.end('should not be reached'));
    const api = await serve((_req, res) => res.writeHead(301, { location: `${elsewhere.base}/v2/functions?sig=abc` }).end());
    const error = await refusing.fetch(`${api.base}/v2/functions`, { method: 'PUT', body: '{}', headers: { 'X-Auth-Token': 'iam' } }).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    assert.ok(error instanceof TypeError);
    const cause = error.cause;
    assert.ok(cause instanceof NetworkError);
    assert.equal(cause.kind, 'redirect');
    assert.equal(cause.message, `PUT ${api.base}/v2/functions answered 301, a redirect to ${elsewhere.base}/v2/functions, which was refused: this transport refuses redirects (a signed API call is never sent elsewhere)`);
    assert.equal(elsewhere.seen.length, 0);
    assert.equal((await refusing.fetch(`${api.base}/v2/functions`, { redirect: 'manual' })).status, 301, "'manual' still reads the answer");
  });
});
