/**
 * The one network layer every HTTP call of imageship goes through (registry,
 * cloud APIs, Kubernetes, triggers, token endpoints): proxies from the
 * environment, TLS trust (NODE_EXTRA_CA_CERTS, docker's certs.d, client
 * certificates), keep-alive pools per origin, connect/idle/overall timeouts
 * and one classification of failures. Retries are a decorator on top
 * (retry.ts), so a caller chooses per call whether a request may repeat.
 *
 * Why our own CONNECT agent on node:http/node:https rather than a library
 * (measured on this machine, Node 24.21, one HTTPS request through a local
 * CONNECT proxy from a fresh process, median of 15 interleaved runs of the
 * ncc-bundled script; wall time of the whole process; bundle size added over
 * a bare request):
 *
 * | candidate                               | wall ms | undici loaded | bundle added | Node 20 |
 * |-----------------------------------------|---------|---------------|--------------|---------|
 * | this layer (src/http)                   | see bench/RESULTS-http.md | no | ≈ 30 KB | yes |
 * | Node's https.Agent({ proxyEnv })        | ≈ same  | no            | 0            | no (≥ 24.5, 22.21) |
 * | global fetch + NODE_USE_ENV_PROXY=1     | +40–60  | yes           | 0            | no      |
 * | undici (npm) EnvHttpProxyAgent          | +100–130| yes (its own) | 1.3 MB       | yes     |
 * | https-proxy-agent 9 (+ agent-base, debug)| +0–20  | no (bundled)  | 51 KB        | yes     |
 * | proxy-agent 8 (PAC, SOCKS, quickjs)     | +10–30  | no (bundled)  | 1.4 MB       | yes     |
 *
 * Node's own support costs nothing but is missing on Node 20 (the library
 * supports ≥ 20), reads NO_PROXY without CIDR, IPv6 or dot-less suffixes,
 * and leaves no place for per-host certs.d trust or a clear 407 message; the
 * npm packages add size (and, for undici, its start-up) for a CONNECT
 * handshake that is forty lines here. Exact numbers: the report of this
 * change, and bench/proxy-startup.mjs to measure again.
 */
import type { Fetch } from '../ports.js';
import { AgentPool } from './agents.js';
import { makeFetch } from './fetch.js';
import { proxyFor, proxySettingsFromEnv, type Env, type ProxyServer, type ProxySettings } from './proxy-env.js';
import { connectRaw, type RawConnection, type RawConnectOptions } from './raw-connect.js';
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
  return {
    fetch: makeFetch(start, { timeouts, redirects: options.redirects ?? 'follow' }),
    request: (url, request = {}) =>
      start(toUrl(url), {
        method: request.method ?? 'GET',
        ...(request.headers ? { headers: request.headers } : {}),
        signal: request.signal,
        timeouts: resolveTimeouts(request.timeouts, timeouts),
      }),
    connect: (url, connect) => connectRaw({ pool, proxies, certsDir, connectTimeoutMs: timeouts.connectMs, sessions }, toUrl(url), connect),
    proxyFor: (url) => proxyFor(proxies, toUrl(url)),
    close: () => pool.destroy(),
  };
}
