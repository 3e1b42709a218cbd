/**
 * Alibaba Cloud signature V3 (ACS3-HMAC-SHA256), the scheme every current
 * official SDK uses for both RPC and ROA APIs (Function Compute 3.0, SAE…),
 * byte for byte as @alicloud/openapi-core 1.0.8 computes it (see
 * ../shared/vectors/alibaba-acs3-signing.json):
 *
 *   canonical request = METHOD \n path \n sorted RFC 3986 query \n
 *                       "name:value\n" for host, content-type and every x-acs-* header (sorted) \n
 *                       signed header names joined by ";" \n
 *                       hex SHA-256 of the body
 *   Authorization     = ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=…,Signature=hex HMAC-SHA256(secret, "ACS3-HMAC-SHA256\n" + hex SHA-256(canonical request))
 *
 * Written here rather than taken from the SDK: the signer is ~100 lines of
 * node:crypto, while the SDK brings a dozen packages and its own HTTP stack,
 * which would bypass imageship's one network layer (proxies, CAs, retries).
 *
 * Pure functions: the caller passes the time and the nonce, so tests pin them
 * and every retry is signed afresh.
 */
import { createHash, createHmac } from 'node:crypto';

export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

export interface Acs3Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  /** With a temporary STS AccessKey (`STS.…`): sent, and signed, as x-acs-security-token. */
  securityToken?: string;
}

/** RFC 3986: only A-Z a-z 0-9 - _ . ~ stay literal (encodeURIComponent also leaves !'()* alone). */
export function acs3Encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `name=value` pairs sorted by name, values encoded; '' without a query. */
export function acs3CanonicalQuery(query: Readonly<Record<string, string>>): string {
  return Object.keys(query)
    .sort()
    .map((name) => `${name}=${acs3Encode(query[name] as string)}`)
    .join('&');
}

/** The SDK's path escaping: these paths need none beyond what it does to `+`, `*` and `%7E`. */
export function acs3CanonicalUri(path: string): string {
  return path.replace(/\+/g, '%20').replace(/\*/g, '%2A').replace(/%7E/g, '~');
}

/** host, content-type and x-acs-*: the headers V3 signs. */
function isSignedHeader(lowerName: string): boolean {
  return lowerName === 'host' || lowerName === 'content-type' || lowerName.startsWith('x-acs-');
}

export interface Acs3CanonicalParts {
  canonicalRequest: string;
  signedHeaders: string;
}

export function acs3CanonicalRequest(
  method: string,
  path: string,
  query: Readonly<Record<string, string>>,
  headers: Readonly<Record<string, string>>,
): Acs3CanonicalParts {
  const lower = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (isSignedHeader(key)) lower.set(key, value.trim());
  }
  const names = [...lower.keys()].sort();
  const canonicalHeaders = names.map((name) => `${name}:${lower.get(name) as string}\n`).join('');
  const signedHeaders = names.join(';');
  const bodyHash = lower.get('x-acs-content-sha256') ?? EMPTY_SHA256;
  const canonicalRequest = [method.toUpperCase(), acs3CanonicalUri(path), acs3CanonicalQuery(query), canonicalHeaders, signedHeaders, bodyHash].join('\n');
  return { canonicalRequest, signedHeaders };
}

export function acs3StringToSign(canonicalRequest: string): string {
  return `${ACS3_ALGORITHM}\n${createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')}`;
}

/** The Authorization header for a request whose headers already hold every x-acs-* value. */
export function acs3Authorization(
  request: { method: string; path: string; query: Readonly<Record<string, string>>; headers: Readonly<Record<string, string>> },
  credentials: Pick<Acs3Credentials, 'accessKeyId' | 'accessKeySecret'>,
): string {
  const { canonicalRequest, signedHeaders } = acs3CanonicalRequest(request.method, request.path, request.query, request.headers);
  const signature = createHmac('sha256', credentials.accessKeySecret).update(acs3StringToSign(canonicalRequest), 'utf8').digest('hex');
  return `${ACS3_ALGORITHM} Credential=${credentials.accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`;
}

/** `YYYY-MM-DDTHH:mm:ssZ` in UTC. */
export function acs3Date(now: Date): string {
  return `${now.toISOString().slice(0, 19)}Z`;
}

export interface Acs3SignInput {
  method: string;
  /** `fcv3.cn-hangzhou.aliyuncs.com` (with `:port` when not the default). */
  host: string;
  path: string;
  query?: Readonly<Record<string, string>>;
  /** The exact bytes sent; absent = no body. */
  body?: string;
  /** Sent when there is a body, and for form APIs even without one (as the SDK does). */
  contentType?: string;
  action: string;
  version: string;
  credentials: Acs3Credentials;
  now: Date;
  nonce: string;
}

/**
 * Every header the SDK sends, signed: host, x-acs-action/-version/-date/
 * -signature-nonce/-content-sha256/-credentials-provider, accept,
 * content-type (when given), and with STS x-acs-accesskey-id and
 * x-acs-security-token; plus authorization. Lower-case names.
 */
export function signAcs3Request(input: Acs3SignInput): Record<string, string> {
  const sts = input.credentials.securityToken !== undefined && input.credentials.securityToken !== '';
  const headers: Record<string, string> = {
    host: input.host,
    'x-acs-version': input.version,
    'x-acs-action': input.action,
    'x-acs-date': acs3Date(input.now),
    'x-acs-signature-nonce': input.nonce,
    accept: 'application/json',
    'x-acs-content-sha256': input.body === undefined ? EMPTY_SHA256 : createHash('sha256').update(input.body, 'utf8').digest('hex'),
    'x-acs-credentials-provider': sts ? 'static_sts' : 'static_ak',
  };
  if (input.contentType !== undefined) headers['content-type'] = input.contentType;
  if (sts) {
    headers['x-acs-accesskey-id'] = input.credentials.accessKeyId;
    headers['x-acs-security-token'] = input.credentials.securityToken as string;
  }
  headers['authorization'] = acs3Authorization({ method: input.method, path: input.path, query: input.query ?? {}, headers }, input.credentials);
  return headers;
}
