/**
 * The one retry policy over the transport's fetch, against real loopback
 * servers: which answers and failures are retried, how long it waits
 * (Retry-After as seconds, as a date, huge, garbage; jittered backoff), and
 * when a request that is not idempotent may be sent again (only when nothing
 * of it was sent).
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, describe, it } from 'node:test';
import { backoffMs, createTransport, fetchWithRetry, HttpError, isIdempotent, parseRetryAfterMs, readBodyBytes, sendAndReadWithRetry, type Transport } from '../../src/http/index.js';

type Script = (hit: number, req: IncomingMessage, res: ServerResponse) => void;
interface Scripted {
  url: string;
  port: number;
  hits: number;
  bodies: string[];
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});
const t: Transport = createTransport({ env: {}, certsDir: '/nonexistent', timeouts: { connectMs: 2_000, idleMs: 2_000 } });
after(() => t.close());

async function serve(script: Script, port = 0): Promise<Scripted> {
  const state = { hits: 0 };
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const hit = ++state.hits;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString());
      script(hit, req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}/v2/`,
    port: bound,
    get hits() {
      return state.hits;
    },
    bodies,
  };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function recording(): { waits: number[]; sleep: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

const status =
  (code: number, headers: Record<string, string> = {}): Script =>
  (_hit, _req, res) =>
    void res.writeHead(code, headers).end(`status ${code}`);
const ok = status(200);
const reset: Script = (_hit, req) => req.socket.destroy();
const first =
  (n: number, failure: Script, then: Script = ok): Script =>
  (hit, req, res) =>
    (hit <= n ? failure : then)(hit, req, res);
const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, timeoutMs: 2_000 };
const OP = 'read manifest team/app:1';

describe('Retry-After', () => {
  const cases: [what: string, header: string, expect: (wait: number) => boolean][] = [
    ['seconds', '2', (w) => w === 2_000],
    ['an HTTP date 5 s ahead', new Date(Date.now() + 5_000).toUTCString(), (w) => w > 3_000 && w <= 5_000],
    ['an HTTP date in the past', new Date(Date.now() - 60_000).toUTCString(), (w) => w === 0],
    ['huge seconds, capped at 60 s', '999999', (w) => w === 60_000],
    ['a date two hours ahead, capped at 60 s', new Date(Date.now() + 7_200_000).toUTCString(), (w) => w === 60_000],
    ['garbage, so the jittered backoff instead', 'soon, promise', (w) => w >= 0 && w < 100],
    ['a bare number that is not seconds (garbage)', '1.5', (w) => w >= 0 && w < 100],
  ];
  for (const [what, header, expect] of cases) {
    it(`429 with Retry-After ${what}`, async () => {
      const server = await serve(first(1, status(429, { 'retry-after': header })));
      const { waits, sleep } = recording();
      const response = await fetchWithRetry(t.fetch, { url: server.url, operation: OP }, policy, sleep);
      assert.equal(response.status, 200);
      assert.equal(server.hits, 2);
      assert.equal(waits.length, 1);
      assert.ok(expect(waits[0] as number), `waited ${waits[0]}`);
    });
  }

  it('is honoured on 503 but not on 502 (RFC 9110: only where it means something)', async () => {
    assert.equal(parseRetryAfterMs(503, '7'), 7_000);
    assert.equal(parseRetryAfterMs(502, '7'), undefined);
    assert.equal(parseRetryAfterMs(429, '7', 5_000), 5_000, 'the cap is the policy’s');
    const server = await serve(first(1, status(502, { 'retry-after': '30' })));
    const { waits, sleep } = recording();
    await fetchWithRetry(t.fetch, { url: server.url, operation: OP }, policy, sleep);
    assert.ok((waits[0] as number) < 100);
  });
});

describe('statuses and backoff', () => {
  it('retries 503 until success with full-jitter exponential backoff', async () => {
    const server = await serve(first(3, status(503)));
    const { waits, sleep } = recording();
    const response = await fetchWithRetry(t.fetch, { url: server.url, operation: OP }, policy, sleep);
    assert.equal(await response.text(), 'status 200');
    assert.equal(server.hits, 4);
    assert.equal(waits.length, 3);
    waits.forEach((wait, i) => assert.ok(wait >= 0 && wait < 100 * 2 ** i, `wait ${i}: ${wait}`));
    assert.equal(backoffMs(3, { baseDelayMs: 100, maxDelayMs: 250 }, () => 0.999), 249, 'capped by maxDelayMs');
    assert.equal(backoffMs(1, { baseDelayMs: 100, maxDelayMs: 250 }, () => 0), 0, 'full jitter starts at zero');
  });

  it('gives up after the last attempt naming the operation, status and attempts', async () => {
    const server = await serve(status(504));
    const { sleep } = recording();
    await assert.rejects(fetchWithRetry(t.fetch, { url: server.url, operation: OP }, { ...policy, attempts: 3 }, sleep), (error: unknown) => {
      assert.ok(error instanceof HttpError);
      assert.equal(error.message, 'read manifest team/app:1: HTTP 504 after 3 attempts');
      assert.equal(error.status, 504);
      return true;
    });
    assert.equal(server.hits, 3);
  });

  it('returns 500, 404, 401 at once: they are the caller’s to read', async () => {
    for (const code of [500, 404, 401]) {
      const server = await serve(status(code));
      const { waits, sleep } = recording();
      const response = await fetchWithRetry(t.fetch, { url: server.url, operation: OP }, policy, sleep);
      assert.equal(response.status, code);
      assert.deepEqual(waits, []);
    }
  });
});

describe('what is idempotent', () => {
  it('RFC 9110 §9.2.2: GET, HEAD, OPTIONS, TRACE, DELETE and PUT are; POST and PATCH are not', () => {
    assert.deepEqual(
      ['GET', 'HEAD', 'OPTIONS', 'TRACE', 'DELETE', 'PUT', 'put', 'POST', 'PATCH'].map((method) => isIdempotent(method)),
      [true, true, true, true, true, true, true, false, false],
    );
  });

  it('a PUT with a body is retried, its body sent again; a caller may mark one not idempotent and get its 503 back', async () => {
    const server = await serve(first(1, status(503), status(201)));
    const { sleep } = recording();
    const put = { url: server.url, method: 'PUT', body: '{"a":1}', operation: 'put manifest' };
    assert.equal((await fetchWithRetry(t.fetch, put, policy, sleep)).status, 201);
    assert.deepEqual(server.bodies, ['{"a":1}', '{"a":1}']);
    const once = await serve(first(1, status(503), status(201)));
    assert.equal((await fetchWithRetry(t.fetch, { ...put, url: once.url, idempotent: false }, policy, sleep)).status, 503);
    assert.equal(once.hits, 1);
  });
});

describe('connection failures: before or after the request was sent', () => {
  it('GET: a reset after the request was sent is retried', async () => {
    const server = await serve(first(2, reset));
    const { waits, sleep } = recording();
    const response = await fetchWithRetry(t.fetch, { url: server.url, operation: OP }, policy, sleep);
    assert.equal(response.status, 200);
    assert.equal(server.hits, 3);
    assert.equal(waits.length, 2);
  });

  it('POST: a reset after the request was sent is not retried, and the message says reset', async () => {
    const server = await serve(reset);
    const { waits, sleep } = recording();
    await assert.rejects(fetchWithRetry(t.fetch, { url: server.url, method: 'POST', body: 'x', operation: 'start upload' }, policy, sleep), {
      name: 'HttpError',
      message: `start upload: the connection to 127.0.0.1:${server.port} was reset (ECONNRESET) after 1 attempt`,
    });
    assert.equal(server.hits, 1);
    assert.deepEqual(waits, []);
  });

  it('POST: a connection refused before anything was sent is retried (the registry comes back)', async () => {
    const port = await freePort();
    let server: Scripted | undefined;
    const waits: number[] = [];
    const sleep = async (ms: number): Promise<void> => {
      waits.push(ms);
      server ??= await serve(status(202), port);
    };
    const response = await fetchWithRetry(t.fetch, { url: `http://127.0.0.1:${port}/v2/`, method: 'POST', body: 'x', operation: 'start upload' }, policy, sleep);
    assert.equal(response.status, 202);
    assert.equal(waits.length, 1);
    assert.deepEqual(server?.bodies, ['x']);
  });

  it('an idle timeout after the request was sent: a POST is not tried again, a GET is', async () => {
    const idle = await serve(() => undefined);
    const slow = createTransport({ env: {}, certsDir: '/nonexistent', timeouts: { idleMs: 150 } });
    const { waits, sleep } = recording();
    await assert.rejects(fetchWithRetry(slow.fetch, { url: idle.url, method: 'POST', body: 'x', operation: 'start upload' }, policy, sleep), {
      message: `start upload: no data from 127.0.0.1:${idle.port} for 0.15 s (idle timeout) after 1 attempt`,
    });
    assert.deepEqual(waits, []);
    const get = recording();
    await assert.rejects(fetchWithRetry(slow.fetch, { url: idle.url, operation: OP }, { ...policy, attempts: 2 }, get.sleep), {
      message: `${OP}: no data from 127.0.0.1:${idle.port} for 0.15 s (idle timeout) after 2 attempts`,
    });
    assert.equal(get.waits.length, 1, 'a GET that timed out is tried again');
    slow.close();
  });

  it('the per-attempt timeout of the policy is retried for a GET and named', async () => {
    const server = await serve(first(1, () => undefined));
    const { waits, sleep } = recording();
    const response = await fetchWithRetry(t.fetch, { url: server.url, operation: OP }, { ...policy, timeoutMs: 200 }, sleep);
    assert.equal(response.status, 200);
    assert.equal(waits.length, 1);
  });

  it('TLS to a plain-HTTP server fails once, not retried, with the hint', async () => {
    const server = await serve(ok);
    const { waits, sleep } = recording();
    await assert.rejects(fetchWithRetry(t.fetch, { url: `https://127.0.0.1:${server.port}/v2/`, operation: OP }, policy, sleep), (error: unknown) => {
      assert.ok(error instanceof HttpError);
      assert.match(error.message, new RegExp(`^read manifest team/app:1: TLS handshake with 127\\.0\\.0\\.1:${server.port} failed: .*wrong version number.* — does 127\\.0\\.0\\.1:${server.port} speak https\\? \\(use http:// for a plain-HTTP server\\) after 1 attempt$`));
      return true;
    });
    assert.deepEqual(waits, []);
  });
});

describe('an answer read inside the try (sendAndReadWithRetry)', () => {
  /** Declares 1000 bytes, sends a few, then drops the connection. */
  const cutBody: Script = (_hit, _req, res) => {
    res.writeHead(200, { 'content-length': '1000' });
    res.write('only part');
    setTimeout(() => res.socket?.destroy(), 20);
  };
  const readAll = (response: Response): Promise<Uint8Array> => readBodyBytes(response, OP, { what: 'the answer', cap: { bytes: 4096, why: 'test cap' } });

  it('a GET whose body breaks off is sent again and read whole', async () => {
    const server = await serve(first(1, cutBody));
    const { waits, sleep } = recording();
    const sent = await sendAndReadWithRetry(t.fetch, { url: server.url, operation: OP }, readAll, policy, sleep);
    assert.equal(new TextDecoder().decode(sent.value), 'status 200');
    assert.equal(sent.attempts, 2);
    assert.equal(server.hits, 2);
    assert.equal(waits.length, 1);
  });

  it('a POST whose body breaks off is not sent again', async () => {
    const server = await serve(cutBody);
    const { waits, sleep } = recording();
    await assert.rejects(sendAndReadWithRetry(t.fetch, { url: server.url, method: 'POST', body: 'x', operation: 'start upload' }, readAll, policy, sleep), {
      name: 'HttpError',
      message: `${OP}: the connection to 127.0.0.1:${server.port} was reset (ECONNRESET) while reading the response body`,
    });
    assert.equal(server.hits, 1);
    assert.deepEqual(waits, []);
  });

  it('an answer over its cap is not asked for again', async () => {
    const server = await serve((_hit, _req, res) => void res.end('x'.repeat(10_000)));
    const { waits, sleep } = recording();
    await assert.rejects(sendAndReadWithRetry(t.fetch, { url: server.url, operation: OP }, readAll, policy, sleep), { name: 'BodyTooLargeError' });
    assert.equal(server.hits, 1);
    assert.deepEqual(waits, []);
  });
});
