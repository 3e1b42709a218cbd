import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { fetchWithRetry, HttpError } from '../../src/http/retry.js';
import { nodeFetch } from '../../src/http/node-fetch.js';

/** A real HTTP server on loopback whose behaviour depends on how often it was hit. */
interface ScriptedServer {
  url: string;
  port: number;
  hits: number;
  bodies: string[];
  close(): Promise<void>;
}

type Script = (hit: number, req: IncomingMessage, res: ServerResponse) => void;

const servers: ScriptedServer[] = [];

async function startServer(script: Script, port = 0): Promise<ScriptedServer> {
  const state = { hits: 0 };
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    const hit = ++state.hits;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      script(hit, req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  const handle: ScriptedServer = {
    url: `http://127.0.0.1:${bound}/v2/`,
    port: bound,
    get hits() {
      return state.hits;
    },
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(handle);
  return handle;
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Records the waits fetchWithRetry asks for instead of waiting. */
function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

const ok: Script = (_hit, _req, res) => res.end('ok');
const status =
  (code: number, headers: Record<string, string> = {}): Script =>
  (_hit, _req, res) => {
    res.writeHead(code, headers).end(`status ${code}`);
  };
const resetSocket: Script = (_hit, req) => req.socket.destroy();
/** Answers long after any test timeout; the timer dies with the connection. */
const slow: Script = (_hit, _req, res) => {
  const timer = setTimeout(() => res.end('late'), 5_000);
  res.on('close', () => clearTimeout(timer));
};
const firstThen =
  (failures: number, failure: Script, then: Script = ok): Script =>
  (hit, req, res) =>
    (hit <= failures ? failure : then)(hit, req, res);

const OPERATION = 'read manifest my-org/app:latest';
const fastPolicy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, timeoutMs: 2_000 };

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

// The same contract through Node's fetch (undici) and through nodeFetch, which the action and the CLI use.
const FETCHES = [
  ['global fetch', globalThis.fetch],
  ['nodeFetch', nodeFetch],
] as const;

for (const [fetchName, fetch] of FETCHES) {
  describe(`fetchWithRetry (${fetchName}): transient statuses`, () => {
    it('retries 503 until success, with full-jitter exponential backoff', async () => {
      const server = await startServer(firstThen(2, status(503)));
      const { sleep, waits } = recordingSleep();
      const response = await fetchWithRetry(fetch, { url: server.url, operation: OPERATION }, fastPolicy, sleep);
      assert.equal(response.status, 200);
      assert.equal(await response.text(), 'ok');
      assert.equal(server.hits, 3);
      assert.equal(waits.length, 2);
      assert.ok(waits[0]! >= 0 && waits[0]! < 100, `first wait ${waits[0]} within [0, 100)`);
      assert.ok(waits[1]! >= 0 && waits[1]! < 200, `second wait ${waits[1]} within [0, 200)`);
    });

    it('honours Retry-After in seconds on 429', async () => {
      const server = await startServer(firstThen(1, status(429, { 'retry-after': '1' })));
      const { sleep, waits } = recordingSleep();
      const response = await fetchWithRetry(fetch, { url: server.url, operation: OPERATION }, fastPolicy, sleep);
      assert.equal(response.status, 200);
      assert.equal(server.hits, 2);
      assert.deepEqual(waits, [1_000]);
    });

    it('honours Retry-After as an HTTP date on 503, capped at 60 s', async () => {
      const inTwoMinutes = new Date(Date.now() + 120_000).toUTCString();
      const server = await startServer(firstThen(1, status(503, { 'retry-after': inTwoMinutes })));
      const { sleep, waits } = recordingSleep();
      const response = await fetchWithRetry(fetch, { url: server.url, operation: OPERATION }, fastPolicy, sleep);
      assert.equal(response.status, 200);
      assert.deepEqual(waits, [60_000]);
    });

    it('keeps every backoff within maxDelayMs', async () => {
      const server = await startServer(firstThen(5, status(502)));
      const { sleep, waits } = recordingSleep();
      const policy = { attempts: 6, baseDelayMs: 1_000, maxDelayMs: 1_500, timeoutMs: 2_000 };
      const response = await fetchWithRetry(fetch, { url: server.url, operation: OPERATION }, policy, sleep);
      assert.equal(response.status, 200);
      assert.equal(server.hits, 6);
      assert.equal(waits.length, 5);
      for (const wait of waits) assert.ok(wait >= 0 && wait < 1_500, `wait ${wait} within [0, 1500)`);
    });

    it('gives up with an HttpError naming the operation, status and attempts', async () => {
      const server = await startServer(status(503));
      const { sleep, waits } = recordingSleep();
      await assert.rejects(
        fetchWithRetry(fetch, { url: server.url, operation: OPERATION }, { ...fastPolicy, attempts: 3 }, sleep),
        (error: unknown) => {
          assert.ok(error instanceof HttpError);
          assert.equal(error.message, 'read manifest my-org/app:latest: HTTP 503 after 3 attempts');
          assert.equal(error.status, 503);
          assert.equal(error.attempts, 3);
          assert.equal(error.operation, OPERATION);
          return true;
        },
      );
      assert.equal(server.hits, 3);
      assert.equal(waits.length, 2);
    });

    it('returns other statuses at once, body readable', async () => {
      for (const code of [404, 500, 401]) {
        const server = await startServer(status(code));
        const { sleep, waits } = recordingSleep();
        const response = await fetchWithRetry(fetch, { url: server.url, operation: OPERATION }, fastPolicy, sleep);
        assert.equal(response.status, code);
        assert.equal(await response.text(), `status ${code}`);
        assert.equal(server.hits, 1);
        assert.deepEqual(waits, []);
      }
    });

    it('sends the body again on every retry of an idempotent PUT', async () => {
      const server = await startServer(firstThen(1, status(503), status(201)));
      const { sleep } = recordingSleep();
      const response = await fetchWithRetry(
        fetch,
        { url: server.url, method: 'PUT', body: new TextEncoder().encode('{"a":1}'), operation: 'put manifest' },
        fastPolicy,
        sleep,
      );
      assert.equal(response.status, 201);
      assert.deepEqual(server.bodies, ['{"a":1}', '{"a":1}']);
    });
  });

  describe(`fetchWithRetry (${fetchName}): connection failures`, () => {
    it('retries a reset connection', async () => {
      const server = await startServer(firstThen(2, resetSocket));
      const { sleep, waits } = recordingSleep();
      const response = await fetchWithRetry(fetch, { url: server.url, operation: OPERATION }, fastPolicy, sleep);
      assert.equal(response.status, 200);
      assert.equal(server.hits, 3);
      assert.equal(waits.length, 2);
    });

    it('gives up on resets with a one-line message', async () => {
      const server = await startServer(resetSocket);
      const { sleep } = recordingSleep();
      await assert.rejects(
        fetchWithRetry(fetch, { url: server.url, operation: OPERATION }, { ...fastPolicy, attempts: 2 }, sleep),
        (error: unknown) => {
          assert.ok(error instanceof HttpError);
          assert.equal(error.message, `read manifest my-org/app:latest: the connection to 127.0.0.1:${server.port} was reset (${fetch === nodeFetch ? 'ECONNRESET' : 'UND_ERR_SOCKET'}) after 2 attempts`);
          assert.equal(error.status, undefined);
          assert.equal(error.attempts, 2);
          return true;
        },
      );
      assert.equal(server.hits, 2);
    });

    it('times out a slow answer and retries it', async () => {
      const server = await startServer(firstThen(1, slow));
      const { sleep, waits } = recordingSleep();
      const started = Date.now();
      const response = await fetchWithRetry(fetch, { url: server.url, operation: OPERATION }, { ...fastPolicy, timeoutMs: 200 }, sleep);
      assert.equal(response.status, 200);
      assert.equal(server.hits, 2);
      assert.equal(waits.length, 1);
      assert.ok(Date.now() - started < 4_000, 'the slow answer was not waited for');
    });

    it('gives up on timeouts saying how long it waited', async () => {
      const server = await startServer(slow);
      const { sleep } = recordingSleep();
      await assert.rejects(
        fetchWithRetry(fetch, { url: server.url, operation: OPERATION }, { ...fastPolicy, attempts: 2, timeoutMs: 200 }, sleep),
        { name: 'HttpError', message: 'read manifest my-org/app:latest: timed out after 0.2 s after 2 attempts' },
      );
      assert.equal(server.hits, 2);
    });

    it('gives up on a refused connection', async () => {
      const port = await closedPort();
      const { sleep, waits } = recordingSleep();
      await assert.rejects(
        fetchWithRetry(fetch, { url: `http://127.0.0.1:${port}/v2/`, operation: OPERATION }, { ...fastPolicy, attempts: 2 }, sleep),
        { name: 'HttpError', message: `read manifest my-org/app:latest: connection refused by 127.0.0.1:${port} (ECONNREFUSED) — nothing listens there: check the address and port after 2 attempts` },
      );
      assert.equal(waits.length, 1);
    });

    it('does not retry what cannot succeed (TLS spoken to a plain-HTTP server)', async () => {
      const server = await startServer(ok);
      const { sleep, waits } = recordingSleep();
      await assert.rejects(
        fetchWithRetry(fetch, { url: `https://127.0.0.1:${server.port}/v2/`, operation: OPERATION }, fastPolicy, sleep),
        (error: unknown) => {
          assert.ok(error instanceof HttpError);
          assert.equal(error.attempts, 1);
          assert.match(error.message, new RegExp(`^read manifest my-org/app:latest: TLS handshake with 127\\.0\\.0\\.1:${server.port} failed: wrong version number \\(\\w+\\) — does 127\\.0\\.0\\.1:${server.port} speak https\\? \\(use http:// for a plain-HTTP server\\) after 1 attempt$`));
          return true;
        },
      );
      assert.deepEqual(waits, []);
    });
  });

  describe(`fetchWithRetry (${fetchName}): non-idempotent requests`, () => {
    it('returns a 503 to a POST without retrying it', async () => {
      const server = await startServer(status(503));
      const { sleep, waits } = recordingSleep();
      const response = await fetchWithRetry(
        fetch,
        { url: server.url, method: 'POST', body: 'x', operation: 'start upload' },
        fastPolicy,
        sleep,
      );
      assert.equal(response.status, 503);
      assert.equal(server.hits, 1);
      assert.deepEqual(waits, []);
    });

    it('does not retry a POST whose connection was reset', async () => {
      const server = await startServer(resetSocket);
      const { sleep, waits } = recordingSleep();
      await assert.rejects(
        fetchWithRetry(fetch, { url: server.url, method: 'POST', body: 'x', operation: 'start upload' }, fastPolicy, sleep),
        { name: 'HttpError', message: `start upload: the connection to 127.0.0.1:${server.port} was reset (${fetch === nodeFetch ? 'ECONNRESET' : 'UND_ERR_SOCKET'}) after 1 attempt` },
      );
      assert.equal(server.hits, 1);
      assert.deepEqual(waits, []);
    });

    it('retries a POST whose connection was refused (nothing was sent)', async () => {
      const port = await closedPort();
      let server: ScriptedServer | undefined;
      const waits: number[] = [];
      // The server comes up while the client backs off, as a restarting registry would.
      const sleep = async (ms: number): Promise<void> => {
        waits.push(ms);
        server ??= await startServer(status(202), port);
      };
      const response = await fetchWithRetry(
        fetch,
        { url: `http://127.0.0.1:${port}/v2/`, method: 'POST', body: 'x', operation: 'start upload' },
        fastPolicy,
        sleep,
      );
      assert.equal(response.status, 202);
      assert.equal(waits.length, 1);
      assert.equal(server?.hits, 1);
    });

    it('retries a POST marked idempotent like any other', async () => {
      const server = await startServer(firstThen(1, status(503), status(201)));
      const { sleep, waits } = recordingSleep();
      const response = await fetchWithRetry(
        fetch,
        { url: server.url, method: 'POST', idempotent: true, operation: 'mount blob' },
        fastPolicy,
        sleep,
      );
      assert.equal(response.status, 201);
      assert.equal(server.hits, 2);
      assert.equal(waits.length, 1);
    });
  });
}
