/**
 * Huawei Cloud API Gateway AK/SK signing (SDK-HMAC-SHA256), the scheme every
 * Huawei Cloud API (FunctionGraph, CCE, IAM, SWR…) checks. The gateway
 * rebuilds the same canonical request from what it received and compares
 * signatures, so every byte here must match what is actually sent.
 */
import { createHash, createHmac } from 'node:crypto';

export const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';

export interface HuaweiRequestToSign {
  method: string;
  url: string;
  /** Every header given here is signed (names are case-insensitive). */
  headers: Record<string, string>;
  /** The exact bytes sent; a string is sent (and hashed) as UTF-8. */
  body: string | Uint8Array;
}

export interface HuaweiCredentials {
  accessKey: string;
  secretKey: string;
  /**
   * Set for temporary credentials (STS, IAM securitytokens): sent as
   * `X-Security-Token`, added before signing so it is one of the signed
   * headers, exactly as the official SDK does (vectors:
   * huawei-temporary-credentials-signing.json). Never put in the query.
   */
  securityToken?: string;
}

export const SECURITY_TOKEN_HEADER = 'X-Security-Token';

/**
 * Returns the headers to send: the given ones, `X-Sdk-Date` (unless one was
 * given), `X-Security-Token` (temporary credentials) and `Authorization`. `host` is signed but not returned: the HTTP
 * client derives it from the URL, exactly as it is signed here.
 */
export function signHuaweiRequest(
  request: HuaweiRequestToSign,
  credentials: HuaweiCredentials,
  now: Date,
): Record<string, string> {
  const headers: Record<string, string> = { ...request.headers };
  if (credentials.securityToken !== undefined && credentials.securityToken !== '') {
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'x-security-token') delete headers[name];
    headers[SECURITY_TOKEN_HEADER] = credentials.securityToken;
  }
  const dateHeader = Object.keys(headers).find((name) => name.toLowerCase() === 'x-sdk-date');
  if (dateHeader === undefined) headers['X-Sdk-Date'] = formatSdkDate(now);
  const sdkDate = headers[dateHeader ?? 'X-Sdk-Date'] as string;

  const parts = canonicalParts({ ...request, headers });
  const signature = createHmac('sha256', credentials.secretKey)
    .update(stringToSign(sdkDate, canonicalRequest(parts)), 'utf8')
    .digest('hex');
  headers['Authorization'] =
    `${SIGNING_ALGORITHM} Access=${credentials.accessKey}, SignedHeaders=${parts.signedHeaders}, Signature=${signature}`;
  return headers;
}

/** The six lines of the canonical request, kept apart so tests can compare each. */
export interface CanonicalParts {
  method: string;
  canonicalUri: string;
  canonicalQuery: string;
  /** `name:value\n` per signed header, sorted by name. */
  canonicalHeaders: string;
  /** Lower-case names joined by `;`. */
  signedHeaders: string;
  bodySha256: string;
}

export function canonicalParts(request: HuaweiRequestToSign): CanonicalParts {
  const url = new URL(request.url);
  const signed = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers)) {
    // fetch strips surrounding whitespace before sending, so the gateway sees trimmed values.
    signed.set(name.toLowerCase(), value.trim());
  }
  // The host the gateway sees: URL.host already drops a default port (80/443) and keeps any other.
  if (!signed.has('host')) signed.set('host', url.host);
  const names = [...signed.keys()].sort();
  return {
    method: request.method.toUpperCase(),
    canonicalUri: canonicalUri(url.pathname),
    canonicalQuery: canonicalQuery(url.search),
    canonicalHeaders: names.map((name) => `${name}:${signed.get(name)}\n`).join(''),
    signedHeaders: names.join(';'),
    bodySha256: sha256Hex(request.body),
  };
}

export function canonicalRequest(parts: CanonicalParts): string {
  return [
    parts.method,
    parts.canonicalUri,
    parts.canonicalQuery,
    parts.canonicalHeaders,
    parts.signedHeaders,
    parts.bodySha256,
  ].join('\n');
}

export function stringToSign(sdkDate: string, canonicalRequestText: string): string {
  return [SIGNING_ALGORITHM, sdkDate, sha256Hex(canonicalRequestText)].join('\n');
}

/** `YYYYMMDDTHHMMSSZ` in UTC, the only form the gateway accepts. */
export function formatSdkDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * Each path segment percent-encoded with only RFC 3986 unreserved characters
 * left as they are (so `:` in a FunctionGraph URN becomes `%3A`), then a
 * trailing `/`. Segments are decoded first so a path the URL parser already
 * escaped (a space as `%20`) is not escaped twice.
 */
export function canonicalUri(pathname: string): string {
  const encoded = pathname
    .split('/')
    .map((segment) => encodeUnreserved(safeDecode(segment)))
    .join('/');
  return encoded.endsWith('/') ? encoded : `${encoded}/`;
}

/** Pairs sorted by key, then value, each side encoded like a path segment. */
export function canonicalQuery(search: string): string {
  const raw = search.startsWith('?') ? search.slice(1) : search;
  if (raw === '') return '';
  const pairs = raw
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const key = equals === -1 ? pair : pair.slice(0, equals);
      const value = equals === -1 ? '' : pair.slice(equals + 1);
      // A query string is form-encoded: the gateway reads '+' as a space.
      return [encodeUnreserved(safeDecode(key.replace(/\+/g, ' '))), encodeUnreserved(safeDecode(value.replace(/\+/g, ' ')))] as const;
    });
  pairs.sort(([keyA, valueA], [keyB, valueB]) => compare(keyA, keyB) || compare(valueA, valueB));
  return pairs.map(([key, value]) => `${key}=${value}`).join('&');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function encodeUnreserved(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const isUnreserved =
      (byte >= 0x41 && byte <= 0x5a) || // A-Z
      (byte >= 0x61 && byte <= 0x7a) || // a-z
      (byte >= 0x30 && byte <= 0x39) || // 0-9
      byte === 0x2d || byte === 0x2e || byte === 0x5f || byte === 0x7e; // - . _ ~
    out += isUnreserved ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
