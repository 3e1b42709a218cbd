/**
 * The Alibaba Cloud API gateway's check of a signature V3 (ACS3-HMAC-SHA256)
 * request, for the stand-ins: written from the documented algorithm, apart
 * from src/cloud/alibaba/acs3-signer.ts, so the two keep each other honest.
 * It recomputes the signature from what arrived (raw path, raw query
 * re-encoded, the headers SignedHeaders names, the body's own hash), and
 * enforces what the gateway does: required signed headers, the body hash, the
 * 15-minute clock window, nonce replay, the AccessKey and the STS token.
 * Rejections use the gateway's codes, statuses and body shape
 * `{RequestId, HostId, Code, Message, Recommend}`.
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Answer } from './http-faults.js';

const WINDOW_MS = 15 * 60 * 1000;
/** Every V3 request signs at least these. */
const REQUIRED_SIGNED = ['host', 'x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256'];

export class GatewayRejection extends Error {
  constructor(readonly answer: Answer) {
    super(`rejected: ${JSON.stringify(answer.body)}`);
  }
}

export interface GatewayOptions {
  accessKeyId: string;
  accessKeySecret: string;
  /** When set, the key is an STS one: this token must come, signed, as x-acs-security-token. */
  securityToken?: string;
  /** `fcv3.cn-hangzhou.aliyuncs.com`: the HostId of error answers. */
  hostId: string;
  product: string;
}

export interface VerifiedRequest {
  action: string;
  version: string;
  signedHeaders: string[];
  securityToken: string | undefined;
}

export function gatewayError(options: Pick<GatewayOptions, 'hostId' | 'product'>, status: number, code: string, message: string): GatewayRejection {
  const requestId = randomUUID().toUpperCase();
  return new GatewayRejection({
    status,
    body: { RequestId: requestId, HostId: options.hostId, Code: code, Message: message, Recommend: `https://api.aliyun.com/troubleshoot?q=${code}&product=${options.product}&requestId=${requestId}` },
  });
}

export class Acs3Gateway {
  private readonly nonces = new Map<string, number>();

  constructor(private readonly options: GatewayOptions) {}

  /** Throws GatewayRejection, or returns what was verified. `headers` are the received ones, lower-case. */
  verify(method: string, target: string, headers: Readonly<Record<string, string>>, rawBody: Buffer): VerifiedRequest {
    const fail = (status: number, code: string, message: string): never => {
      throw gatewayError(this.options, status, code, message);
    };
    const authorization = headers['authorization'] ?? '';
    const parsed = /^ACS3-HMAC-SHA256 Credential=([^,\s]+),SignedHeaders=([a-z0-9;-]+),Signature=([0-9a-f]{64})$/.exec(authorization);
    if (parsed === null) fail(400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.');
    const [, accessKeyId, signedList, signature] = parsed as unknown as [string, string, string, string];
    const signedHeaders = signedList.split(';');
    const sorted = [...signedHeaders].sort();
    if (sorted.join(';') !== signedList) fail(400, 'IncompleteSignature', 'SignedHeaders must be sorted.');
    for (const name of REQUIRED_SIGNED) {
      if (!signedHeaders.includes(name) || headers[name] === undefined) fail(400, 'MissingParameter', `The input parameter "${name}" that is mandatory for processing this request is not supplied or not signed.`);
    }
    for (const name of Object.keys(headers)) {
      if (name.startsWith('x-acs-') && !signedHeaders.includes(name)) fail(400, 'IncompleteSignature', `The header ${name} must be signed.`);
    }
    const date = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(headers['x-acs-date'] ?? '');
    if (date === null) fail(400, 'IllegalTimestamp', 'The input parameter "x-acs-date" is not in the format YYYY-MM-DDThh:mm:ssZ.');
    const [y, mo, d, h, mi, s] = (date as RegExpExecArray).slice(1).map(Number) as [number, number, number, number, number, number];
    if (Math.abs(Date.now() - Date.UTC(y, mo - 1, d, h, mi, s)) > WINDOW_MS) fail(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
    if (accessKeyId !== this.options.accessKeyId) fail(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    const bodyHash = createHash('sha256').update(rawBody).digest('hex');
    if (headers['x-acs-content-sha256'] !== bodyHash) fail(400, 'InvalidParameter.ContentSHA256', 'The x-acs-content-sha256 header does not match the request body.');

    const [rawPath = '/', rawQuery = ''] = target.split('?');
    const query = rawQuery
      .split('&')
      .filter((pair) => pair !== '')
      .map((pair) => {
        const at = pair.indexOf('=');
        const name = decodeURIComponent(at === -1 ? pair : pair.slice(0, at));
        const value = decodeURIComponent(at === -1 ? '' : pair.slice(at + 1));
        return [name, value] as const;
      })
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => `${name}=${strictEncode(value)}`)
      .join('&');
    const canonical = [
      method,
      rawPath,
      query,
      signedHeaders.map((name) => `${name}:${(headers[name] ?? '').trim()}\n`).join(''),
      signedList,
      headers['x-acs-content-sha256'],
    ].join('\n');
    const stringToSign = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonical).digest('hex')}`;
    const expected = createHmac('sha256', this.options.accessKeySecret).update(stringToSign).digest();
    const given = Buffer.from(signature, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      fail(400, 'SignatureDoesNotMatch', `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`);
    }

    const nonce = headers['x-acs-signature-nonce'] as string;
    const now = Date.now();
    for (const [seen, at] of this.nonces) if (now - at > WINDOW_MS) this.nonces.delete(seen);
    if (this.nonces.has(nonce)) fail(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    this.nonces.set(nonce, now);

    const token = headers['x-acs-security-token'];
    if (this.options.securityToken === undefined) {
      if (token !== undefined) fail(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.');
    } else {
      if (token === undefined || token === '') fail(400, 'MissingSecurityToken', 'SecurityToken is mandatory for this action.');
      if (headers['x-acs-accesskey-id'] !== undefined && headers['x-acs-accesskey-id'] !== accessKeyId) {
        fail(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.');
      }
      if (token !== this.options.securityToken) fail(400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.');
    }
    return { action: headers['x-acs-action'] as string, version: headers['x-acs-version'] as string, signedHeaders, securityToken: token };
  }
}

/** RFC 3986 unreserved characters stay; everything else is %XX (upper-case). */
function strictEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => {
      const c = String.fromCharCode(byte);
      return /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}
