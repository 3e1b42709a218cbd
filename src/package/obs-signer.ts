/**
 * Huawei Cloud OBS header signing for an object GET (the `OBS` scheme the
 * official SDK sends by default): string to sign = METHOD, Content-MD5,
 * Content-Type and Date lines, the x-obs-* headers (lower-case, sorted), then
 * the canonical resource `/bucket/key` (the key percent-encoded as on the
 * wire, `/` kept); signature = base64(HMAC-SHA1(SK, string)), sent as
 * `Authorization: OBS AK:signature`. Temporary credentials add their token as
 * x-obs-security-token before signing. Reproduces
 * ../shared/vectors/huawei-obs-signing.json (obs-get-object, obs-get-object-sts).
 */
import { createHmac } from 'node:crypto';

export interface ObsCredentials {
  accessKey: string;
  secretKey: string;
  /** '' for permanent keys. */
  securityToken: string;
}

export interface ObsSignedGet {
  /** Date, Authorization and the signed x-obs-* headers, to send as they are. */
  headers: Record<string, string>;
  stringToSign: string;
}

/** The key as it goes on the wire: each segment percent-encoded (RFC 3986 unreserved kept), `/` kept. */
export function encodeObjectKey(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

/** RFC 1123 in GMT, as the Date header carries it. */
export function httpDate(now: Date): string {
  return now.toUTCString();
}

/** Headers for a signed GET of bucket/key at `now` (plus any extra x-obs-* headers, which are signed too). */
export function signObsGet(bucket: string, key: string, credentials: ObsCredentials, now: Date, extra: Record<string, string> = {}): ObsSignedGet {
  const date = httpDate(now);
  const obsHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(extra)) if (name.toLowerCase().startsWith('x-obs-')) obsHeaders[name.toLowerCase()] = value;
  if (credentials.securityToken !== '') obsHeaders['x-obs-security-token'] = credentials.securityToken;
  const canonicalHeaders = Object.keys(obsHeaders)
    .sort()
    .map((name) => `${name}:${obsHeaders[name]!.trim()}\n`)
    .join('');
  const stringToSign = `GET\n\n\n${date}\n${canonicalHeaders}/${bucket}/${encodeObjectKey(key)}`;
  const signature = createHmac('sha1', credentials.secretKey).update(stringToSign, 'utf8').digest('base64');
  return {
    headers: { ...extra, ...obsHeaders, Date: date, Authorization: `OBS ${credentials.accessKey}:${signature}` },
    stringToSign,
  };
}
