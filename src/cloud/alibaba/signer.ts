/**
 * Alibaba Cloud's two request signatures, byte for byte as the reference
 * Node SDK (@alicloud/pop-core 1.8.0) computes them:
 *
 * - RPC ("POP", signature v1): every parameter travels in the query string;
 *   the sorted, percent-encoded parameters are signed with HMAC-SHA1 under
 *   the key `secret + '&'`. Used by Container Registry Enterprise Edition
 *   (API version 2018-12-01).
 * - ROA: a REST path plus `x-acs-*` headers; a newline-joined string of the
 *   method, content headers, `x-acs-*` headers and the resource is signed with
 *   HMAC-SHA1 under the plain secret and sent as `Authorization: acs AK:sig`.
 *   Used by the Personal Edition (API version 2016-06-07).
 *
 * Pure functions of their inputs: the caller passes the time and the nonce,
 * so tests can pin them and every retry can be signed afresh.
 */
import { createHash, createHmac } from 'node:crypto';

export type RpcMethod = 'GET' | 'POST';

/** encodeURIComponent plus the five characters it leaves alone but RFC 3986 reserves: `!'()*`. */
export function percentEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `key=value` pairs joined by `&`, keys sorted by UTF-16 code unit (plain
 * `Array.prototype.sort`, as the SDK does) before either side is encoded.
 */
export function rpcCanonicalQuery(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .sort()
    .map((key) => `${percentEncode(key)}=${percentEncode(params[key] as string)}`)
    .join('&');
}

/** `METHOD&%2F&` + the canonical query, encoded once more as a whole. */
export function rpcStringToSign(method: string, params: Readonly<Record<string, string>>): string {
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(rpcCanonicalQuery(params))}`;
}

/** Base64 HMAC-SHA1 of the string to sign; the key is the secret with a trailing `&` (an empty token secret). */
export function signRpc(method: string, params: Readonly<Record<string, string>>, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(rpcStringToSign(method, params), 'utf8').digest('base64');
}

/** `YYYY-MM-DDTHH:mm:ssZ` in UTC, milliseconds dropped: the only form the gateway accepts. */
export function rpcTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

export interface RpcRequest {
  action: string;
  version: string;
  /** The API's own parameters (InstanceId, RegionId…). */
  params: Readonly<Record<string, string>>;
  accessKeyId: string;
  accessKeySecret: string;
  /** The STS token that comes with a temporary (`STS.`) AccessKey. */
  securityToken?: string;
  now: Date;
  /** Unique per request: the gateway refuses a nonce it saw in the last 15 minutes. */
  nonce: string;
  method?: RpcMethod;
}

/** The common parameters every RPC call carries, merged with the API's own (which win, as in the SDK). */
export function rpcParameters(request: RpcRequest): Record<string, string> {
  const common: Record<string, string> = {
    Action: request.action,
    Format: 'JSON',
    Version: request.version,
    AccessKeyId: request.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: request.nonce,
    Timestamp: rpcTimestamp(request.now),
  };
  if (request.securityToken !== undefined && request.securityToken !== '') common['SecurityToken'] = request.securityToken;
  return { ...common, ...request.params };
}

/**
 * The complete, signed query string (no leading `?`): the canonical query with
 * `Signature` appended last, which is where the SDK puts it. For POST the
 * same string is the form body.
 */
export function rpcQuery(request: RpcRequest): string {
  const params = rpcParameters(request);
  const signature = signRpc(request.method ?? 'GET', params, request.accessKeySecret);
  return `${rpcCanonicalQuery(params)}&Signature=${percentEncode(signature)}`;
}

/** Header names are matched case-insensitively; the SDK lower-cases them before signing. */
function lowerKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** Tabs and line breaks inside a header value become spaces, then the value is trimmed. */
function headerLine(name: string, value: string): string {
  return `${name}:${value.replace(/[\t\n\r\f]/g, ' ').trim()}\n`;
}

/** The path, plus `?k=v&…` with query keys sorted and values as given (not encoded: the SDK signs them raw). */
export function roaCanonicalResource(path: string, query: Readonly<Record<string, string>> = {}): string {
  const keys = Object.keys(query).sort();
  if (keys.length === 0) return path;
  return `${path}?${keys.map((key) => `${key}=${query[key] as string}`).join('&')}`;
}

/**
 * METHOD, Accept, Content-MD5, Content-Type and Date, one per line (absent
 * ones as empty lines), then each `x-acs-*` header as `name:value` sorted by
 * name, then the canonical resource.
 */
export function roaStringToSign(
  method: string,
  path: string,
  headers: Readonly<Record<string, string>>,
  query: Readonly<Record<string, string>> = {},
): string {
  const lower = lowerKeys(headers);
  const head = [method.toUpperCase(), lower['accept'] ?? '', lower['content-md5'] ?? '', lower['content-type'] ?? '', lower['date'] ?? '']
    .map((line) => `${line}\n`)
    .join('');
  const acsHeaders = Object.keys(lower)
    .filter((name) => name.startsWith('x-acs-'))
    .sort()
    .map((name) => headerLine(name, lower[name] as string))
    .join('');
  return `${head}${acsHeaders}${roaCanonicalResource(path, query)}`;
}

export interface RoaSignRequest {
  method: string;
  /** The resource path as the API documents it (`/tokens`), without the endpoint's base path. */
  path: string;
  query?: Readonly<Record<string, string>>;
  headers: Readonly<Record<string, string>>;
  accessKeyId: string;
  accessKeySecret: string;
}

/** The `Authorization` header value: `acs {AccessKeyId}:{base64 HMAC-SHA1 under the plain secret}`. */
export function signRoa(request: RoaSignRequest): string {
  const toSign = roaStringToSign(request.method, request.path, request.headers, request.query ?? {});
  const signature = createHmac('sha1', request.accessKeySecret).update(toSign, 'utf8').digest('base64');
  return `acs ${request.accessKeyId}:${signature}`;
}

export interface RoaHeaderOptions {
  /** The API version, sent as `x-acs-version`. */
  version: string;
  now: Date;
  nonce: string;
  accessKeyId: string;
  securityToken?: string;
  /** Sent as `x-acs-region-id` when given. */
  regionId?: string;
  /** The exact bytes that will be sent; its MD5 is signed. An absent body is hashed as empty. */
  body?: string | Uint8Array;
  contentType?: string;
}

/**
 * The headers an ROA request is signed over, lower-case. Content-MD5 and
 * Content-Type are always present (the MD5 of an empty body for a GET), so
 * the signed string never depends on whether a proxy adds or drops them.
 */
export function roaHeaders(options: RoaHeaderOptions): Record<string, string> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': options.contentType ?? 'application/json',
    'content-md5': createHash('md5').update(options.body ?? '').digest('base64'),
    date: options.now.toUTCString(),
    'x-acs-signature-method': 'HMAC-SHA1',
    'x-acs-signature-nonce': options.nonce,
    'x-acs-signature-version': '1.0',
    'x-acs-version': options.version,
  };
  if (options.regionId !== undefined && options.regionId !== '') headers['x-acs-region-id'] = options.regionId;
  if (options.securityToken !== undefined && options.securityToken !== '') {
    // The SDK names the AK alongside an STS token so the gateway can match the two.
    headers['x-acs-accesskey-id'] = options.accessKeyId;
    headers['x-acs-security-token'] = options.securityToken;
  }
  return headers;
}
