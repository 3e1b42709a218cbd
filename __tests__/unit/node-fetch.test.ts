/**
 * nodeFetch against real loopback servers: what it sends, how it follows
 * redirects (and which headers stay behind), the answer's Response members,
 * aborts and broken bodies — the fetch behaviours the registry client, the
 * cloud API clients and the trigger rely on.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, it } from 'node:test';
import { classifyFailure } from '../../src/http/retry.js';
import { nodeFetch } from '../../src/http/node-fetch.js';
import { NODE24 } from '../helpers/runner.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

interface Server {
  base: string;
  seen: Seen[];
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<Server> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('nodeFetch: requests and answers', () => {
  it('sends method, headers and a string body with its length; reads status, headers and JSON', async () => {
    const server = await serve((_req, res) => {
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.writeHead(201, 'Created', { 'Content-Type': 'application/json', 'X-Twice': 'one' }).end('{"ok":true}');
    });
    const response = await nodeFetch(`${server.base}/v2/x`, { method: 'post', headers: { 'X-Custom': 'v', 'Content-Type': 'application/json' }, body: '{"a":"é"}' });
    assert.equal(response.status, 201);
    assert.equal(response.statusText, 'Created');
    assert.equal(response.ok, true);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.equal(response.headers.get('SET-COOKIE'), 'a=1, b=2');
    assert.equal(response.headers.has('x-twice'), true);
    assert.deepEqual(await response.json(), { ok: true });
    assert.equal(response.bodyUsed, true);
    await assert.rejects(response.text(), /already been read/);
    const [request] = server.seen;
    assert.equal(request?.method, 'POST');
    assert.equal(request?.headers['x-custom'], 'v');
    assert.equal(request?.headers['content-type'], 'application/json');
    assert.equal(request?.headers['content-length'], String(Buffer.byteLength('{"a":"é"}')));
    assert.equal(request?.body, '{"a":"é"}');
    assert.equal(request?.headers['accept-encoding'], undefined, 'no compression asked for, so none to undo');
  });

  it('gives a string body the text/plain type fetch gives it, and bytes no type', async () => {
    const server = await serve((_req, res) => res.end());
    await (await nodeFetch(`${server.base}/a`, { method: 'PUT', body: 'text' })).arrayBuffer();
    await (await nodeFetch(`${server.base}/b`, { method: 'PUT', body: new Uint8Array([1, 2, 3]) })).arrayBuffer();
    assert.equal(server.seen[0]?.headers['content-type'], 'text/plain;charset=UTF-8');
    assert.equal(server.seen[1]?.headers['content-type'], undefined);
    assert.equal(server.seen[1]?.headers['content-length'], '3');
  });

  it('answers HEAD and 204 with a null body and the headers', async () => {
    const server = await serve((req, res) => {
      if (req.method === 'HEAD') res.writeHead(200, { 'Docker-Content-Digest': 'sha256:ab', 'Content-Length': '1234' }).end();
      else res.writeHead(204).end();
    });
    const head = await nodeFetch(`${server.base}/v2/r/manifests/t`, { method: 'HEAD' });
    assert.equal(head.body, null);
    assert.equal(head.headers.get('docker-content-digest'), 'sha256:ab');
    assert.equal(head.headers.get('content-length'), '1234');
    const empty = await nodeFetch(`${server.base}/x`, { method: 'DELETE' });
    assert.equal(empty.status, 204);
    assert.equal(empty.body, null);
    assert.equal(await empty.text(), '');
  });

  it('streams a body through response.body (a Web ReadableStream)', async () => {
    const payload = Buffer.alloc(300_000, 7);
    const server = await serve((_req, res) => res.end(payload));
    const response = await nodeFetch(`${server.base}/blob`);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let total = 0;
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) total += chunk.value.length;
    assert.equal(total, payload.length);
  });

  it('hands a streamed request body to the global fetch, which still delivers it', async () => {
    const server = await serve((_req, res) => res.end('got it'));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed'));
        controller.close();
      },
    });
    const response = await nodeFetch(`${server.base}/upload`, { method: 'PUT', body, duplex: 'half' } as RequestInit);
    assert.equal(await response.text(), 'got it');
    assert.equal(server.seen[0]?.body, 'streamed');
  });
});

describe('nodeFetch: redirects', () => {
  it('follows a 307 with method and body, and a 303 as a GET without body', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/start') res.writeHead(307, { Location: '/moved' }).end();
      else if (req.url === '/moved') res.writeHead(303, { Location: '/final' }).end();
      else res.end(`final ${req.method}`);
    });
    const response = await nodeFetch(`${server.base}/start`, { method: 'POST', body: 'payload', headers: { 'content-type': 'text/x' } });
    assert.equal(await response.text(), 'final GET');
    assert.equal(response.redirected, true);
    assert.equal(response.url, `${server.base}/final`);
    assert.deepEqual(
      server.seen.map((s) => [s.method, s.url, s.body, s.headers['content-type'] ?? '']),
      [
        ['POST', '/start', 'payload', 'text/x'],
        ['POST', '/moved', 'payload', 'text/x'],
        ['GET', '/final', '', ''],
      ],
    );
  });

  it('keeps Authorization on the same origin and drops it (and cookies) on another', async () => {
    const storage = await serve((_req, res) => res.end('blob bytes'));
    const registry = await serve((req, res) => {
      if (req.url === '/hop') res.writeHead(302, { Location: '/blob' }).end();
      else res.writeHead(307, { Location: `${storage.base}/signed?x=1` }).end();
    });
    const response = await nodeFetch(`${registry.base}/hop`, { headers: { Authorization: 'Bearer secret-token', Cookie: 'c=1', Accept: '*/*' } });
    assert.equal(await response.text(), 'blob bytes');
    assert.equal(registry.seen[1]?.headers.authorization, 'Bearer secret-token', 'same origin keeps it');
    assert.equal(storage.seen[0]?.headers.authorization, undefined, 'the storage origin never sees the token');
    assert.equal(storage.seen[0]?.headers.cookie, undefined);
    assert.equal(storage.seen[0]?.headers.accept, '*/*');
  });

  it("returns the redirect itself with redirect: 'manual', and rejects with redirect: 'error'", async () => {
    const server = await serve((_req, res) => res.writeHead(302, { Location: '/elsewhere' }).end());
    const manual = await nodeFetch(`${server.base}/x`, { redirect: 'manual' });
    assert.equal(manual.status, 302);
    assert.equal(manual.headers.get('location'), '/elsewhere');
    await assert.rejects(nodeFetch(`${server.base}/x`, { redirect: 'error' }), (error: unknown) => error instanceof TypeError && /fetch failed/.test(error.message));
    assert.equal(server.seen.length, 2, 'the refused redirect was not followed');
  });

  it('gives up after 20 redirects', async () => {
    const server = await serve((_req, res) => res.writeHead(302, { Location: '/again' }).end());
    await assert.rejects(nodeFetch(`${server.base}/loop`), (error: unknown) => error instanceof TypeError && /redirect count exceeded/.test(String((error.cause as Error).message)));
    assert.equal(server.seen.length, 21);
  });
});

describe('nodeFetch: failures look like fetch failures', () => {
  it('rejects with the signal reason on a timeout, which the retry logic reads as a timeout', async () => {
    const server = await serve((_req, res) => {
      const timer = setTimeout(() => res.end('late'), 5_000);
      res.on('close', () => clearTimeout(timer));
    });
    const error = await nodeFetch(`${server.base}/slow`, { signal: AbortSignal.timeout(100) }).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    assert.equal((error as Error).name, 'TimeoutError');
    assert.equal(classifyFailure(error, 100).what, 'timed out after 0.1 s');
  });

  it('a refused connection is a TypeError whose cause says nothing was sent', async () => {
    const probe = await serve(() => undefined);
    const port = new URL(probe.base).port;
    await closers.splice(0)[0]?.();
    const error = await nodeFetch(`http://127.0.0.1:${port}/`).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    assert.ok(error instanceof TypeError);
    assert.deepEqual(classifyFailure(error, undefined), {
      transient: true,
      nothingSent: true,
      what: `connection refused by 127.0.0.1:${port} (ECONNREFUSED) — nothing listens there: check the address and port`,
    });
  });

  it('a body cut short rejects when read, as a dropped connection', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Length': '1000' });
      res.write('only part');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const response = await nodeFetch(`${server.base}/cut`);
    const error = await response.arrayBuffer().then(
      () => undefined,
      (reason: unknown) => reason,
    );
    assert.ok(error instanceof TypeError, String(error));
    assert.equal(classifyFailure(error, undefined).what, `the connection to ${new URL(server.base).host} was reset (ECONNRESET)`);
  });

  it('an already aborted signal sends nothing', async () => {
    const server = await serve((_req, res) => res.end());
    const controller = new AbortController();
    controller.abort(new Error('stopped by the caller'));
    await assert.rejects(nodeFetch(`${server.base}/x`, { signal: controller.signal }), /stopped by the caller/);
    assert.equal(server.seen.length, 0);
  });
});

describe('nodeFetch: what it spares', () => {
  // On Node 24, the action's runtime, an ES import of node:http alone is enough to load undici.
  it('the library loads, and a request and its answer complete, without Node 24 loading undici', async () => {
    const server = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"tags":["v1"]}'));
    const library = fileURLToPath(new URL('../../src/index.js', import.meta.url));
    const script = `
      const { nodeFetch, RegistryClient } = await import(${JSON.stringify(library)});
      new RegistryClient({ registry: '127.0.0.1:1', fetch: nodeFetch });
      const response = await nodeFetch(${JSON.stringify(`${server.base}/v2/app/tags/list`)});
      const body = await response.json();
      console.log(JSON.stringify({ body, undici: process.moduleLoadList.filter((m) => m.includes('undici')) }));`;
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(NODE24, ['--input-type=module', '-e', script], (error, out) => (error ? reject(error) : resolve(out))),
    );
    assert.deepEqual(JSON.parse(stdout), { body: { tags: ['v1'] }, undici: [] });
  });
});
