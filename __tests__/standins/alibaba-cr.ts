/**
 * A local stand-in for the two Alibaba Cloud Container Registry calls that
 * hand out temporary registry logins, strict enough that passing against it
 * means something:
 *
 * - Enterprise Edition, RPC `GET /?Action=GetAuthorizationToken&Version=2018-12-01…`
 * - Personal Edition, ROA `GET /tokens` with `x-acs-version: 2016-06-07`
 *
 * Every request's signature is recomputed here from what was received (the
 * raw query, or the raw headers and path), with code written apart from
 * src/cloud/alibaba/signer.ts so the two keep each other honest. Rejections
 * use the gateway's real codes, statuses and body shape
 * `{RequestId, HostId, Code, Message, Recommend}`; the clock window (15
 * minutes) and nonce replay are enforced; a configured STS token is required.
 * Faults can be injected per route to exercise retries.
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerWithFault, FaultQueues, serveBuffered, statusFaultAnswer, writeJsonAnswer, type Answer, type StatusFault } from './http-faults.js';

export type AlibabaRoute = 'rpc.GetAuthorizationToken' | 'roa.GetTokens';

export type Fault =
  /** Answer this status before doing anything (429 comes with a Throttling body; Retry-After when given). */
  | StatusFault
  /** Drop the connection without an answer. */
  | { kind: 'reset' }
  /** Prepare the answer, then hold it back this long (past the client's timeout). */
  | { kind: 'slow'; delayMs: number };

export interface AlibabaCrStandInOptions {
  accessKeyId: string;
  accessKeySecret: string;
  /** When set, the AccessKey is a temporary STS one: every request must carry exactly this token. */
  securityToken?: string;
  region: string;
  instances: { id: string; tempUsername: string; token: string }[];
  /** The account's Personal Edition login; without it `/tokens` answers USER_NOT_EXIST. */
  personal?: { tempUsername: string; token: string };
  faults?: Partial<Record<AlibabaRoute, Fault[]>>;
}

export interface RecordedCall {
  route: AlibabaRoute | undefined;
  method: string;
  /** The request target exactly as received. */
  url: string;
  /** The answer's status; 0 when the connection was dropped. */
  status: number;
  /** The error code answered, if any. */
  code: string | undefined;
  signatureValid: boolean;
  nonce: string | undefined;
  /** RPC `Timestamp` or ROA `Date`, as sent. */
  signedAt: string | undefined;
  securityToken: string | undefined;
  headers: Record<string, string>;
  /** The answer body as sent ('' when the connection was dropped). */
  answer: string;
}

export interface AlibabaCrStandIn {
  url: string;
  calls: RecordedCall[];
  /** How many requests reached `route` (faulted and rejected ones included). */
  attempts(route: AlibabaRoute): number;
  setFaults(route: AlibabaRoute, faults: Fault[]): void;
  close(): Promise<void>;
}

/** The gateway refuses a Timestamp/Date further than this from its clock, and a nonce reused within it. */
const REQUEST_WINDOW_MS = 15 * 60 * 1000;
const LOGIN_LIFETIME_MS = 60 * 60 * 1000;
const ENTERPRISE_VERSION = '2018-12-01';
const PERSONAL_VERSION = '2016-06-07';
const RPC_COMMON = ['Action', 'Version', 'AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp'];

/** An error raised while checking a request; becomes the answer. */
class Rejection extends Error {
  constructor(readonly answer: Answer) {
    super('rejected');
  }
}

export async function startAlibabaCrStandIn(options: AlibabaCrStandInOptions): Promise<AlibabaCrStandIn> {
  const faults = new FaultQueues<AlibabaRoute, Fault>(options.faults);
  const calls: RecordedCall[] = [];
  /** Nonce → when it was first accepted; forgotten after the request window. */
  const seenNonces = new Map<string, number>();
  const hostId = `cr.${options.region}.aliyuncs.com`;

  const gatewayError = (status: number, code: string, message: string): Rejection => {
    const requestId = randomUUID().toUpperCase();
    return new Rejection({
      status,
      body: {
        RequestId: requestId,
        HostId: hostId,
        Code: code,
        Message: message,
        Recommend: `https://api.aliyun.com/troubleshoot?q=${code}&product=cr&requestId=${requestId}`,
      },
    });
  };

  function handle(req: IncomingMessage, res: ServerResponse, rawBody: Buffer): void {
    const target = req.url ?? '/';
    const method = req.method ?? 'GET';
    const path = target.split('?')[0] ?? '';
    const route: AlibabaRoute | undefined =
      path === '/' ? 'rpc.GetAuthorizationToken' : path === '/tokens' ? 'roa.GetTokens' : undefined;
    const call: RecordedCall = {
      route,
      method,
      url: target,
      status: 0,
      code: undefined,
      signatureValid: false,
      nonce: undefined,
      signedAt: undefined,
      securityToken: undefined,
      headers: Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : value ?? ''])),
      answer: '',
    };
    calls.push(call);
    const send = (answer: Answer): void => {
      call.status = answer.status;
      const body = answer.body as { Code?: unknown; code?: unknown } | undefined;
      const code = body?.Code ?? body?.code;
      if (typeof code === 'string' && code !== 'success') call.code = code;
      call.answer = writeJsonAnswer(res, answer, {
        'content-type': 'application/json;charset=utf-8',
        'x-acs-request-id': randomUUID().toUpperCase(),
      });
    };

    let answer: Answer;
    try {
      if (route === undefined) throw gatewayError(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
      answer = route === 'rpc.GetAuthorizationToken' ? enterprise(req, rawBody, call) : personal(req, rawBody, call);
    } catch (error) {
      if (!(error instanceof Rejection)) throw error;
      send(error.answer);
      return;
    }
    // The answer is prepared before any fault, so a reset drops it either way.
    answerWithFault(req, res, faults.next(route), { statusAnswer: faultAnswer, process: () => answer, send });
  }

  /** RPC: everything is in the query (GET) or the form body (POST). */
  function enterprise(req: IncomingMessage, rawBody: Buffer, call: RecordedCall): Answer {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'POST') {
      throw gatewayError(400, 'UnsupportedHTTPMethod', 'This http method is not supported.');
    }
    const rawQuery = method === 'POST' ? rawBody.toString('utf8') : (req.url ?? '').split('?').slice(1).join('?');
    const params = parseForm(rawQuery);
    call.nonce = params.get('SignatureNonce');
    call.signedAt = params.get('Timestamp');
    call.securityToken = params.get('SecurityToken');
    for (const name of RPC_COMMON) {
      if (!params.has(name)) throw missing(name);
    }
    const action = params.get('Action');
    const version = params.get('Version');
    if (action !== 'GetAuthorizationToken' || version !== ENTERPRISE_VERSION) {
      throw gatewayError(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
    }
    if (params.get('SignatureMethod') !== 'HMAC-SHA1' || params.get('SignatureVersion') !== '1.0') {
      throw gatewayError(400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.');
    }
    checkWindow(parseRpcTimestamp(params.get('Timestamp') ?? ''));
    checkAccessKey(params.get('AccessKeyId'));

    // The string the client should have signed, rebuilt from the decoded parameters it sent.
    const signed = [...params.entries()].filter(([name]) => name !== 'Signature');
    const canonical = signed
      .map(([name, value]) => [rfc3986(name), rfc3986(value)] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => `${name}=${value}`)
      .join('&');
    const stringToSign = `${method}&${rfc3986('/')}&${rfc3986(canonical)}`;
    const expected = createHmac('sha1', `${options.accessKeySecret}&`).update(stringToSign, 'utf8').digest();
    if (!sameBytes(expected, params.get('Signature') ?? '')) {
      throw gatewayError(400, 'SignatureDoesNotMatch', `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`);
    }
    call.signatureValid = true;
    checkNonce(params.get('SignatureNonce') ?? '');
    checkSecurityToken(params.get('SecurityToken'), params.get('AccessKeyId'));

    const instanceId = params.get('InstanceId');
    if (instanceId === undefined || instanceId === '') throw missing('InstanceId');
    const regionId = params.get('RegionId');
    if (regionId === undefined || regionId === '') throw missing('RegionId');
    const instance = options.instances.find((candidate) => candidate.id === instanceId);
    const requestId = randomUUID().toUpperCase();
    // The CR API reports its own refusals inside a 200 answer, flagged by IsSuccess.
    if (instance === undefined || regionId !== options.region) {
      return { status: 200, body: { RequestId: requestId, Code: 'INSTANCE_NOT_EXIST', IsSuccess: false } };
    }
    return {
      status: 200,
      body: {
        RequestId: requestId,
        ExpireTime: Date.now() + LOGIN_LIFETIME_MS,
        Code: 'success',
        IsSuccess: true,
        TempUsername: instance.tempUsername,
        AuthorizationToken: instance.token,
      },
    };
  }

  /** ROA: the signature covers the method, content headers, x-acs-* headers and the resource. */
  function personal(req: IncomingMessage, rawBody: Buffer, call: RecordedCall): Answer {
    const method = req.method ?? 'GET';
    if (method !== 'GET') throw gatewayError(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
    const header = (name: string): string | undefined => call.headers[name];
    call.nonce = header('x-acs-signature-nonce');
    call.signedAt = header('date');
    call.securityToken = header('x-acs-security-token');
    for (const name of ['x-acs-version', 'x-acs-signature-nonce', 'x-acs-signature-method', 'x-acs-signature-version', 'date', 'authorization']) {
      if (header(name) === undefined) throw missing(name);
    }
    if (header('x-acs-version') !== PERSONAL_VERSION) {
      throw gatewayError(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
    }
    if (header('x-acs-signature-method') !== 'HMAC-SHA1' || header('x-acs-signature-version') !== '1.0') {
      throw gatewayError(400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.');
    }
    const date = Date.parse(header('date') ?? '');
    if (Number.isNaN(date)) throw gatewayError(400, 'IllegalTimestamp', 'The input parameter "Date" is not a valid HTTP date.');
    checkWindow(date);
    const authorization = /^acs ([^:\s]+):(\S+)$/.exec(header('authorization') ?? '');
    if (authorization === null) throw gatewayError(400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.');
    const [, accessKeyId, signature] = authorization as unknown as [string, string, string];
    checkAccessKey(accessKeyId);
    const contentMd5 = header('content-md5');
    if (contentMd5 !== undefined && contentMd5 !== createHash('md5').update(rawBody).digest('base64')) {
      throw gatewayError(400, 'InvalidContentMD5', 'The Content-MD5 you specified did not match what we received.');
    }

    const target = req.url ?? '/';
    const [path = '', rawQuery = ''] = target.split('?');
    const query = [...parseForm(rawQuery).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const resource = query.length === 0 ? path : `${path}?${query.map(([name, value]) => `${name}=${value}`).join('&')}`;
    const acsLines = Object.keys(call.headers)
      .filter((name) => name.startsWith('x-acs-'))
      .sort()
      .map((name) => `${name}:${(call.headers[name] ?? '').replace(/[\t\n\r\f]/g, ' ').trim()}\n`)
      .join('');
    const stringToSign =
      `${method}\n${header('accept') ?? ''}\n${contentMd5 ?? ''}\n${header('content-type') ?? ''}\n${header('date') ?? ''}\n` +
      `${acsLines}${resource}`;
    const expected = createHmac('sha1', options.accessKeySecret).update(stringToSign, 'utf8').digest();
    if (!sameBytes(expected, signature)) {
      throw gatewayError(400, 'SignatureDoesNotMatch', `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`);
    }
    call.signatureValid = true;
    checkNonce(header('x-acs-signature-nonce') ?? '');
    checkSecurityToken(header('x-acs-security-token'), header('x-acs-accesskey-id') ?? accessKeyId);
    const regionHeader = header('x-acs-region-id');
    if (regionHeader !== undefined && regionHeader !== options.region) {
      throw gatewayError(400, 'InvalidRegionId', `The specified region ${regionHeader} is not served by this endpoint.`);
    }

    if (options.personal === undefined) {
      // The service's own errors in ROA come lower-case, without the gateway's fields.
      return { status: 404, body: { code: 'USER_NOT_EXIST', message: 'user is not exist.' } };
    }
    return {
      status: 200,
      body: {
        data: {
          authorizationToken: options.personal.token,
          tempUserName: options.personal.tempUsername,
          expireDate: Date.now() + LOGIN_LIFETIME_MS,
        },
        requestId: randomUUID().toUpperCase(),
      },
    };
  }

  function missing(name: string): Rejection {
    return gatewayError(400, 'MissingParameter', `The input parameter "${name}" that is mandatory for processing this request is not supplied.`);
  }

  function checkWindow(signedAt: number): void {
    if (Number.isNaN(signedAt)) throw gatewayError(400, 'IllegalTimestamp', 'The input parameter "Timestamp" that is mandatory for processing this request is not supplied.');
    if (Math.abs(Date.now() - signedAt) > REQUEST_WINDOW_MS) {
      throw gatewayError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
    }
  }

  function checkAccessKey(accessKeyId: string | undefined): void {
    if (accessKeyId !== options.accessKeyId) throw gatewayError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
  }

  function checkNonce(nonce: string): void {
    const now = Date.now();
    for (const [seen, at] of seenNonces) if (now - at > REQUEST_WINDOW_MS) seenNonces.delete(seen);
    if (seenNonces.has(nonce)) throw gatewayError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    seenNonces.set(nonce, now);
  }

  function checkSecurityToken(token: string | undefined, accessKeyId: string | undefined): void {
    if (options.securityToken === undefined) {
      if (token !== undefined) {
        throw gatewayError(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.');
      }
      return;
    }
    if (token === undefined || token === '') throw gatewayError(400, 'MissingSecurityToken', 'SecurityToken is mandatory for this action.');
    if (accessKeyId !== options.accessKeyId) {
      throw gatewayError(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.');
    }
    // A token from an earlier AssumeRole is the usual wrong one: it has expired.
    if (token !== options.securityToken) throw gatewayError(400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.');
  }

  function faultAnswer(fault: StatusFault): Answer {
    return statusFaultAnswer(fault, () =>
      fault.status === 429
        ? { RequestId: randomUUID().toUpperCase(), HostId: hostId, Code: 'Throttling', Message: 'Request was denied due to request throttling.' }
        : { RequestId: randomUUID().toUpperCase(), HostId: hostId, Code: 'ServiceUnavailable', Message: 'The request has failed due to a temporary failure of the server.' },
    );
  }

  const server = await serveBuffered(handle);
  return {
    url: server.url,
    calls,
    attempts: (route) => calls.filter((call) => call.route === route).length,
    setFaults: (route, list) => faults.set(route, list),
    close: () => server.close(),
  };
}

/** `a=b&c=d` with `%XX` decoded; `+` is left alone because the SDK encodes a space as %20, never `+`. */
function parseForm(text: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = safeDecode(equals === -1 ? pair : pair.slice(0, equals));
    const value = safeDecode(equals === -1 ? '' : pair.slice(equals + 1));
    params.set(name, value);
  }
  return params;
}

function rfc3986(text: string): string {
  return encodeURIComponent(text)
    .replace(/!/g, '%21')
    .replace(/'/g, '%27')
    .replace(/\(/g, '%28')
    .replace(/\)/g, '%29')
    .replace(/\*/g, '%2A');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `YYYY-MM-DDTHH:mm:ssZ` only; anything else is NaN. */
function parseRpcTimestamp(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(text);
  if (match === null) return Number.NaN;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

function sameBytes(expected: Buffer, givenBase64: string): boolean {
  const given = Buffer.from(givenBase64, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
