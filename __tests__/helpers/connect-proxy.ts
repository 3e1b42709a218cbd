/**
 * An HTTP forward proxy stand-in for proxy end-to-end tests: `CONNECT
 * host:port` tunnels (what HTTPS_PROXY clients use for TLS) and absolute-URI
 * requests (`GET http://host/path`, what HTTP_PROXY clients send for plain
 * HTTP). Host names in `hosts` resolve only here — the client machine cannot
 * resolve them — so a request that reaches such a name proves the proxy
 * carried it. Optional Basic proxy authentication (407 otherwise), a refusal
 * mode (403 to every CONNECT), and a record of every request and tunnel.
 */
import { createServer, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ProxyCredentials {
  username: string;
  password: string;
}

export interface ProxiedCall {
  /** `CONNECT`, or the method of a forwarded plain-HTTP request. */
  method: string;
  /** `host:port` for CONNECT; the absolute URL for a forwarded request. */
  target: string;
  /** Where the proxy connected (after the host map), or undefined when it did not. */
  connectedTo: string | undefined;
  /** The Proxy-Authorization header as received. */
  proxyAuthorization: string | undefined;
  /** What the proxy answered: 200 for a tunnel opened, 407, 403, 502… */
  status: number;
  /** Bytes carried each way (tunnel or forwarded body). */
  bytesToTarget: number;
  bytesToClient: number;
}

export interface ConnectProxyOptions {
  /** Host name (any case) → `host:port` to connect to instead; other names are connected to as given. */
  hosts?: Record<string, string>;
  /** Require `Proxy-Authorization: Basic` with these; left out, anyone may use the proxy. */
  credentials?: ProxyCredentials;
}

export interface ConnectProxy {
  /** `127.0.0.1:PORT`. */
  readonly host: string;
  readonly port: number;
  /** `http://127.0.0.1:PORT`, or with `user:password@` in it, for HTTPS_PROXY/HTTP_PROXY. */
  url(credentials?: ProxyCredentials): string;
  readonly calls: ProxiedCall[];
  /** `host:port` of every CONNECT that opened a tunnel. */
  tunnels(): string[];
  /** Answer every CONNECT with 403 (a proxy whose policy refuses the destination). */
  setRefuse(refuse: boolean): void;
  setCredentials(credentials: ProxyCredentials | undefined): void;
  /** Maps (or unmaps, with undefined) one more name. */
  mapHost(name: string, target: string | undefined): void;
  /** Forgets the records; keeps the settings. */
  reset(): void;
  close(): Promise<void>;
}

export const PROXY_REALM = 'imageship-test-proxy';

export async function startConnectProxy(options: ConnectProxyOptions = {}): Promise<ConnectProxy> {
  const hosts = new Map(Object.entries(options.hosts ?? {}).map(([name, target]) => [name.toLowerCase(), target]));
  let credentials = options.credentials;
  let refuse = false;
  const calls: ProxiedCall[] = [];
  const sockets = new Set<Socket>();

  const authorized = (header: string | undefined): boolean => {
    if (credentials === undefined) return true;
    return header === `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  };
  /** `host:port` after the host map; a bracketed IPv6 address keeps its brackets out. */
  const resolveTarget = (hostname: string, port: string): { host: string; port: number } => {
    const mapped = hosts.get(hostname.toLowerCase());
    if (mapped !== undefined) {
      const colon = mapped.lastIndexOf(':');
      return { host: mapped.slice(0, colon), port: Number(mapped.slice(colon + 1)) };
    }
    return { host: hostname.replace(/^\[|\]$/g, ''), port: Number(port) };
  };
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const plainAnswer = (socket: Socket, status: number, reason: string, extra: string[] = []): void => {
    socket.end([`HTTP/1.1 ${status} ${reason}`, ...extra, 'Content-Length: 0', 'Connection: close', '', ''].join('\r\n'));
  };

  const onConnect = (req: IncomingMessage, client: Socket, head: Buffer): void => {
    track(client);
    const target = req.url ?? '';
    const call: ProxiedCall = { method: 'CONNECT', target, connectedTo: undefined, proxyAuthorization: req.headers['proxy-authorization'], status: 0, bytesToTarget: 0, bytesToClient: 0 };
    calls.push(call);
    client.on('error', () => client.destroy());
    if (!authorized(call.proxyAuthorization)) {
      call.status = 407;
      plainAnswer(client, 407, 'Proxy Authentication Required', [`Proxy-Authenticate: Basic realm="${PROXY_REALM}"`]);
      return;
    }
    if (refuse) {
      call.status = 403;
      plainAnswer(client, 403, 'Forbidden');
      return;
    }
    const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(target);
    if (match === null) {
      call.status = 400;
      plainAnswer(client, 400, 'Bad Request');
      return;
    }
    const destination = resolveTarget(match[1] as string, match[2] as string);
    const upstream = connect(destination);
    track(upstream);
    upstream.once('connect', () => {
      call.connectedTo = `${destination.host}:${destination.port}`;
      call.status = 200;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) {
        call.bytesToTarget += head.length;
        upstream.write(head);
      }
      client.on('data', (chunk: Buffer) => (call.bytesToTarget += chunk.length));
      upstream.on('data', (chunk: Buffer) => (call.bytesToClient += chunk.length));
      client.pipe(upstream);
      upstream.pipe(client);
    });
    upstream.on('error', () => {
      if (call.status === 0) {
        call.status = 502;
        plainAnswer(client, 502, 'Bad Gateway');
      } else client.destroy();
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const target = req.url ?? '';
    const call: ProxiedCall = { method: req.method ?? 'GET', target, connectedTo: undefined, proxyAuthorization: req.headers['proxy-authorization'], status: 0, bytesToTarget: 0, bytesToClient: 0 };
    calls.push(call);
    const answer = (status: number, headers: OutgoingHttpHeaders = {}): void => {
      call.status = status;
      req.resume();
      res.writeHead(status, { 'content-length': '0', ...headers }).end();
    };
    if (!authorized(call.proxyAuthorization)) return answer(407, { 'proxy-authenticate': `Basic realm="${PROXY_REALM}"` });
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      // An origin-form request (`GET /path`): this is a proxy, not a server.
      return answer(400);
    }
    if (url.protocol !== 'http:') return answer(400);
    const destination = resolveTarget(url.hostname, url.port || '80');
    call.connectedTo = `${destination.host}:${destination.port}`;
    const headers: OutgoingHttpHeaders = { ...req.headers };
    for (const hop of ['proxy-authorization', 'proxy-connection', 'connection', 'keep-alive']) delete headers[hop];
    const upstream = httpRequest({ host: destination.host, port: destination.port, method: req.method, path: `${url.pathname}${url.search}`, headers }, (response) => {
      call.status = response.statusCode ?? 502;
      res.writeHead(call.status, response.headers);
      response.on('data', (chunk: Buffer) => (call.bytesToClient += chunk.length));
      response.pipe(res);
    });
    upstream.on('error', () => {
      if (call.status === 0) answer(502);
      else res.destroy();
    });
    req.on('data', (chunk: Buffer) => (call.bytesToTarget += chunk.length));
    req.pipe(upstream);
  };

  const server: Server = createServer(onRequest);
  server.on('connect', onConnect);
  server.on('connection', track);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    port,
    url: (withCredentials) =>
      withCredentials === undefined
        ? `http://127.0.0.1:${port}`
        : `http://${encodeURIComponent(withCredentials.username)}:${encodeURIComponent(withCredentials.password)}@127.0.0.1:${port}`,
    calls,
    tunnels: () => calls.filter((c) => c.method === 'CONNECT' && c.status === 200).map((c) => c.target),
    setRefuse: (on) => {
      refuse = on;
    },
    setCredentials: (next) => {
      credentials = next;
    },
    mapHost: (name, target) => {
      if (target === undefined) hosts.delete(name.toLowerCase());
      else hosts.set(name.toLowerCase(), target);
    },
    reset: () => {
      calls.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
