/**
 * The one network layer every HTTP call of imageship goes through (registry,
 * cloud APIs, Kubernetes, triggers, token endpoints): proxies from the
 * environment, TLS trust (NODE_EXTRA_CA_CERTS, docker's certs.d, client
 * certificates), keep-alive pools per origin, connect/idle/overall timeouts
 * and one classification of failures. Retries are a decorator on top
 * (retry.ts), so a caller chooses per call whether a request may repeat.
 *
 * Why our own CONNECT agent on node:http/node:https rather than a library.
 * Measured with bench/proxy-startup.mjs (Node 24.21, this 2-core machine
 * under load from other jobs, 21 interleaved rounds, medians): a fresh
 * process makes one HTTPS request through a local CONNECT proxy to a name
 * only the proxy resolves, each candidate bundled with ncc as the action is.
 *
 * | candidate                          | wall ms | CPU ms | undici | ncc bundle | Node 20 |
 * |------------------------------------|---------|--------|--------|------------|---------|
 * | no proxy at all (https direct)     | 108.6   | 63.1   | no     | 5.8 KB     | yes     |
 * | this layer (src/http, all of it)   | 103.1   | 69.2   | no     | 79.6 KB    | yes     |
 * | Node's https.Agent({ proxyEnv })   |  99.3   | 64.0   | no     | 5.9 KB     | no      |
 * | global fetch + NODE_USE_ENV_PROXY  | 136.3   | 94.7   | yes    | 5.0 KB     | no      |
 * | undici EnvHttpProxyAgent (npm 7)   | 170.3   | 122.3  | yes    | 1.29 MB    | yes     |
 * | https-proxy-agent 9 (npm)          | 104.3   | 67.2   | no     | 57.1 KB    | yes     |
 * | proxy-agent 8 (npm: PAC, SOCKS)    | 112.7   | 79.4   | no     | 1.41 MB    | yes     |
 *
 * Anything on undici costs 30–60 ms of CPU at start-up (the cost nodeFetch
 * was written to avoid). Node's own support is free but exists only on Node
 * ≥ 24.5 / 22.21 (the library supports 20), reads NO_PROXY without CIDR,
 * IPv6 or dot-less suffix rules, and has no place for per-host certs.d trust
 * or a clear 407 message. https-proxy-agent costs the same as this layer but
 * brings only the CONNECT handshake (51 KB with agent-base and debug); the
 * whole of this layer (fetch, retries, classification, trust, timeouts
 * included) is 74 KB unminified, its proxy part (no-proxy, proxy-env,
 * proxy-tunnel) 16 KB. proxy-agent adds PAC and SOCKS nobody asked for at
 * 1.4 MB.
 */
import type { Fetch } from '../ports.js';
import { AgentPool } from './agents.js';
import { makeFetch } from './fetch.js';
import { proxyFor, proxySettingsFromEnv, type Env, type ProxyServer, type ProxySettings } from './proxy-env.js';
import { connectRaw, type RawConnection, type RawConnectOptions } from './raw-connect.js';
import { registerRawConnector } from './raw-connector.js';
import { startExchange, type PendingExchange } from './send.js';
import { resolveTimeouts, type Timeouts } from './timeouts.js';
import { DEFAULT_CERTS_DIR, type TlsSettings } from './tls-trust.js';
import type { OutgoingHttpHeaders } from 'node:http';

export interface TransportOptions {
  /** Where HTTPS_PROXY, HTTP_PROXY, NO_PROXY and IMAGESHIP_DOCKER_CERTS_D are read; process.env by default. */
  env?: Env;
  /** Proxies to use instead of the environment's; 'none' to go direct always. */
  proxy?: ProxySettings | 'none';
  /** Receives every secret the layer comes to hold (proxy passwords, their Basic header), before it is used, to be masked. */
  onSecret?: (value: string) => void;
  /** docker's certs.d root; default IMAGESHIP_DOCKER_CERTS_D, else /etc/docker/certs.d. */
  certsDir?: string;
  /** TLS choices for every host of this transport (a Kubernetes cluster's CA and client certificate). */
  tls?: TlsSettings;
  timeouts?: Partial<Timeouts>;
  /** Sockets per origin (more requests wait for a free one). Default 16. */
  maxSocketsPerOrigin?: number;
  /** 'refuse' makes fetch reject every redirect (signed cloud API calls). Default 'follow'. */
  redirects?: 'follow' | 'refuse';
}

export interface RequestOptions {
  method?: string;
  headers?: OutgoingHttpHeaders;
  signal?: AbortSignal;
  timeouts?: Partial<Timeouts>;
}

export interface Transport {
  /** fetch() over this transport (see fetch.ts for what it covers). */
  readonly fetch: Fetch;
  /** A request whose body the caller streams (`exchange.request`) and whose answer it reads as a node stream. No redirects, no retries. */
  request(url: URL | string, options?: RequestOptions): PendingExchange;
  /** A connected socket (TLS done, tunnel opened) for code that speaks HTTP/1.1 itself. */
  connect(url: URL | string, options?: RawConnectOptions): Promise<RawConnection>;
  /** The proxy `url` would go through; undefined for direct. */
  proxyFor(url: URL | string): ProxyServer | undefined;
  /** Closes every pooled connection. */
  close(): void;
}

const DIRECT: ProxySettings = Object.freeze({ http: undefined, https: undefined, noProxy: { rules: [], source: '' } });

/** Builds a transport. Throws ProxyConfigError for a proxy variable that is set but unusable (before any connection). */
export function createTransport(options: TransportOptions = {}): Transport {
  const env = options.env ?? process.env;
  const onSecret = options.onSecret ?? (() => undefined);
  const proxies = options.proxy === 'none' ? DIRECT : (options.proxy ?? proxySettingsFromEnv(env, onSecret));
  const certsDir = options.certsDir ?? (env.IMAGESHIP_DOCKER_CERTS_D?.trim() || DEFAULT_CERTS_DIR);
  const timeouts = resolveTimeouts(options.timeouts);
  const pool = new AgentPool({
    proxies,
    tls: options.tls ?? {},
    certsDir,
    connectTimeoutMs: timeouts.connectMs,
    maxSocketsPerOrigin: Math.max(1, Math.floor(options.maxSocketsPerOrigin ?? 16)),
  });
  const sessions = new Map<string, Buffer>();
  const toUrl = (url: URL | string): URL => (typeof url === 'string' ? new URL(url) : url);
  const start = (url: URL, send: Parameters<typeof startExchange>[3]): PendingExchange => startExchange(pool, certsDir, url, send);
  const fetch = makeFetch(start, { timeouts, redirects: options.redirects ?? 'follow' });
  const connect: Transport['connect'] = (url, connectOptions) =>
    connectRaw({ pool, proxies, certsDir, connectTimeoutMs: timeouts.connectMs, sessions }, toUrl(url), connectOptions);
  registerRawConnector(fetch, connect);
  return {
    fetch,
    request: (url, request = {}) =>
      start(toUrl(url), {
        method: request.method ?? 'GET',
        ...(request.headers ? { headers: request.headers } : {}),
        signal: request.signal,
        timeouts: resolveTimeouts(request.timeouts, timeouts),
      }),
    connect,
    proxyFor: (url) => proxyFor(proxies, toUrl(url)),
    close: () => pool.destroy(),
  };
}
