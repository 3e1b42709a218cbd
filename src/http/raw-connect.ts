/**
 * A ready connection for code that speaks HTTP/1.1 on a socket itself (the
 * hand-written blob client, registry/raw-http1.ts): the same route as the
 * agents (direct, or a CONNECT tunnel through the proxy for https://), the
 * same TLS trust (certs.d, client certificates, SNI for names only), the
 * same connect timeout, and TLS sessions resumed per host. For an http://
 * target behind a proxy the socket goes to the proxy and `forward` says how
 * to write the request: its absolute URI as the target, plus these headers.
 */
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import type { AgentPool } from './agents.js';
import { endpointOf } from './agents.js';
import { classifyNetworkError, hostPort, type Endpoint } from './network-errors.js';
import { proxyFor, type ProxySettings } from './proxy-env.js';
import { openTunnel } from './proxy-tunnel.js';
import { connectTimeout } from './timeouts.js';

export interface RawConnection {
  socket: Socket;
  /** Set when the socket goes to a forward proxy (http:// target): use the absolute URI and add these headers. */
  forward: { headers: Record<string, string> } | undefined;
  /**
   * Set for a connection opened ahead of need (registry/warm-connections.ts):
   * it was opened with reads of its own, which hand over what came so far and
   * everything after. Absent: the socket reads into the caller's `onread`.
   */
  reads?: ConnectionReads;
  /**
   * Set by a connector that keeps connections alive (registry/warm-connections.ts):
   * an exchange whose answer completed cleanly hands the socket back here, with
   * the reads it was opened with, instead of closing it.
   */
  keepAlive?: (socket: Socket, reads: ConnectionReads) => void;
}

/** Where a connection's reads go: to one exchange after another (registry/slab-reads.ts). */
export interface ConnectionReads {
  deliverTo(target: (chunk: Buffer) => void): void;
  /** No exchange listens any more: reads wait for the next one. */
  detach(): void;
  /** Bytes arrived that no exchange took (on an idle connection: it cannot carry a request). */
  hasUnread(): boolean;
}

export interface RawConnectOptions {
  signal?: AbortSignal | undefined;
  /** Passed to net/tls connect (e.g. `onread` for slab reads). */
  socketOptions?: object;
}

export interface RawConnectContext {
  pool: AgentPool;
  proxies: ProxySettings;
  certsDir: string;
  connectTimeoutMs: number;
  sessions: Map<string, Buffer>;
}

export async function connectRaw(context: RawConnectContext, url: URL, options: RawConnectOptions = {}): Promise<RawConnection> {
  const target = endpointOf(url);
  const proxy = proxyFor(context.proxies, url);
  const signal = options.signal;
  if (signal?.aborted) throw signal.reason;
  const tracked: Socket[] = [];
  const track = (socket: Socket): void => void tracked.push(socket);
  const where = proxy ? `${hostPort(target)} through the proxy ${proxy.display}` : hostPort(target);
  let timedOut: Error | undefined;
  const timer =
    context.connectTimeoutMs > 0
      ? setTimeout(() => {
          timedOut = connectTimeout(where, context.connectTimeoutMs);
          for (const socket of tracked) socket.destroy(timedOut);
        }, context.connectTimeoutMs)
      : undefined;
  const onAbort = (): void => {
    for (const socket of tracked) socket.destroy(signal?.reason as Error);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const failure = { target, proxy, certsDir: context.certsDir, connected: false };
  try {
    if (proxy && !target.secure) {
      const proxyEnd = endpointOf(proxy.url);
      const socket = await open(proxyEnd, proxyEnd.secure ? {} : undefined, track, options.socketOptions, undefined);
      return { socket, forward: { headers: proxy.authorization ? { 'proxy-authorization': proxy.authorization } : {} } };
    }
    const tunnel = proxy ? await openTunnel(proxy, target, { track, certsDir: context.certsDir }) : undefined;
    const tls = target.secure ? context.pool.tlsOptions(target) : undefined;
    const socket = await open(target, tls, track, options.socketOptions, tunnel, context.sessions);
    return { socket, forward: undefined };
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw classifyNetworkError(timedOut ?? error, { ...failure, atProxy: proxy !== undefined && !target.secure });
  } finally {
    if (timer) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** TCP (or TLS when `tls` is given) to `endpoint`, or TLS inside `through`; resolves once ready for a request. */
function open(endpoint: Endpoint, tls: ConnectionOptions | undefined, track: (s: Socket) => void, extra: object | undefined, through: Socket | undefined, sessions?: Map<string, Buffer>): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    let socket: Socket;
    if (tls) {
      const key = hostPort(endpoint);
      const session = sessions?.get(key);
      const secure: TLSSocket = tlsConnect({
        ...(through ? { socket: through } : { host: endpoint.host, port: endpoint.port }),
        ...(isIP(endpoint.host) === 0 ? { servername: endpoint.host } : {}),
        ...tls,
        ...(session ? { session } : {}),
        ...extra,
      } as ConnectionOptions);
      secure.on('session', (data: Buffer) => sessions?.set(key, data));
      socket = secure;
    } else {
      socket = through ?? netConnect({ host: endpoint.host, port: endpoint.port, ...extra });
    }
    track(socket);
    const onError = (error: Error): void => {
      socket.destroy();
      reject(error);
    };
    socket.once('error', onError);
    const ready = (): void => {
      socket.off('error', onError);
      resolve(socket);
    };
    if (tls) socket.once('secureConnect', ready);
    else if (through) ready();
    else socket.once('connect', ready);
  });
}
