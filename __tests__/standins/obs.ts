/**
 * A Huawei Cloud OBS stand-in for object GETs, path-style (`/{bucket}/{key}`,
 * as a client reaches OBS through an endpoint override), strict where OBS is:
 *
 * - the `OBS AK:signature` header scheme, recomputed here independently of
 *   src/ (HMAC-SHA1 over METHOD, Content-MD5, Content-Type, Date, the x-obs-*
 *   headers and /bucket/key, as ../fixtures/vectors/huawei-obs-signing.json
 *   documents); a mismatch is 403 SignatureDoesNotMatch with the string to
 *   sign OBS would have expected, as OBS answers;
 * - a Date more than 15 minutes off is 403 RequestTimeTooSkewed; an unknown
 *   AK is 403 InvalidAccessKeyId; temporary keys need their
 *   x-obs-security-token (403 InvalidSecurityToken otherwise); an anonymous
 *   GET of a private object is 403 AccessDenied; a missing key 404 NoSuchKey;
 * - error bodies are OBS's XML (`<Error><Code>…</Code><Message>…</Message>
 *   <RequestId>…</RequestId><HostId>…</HostId></Error>`) with x-obs-request-id;
 * - Range (`bytes=N-`, `bytes=N-M`) answered 206 with Content-Range, and
 *   If-Range against the object's ETag (a stale one gets the whole object).
 *
 * `breakAfter` cuts the next answer's connection after that many body bytes,
 * as a dropped network would.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ObsKey {
  ak: string;
  sk: string;
  /** Set for temporary credentials: the token the request must carry. */
  securityToken?: string;
}

export interface ObsRequestRecord {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  status: number;
  bodyBytes: number;
  /** The OBS error code answered, if any. */
  code?: string;
}

export interface ObsStandIn {
  /** `http://127.0.0.1:port`: the `endpoints: obs=…` value. */
  endpoint: string;
  requests: ObsRequestRecord[];
  putObject(bucket: string, key: string, body: Buffer): void;
  /** The next GET's body is cut after this many bytes. */
  breakAfter(bytes: number): void;
  close(): Promise<void>;
}

const MAX_SKEW_MS = 15 * 60_000;

/** `now`: the stand-in's clock (the SDK vectors are dated 2024-01-01). */
export async function startObsStandIn(keys: readonly ObsKey[], options: { now?: () => number } = {}): Promise<ObsStandIn> {
  const now = options.now ?? Date.now;
  const objects = new Map<string, { body: Buffer; etag: string }>();
  const requests: ObsRequestRecord[] = [];
  let cutAfter: number | undefined;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    // Virtual-hosted style (bucket.obs.region.domain) names the bucket in Host; path style in the path.
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    const hostBucket = (header(req, 'host') ?? '').split('.')[0] ?? '';
    const virtual = (header(req, 'host') ?? '').includes('.obs.') && [...objects.keys()].some((name) => name.startsWith(`/${hostBucket}/`));
    const path = virtual ? `/${hostBucket}${rawPath}` : rawPath;
    const record: ObsRequestRecord = { method: req.method ?? 'GET', path, headers: { ...req.headers }, status: 0, bodyBytes: 0 };
    requests.push(record);
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    const fail = (status: number, code: string, message: string, extra: Record<string, string> = {}): void => {
      record.status = status;
      record.code = code;
      const fields = Object.entries({ Code: code, Message: message, RequestId: requestId, HostId: 'standin-obs', ...extra })
        .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
        .join('');
      res.writeHead(status, { 'content-type': 'application/xml', 'x-obs-request-id': requestId }).end(`<?xml version="1.0" encoding="UTF-8"?><Error>${fields}</Error>`);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');

    const authorization = header(req, 'authorization');
    const key = keys.find((candidate) => authorization?.startsWith(`OBS ${candidate.ak}:`));
    if (authorization === undefined) return fail(403, 'AccessDenied', 'Access Denied');
    if (!key) return fail(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    const date = header(req, 'x-obs-date') ?? header(req, 'date');
    const when = date ? Date.parse(date) : Number.NaN;
    if (Number.isNaN(when)) return fail(403, 'AccessDenied', 'Request has expired or no Date header');
    if (Math.abs(now() - when) > MAX_SKEW_MS) return fail(403, 'RequestTimeTooSkewed', 'The difference between the request time and the server\'s time is too large.');
    if (key.securityToken !== undefined && header(req, 'x-obs-security-token') !== key.securityToken) {
      return fail(403, 'InvalidSecurityToken', 'The provided security token is not valid.');
    }
    const expected = stringToSign(req, path);
    const signature = createHmac('sha1', key.sk).update(expected, 'utf8').digest('base64');
    if (authorization !== `OBS ${key.ak}:${signature}`) {
      return fail(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', { StringToSign: expected });
    }

    const object = objects.get(decodeURIComponent(path));
    if (!object) return fail(404, 'NoSuchKey', 'The specified key does not exist.');
    const { body, etag } = object;
    let start = 0;
    let end = body.length - 1;
    let status = 200;
    const range = header(req, 'range');
    const ifRange = header(req, 'if-range');
    if (range !== undefined && (ifRange === undefined || ifRange === etag)) {
      const match = /^bytes=(\d+)-(\d*)$/.exec(range);
      if (!match || Number(match[1]) >= body.length) {
        res.setHeader('content-range', `bytes */${body.length}`);
        return fail(416, 'InvalidRange', 'The requested range cannot be satisfied.');
      }
      start = Number(match[1]);
      end = match[2] === '' ? end : Math.min(end, Number(match[2]));
      status = 206;
    }
    const slice = body.subarray(start, end + 1);
    record.status = status;
    res.writeHead(status, {
      'content-type': 'application/octet-stream',
      'content-length': String(slice.length),
      etag,
      'accept-ranges': 'bytes',
      'x-obs-request-id': requestId,
      ...(status === 206 ? { 'content-range': `bytes ${start}-${end}/${body.length}` } : {}),
    });
    if (req.method === 'HEAD') return void res.end();
    const cut = cutAfter;
    cutAfter = undefined;
    if (cut !== undefined && cut < slice.length) {
      record.bodyBytes = cut;
      res.write(slice.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    record.bodyBytes = slice.length;
    res.end(slice);
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    putObject: (bucket, key, body) => objects.set(`/${bucket}/${key}`, { body, etag: `"${createHash('md5').update(body).digest('hex')}"` }),
    breakAfter: (bytes) => {
      cutAfter = bytes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** OBS's string to sign, built from what arrived (the path is /bucket/key as sent). */
function stringToSign(req: IncomingMessage, path: string): string {
  const obsHeaders = Object.entries(req.headers)
    .filter(([name]) => name.startsWith('x-obs-'))
    .map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : (value ?? '')] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, value]) => `${name}:${value.trim()}\n`)
    .join('');
  const date = header(req, 'x-obs-date') !== undefined ? '' : (header(req, 'date') ?? '');
  return `${req.method}\n${header(req, 'content-md5') ?? ''}\n${header(req, 'content-type') ?? ''}\n${date}\n${obsHeaders}${path}`;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
