/**
 * One classification of network failures, so every caller (registry, cloud
 * APIs, Kubernetes, triggers) says the same thing for the same failure: which
 * host, what happened (DNS, refused, reset, TLS trust, proxy, which
 * timeout), what to do about it, and, for the retry policy, whether another
 * try may help and whether the request can have reached the server.
 */
import { join } from 'node:path';
import type { ProxyServer } from './proxy-env.js';
import { ImageshipError } from '../domain/errors.js';

export type NetworkFailureKind =
  | 'dns'
  | 'refused'
  | 'unreachable'
  | 'reset'
  | 'tls-untrusted'
  | 'tls-name'
  | 'tls-expired'
  | 'tls-client-cert'
  | 'tls'
  | 'proxy-refused'
  | 'proxy-auth'
  | 'connect-timeout'
  | 'idle-timeout'
  | 'overall-timeout'
  | 'redirect'
  | 'other';

/** A failure with its one-line message; `cause` keeps Node's own error. */
export class NetworkError extends ImageshipError {
  override readonly name = 'NetworkError';
  readonly kind: NetworkFailureKind;
  /** Another try may well succeed. */
  readonly transient: boolean;
  /** No byte of the request reached the server (the connection failed first): safe to send again whatever the method. */
  readonly nothingSent: boolean;
  /** Node's or OpenSSL's code, when there was one. */
  readonly code: string | undefined;

  constructor(message: string, details: { kind: NetworkFailureKind; transient: boolean; nothingSent: boolean; code?: string | undefined; cause?: unknown }) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = details.kind;
    this.transient = details.transient;
    this.nothingSent = details.nothingSent;
    this.code = details.code;
  }
}

/** Where a connection was going, for messages. */
export interface Endpoint {
  /** Host name or bare IP address. */
  host: string;
  port: number;
  /** Whether the connection to `host` spoke TLS. */
  secure: boolean;
}

export interface FailureContext {
  target: Endpoint;
  /** Set when the request went through a proxy. */
  proxy?: ProxyServer | undefined;
  /** True when the failure happened on the way to the proxy itself (before CONNECT was answered). */
  atProxy?: boolean;
  /** The certs.d root, for the TLS trust fix. */
  certsDir: string;
  /** True when the socket was connected (or reused) before the failure: the request may have gone out. */
  connected: boolean;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET']);
const RESET_MESSAGES = ['socket hang up', 'other side closed', 'aborted'];
/** The server's certificate does not chain to a trusted CA. */
export const UNTRUSTED_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
]);
/** TLS alerts a server sends when it will not accept our client certificate. */
export const CLIENT_CERT_ALERTS: ReadonlySet<string> = new Set([
  'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
  'ERR_SSL_TLSV1_ALERT_ACCESS_DENIED',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED',
  'ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR',
]);

interface Link {
  name: string;
  message: string;
  code: string | undefined;
  reason: string | undefined;
  value: object;
}

/** The error and everything it wraps (`cause`, AggregateError's `errors`), outermost first. */
export function errorChain(error: unknown): Link[] {
  const links: Link[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > 8 || value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    const record = value as { name?: unknown; message?: unknown; code?: unknown; reason?: unknown; cause?: unknown; errors?: unknown };
    links.push({
      name: typeof record.name === 'string' ? record.name : '',
      message: typeof record.message === 'string' ? record.message : '',
      code: typeof record.code === 'string' ? record.code : undefined,
      reason: typeof record.reason === 'string' ? record.reason : undefined,
      value,
    });
    visit(record.cause, depth + 1);
    if (Array.isArray(record.errors)) for (const inner of record.errors) visit(inner, depth + 1);
  };
  visit(error, 0);
  return links;
}

/** The NetworkError somewhere in `error`'s chain, if any. */
export function findNetworkError(error: unknown): NetworkError | undefined {
  return errorChain(error).find((link) => link.value instanceof NetworkError)?.value as NetworkError | undefined;
}

export function hostPort(endpoint: Endpoint): string {
  // Port 0: the caller could not say where the request went (an error from another Fetch, no URL).
  if (endpoint.port === 0) return endpoint.host;
  return `${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
}

/** The certs.d folder docker reads for a registry: `host` on 443, `host:port` otherwise. */
export function certsDirFor(certsDir: string, endpoint: Endpoint): string {
  return join(certsDir, endpoint.port === 443 ? endpoint.host : hostPort(endpoint));
}

/** Turns whatever a connection threw into a NetworkError naming the host and the fix. A NetworkError passes through. */
export function classifyNetworkError(error: unknown, context: FailureContext): NetworkError {
  const existing = findNetworkError(error);
  if (existing) return existing;
  const chain = errorChain(error);
  const codes = chain.map((link) => link.code).filter((code): code is string => code !== undefined);
  const has = (set: ReadonlySet<string>): string | undefined => codes.find((code) => set.has(code));
  const target = context.target;
  const where = context.atProxy && context.proxy ? context.proxy.display : hostPort(target);
  const viaProxy = context.atProxy && context.proxy ? `the proxy ${context.proxy.display} (from ${context.proxy.variable})` : undefined;
  const make = (kind: NetworkFailureKind, message: string, transient: boolean, nothingSent: boolean, code?: string): NetworkError =>
    new NetworkError(message, { kind, transient, nothingSent, code, cause: error });
  const notSent = !context.connected;

  const dns = has(DNS_CODES);
  if (dns) {
    const name = context.atProxy && context.proxy ? context.proxy.url.hostname : target.host;
    const what = dns === 'EAI_AGAIN' ? 'temporary DNS failure' : 'no such host';
    const fix = viaProxy ? ` — check ${context.proxy?.variable}` : ' — check the name, and this machine\'s DNS (or set HTTPS_PROXY if only a proxy can resolve it)';
    return make('dns', `cannot resolve ${name}${viaProxy ? ` (${viaProxy})` : ''}: ${what} (${dns})${fix}`, dns === 'EAI_AGAIN', true, dns);
  }
  if (codes.includes('ECONNREFUSED')) {
    const message = viaProxy
      ? `connection refused by ${viaProxy} (ECONNREFUSED) — is the proxy running? check ${context.proxy?.variable}`
      : `connection refused by ${where} (ECONNREFUSED) — nothing listens there: check the address and port`;
    return make('refused', message, true, true, 'ECONNREFUSED');
  }
  const unreachable = has(UNREACHABLE_CODES);
  if (unreachable) {
    return make('unreachable', `${viaProxy ?? where} is unreachable from this machine (${unreachable}) — check the network route, or the proxy settings`, true, true, unreachable);
  }

  const untrusted = has(UNTRUSTED_CODES);
  if (untrusted) {
    return make(
      'tls-untrusted',
      `TLS: the certificate of ${where} is not signed by a trusted CA (${untrusted}) — trust its CA with NODE_EXTRA_CA_CERTS=/path/to/ca.pem, or put it in ${certsDirFor(context.certsDir, target)}/ca.crt`,
      false,
      true,
      untrusted,
    );
  }
  if (codes.includes('ERR_TLS_CERT_ALTNAME_INVALID')) {
    const names = altNames(chain);
    return make(
      'tls-name',
      `TLS: the certificate of ${where} is not valid for the name ${target.host}${names ? ` (it is for ${names})` : ''} (ERR_TLS_CERT_ALTNAME_INVALID) — use a name the certificate was issued for`,
      false,
      true,
      'ERR_TLS_CERT_ALTNAME_INVALID',
    );
  }
  if (codes.includes('CERT_HAS_EXPIRED') || codes.includes('CERT_NOT_YET_VALID')) {
    const expired = codes.includes('CERT_HAS_EXPIRED');
    return make(
      'tls-expired',
      `TLS: the certificate of ${where} ${expired ? 'has expired' : 'is not valid yet'} (${expired ? 'CERT_HAS_EXPIRED' : 'CERT_NOT_YET_VALID'}) — renew the certificate, or check this machine's clock`,
      false,
      true,
      expired ? 'CERT_HAS_EXPIRED' : 'CERT_NOT_YET_VALID',
    );
  }
  const alert = has(CLIENT_CERT_ALERTS);
  if (alert) {
    return make(
      'tls-client-cert',
      `TLS: ${where} refused the connection's client certificate, or wants one (${alert}) — put the client certificate and key the server trusts in ${certsDirFor(context.certsDir, target)}/client.cert and client.key`,
      false,
      true,
      alert,
    );
  }
  const tls = tlsReason(chain);
  if (tls) {
    const plain = /wrong version number|packet length too long|http request/i.test(tls.reason) ? ` — does ${where} speak https? (use http:// for a plain-HTTP server)` : '';
    return make('tls', `TLS handshake with ${where} failed: ${tls.reason}${tls.code ? ` (${tls.code})` : ''}${plain}`, false, notSent, tls.code);
  }

  const reset = has(RESET_CODES) ?? (chain.some((link) => RESET_MESSAGES.some((m) => link.message.toLowerCase().includes(m))) ? 'ECONNRESET' : undefined);
  if (reset) {
    const message = viaProxy
      ? `the connection to ${viaProxy} was closed before it answered (${reset})`
      : `the connection to ${where} was reset (${reset})${notSent ? ' before the request was sent' : ''}`;
    return make('reset', message, true, notSent, reset);
  }
  if (codes.includes('ETIMEDOUT')) {
    return make('connect-timeout', `connecting to ${viaProxy ?? where} timed out (ETIMEDOUT) — check the network route, or the proxy settings`, true, notSent, 'ETIMEDOUT');
  }
  const deepest = deepestMessage(chain);
  return make('other', `request to ${where} failed: ${deepest}`, false, notSent, codes[codes.length - 1]);
}

/** The certificate's subjectAltName, when Node attached the peer certificate to the error. */
function altNames(chain: Link[]): string | undefined {
  for (const link of chain) {
    const cert = (link.value as { cert?: { subjectaltname?: unknown } }).cert;
    if (typeof cert?.subjectaltname === 'string') return cert.subjectaltname;
  }
  return undefined;
}

/** OpenSSL's short reason: `error.reason`, or the reason inside a long `…:error:0A00010B:SSL routines::wrong version number` line. */
function tlsReason(chain: Link[]): { reason: string; code: string | undefined } | undefined {
  for (const link of chain) {
    if (link.code?.startsWith('ERR_SSL_') || link.code?.startsWith('ERR_TLS_') || (link.reason && link.message.includes('SSL'))) {
      return { reason: link.reason ?? link.message.split('\n')[0] ?? link.message, code: link.code };
    }
    const openSsl = /:error:[0-9A-F]+:[^:]*:[^:]*:([^:\n]+)/.exec(link.message);
    if (openSsl) return { reason: (openSsl[1] as string).trim(), code: link.code };
  }
  return undefined;
}

function deepestMessage(chain: Link[]): string {
  for (let i = chain.length - 1; i >= 0; i--) {
    const link = chain[i] as Link;
    const message = link.message.split('\n')[0]?.trim();
    if (message) return link.code && !message.includes(link.code) ? `${message} (${link.code})` : message;
  }
  return 'unknown error';
}
