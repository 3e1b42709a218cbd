/**
 * A tiny reverse proxy in front of a test registry that records every
 * request (method, path, status, body bytes each way) and can inject faults:
 * 503 / 429 / a connection reset in the middle of a blob upload, a flipped
 * byte in a blob download, redirects of blob downloads to the registry
 * itself (as a registry backed by object storage does), and a registry that
 * takes blobs in chunks only, and a registry whose manifest PUT answers
 * carry no Docker-Content-Digest (the distribution spec lets a registry leave
 * it out). The Host header is passed on unchanged, so
 * the registry's upload Locations point back through the proxy.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultKind = '503' | '429' | 'reset-mid-upload';

export interface ProxiedRequest {
  method: string;
  /** Path and query as the client sent them. */
  url: string;
  /** The status answered (0 when the connection was reset instead). */
  status: number;
  /** Request body bytes the proxy received. */
  requestBytes: number;
  /** Response body bytes the proxy passed back. */
  responseBytes: number;
  /** The fault injected into this request, if any. */
  fault?: FaultKind | 'corrupt' | 'redirect' | 'refuse-monolithic' | 'digest-stripped' | 'lost';
}

export interface CountingProxy {
  host: string;
  requests: ProxiedRequest[];
  /** Request body bytes of PUT/PATCH to /blobs/uploads/ since the last reset: blob bytes uploaded. */
  uploadBytes(): number;
  /** Requests matching method and a path/query test. */
  count(method: string, test?: (url: string) => boolean): number;
  /** The next `n` blob upload requests that carry a body (PUT/PATCH to /blobs/uploads/) fail this way. */
  failNext(n: number, kind: FaultKind): void;
  /** The next blob download (GET /v2/…/blobs/<digest>; of that digest when given) gets one byte in its middle flipped. */
  corruptNextBlob(digest?: string): void;
  /** Blob downloads are answered 307 to the registry's own address (another origin). */
  redirectBlobGets(on: boolean): void;
  /** Downloads of this blob are answered 404 BLOB_UNKNOWN (a source that lost a layer its manifest names); undefined: none. */
  loseBlob(digest: string | undefined): void;
  /**
   * Chunked-only registry. `announce`: POST answers carry OCI-Chunk-Min-Length.
   * Either way a PUT with a body (a single-request upload) is answered 416.
   */
  requireChunked(setting: { minLength: number; announce: boolean } | undefined): void;
  /** Manifest PUT answers lose their Docker-Content-Digest header (the registry still stores the manifest). */
  stripManifestPutDigest(on: boolean): void;
  /** Blob upload bodies (PUT/PATCH) are read at most this many bytes a second (a slow uplink); undefined: full speed. */
  throttleUploads(bytesPerSecond: number | undefined): void;
  /** Forgets the records and every pending fault or mode. */
  reset(): void;
  close(): Promise<void>;
}

/** Seconds a 429 asks the client to wait. */
export const RETRY_AFTER_SECONDS = 1;

export async function startCountingProxy(upstreamHost: string): Promise<CountingProxy> {
  const requests: ProxiedRequest[] = [];
  let faults: FaultKind[] = [];
  let corruptions = 0;
  let corruptDigest: string | undefined;
  let redirect = false;
  let lost: string | undefined;
  let chunked: { minLength: number; announce: boolean } | undefined;
  let stripPutDigest = false;
  let uploadRate: number | undefined;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? url;
    const record: ProxiedRequest = { method, url, status: 0, requestBytes: 0, responseBytes: 0 };
    requests.push(record);
    req.on('data', (chunk: Buffer) => (record.requestBytes += chunk.length));

    const isUpload = path.includes('/blobs/uploads/');
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    const isUploadData = (method === 'PUT' || method === 'PATCH') && isUpload && hasBody;
    const isBlobGet = method === 'GET' && !isUpload && /^\/v2\/.+\/blobs\/[a-z0-9]+:[a-f0-9]+$/.test(path);
    const isManifestPut = method === 'PUT' && /^\/v2\/.+\/manifests\/[^/]+$/.test(path);

    const answerAfterBody = (status: number, headers: Record<string, string>, code: string): void => {
      req.resume();
      req.on('end', () => {
        record.status = status;
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify({ errors: [{ code, message: `injected by the test proxy (${status})` }] }));
      });
    };

    if (isUploadData && faults.length > 0) {
      const fault = faults.shift() as FaultKind;
      record.fault = fault;
      if (fault === '503') return answerAfterBody(503, {}, 'UNAVAILABLE');
      if (fault === '429') return answerAfterBody(429, { 'retry-after': String(RETRY_AFTER_SECONDS) }, 'TOOMANYREQUESTS');
      // Reset once some of the body has arrived (half of it when it comes in pieces).
      const expected = Number(req.headers['content-length'] ?? Number.NaN);
      req.on('data', () => {
        if (!Number.isFinite(expected) || record.requestBytes >= expected / 2) req.socket.destroy();
      });
      return;
    }
    if (isUploadData && method === 'PUT' && chunked !== undefined) {
      record.fault = 'refuse-monolithic';
      return answerAfterBody(416, {}, 'BLOB_UPLOAD_INVALID');
    }
    if (isBlobGet && lost !== undefined && path.endsWith(`/blobs/${lost}`)) {
      record.fault = 'lost';
      return answerAfterBody(404, {}, 'BLOB_UNKNOWN');
    }
    if (isBlobGet && redirect) {
      record.fault = 'redirect';
      record.status = 307;
      res.writeHead(307, { location: `http://${upstreamHost}${url}` }).end();
      return;
    }
    const corrupt = isBlobGet && corruptions > 0 && (corruptDigest === undefined || path.endsWith(`/blobs/${corruptDigest}`));
    if (corrupt) {
      corruptions--;
      record.fault = 'corrupt';
    }

    const headers = { ...req.headers };
    const upstream = httpRequest(`http://${upstreamHost}${url}`, { method, headers }, (answer) => {
      record.status = answer.statusCode ?? 502;
      const outHeaders = { ...answer.headers };
      if (chunked?.announce && method === 'POST' && isUpload && answer.statusCode === 202) {
        outHeaders['oci-chunk-min-length'] = String(chunked.minLength);
      }
      if (stripPutDigest && isManifestPut && outHeaders['docker-content-digest'] !== undefined) {
        delete outHeaders['docker-content-digest'];
        record.fault = 'digest-stripped';
      }
      res.writeHead(record.status, outHeaders);
      const total = Number(answer.headers['content-length'] ?? Number.NaN);
      const flipAt = corrupt && answer.statusCode === 200 && Number.isFinite(total) ? Math.floor(total / 2) : -1;
      let offset = 0;
      answer.on('data', (chunk: Buffer) => {
        if (flipAt >= offset && flipAt < offset + chunk.length) {
          chunk = Buffer.from(chunk);
          chunk[flipAt - offset] = (chunk[flipAt - offset] ?? 0) ^ 0xff;
        }
        offset += chunk.length;
        record.responseBytes += chunk.length;
        res.write(chunk);
      });
      answer.on('end', () => res.end());
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', () => res.destroy());
    req.on('error', () => upstream.destroy());
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    if (isUploadData && uploadRate !== undefined) {
      // Passed on by hand, each chunk followed by a pause as long as its bytes take at the rate.
      const rate = uploadRate;
      req.on('data', (chunk: Buffer) => {
        upstream.write(chunk);
        req.pause();
        setTimeout(() => req.resume(), (1000 * chunk.length) / rate);
      });
      req.on('end', () => upstream.end());
      return;
    }
    req.pipe(upstream);
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  const isUploadData = (r: ProxiedRequest): boolean => (r.method === 'PUT' || r.method === 'PATCH') && r.url.includes('/blobs/uploads/');
  return {
    host,
    requests,
    uploadBytes: () => requests.filter(isUploadData).reduce((sum, r) => sum + r.requestBytes, 0),
    count: (method, test) => requests.filter((r) => r.method === method && (test === undefined || test(r.url))).length,
    failNext: (n, kind) => {
      for (let i = 0; i < n; i++) faults.push(kind);
    },
    corruptNextBlob: (digest) => {
      corruptions++;
      corruptDigest = digest;
    },
    redirectBlobGets: (on) => {
      redirect = on;
    },
    loseBlob: (digest) => {
      lost = digest;
    },
    requireChunked: (setting) => {
      chunked = setting;
    },
    stripManifestPutDigest: (on) => {
      stripPutDigest = on;
    },
    throttleUploads: (bytesPerSecond) => {
      uploadRate = bytesPerSecond;
    },
    reset: () => {
      requests.length = 0;
      faults = [];
      corruptions = 0;
      corruptDigest = undefined;
      redirect = false;
      lost = undefined;
      chunked = undefined;
      stripPutDigest = false;
      uploadRate = undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
