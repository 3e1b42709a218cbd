/**
 * One HTTP exchange on the pooled agents: the request goes out on the route
 * the pool chose (direct, CONNECT tunnel, or absolute-URI forwarding), the
 * idle and overall timeouts watch it until the answer's last byte, and any
 * failure comes back as one NetworkError that knows whether the request can
 * have reached the server (the retry policy's question for a POST). The
 * caller writes the body (a Buffer, or a stream for blob uploads) and reads
 * the answer as a node IncomingMessage.
 */
import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AgentPool, Route } from './agents.js';
import { classifyNetworkError, hostPort, NetworkError } from './network-errors.js';
import { http } from './node-http.js';
import { idleTimeout, overallTimeout, type Timeouts } from './timeouts.js';

export interface SendOptions {
  method: string;
  /** Header names as the caller gives them; `host` is set from the URL. */
  headers?: OutgoingHttpHeaders;
  signal?: AbortSignal | undefined;
  timeouts: Timeouts;
}

export interface PendingExchange {
  /** Write the body here (or just `end()`); node's ClientRequest. */
  readonly request: ClientRequest;
  /** The answer's head; its body is the IncomingMessage stream. Rejects with NetworkError, or the signal's reason. */
  readonly response: Promise<IncomingMessage>;
  readonly route: Route;
  /** The same NetworkError for a failure seen while reading the body (a reset mid-blob). */
  classify(error: unknown): unknown;
}

/** Starts a request to `url`; the caller writes the body and ends `request`. */
export function startExchange(pool: AgentPool, certsDir: string, url: URL, options: SendOptions): PendingExchange {
  const route = pool.route(url);
  const headers: OutgoingHttpHeaders = { ...options.headers };
  const secureHop = route.kind === 'forward' ? route.proxy?.url.protocol === 'https:' : route.target.secure;
  let request: ClientRequest;
  if (route.kind === 'forward' && route.proxy) {
    const proxyUrl = route.proxy.url;
    if (route.proxy.authorization) headers['proxy-authorization'] = route.proxy.authorization;
    headers.host = url.host;
    request = (secureHop ? httpsRequest : http.request)({
      hostname: proxyUrl.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: Number(proxyUrl.port || (secureHop ? 443 : 80)),
      path: url.href.replace(/#.*$/, ''),
      method: options.method,
      headers,
      agent: route.agent,
    });
  } else {
    request = (secureHop ? httpsRequest : http.request)({
      hostname: route.target.host,
      port: route.target.port,
      path: `${url.pathname}${url.search}`,
      method: options.method,
      headers,
      agent: route.agent,
    });
  }

  const what = `${options.method} ${url.origin}${url.pathname}`;
  let connected = false;
  let settled = false;
  /** The answer's last byte arrived: the socket may already serve another request, so nothing here may touch it. */
  let complete = false;
  let answer: IncomingMessage | undefined;
  let overallTimer: NodeJS.Timeout | undefined;
  const signal = options.signal;

  const response = new Promise<IncomingMessage>((resolve, reject) => {
    const finishTimers = (): void => {
      if (overallTimer) clearTimeout(overallTimer);
      overallTimer = undefined;
      signal?.removeEventListener('abort', onAbort);
    };
    /** Ends the exchange with `error`: the pending head rejects, a body being read errors. */
    const fail = (error: unknown, alreadyClassified = false): void => {
      if (complete) return;
      const failure =
        alreadyClassified || (signal?.aborted && error === signal.reason)
          ? error
          : classifyNetworkError(error, { target: route.target, proxy: route.proxy, atProxy: route.kind === 'forward' && !connected, certsDir, connected });
      finishTimers();
      if (!settled) {
        settled = true;
        reject(failure);
      }
      if (answer && !answer.complete) answer.destroy(failure as Error);
      request.destroy();
    };
    const onAbort = (): void => fail(signal?.reason, true);
    if (signal?.aborted) {
      queueMicrotask(onAbort);
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });

    if (options.timeouts.overallMs > 0) {
      overallTimer = setTimeout(() => fail(overallTimeout(what, options.timeouts.overallMs, !connected), true), options.timeouts.overallMs);
      overallTimer.unref();
    }
    if (options.timeouts.idleMs > 0) {
      // Node arms it once the socket is connected: the connect timeout covers the time before.
      request.setTimeout(options.timeouts.idleMs, () => fail(idleTimeout(hostPort(route.target), options.timeouts.idleMs, !connected), true));
    }
    request.on('socket', (socket) => {
      if (request.reusedSocket) connected = true;
      else socket.once(secureHop ? 'secureConnect' : 'connect', () => (connected = true));
    });
    request.on('error', (error) => fail(error));
    request.on('response', (incoming: IncomingMessage) => {
      answer = incoming;
      // A forward proxy answers 407 itself; CONNECT's 407 is caught in the tunnel.
      if (route.kind === 'forward' && incoming.statusCode === 407 && route.proxy) {
        incoming.resume();
        const proxy = route.proxy;
        const fix = proxy.authorization ? `check the credentials in ${proxy.variable}` : `the proxy wants credentials: put them in ${proxy.variable} as ${proxy.url.protocol}//user:password@${proxy.url.host}`;
        fail(new NetworkError(`the proxy ${proxy.display} refused ${options.method} ${url.origin} (407 ${incoming.statusMessage ?? 'Proxy Authentication Required'}): ${fix}`, { kind: 'proxy-auth', transient: false, nothingSent: true, code: 'HTTP_407' }), true);
        return;
      }
      settled = true;
      incoming.on('end', () => {
        complete = true;
        finishTimers();
      });
      incoming.on('close', () => {
        finishTimers();
        if (!incoming.complete && !incoming.destroyed) incoming.destroy(classifyNetworkError(Object.assign(new Error('the connection closed before the body ended'), { code: 'ECONNRESET' }), { target: route.target, proxy: route.proxy, certsDir, connected: true }));
      });
      resolve(incoming);
    });
  });
  // Whoever awaits it sees the failure; nobody awaiting it is not an unhandled rejection.
  response.catch(() => undefined);
  const classify = (error: unknown): unknown =>
    signal?.aborted && error === signal.reason ? error : classifyNetworkError(error, { target: route.target, proxy: route.proxy, certsDir, connected });
  return { request, response, route, classify };
}
