/**
 * The transport's own test proxy (the end-to-end stand-in is connect-proxy.ts;
 * this one adds what only the transport's unit tests need: an https:// proxy,
 * a CONNECT that is never answered, per-destination refusals).
 * An HTTP proxy stand-in on loopback: CONNECT tunnels and absolute-URI
 * forwarding, like squid. Host names resolve only here (`hosts` maps each to
 * a loopback port), so a request that reaches its server proves it went
 * through the proxy. It can demand credentials (407), refuse destinations
 * (any status), answer over TLS (an https:// proxy), or never answer
 * CONNECT; it records every CONNECT and forwarded request with the
 * Proxy-Authorization it carried.
 */
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ProxyRecord {
  kind: 'connect' | 'forward';
  /** host:port for CONNECT, the absolute URI for a forwarded request. */
  target: string;
  proxyAuthorization: string | undefined;
  /** Request headers as the proxy received them (forwarded requests). */
  headers: IncomingMessage['headers'];
}

export interface ConnectProxyOptions {
  /** name → loopback port; the only names this proxy resolves. */
  hosts: Record<string, number>;
  /** Demands Proxy-Authorization: Basic of these. */
  auth?: { user: string; password: string };
  /** A status to refuse this host:port with (403, 502…); undefined lets it through. */
  refuse?: (authority: string) => number | undefined;
  /** Accept CONNECT and never answer it. */
  silent?: boolean;
  /** Serve the proxy over TLS (an https:// proxy) with this certificate. */
  tls?: { cert: string; key: string };
}

export interface ConnectProxy {
  readonly url: string;
  readonly port: number;
  readonly records: ProxyRecord[];
  close(): Promise<void>;
}

export async function startConnectProxy(options: ConnectProxyOptions): Promise<ConnectProxy> {
  const records: ProxyRecord[] = [];
  const sockets = new Set<Socket>();
  const expected = options.auth ? `Basic ${Buffer.from(`${options.auth.user}:${options.auth.password}`).toString('base64')}` : undefined;
  const portOf = (host: string): number | undefined => options.hosts[host.toLowerCase()];

  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    records.push({ kind: 'forward', target: req.url ?? '', proxyAuthorization: req.headers['proxy-authorization'], headers: { ...req.headers } });
    if (expected && req.headers['proxy-authorization'] !== expected) {
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="test"' }).end('proxy auth required');
      return;
    }
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute URI expected');
      return;
    }
    const port = portOf(target.hostname);
    const refused = options.refuse?.(target.host);
    if (port === undefined || refused) {
      res.writeHead(refused ?? 502).end('cannot reach');
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const upstream = httpRequest({ host: '127.0.0.1', port, method: req.method, path: `${target.pathname}${target.search}`, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };

  const server: Server = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, forward) : createHttpServer(forward);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const authority = req.url ?? '';
    records.push({ kind: 'connect', target: authority, proxyAuthorization: req.headers['proxy-authorization'], headers: { ...req.headers } });
    client.on('error', () => undefined);
    if (options.silent) return;
    if (expected && req.headers['proxy-authorization'] !== expected) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const host = authority.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
    const port = portOf(host);
    const refused = options.refuse?.(authority);
    if (port === undefined || refused) {
      const status = refused ?? 502;
      client.end(`HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : 'Bad Gateway'}\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    records,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
