/**
 * One classification of network failures: what the transport says for a
 * name that does not resolve, a refused port, a reset, a body cut short, and
 * the same wording when the error came from somewhere else (Node's global
 * fetch), so the retry policy reads every Fetch the same way. Also the
 * streaming request API the blob path uses.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, afterEach, describe, it } from 'node:test';
import { classifyFailure, createTransport, NetworkError } from '../../src/http/index.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});
const t = createTransport({ env: {}, certsDir: '/nonexistent', timeouts: { connectMs: 2_000, idleMs: 2_000 } });
after(() => t.close());

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return (server.address() as AddressInfo).port;
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function cause(promise: Promise<unknown>): Promise<NetworkError> {
  const error = await promise.then(
    () => assert.fail('expected a failure'),
    (reason: unknown) => reason,
  );
  assert.ok(error instanceof TypeError && error.message === 'fetch failed', `fetch's own shape: ${String(error)}`);
  assert.ok(error.cause instanceof NetworkError, String(error.cause));
  return error.cause;
}

describe('the messages', () => {
  it('DNS: cannot resolve the name', async () => {
    const error = await cause(t.fetch('https://no-such-registry.invalid/v2/'));
    assert.equal(error.kind, 'dns');
    assert.match(error.message, /^cannot resolve no-such-registry\.invalid: (no such host \(ENOTFOUND\)|temporary DNS failure \(EAI_AGAIN\)) — check the name, and this machine's DNS \(or set HTTPS_PROXY if only a proxy can resolve it\)$/);
    assert.equal(error.nothingSent, true);
  });

  it('refused: nothing listens there', async () => {
    const port = await closedPort();
    const error = await cause(t.fetch(`http://127.0.0.1:${port}/`));
    assert.equal(error.message, `connection refused by 127.0.0.1:${port} (ECONNREFUSED) — nothing listens there: check the address and port`);
    assert.deepEqual([error.kind, error.transient, error.nothingSent], ['refused', true, true]);
  });

  it('reset: the server dropped the connection after the request went out', async () => {
    const port = await serve((req) => req.socket.destroy());
    const error = await cause(t.fetch(`http://127.0.0.1:${port}/`));
    assert.match(error.message, new RegExp(`^the connection to 127\\.0\\.0\\.1:${port} was reset \\(ECONNRESET\\)$`));
    assert.deepEqual([error.kind, error.transient, error.nothingSent], ['reset', true, false]);
  });

  it('a body cut short rejects when read, as a reset', async () => {
    const port = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('only part');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const response = await t.fetch(`http://127.0.0.1:${port}/cut`);
    const error = await cause(response.arrayBuffer());
    assert.equal(error.kind, 'reset');
    assert.match(error.message, new RegExp(`^the connection to 127\\.0\\.0\\.1:${port} was reset`));
  });
});

describe('errors from another Fetch read the same way', () => {
  it("Node's global fetch: refused and unresolvable, by code", async () => {
    const port = await closedPort();
    const refused = await globalThis.fetch(`http://127.0.0.1:${port}/`).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    assert.deepEqual(classifyFailure(refused, undefined, `http://127.0.0.1:${port}/`), {
      transient: true,
      nothingSent: true,
      what: `connection refused by 127.0.0.1:${port} (ECONNREFUSED) — nothing listens there: check the address and port`,
    });
    const dns = await globalThis.fetch('http://no-such-registry.invalid/').then(
      () => undefined,
      (reason: unknown) => reason,
    );
    assert.match(classifyFailure(dns, undefined, 'http://no-such-registry.invalid/').what, /^cannot resolve no-such-registry\.invalid: /);
  });

  it('an AbortSignal timeout is a timeout, whoever raised it', async () => {
    const port = await serve(() => undefined);
    const error = await t.fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(100) }).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    assert.equal((error as Error).name, 'TimeoutError', 'fetch rejects with the signal reason');
    assert.deepEqual(classifyFailure(error, 100), { transient: true, nothingSent: false, what: 'timed out after 0.1 s' });
  });
});

describe('the streaming request API (blob uploads and downloads)', () => {
  it('streams a request body out and an answer body in, on the pooled agent', async () => {
    let received = 0;
    const port = await serve((req, res) => {
      req.on('data', (chunk: Buffer) => (received += chunk.length));
      req.on('end', () => res.writeHead(201, { 'docker-content-digest': 'sha256:ab' }).end(Buffer.alloc(200_000, 1)));
    });
    const exchange = t.request(`http://127.0.0.1:${port}/v2/app/blobs/uploads/1?digest=sha256:ab`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' } });
    Readable.from([Buffer.alloc(300_000, 2), Buffer.alloc(300_000, 3)]).pipe(exchange.request);
    const answer = await exchange.response;
    assert.equal(answer.statusCode, 201);
    assert.equal(answer.headers['docker-content-digest'], 'sha256:ab');
    let size = 0;
    for await (const chunk of answer) size += (chunk as Buffer).length;
    assert.equal(size, 200_000);
    assert.equal(received, 600_000);
    assert.equal(exchange.route.kind, 'direct');
  });
});
