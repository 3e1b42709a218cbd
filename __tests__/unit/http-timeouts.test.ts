/**
 * The transport's three timeouts against servers that stall in each way:
 * a connection that never becomes ready (TLS never answered, a proxy that
 * never answers CONNECT), a peer that goes silent (before the answer, or
 * mid-body), and an answer that trickles on past the overall budget. Each
 * error names which timeout fired; none fires after a request completed.
 */
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { createTransport, NetworkError, type Transport } from '../../src/http/index.js';
import { startConnectProxy } from '../helpers/transport-test-proxy.js';

const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function transport(options: Parameters<typeof createTransport>[0] = {}): Transport {
  const t = createTransport({ env: {}, certsDir: '/nonexistent', ...options });
  cleanups.push(() => t.close());
  return t;
}

async function httpServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ port: number; remotePorts: number[] }> {
  const remotePorts: number[] = [];
  const server = createHttpServer((req, res) => {
    remotePorts.push(req.socket.remotePort ?? 0);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return { port: (server.address() as AddressInfo).port, remotePorts };
}

/** Accepts TCP connections and never says a word (a TLS server that never answers the ClientHello). */
async function mute(): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve()))));
  return (server.address() as AddressInfo).port;
}

async function networkFailure(promise: Promise<unknown>): Promise<NetworkError> {
  const error = await promise.then(
    () => assert.fail('expected a failure'),
    (reason: unknown) => reason,
  );
  const cause = (error as Error).cause;
  assert.ok(cause instanceof NetworkError, `${String(error)} / ${String(cause)}`);
  return cause;
}

describe('connect timeout', () => {
  it('fires when the TLS handshake never completes, and says nothing was sent', async () => {
    const port = await mute();
    const started = Date.now();
    const error = await networkFailure(transport({ timeouts: { connectMs: 200 } }).fetch(`https://127.0.0.1:${port}/v2/`));
    assert.equal(error.message, `connecting to 127.0.0.1:${port} timed out after 0.2 s (connect timeout)`);
    assert.deepEqual([error.kind, error.transient, error.nothingSent], ['connect-timeout', true, true]);
    assert.ok(Date.now() - started < 2_000);
  });

  it('covers a proxy that never answers CONNECT', async () => {
    const proxy = await startConnectProxy({ hosts: {}, silent: true });
    cleanups.push(() => proxy.close());
    const t = transport({ env: { HTTPS_PROXY: proxy.url }, timeouts: { connectMs: 200 } });
    const error = await networkFailure(t.fetch('https://registry.test/v2/'));
    assert.equal(error.message, `connecting to registry.test:443 through the proxy ${proxy.url} timed out after 0.2 s (connect timeout)`);
    assert.equal(proxy.records.length, 1);
  });

  it('the raw socket path has the same connect timeout', async () => {
    const port = await mute();
    await assert.rejects(transport({ timeouts: { connectMs: 150 } }).connect(`https://127.0.0.1:${port}/`), {
      name: 'NetworkError',
      message: `connecting to 127.0.0.1:${port} timed out after 0.15 s (connect timeout)`,
    });
  });
});

describe('idle timeout', () => {
  it('fires when the server never answers a sent request', async () => {
    const server = await httpServer(() => undefined);
    const error = await networkFailure(transport({ timeouts: { idleMs: 200 } }).fetch(`http://127.0.0.1:${server.port}/silent`));
    assert.equal(error.message, `no data from 127.0.0.1:${server.port} for 0.2 s (idle timeout)`);
    assert.deepEqual([error.kind, error.nothingSent], ['idle-timeout', false]);
  });

  it('fires mid-body when the bytes stop, while the caller reads', async () => {
    const server = await httpServer((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('x'.repeat(100));
    });
    const response = await transport({ timeouts: { idleMs: 200 } }).fetch(`http://127.0.0.1:${server.port}/stall`);
    assert.equal(response.status, 200);
    const error = await networkFailure(response.arrayBuffer());
    assert.equal(error.message, `no data from 127.0.0.1:${server.port} for 0.2 s (idle timeout)`);
  });

  it('does not fire on a pooled connection after its request completed', async () => {
    const server = await httpServer((_req, res) => res.end('ok'));
    const t = transport({ timeouts: { idleMs: 100 } });
    assert.equal(await (await t.fetch(`http://127.0.0.1:${server.port}/1`)).text(), 'ok');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(await (await t.fetch(`http://127.0.0.1:${server.port}/2`)).text(), 'ok');
    assert.equal(server.remotePorts[0], server.remotePorts[1], 'the same keep-alive connection served both');
  });
});

describe('overall timeout', () => {
  it('fires on an answer that keeps trickling (so idle never does)', async () => {
    const server = await httpServer((_req, res) => {
      res.writeHead(200, { 'content-length': '100000' });
      const timer = setInterval(() => res.write('x'), 30);
      res.on('close', () => clearInterval(timer));
    });
    const t = transport({ timeouts: { idleMs: 1_000, overallMs: 300 } });
    const response = await t.fetch(`http://127.0.0.1:${server.port}/trickle`);
    const error = await networkFailure(response.text());
    assert.equal(error.message, `GET http://127.0.0.1:${server.port}/trickle did not finish within 0.3 s (overall timeout)`);
    assert.equal(error.kind, 'overall-timeout');
  });

  it('can be set per call through init.timeouts', async () => {
    const server = await httpServer(() => undefined);
    const t = transport({ timeouts: { idleMs: 5_000 } });
    const error = await networkFailure(t.fetch(`http://127.0.0.1:${server.port}/x`, { timeouts: { overallMs: 150 } } as RequestInit));
    assert.equal(error.message, `GET http://127.0.0.1:${server.port}/x did not finish within 0.15 s (overall timeout)`);
  });
});
