/**
 * Blob connections opened ahead of need (src/registry/warm-connections.ts),
 * against a real TCP server that counts the connections it accepts and
 * answers each request line with the connection's number.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { RawConnection, RawConnectOptions } from '../../src/http/raw-connect.js';
import { bodilessRequest } from '../../src/registry/raw-http1.js';
import { WarmConnections } from '../../src/registry/warm-connections.js';

let server: Server;
let accepted: Socket[] = [];
let url: URL;

before(async () => {
  server = createServer((socket) => {
    accepted.push(socket);
    const number = accepted.length;
    socket.on('data', () => socket.write(`connection ${number}\n`));
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/`);
});
after(() => server.close());

let connects = 0;
const plainConnect = async (target: URL | string, options?: RawConnectOptions): Promise<RawConnection> => {
  connects++;
  const where = new URL(target);
  const socket = connect({ host: where.hostname, port: Number(where.port), ...(options?.socketOptions ?? {}) });
  await once(socket, 'connect');
  return { socket, forward: undefined };
};

/** Writes a line on the connection and reads the server's answer through the connection's reads. */
async function ask(connection: RawConnection): Promise<string> {
  const answer = new Promise<string>((resolve) => {
    if (connection.reads) connection.reads.deliverTo((chunk) => resolve(chunk.toString().trim()));
    else connection.socket.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
  });
  connection.socket.write('GET\n');
  return answer;
}

describe('warm connections', () => {
  test('a connection opened ahead is the one the next exchange to that origin gets; the one after connects anew', async () => {
    accepted = [];
    connects = 0;
    const warm = new WarmConnections(plainConnect);
    warm.open(url, 4);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(accepted.length, 1, 'the server saw the connection before anyone asked for it');
    const first = await warm.connector(url);
    assert.equal(await ask(first), 'connection 1');
    assert.equal(connects, 1, 'no second connect for the first exchange');
    const second = await warm.connector(url);
    assert.equal(await ask(second), 'connection 2');
    first.socket.destroy();
    second.socket.destroy();
  });

  test('no more than `limit` are opened ahead per origin; close() ends those nobody took', async () => {
    accepted = [];
    const warm = new WarmConnections(plainConnect);
    for (let i = 0; i < 5; i++) warm.open(url, 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(accepted.length, 2);
    warm.close();
    await Promise.all(accepted.map((socket) => (socket.closed ? undefined : once(socket, 'close'))));
    assert.ok(accepted.every((socket) => socket.destroyed), 'the server saw both closed');
  });

  test('a warm connection the server closed while idle is passed over for a fresh one; another origin never gets it', async () => {
    accepted = [];
    connects = 0;
    const warm = new WarmConnections(plainConnect);
    warm.open(url, 4);
    await new Promise((resolve) => setTimeout(resolve, 50));
    accepted[0]!.end();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const other = new URL(url.href.replace('127.0.0.1', 'localhost'));
    const elsewhere = await warm.connector(other).catch(() => undefined);
    elsewhere?.socket.destroy();
    const connection = await warm.connector(url);
    assert.match(await ask(connection), /^connection [23]$/, 'a fresh connection answered');
    connection.socket.destroy();
  });

  test('a warm connect that failed costs nothing: the exchange connects as usual', async () => {
    let calls = 0;
    const flaky = async (target: URL | string, options?: RawConnectOptions): Promise<RawConnection> => {
      calls++;
      if (calls === 1) throw new Error('ECONNRESET while opening ahead');
      return plainConnect(target, options);
    };
    accepted = [];
    const warm = new WarmConnections(flaky);
    warm.open(url, 4);
    const connection = await warm.connector(url);
    assert.equal(calls, 2);
    assert.equal(await ask(connection), 'connection 1');
    connection.socket.destroy();
  });
});

describe('kept-alive blob connections (raw HTTP/1.1 through the warm pool)', () => {
  let http: HttpServer;
  let origin: string;
  let connections = 0;
  const seen: { url: string; connection: string | undefined; socket: number }[] = [];
  before(async () => {
    http = createHttpServer((request, response) => {
      const socket = (request.socket as Socket & { number?: number }).number ?? 0;
      seen.push({ url: request.url ?? '', connection: request.headers.connection, socket });
      request.resume();
      request.on('end', () => {
        if (request.url === '/close') response.setHeader('connection', 'close');
        response.statusCode = request.url === '/missing' ? 404 : 200;
        response.end('payload');
      });
    });
    http.on('connection', (socket: Socket & { number?: number }) => (socket.number = ++connections));
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  after(() => {
    http.closeAllConnections();
    http.close();
  });

  const get = async (warm: WarmConnections, path: string): Promise<string> => {
    const { exchange, head } = await bodilessRequest(new URL(`${origin}${path}`), 'GET', {}, new AbortController().signal, warm.connector);
    const body = await exchange.readAll();
    exchange.close();
    return `${head.status} ${body.toString()}`;
  };

  test('three GETs in a row ride one connection, without Connection: close; close() ends it', async () => {
    connections = 0;
    seen.length = 0;
    const warm = new WarmConnections(plainConnect);
    for (const path of ['/a', '/b', '/c']) assert.equal(await get(warm, path), '200 payload');
    assert.deepEqual(seen.map((request) => request.socket), [1, 1, 1], 'one connection for all three');
    assert.ok(seen.every((request) => request.connection !== 'close'), 'no request asked to close');
    warm.close();
  });

  test('an answer with Connection: close, or not a 2xx, is not reused: the next request connects anew', async () => {
    connections = 0;
    seen.length = 0;
    const warm = new WarmConnections(plainConnect);
    assert.equal(await get(warm, '/close'), '200 payload');
    assert.equal(await get(warm, '/missing'), '404 payload');
    assert.equal(await get(warm, '/after'), '200 payload');
    assert.deepEqual(seen.map((request) => request.socket), [1, 2, 3]);
    warm.close();
  });
});
