/**
 * Which proxy, if any, a request goes through, from the environment as curl
 * and Go read it:
 *
 * - https:// targets use `https_proxy`/`HTTPS_PROXY`, http:// targets
 *   `http_proxy`/`HTTP_PROXY`; neither falls back to the other (curl, Go).
 *   When both spellings are set the lower-case one wins (curl, wget, Python,
 *   Node and undici; Go prefers upper case): an empty value counts as unset.
 * - Like Go, `HTTP_PROXY` is ignored when `REQUEST_METHOD` is set (a CGI
 *   request could have set it through a `Proxy:` header: "httpoxy").
 * - A proxy URL without a scheme is http:// (curl, Go); its port defaults to
 *   the scheme's (80/443: Go, Node; curl would say 1080). http:// and https://
 *   proxies are supported (TLS to the proxy, then CONNECT inside it); socks is
 *   refused with a message rather than silently ignored.
 * - Credentials in the URL (`http://user:p%40ss@proxy:3128`) are URL-decoded
 *   and sent as `Proxy-Authorization: Basic`; the password and the header
 *   value go to `onSecret` before anything else happens, and never appear in
 *   a message (`describe` prints the proxy without them).
 */
import { bypassesProxy, parseNoProxy, type NoProxyRules } from './no-proxy.js';
import { ImageshipError } from '../domain/errors.js';

export interface ProxyServer {
  /** The proxy as it is dialled: scheme, host, port; no credentials. */
  readonly url: URL;
  /** `http://proxy:3128`, for messages. */
  readonly display: string;
  /** The variable it came from, for messages ("check the credentials in HTTPS_PROXY"). */
  readonly variable: string;
  /** `Basic …` when the URL carried credentials. */
  readonly authorization: string | undefined;
}

export interface ProxySettings {
  readonly http: ProxyServer | undefined;
  readonly https: ProxyServer | undefined;
  readonly noProxy: NoProxyRules;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** A proxy setting that cannot be used: thrown before any connection, naming the variable and the fix. */
export class ProxyConfigError extends ImageshipError {
  override readonly name = 'ProxyConfigError';
}

/** Reads the proxy variables; throws ProxyConfigError for one that is set but unusable. */
export function proxySettingsFromEnv(env: Env, onSecret: (value: string) => void = () => undefined): ProxySettings {
  const cgi = (env.REQUEST_METHOD ?? '') !== '';
  const https = pick(env, ['https_proxy', 'HTTPS_PROXY']);
  const http = pick(env, cgi ? ['http_proxy'] : ['http_proxy', 'HTTP_PROXY']);
  const noProxy = pick(env, ['no_proxy', 'NO_PROXY']);
  return {
    https: https && parseProxyUrl(https.value, https.name, onSecret),
    http: http && parseProxyUrl(http.value, http.name, onSecret),
    noProxy: parseNoProxy(noProxy?.value),
  };
}

/** The proxy for `url`, or undefined to go direct. */
export function proxyFor(settings: ProxySettings, url: URL): ProxyServer | undefined {
  const server = url.protocol === 'https:' ? settings.https : url.protocol === 'http:' ? settings.http : undefined;
  if (server === undefined) return undefined;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return bypassesProxy(settings.noProxy, url.hostname, port) ? undefined : server;
}

function pick(env: Env, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

/** Parses one proxy URL; exported for tests and for callers that take a proxy from an input. */
export function parseProxyUrl(value: string, variable: string, onSecret: (value: string) => void = () => undefined): ProxyServer {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ProxyConfigError(`${variable} is not a proxy URL (${redactUserinfo(value)}): set it to http://host:port, or http://user:password@host:port`);
  }
  // Registered first: whatever goes wrong next must not print them in clear.
  const username = safeDecode(url.username);
  const password = safeDecode(url.password);
  if (password) onSecret(password);
  if (url.password) onSecret(url.password);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProxyConfigError(`${variable} uses ${url.protocol.slice(0, -1)}://, which imageship does not speak: give an http:// (or https://) proxy`);
  }
  if (url.hostname === '') throw new ProxyConfigError(`${variable} has no host name: set it to http://host:port`);
  let authorization: string | undefined;
  if (username || password) {
    authorization = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
    onSecret(authorization);
    onSecret(authorization.slice('Basic '.length));
  }
  const dial = new URL(`${url.protocol}//${url.host}`);
  return { url: dial, display: dial.origin, variable, authorization };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A proxy value with any `user:password@` replaced, for an error about the value itself. */
function redactUserinfo(value: string): string {
  return value.replace(/\/\/[^/@]*@/, '//***@');
}
