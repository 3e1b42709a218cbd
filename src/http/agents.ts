/**
 * Connection pools: one keep-alive agent per origin and route (direct, or
 * through a given proxy), so a registry's connections are reused across
 * manifest, token and API calls, TLS sessions are resumed (node:https caches
 * them per agent) and each origin has a bounded number of sockets (requests
 * past it wait for a free one). Blob bytes do not pass through these agents:
 * the blob client opens its own sockets (raw-connect.ts), on the same route
 * and with the same trust. Idle sockets of a keep-alive agent are
 * unref'd by Node, so they never hold the process open.
 *
 * - https:// direct: an https.Agent whose TLS options carry that host's trust
 *   (tls-trust.ts); SNI is the host name, none for an IP literal (Node's
 *   agent leaves it out for IPs).
 * - https:// through a proxy: the same, but each new socket is a CONNECT
 *   tunnel (proxy-tunnel.ts) that TLS is then started inside.
 * - http:// through a proxy: one plain agent per proxy; the request is
 *   forwarded with its absolute URI (what curl and Go do for http://).
 *
 * The connect timeout runs from the first byte towards the proxy or the host
 * to the end of the TLS handshake.
 */
import type { Agent as HttpAgent, AgentOptions } from 'node:http';
import { Agent as HttpsBaseAgent, type AgentOptions as HttpsAgentOptions } from 'node:https';
import { isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { hostPort, type Endpoint } from './network-errors.js';
import { http } from './node-http.js';
import { proxyFor, type ProxyServer, type ProxySettings } from './proxy-env.js';
import { openTunnel } from './proxy-tunnel.js';
import { connectTimeout } from './timeouts.js';
import { tlsOptionsFor, type TlsSettings } from './tls-trust.js';

export interface PoolConfig {
  proxies: ProxySettings;
  tls: TlsSettings;
  certsDir: string;
  connectTimeoutMs: number;
  maxSocketsPerOrigin: number;
}

/** How a request to one URL travels. */
export interface Route {
  kind: 'direct' | 'tunnel' | 'forward';
  target: Endpoint;
  proxy: ProxyServer | undefined;
  agent: HttpAgent;
}

type ConnectionCallback = (error: Error | null, socket: Duplex) => void;

/** Destroys whatever is still connecting once `ms` have passed; `done()` when the connection is ready. */
function connectWatch(ms: number, where: string): { track(socket: Socket): void; done(): void } {
  const sockets: Socket[] = [];
  let finished = false;
  const timer =
    ms > 0
      ? setTimeout(() => {
          finished = true;
          const error = connectTimeout(where, ms);
          for (const socket of sockets) socket.destroy(error);
        }, ms)
      : undefined;
  timer?.unref();
  return {
    track(socket) {
      if (finished) return;
      sockets.push(socket);
      socket.once('close', () => this.done());
    },
    done() {
      finished = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** A bare address for sockets: URL keeps IPv6 literals in brackets. */
export function endpointOf(url: URL): Endpoint {
  const secure = url.protocol === 'https:';
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port || (secure ? 443 : 80)), secure };
}

class PlainAgent extends http.Agent {
  constructor(
    options: AgentOptions,
    private readonly connectMs: number,
    private readonly where: string,
  ) {
    super(options);
  }

  // The base class's createConnection is net.createConnection.
  override createConnection(options: object): Socket {
    const socket = (http.Agent.prototype as unknown as { createConnection(o: object): Socket }).createConnection.call(this, options);
    const watch = connectWatch(this.connectMs, this.where);
    watch.track(socket);
    socket.once('connect', () => watch.done());
    return socket;
  }
}

class TlsAgent extends HttpsBaseAgent {
  constructor(
    options: HttpsAgentOptions,
    private readonly connectMs: number,
    private readonly target: Endpoint,
    private readonly proxy: ProxyServer | undefined,
    private readonly certsDir: string,
  ) {
    super(options);
  }

  override createConnection(options: object, callback?: ConnectionCallback): Socket | undefined {
    const base = HttpsBaseAgent.prototype as unknown as { createConnection(o: object): TLSSocket };
    const watch = connectWatch(this.connectMs, this.proxy ? `${hostPort(this.target)} through the proxy ${this.proxy.display}` : hostPort(this.target));
    if (this.proxy === undefined) {
      const socket = base.createConnection.call(this, options);
      watch.track(socket);
      socket.once('secureConnect', () => watch.done());
      return socket;
    }
    openTunnel(this.proxy, this.target, { track: (s) => watch.track(s), certsDir: this.certsDir }).then(
      (tunnel) => {
        // The base class resumes a cached TLS session for this origin and caches the new one.
        const socket = base.createConnection.call(this, { ...options, socket: tunnel });
        watch.track(socket);
        socket.once('secureConnect', () => watch.done());
        callback?.(null, socket);
      },
      (error: Error) => {
        watch.done();
        callback?.(error, undefined as unknown as Duplex);
      },
    );
    return undefined;
  }
}

export class AgentPool {
  private readonly agents = new Map<string, HttpAgent>();

  constructor(private readonly config: PoolConfig) {}

  /** The route and agent for `url` (http: or https:). Throws TlsConfigError when the host's certs.d folder is unusable. */
  route(url: URL): Route {
    const target = endpointOf(url);
    const proxy = proxyFor(this.config.proxies, url);
    const kind = proxy === undefined ? 'direct' : target.secure ? 'tunnel' : 'forward';
    const key = kind === 'forward' ? `forward ${proxy?.display}` : `${url.protocol}//${hostPort(target)} ${proxy?.display ?? 'direct'}`;
    let agent = this.agents.get(key);
    if (agent === undefined) {
      agent = this.makeAgent(kind, target, proxy);
      this.agents.set(key, agent);
    }
    return { kind, target, proxy, agent };
  }

  private makeAgent(kind: Route['kind'], target: Endpoint, proxy: ProxyServer | undefined): HttpAgent {
    const pooling = { keepAlive: true, maxSockets: this.config.maxSocketsPerOrigin, scheduling: 'lifo' as const };
    const connectMs = this.config.connectTimeoutMs;
    if (kind === 'forward' && proxy) {
      const proxyEnd = endpointOf(proxy.url);
      if (proxyEnd.secure) return new TlsAgent({ ...pooling, ...(isIP(proxyEnd.host) ? {} : { servername: proxyEnd.host }) }, connectMs, proxyEnd, undefined, this.config.certsDir);
      return new PlainAgent(pooling, connectMs, `the proxy ${proxy.display}`);
    }
    if (!target.secure) return new PlainAgent(pooling, connectMs, hostPort(target));
    const tls = tlsOptionsFor(target, this.config.tls, this.config.certsDir);
    return new TlsAgent({ ...pooling, ...tls }, connectMs, target, proxy, this.config.certsDir);
  }

  /** TLS options for a raw connection to `target` (the same trust as the agents use). */
  tlsOptions(target: Endpoint): ReturnType<typeof tlsOptionsFor> {
    return tlsOptionsFor(target, this.config.tls, this.config.certsDir);
  }

  /** Closes every pooled connection. */
  destroy(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}
