/**
 * An in-memory OCI distribution registry on the hostile-server kit: enough of
 * the API for a copy (manifests and blobs by HEAD/GET/PUT, monolithic
 * uploads, tag lists), with a hook that lets a test take over any request
 * and misbehave (endless bodies, lies, silence). It counts the requests in
 * flight, so a test can prove how many connections a client kept busy at once.
 *
 * Nothing here imports src/: the registry checks digests itself.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startHostileServer, type HostileServer } from './hostile-server.js';
import type { TestCa } from './test-ca.js';

export type Request = IncomingMessage & { body: Buffer };

/** Handles the request itself (true), or leaves it to the registry (false). */
export type Intercept = (request: Request, response: ServerResponse, path: string) => boolean | Promise<boolean>;

export interface StoredManifest {
  bytes: Buffer;
  mediaType: string;
  digest: string;
}

export interface HostileRegistry {
  server: HostileServer;
  /** 127.0.0.1:port — loopback, so clients speak plain HTTP to it. */
  host: string;
  manifests: Map<string, StoredManifest>;
  blobs: Map<string, Buffer>;
  /** Puts a manifest under `reference` (a tag) and under its digest; returns the digest. */
  putManifest(repository: string, reference: string, bytes: Uint8Array, mediaType: string): string;
  putBlob(bytes: Uint8Array): string;
  manifest(repository: string, reference: string): StoredManifest | undefined;
  /** Replace the intercept (undefined: plain registry). */
  intercept: Intercept | undefined;
  /** Most requests in flight at once since the start (or the last reset). */
  readonly peakInFlight: number;
  resetPeak(): void;
  close(): Promise<void>;
}

export const sha256 = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export async function startHostileRegistry(options: { tls?: TestCa; intercept?: Intercept } = {}): Promise<HostileRegistry> {
  const manifests = new Map<string, StoredManifest>();
  const blobs = new Map<string, Buffer>();
  let inFlight = 0;
  let peak = 0;
  const key = (repository: string, reference: string): string => `${repository}|${reference}`;

  const registry: HostileRegistry = {
    server: undefined as unknown as HostileServer,
    host: '',
    manifests,
    blobs,
    intercept: options.intercept,
    get peakInFlight() {
      return peak;
    },
    resetPeak: () => {
      peak = inFlight;
    },
    putManifest(repository, reference, bytes, mediaType) {
      const stored = { bytes: Buffer.from(bytes), mediaType, digest: sha256(bytes) };
      manifests.set(key(repository, stored.digest), stored);
      if (reference !== stored.digest) manifests.set(key(repository, reference), stored);
      return stored.digest;
    },
    putBlob(bytes) {
      const digest = sha256(bytes);
      blobs.set(digest, Buffer.from(bytes));
      return digest;
    },
    manifest: (repository, reference) => manifests.get(key(repository, reference)),
    close: () => registry.server.close(),
  };

  const handle = async (request: Request, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://registry');
    const path = url.pathname;
    if (registry.intercept !== undefined && (await registry.intercept(request, response, path))) return;
    const method = request.method ?? 'GET';
    const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      const bytes = Buffer.from(JSON.stringify(body));
      response.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length, ...headers });
      response.end(method === 'HEAD' ? undefined : bytes);
    };
    const unknown = (code: string): void => json(404, { errors: [{ code, message: code.toLowerCase().replace('_', ' ') }] });
    if (path === '/v2/' || path === '/v2') return json(200, {});

    let match = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path);
    if (match) {
      const [, repository = '', reference = ''] = match;
      if (method === 'PUT') {
        const digest = registry.putManifest(repository, reference, request.body, String(request.headers['content-type'] ?? ''));
        response.writeHead(201, { 'docker-content-digest': digest, location: `/v2/${repository}/manifests/${digest}`, 'content-length': 0 });
        response.end();
        return;
      }
      const stored = manifests.get(key(repository, reference));
      if (stored === undefined) return unknown('MANIFEST_UNKNOWN');
      response.writeHead(200, { 'content-type': stored.mediaType, 'content-length': stored.bytes.length, 'docker-content-digest': stored.digest });
      response.end(method === 'HEAD' ? undefined : stored.bytes);
      return;
    }
    match = /^\/v2\/(.+)\/blobs\/uploads\/([^/]*)$/.exec(path);
    if (match) {
      const [, repository = '', session = ''] = match;
      if (method === 'POST') {
        response.writeHead(202, { location: `/v2/${repository}/blobs/uploads/${randomUUID()}`, 'content-length': 0 });
        response.end();
        return;
      }
      if (method === 'DELETE') {
        response.writeHead(204);
        response.end();
        return;
      }
      if (method === 'PUT' && session !== '') {
        const digest = url.searchParams.get('digest') ?? '';
        if (sha256(request.body) !== digest) return json(400, { errors: [{ code: 'DIGEST_INVALID', message: 'digest does not match' }] });
        blobs.set(digest, request.body);
        response.writeHead(201, { 'docker-content-digest': digest, location: `/v2/${repository}/blobs/${digest}`, 'content-length': 0 });
        response.end();
        return;
      }
      return json(405, { errors: [{ code: 'UNSUPPORTED', message: `${method} is not supported here` }] });
    }
    match = /^\/v2\/(.+)\/blobs\/([^/]+)$/.exec(path);
    if (match) {
      const blob = blobs.get(match[2] ?? '');
      if (blob === undefined) return unknown('BLOB_UNKNOWN');
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': blob.length, 'docker-content-digest': match[2] ?? '' });
      response.end(method === 'HEAD' ? undefined : blob);
      return;
    }
    match = /^\/v2\/(.+)\/tags\/list$/.exec(path);
    if (match) {
      const repository = match[1] ?? '';
      const tags = [...manifests.keys()].filter((k) => k.startsWith(`${repository}|`) && !k.includes('|sha256:')).map((k) => k.slice(repository.length + 1));
      return json(200, { name: repository, tags });
    }
    unknown('NAME_UNKNOWN');
  };

  registry.server = await startHostileServer(async (request, response) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    response.on('close', () => inFlight--);
    await handle(request, response);
  }, options.tls ? { tls: options.tls } : {});
  registry.host = `127.0.0.1:${registry.server.port}`;
  return registry;
}

/**
 * Writes `bytes` in chunks, forever (or until `total`), as fast as the
 * client reads, and stops when the client hangs up. Resolves with the bytes
 * written.
 */
export function writeEndlessly(response: ServerResponse, chunk: Buffer, total = Infinity): Promise<number> {
  return new Promise((resolve) => {
    let written = 0;
    let closed = false;
    response.on('close', () => {
      closed = true;
      resolve(written);
    });
    const pump = (): void => {
      while (!closed && written < total) {
        written += chunk.length;
        if (!response.write(chunk)) {
          response.once('drain', pump);
          return;
        }
      }
      if (!closed) {
        response.end();
        resolve(written);
      }
    };
    pump();
  });
}
