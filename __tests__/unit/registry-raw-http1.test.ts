/**
 * The raw HTTP/1.1 exchange (src/registry/raw-http1.ts) against small local
 * servers: node:http ones for ordinary answers, node:net ones that write
 * exactly the bytes a test needs (heads in pieces, interim answers, bodies
 * cut short or delimited by the connection's end), redirects with and
 * without credentials, and TLS with a test CA (trusted through
 * NODE_EXTRA_CA_CERTS in a child process, as a user would).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { Http1BodyStream } from '../../src/registry/body-feed.js';
import { headerValue } from '../../src/registry/http1-head.js';
import { bodilessRequest, http1Get, type Http1Exchange } from '../../src/registry/raw-http1.js';
import { classifyFailure } from '../../src/http/retry.js';
import { standInCerts } from '../standins/kube-apiserver.js';
import { tempDir } from '../helpers/temp-dir.js';

const never = (): AbortSignal => new AbortController().signal;

async function listen(server: Server | NetServer): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closeServer(server: Server | NetServer): Promise<void> {
  if ('closeAllConnections' in server) server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** The body through the Readable a blob consumer gets. */
async function readBody(exchange: Http1Exchange): Promise<Buffer> {
  const stream = new Http1BodyStream(exchange, { progress: () => undefined, end: () => undefined, mapError: (error) => error });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A server that answers each connection by writing `script`'s pieces (with pauses between them), then maybe closing. */
async function scriptedServer(script: (socket: Socket, request: string) => Promise<void>): Promise<{ host: string; server: NetServer; requests: string[] }> {
  const requests: string[] = [];
  const server = createNetServer((socket) => {
    let text = '';
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      const before = text.includes('\r\n\r\n');
      text += chunk.toString('latin1');
      if (!before && text.includes('\r\n\r\n')) {
        requests.push(text);
        void script(socket, text);
      }
    });
  });
  return { host: await listen(server), server, requests };
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('Http1Exchange over plain TCP', () => {
  let server: Server | undefined;
  let host = '';
  const seen: IncomingMessage[] = [];
  const blob = Buffer.alloc(3 * 1024 * 1024 + 17, 7);

  before(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      seen.push(req);
      if (req.url === '/blob') res.writeHead(200, { 'content-length': blob.length }).end(blob);
      else if (req.url === '/chunked') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.write(blob.subarray(0, 1000));
        res.write(blob.subarray(1000, 70_000));
        res.end(blob.subarray(70_000));
      } else if (req.url === '/empty') res.writeHead(200, { 'content-length': 0 }).end();
      else if (req.url === '/missing') res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"BLOB_UNKNOWN"}]}');
      else res.writeHead(500).end();
    });
    host = await listen(server);
  });

  after(async () => {
    if (server) await closeServer(server);
  });

  it('reads a Content-Length body of several MB, sending Host and Connection: close', async () => {
    const { exchange, head } = await bodilessRequest(new URL(`http://${host}/blob`), 'GET', { 'accept-encoding': 'identity' }, never());
    assert.equal(head.status, 200);
    assert.equal(exchange.contentLength(), blob.length);
    assert.deepEqual(await readBody(exchange), blob);
    const request = seen.at(-1);
    assert.equal(request?.headers.host, host);
    assert.equal(request?.headers.connection, 'close');
    assert.equal(request?.headers['accept-encoding'], 'identity');
  });

  it('decodes a chunked body', async () => {
    const { exchange, head } = await bodilessRequest(new URL(`http://${host}/chunked`), 'GET', {}, never());
    assert.equal(head.status, 200);
    assert.equal(headerValue(head, 'transfer-encoding'), 'chunked');
    assert.equal(exchange.contentLength(), undefined);
    assert.deepEqual(await readBody(exchange), blob);
  });

  it('ends an empty body at once, and reads a small error body whole', async () => {
    const empty = await bodilessRequest(new URL(`http://${host}/empty`), 'GET', {}, never());
    assert.equal((await readBody(empty.exchange)).length, 0);
    const missing = await bodilessRequest(new URL(`http://${host}/missing`), 'GET', {}, never());
    assert.equal(missing.head.status, 404);
    assert.equal((await missing.exchange.readAll()).toString(), '{"errors":[{"code":"BLOB_UNKNOWN"}]}');
  });

  it('refuses a URL that is not HTTP(S)', async () => {
    await assert.rejects(bodilessRequest(new URL('ftp://127.0.0.1/x'), 'GET', {}, never()), /not an HTTP\(S\) URL/);
  });
});

describe('Http1Exchange with hand-written answers', () => {
  const servers: NetServer[] = [];
  after(async () => {
    await Promise.all(servers.map((server) => closeServer(server)));
  });
  const scripted = async (script: (socket: Socket, request: string) => Promise<void>): Promise<string> => {
    const made = await scriptedServer(script);
    servers.push(made.server);
    return made.host;
  };

  it('reads a head written in pieces, with body bytes in the same write as its end, after a 100 Continue', async () => {
    const host = await scripted(async (socket) => {
      for (const piece of ['HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 2', '00 OK\r\nContent-', 'Length: 10\r', '\n\r', '\nhello', 'world']) {
        socket.write(piece);
        await pause(5);
      }
    });
    const { exchange, head } = await bodilessRequest(new URL(`http://${host}/x`), 'GET', {}, never());
    assert.equal(head.status, 200);
    assert.equal((await readBody(exchange)).toString(), 'helloworld');
  });

  it('reads a body without length up to the end of the connection', async () => {
    const host = await scripted(async (socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil ');
      await pause(5);
      socket.end('the end');
    });
    const { exchange } = await bodilessRequest(new URL(`http://${host}/x`), 'GET', {}, never());
    assert.equal((await readBody(exchange)).toString(), 'until the end');
  });

  it('fails a body cut short of its Content-Length as a dropped connection (transient)', async () => {
    const host = await scripted(async (socket) => {
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this');
    });
    const { exchange } = await bodilessRequest(new URL(`http://${host}/x`), 'GET', {}, never());
    const error = await readBody(exchange).then(() => assert.fail('no error'), (e: unknown) => e);
    assert.match(String(error), /closed before the end of the answer body/);
    assert.equal(classifyFailure(error, undefined).transient, true);
  });

  it('fails a connection closed before any answer as a hang-up (transient)', async () => {
    const host = await scripted(async (socket) => {
      socket.end();
    });
    const error = await bodilessRequest(new URL(`http://${host}/x`), 'GET', {}, never()).then(() => assert.fail('no error'), (e: unknown) => e);
    assert.match(String(error), /socket hang up/);
    assert.equal(classifyFailure(error, undefined).what, 'the connection to the server was reset (ECONNRESET)');
  });

  it('refuses a malformed answer', async () => {
    const host = await scripted(async (socket) => {
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello');
    });
    await assert.rejects(bodilessRequest(new URL(`http://${host}/x`), 'GET', {}, never()), /conflicting Content-Length/);
    const garbage = await scripted(async (socket) => {
      socket.end('SSH-2.0-OpenSSH_9.2\r\n\r\n');
    });
    await assert.rejects(bodilessRequest(new URL(`http://${garbage}/x`), 'GET', {}, never()), /not an HTTP\/1\.x status line/);
  });

  it('drops the connection when the signal aborts, waiting for the head or in the body, with its reason', async () => {
    const host = await scripted(async (socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nsome');
    });
    const controller = new AbortController();
    const { exchange } = await bodilessRequest(new URL(`http://${host}/x`), 'GET', {}, controller.signal);
    const reading = readBody(exchange);
    controller.abort(new Error('caller gave up'));
    await assert.rejects(reading, /caller gave up/);

    const silent = await scripted(async () => undefined);
    const early = new AbortController();
    const waiting = bodilessRequest(new URL(`http://${silent}/x`), 'GET', {}, early.signal);
    setTimeout(() => early.abort(new Error('no answer wanted')), 20);
    await assert.rejects(waiting, /no answer wanted/);
  });
});

describe('http1Get redirects', () => {
  const origins: { host: string; server: Server; seen: { url: string; authorization: string | undefined }[] }[] = [];

  before(async () => {
    for (let i = 0; i < 2; i++) {
      const seen: { url: string; authorization: string | undefined }[] = [];
      const server = createServer((req, res) => {
        seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
        const other = origins[1 - i]?.host ?? '';
        const routes: Record<string, () => void> = {
          '/same': () => res.writeHead(307, { location: '/final' }).end(),
          '/away': () => res.writeHead(302, { location: `http://${other}/final`, 'content-length': 5 }).end('moved'),
          '/away-and-back': () => res.writeHead(301, { location: `http://${other}/back` }).end(),
          '/back': () => res.writeHead(308, { location: `http://${other}/final` }).end(),
          '/loop': () => res.writeHead(307, { location: '/loop' }).end(),
          '/final': () => res.writeHead(200, { 'content-length': 2 }).end('ok'),
        };
        (routes[req.url ?? ''] ?? (() => res.writeHead(404).end()))();
      });
      origins.push({ host: await listen(server), server, seen });
    }
  });

  after(async () => {
    await Promise.all(origins.map((origin) => closeServer(origin.server)));
  });

  const get = (host: string, path: string) => http1Get(new URL(`http://${host}${path}`), {}, 'Bearer secret', never());
  const reset = (): void => {
    for (const origin of origins) origin.seen.length = 0;
  };

  it('keeps Authorization on a same-origin redirect', async () => {
    reset();
    const [a] = origins;
    const answer = await get(a?.host ?? '', '/same');
    assert.equal(answer.head.status, 200);
    assert.equal((await answer.exchange.readAll()).toString(), 'ok');
    assert.deepEqual(a?.seen, [
      { url: '/same', authorization: 'Bearer secret' },
      { url: '/final', authorization: 'Bearer secret' },
    ]);
  });

  it('drops Authorization once a redirect leaves the origin, even when a later one comes back', async () => {
    reset();
    const [a, b] = origins;
    const answer = await get(a?.host ?? '', '/away');
    assert.equal(answer.url.host, b?.host);
    assert.equal((await answer.exchange.readAll()).toString(), 'ok');
    assert.deepEqual(b?.seen, [{ url: '/final', authorization: undefined }]);

    reset();
    const back = await get(a?.host ?? '', '/away-and-back');
    assert.equal(back.head.status, 200);
    back.exchange.close();
    assert.deepEqual(a?.seen, [
      { url: '/away-and-back', authorization: 'Bearer secret' },
      { url: '/final', authorization: undefined },
    ]);
  });

  it('gives up after 20 redirects', async () => {
    reset();
    await assert.rejects(get(origins[0]?.host ?? '', '/loop'), /redirect count exceeded \(20\)/);
    assert.equal(origins[0]?.seen.length, 21);
  });
});

describe('Http1Exchange over TLS', () => {
  let server: ReturnType<typeof createHttpsServer> | undefined;
  let port = 0;
  let dir = '';
  const servernames: (string | false | null)[] = [];

  before(async () => {
    const certs = await standInCerts();
    dir = tempDir('raw-http1-tls-');
    writeFileSync(join(dir, 'ca.pem'), certs.ca);
    server = createHttpsServer({ key: certs.serverKey, cert: certs.serverCert }, (req, res) => {
      servernames.push((req.socket as TLSSocket).servername);
      res.writeHead(200, { 'content-length': 9 }).end('over tls!');
    });
    port = Number((await listen(server)).split(':')[1]);
  });

  after(async () => {
    if (server) await closeServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a server whose certificate it cannot verify', async () => {
    const error = await http1Get(new URL(`https://127.0.0.1:${port}/x`), {}, undefined, never()).then(() => assert.fail('no error'), (e: unknown) => e);
    assert.match(String((error as { code?: unknown }).code), /CERT|VERIFY|SELF_SIGNED/);
  });

  it('trusts a CA given in NODE_EXTRA_CA_CERTS, with SNI for a host name and none for an IP literal', async () => {
    servernames.length = 0;
    const script = `
      const { http1Get } = await import(process.env.RAW_HTTP1);
      const out = [];
      for (const host of ['localhost', '127.0.0.1']) {
        const answer = await http1Get(new URL('https://' + host + ':${port}/x'), {}, undefined, new AbortController().signal);
        out.push({ host, status: answer.head.status, body: (await answer.exchange.readAll()).toString() });
      }
      console.log(JSON.stringify(out));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem'), RAW_HTTP1: new URL('../../src/registry/raw-http1.js', import.meta.url).href },
      timeout: 20_000,
    });
    assert.deepEqual(JSON.parse(stdout.trim()), [
      { host: 'localhost', status: 200, body: 'over tls!' },
      { host: '127.0.0.1', status: 200, body: 'over tls!' },
    ]);
    assert.deepEqual(servernames, ['localhost', false]);
  });
});
