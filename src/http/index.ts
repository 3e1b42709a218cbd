/** The network layer's public face: the transport, its retry policy, and the pieces callers name in their own code. */
export { createTransport, type RequestOptions, type Transport, type TransportOptions } from './transport.js';
export {
  classifyFailure,
  DEFAULT_RETRY_POLICY,
  discardBody,
  fetchWithRetry,
  formatSeconds,
  HttpError,
  isIdempotent,
  parseRetryAfterMs,
  backoffMs,
  resolvePolicy,
  retryOperation,
  RETRYABLE_STATUSES,
  sendAndReadWithRetry,
  sendWithRetry,
  type Failure,
  type HttpRequest,
  type RetryPolicy,
} from './retry.js';
export { readBodyBytes } from './read-body.js';
export { classifyNetworkError, findNetworkError, NetworkError, type NetworkFailureKind } from './network-errors.js';
export { DEFAULT_TIMEOUTS, type Timeouts } from './timeouts.js';
export { parseProxyUrl, proxySettingsFromEnv, ProxyConfigError, type ProxyServer, type ProxySettings } from './proxy-env.js';
export { bypassesProxy, parseNoProxy, type NoProxyRules } from './no-proxy.js';
export { DEFAULT_CERTS_DIR, TlsConfigError, type TlsSettings } from './tls-trust.js';
export { CREDENTIAL_HEADERS } from './redirects.js';
export type { PendingExchange } from './send.js';
export type { RawConnection, RawConnectOptions } from './raw-connect.js';
export { defaultFetch, defaultTransport } from './default-transport.js';
export { rawConnectorOf, type RawConnector } from './raw-connector.js';
