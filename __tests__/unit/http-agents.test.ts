/**
 * The pools: keep-alive per origin, a bounded number of sockets per origin
 * (requests past it wait, none fail), and separate pools for separate
 * origins.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { createTransport } from '../../src/http/index.js';

const closers: (() => Promise<void>)[] = [];
after(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** Holds every answer 80 ms and records how many connections were open at once. */
async function slowServer(): Promise<{ port: number; peak: () => number; connections: () => number }> {
  let open = 0;
  let peak = 0;
  let total = 0;
  const server = createServer((_req, res) => setTimeout(() => res.end('ok'), 80));
  server.on('connection', (socket) => {
    open++;
    total++;
    peak = Math.max(peak, open);
    socket.on('close', () => open--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return { port: (server.address() as AddressInfo).port, peak: () => peak, connections: () => total };
}

describe('connection pools', () => {
  it('never opens more than maxSocketsPerOrigin to one origin; the other requests wait and succeed', async () => {
    const server = await slowServer();
    const t = createTransport({ env: {}, certsDir: '/nonexistent', maxSocketsPerOrigin: 2 });
    const answers = await Promise.all(Array.from({ length: 7 }, async (_, i) => (await t.fetch(`http://127.0.0.1:${server.port}/${i}`)).text()));
    assert.deepEqual(answers, Array(7).fill('ok'));
    assert.equal(server.peak(), 2);
    assert.equal(server.connections(), 2, 'kept alive and reused');
    t.close();
  });

  it('the bound is per origin: another origin has its own sockets', async () => {
    const a = await slowServer();
    const b = await slowServer();
    const t = createTransport({ env: {}, certsDir: '/nonexistent', maxSocketsPerOrigin: 1 });
    await Promise.all([0, 1, 2].flatMap((i) => [a, b].map(async (s) => (await t.fetch(`http://127.0.0.1:${s.port}/${i}`)).text())));
    assert.deepEqual([a.peak(), b.peak()], [1, 1]);
    t.close();
  });
});
