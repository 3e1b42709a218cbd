/**
 * A source registry that plays a remote host (`hub.example.test` over TLS
 * from the test CA) and serves one small image whose text fields a test
 * chooses: foreign-layer URLs, the manifest's Content-Type, error bodies.
 * Auth is anonymous, Basic, or Bearer with a token service on the same
 * host that hands out a fresh random token per request (recorded, so a
 * test can look for each one in the log). `intercept` answers any request
 * first, for hostile answers (echoed headers, injected error messages).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startHostileServer, type HostileServer } from './hostile-server.js';
import type { TestCa } from './test-ca.js';

export const DOCKER_MANIFEST_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';
const FOREIGN_LAYER_TYPE = 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip';

export interface SourceImage {
  manifest: Buffer;
  digest: string;
  /** digest → bytes, for the config and the layer served. */
  blobs: Map<string, Buffer>;
}

const sha256 = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/**
 * A one-layer linux/amd64 image; with `foreignUrls`, a second (foreign) layer
 * whose manifest entry carries them; `mediaType` replaces the manifest's own.
 */
export function sourceImage(options: { foreignUrls?: string[]; mediaType?: string } = {}): SourceImage {
  const layer = randomBytes(2048);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(layer)] }, config: {} }));
  const layers: object[] = [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: layer.length, digest: sha256(layer) }];
  if (options.foreignUrls) {
    layers.push({ mediaType: FOREIGN_LAYER_TYPE, size: 4096, digest: sha256(randomBytes(32)), urls: options.foreignUrls });
  }
  const manifest = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: options.mediaType ?? DOCKER_MANIFEST_TYPE, config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: sha256(config) }, layers }, null, 2),
  );
  return { manifest, digest: sha256(manifest), blobs: new Map([[sha256(config), config], [sha256(layer), layer]]) };
}

export type SourceAuth = { kind: 'anonymous' } | { kind: 'basic'; username: string; password: string } | { kind: 'bearer'; username?: string; password?: string };

export interface InterceptContext {
  /** The Authorization header the request carried. */
  authorization: string | undefined;
  /** Forgets every token handed out, as an expiry would (the next call is challenged again). */
  expireTokens(): void;
  /** Tokens handed out so far, in order. */
  tokens: readonly string[];
}

export interface HostileSourceOptions {
  name: string;
  ca: TestCa;
  repository: string;
  image: SourceImage;
  auth: SourceAuth;
  /** The manifest's Content-Type header as sent (default the Docker schema 2 type). */
  contentType?: string;
  /** Runs before the registry logic, after the auth check; return true when it answered. */
  intercept?: (request: IncomingMessage & { body: Buffer }, response: ServerResponse, context: InterceptContext) => boolean | Promise<boolean>;
}

export interface HostileSourceRegistry {
  server: HostileServer;
  /** `name:port`, as source-image wants it. */
  host: string;
  /** Every token the token service handed out, in order. */
  tokens: string[];
  close(): Promise<void>;
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

export async function startHostileSource(options: HostileSourceOptions): Promise<HostileSourceRegistry> {
  const tokens: string[] = [];
  const valid = new Set<string>();
  let origin = '';
  const { repository, image, auth } = options;
  const basic = (username: string, password: string): string => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

  const authorised = (header: string | undefined): boolean => {
    if (auth.kind === 'anonymous') return true;
    if (auth.kind === 'basic') return header === basic(auth.username, auth.password);
    return header !== undefined && header.startsWith('Bearer ') && valid.has(header.slice('Bearer '.length));
  };
  const challenge = (response: ServerResponse): void => {
    const header = auth.kind === 'basic' ? 'Basic realm="hostile"' : `Bearer realm="${origin}/token",service="hostile",scope="repository:${repository}:pull"`;
    json(response, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, { 'www-authenticate': header });
  };

  const server = await startHostileServer(
    async (request, response) => {
      const url = new URL(request.url ?? '/', 'https://hostile');
      const header = request.headers.authorization;
      if (url.pathname === '/token' && auth.kind === 'bearer') {
        if (auth.username !== undefined && header !== basic(auth.username, auth.password ?? '')) return json(response, 401, { details: 'incorrect username or password' });
        const token = `tok_${randomBytes(24).toString('base64url')}`;
        tokens.push(token);
        valid.add(token);
        return json(response, 200, { token, expires_in: 300 });
      }
      if (!authorised(header)) return challenge(response);
      const context: InterceptContext = { authorization: header, expireTokens: () => valid.clear(), tokens };
      if (options.intercept && (await options.intercept(request, response, context))) return;

      const head = request.method === 'HEAD';
      if (url.pathname === '/v2/') return json(response, 200, {});
      const manifest = new RegExp(`^/v2/${repository}/manifests/([^/]+)$`).exec(url.pathname);
      if (manifest) {
        if (manifest[1] !== 'latest' && manifest[1] !== image.digest) return json(response, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] });
        response.writeHead(200, {
          'content-type': options.contentType ?? DOCKER_MANIFEST_TYPE,
          'docker-content-digest': image.digest,
          'content-length': String(image.manifest.length),
        });
        return void response.end(head ? undefined : image.manifest);
      }
      const blob = new RegExp(`^/v2/${repository}/blobs/(sha256:[0-9a-f]{64})$`).exec(url.pathname);
      const bytes = blob ? image.blobs.get(blob[1] ?? '') : undefined;
      if (bytes) {
        response.writeHead(200, { 'content-type': 'application/octet-stream', 'docker-content-digest': blob?.[1] ?? '', 'content-length': String(bytes.length) });
        return void response.end(head ? undefined : bytes);
      }
      return json(response, 404, { errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown' }] });
    },
    { tls: options.ca },
  );
  origin = server.origin(options.name);
  return { server, host: `${options.name}:${server.port}`, tokens, close: () => server.close() };
}
