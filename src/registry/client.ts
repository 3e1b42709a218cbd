/**
 * A small client for the OCI distribution API: look manifests up, read them
 * (digest-verified), resolve an image's config for a platform, list tags.
 * Authentication (Basic or Bearer token) is answered transparently on 401,
 * and every request goes through fetchWithRetry so network policy lives in
 * one place. The copier will grow from here; keep each call this plain.
 */
import type { Fetch } from '../ports.js';
import { discardBody, fetchWithRetry, readBodyBytes, type RetryPolicy } from '../util/http.js';
import { pullScope, RegistryAuthenticator, type RegistryCredentials } from './authenticator.js';
import { DigestMismatchError, digestOf, verifyDigest } from './digest.js';
import { defaultScheme, registryBaseUrl, type Scheme } from './endpoint.js';
import { nextPageUrl } from './link-header.js';
import { configDescriptor, indexEntries, manifestKind, type Descriptor } from './manifest-shapes.js';
import { bareMediaType, MANIFEST_ACCEPT } from './media-types.js';
import { formatPlatform, selectPlatformManifest, type PlatformSelector } from './platform.js';
import { digestError, formatReference, isDigest, isValidTag, repositoryError } from './reference.js';
import { RegistryError, registryErrorFromResponse } from './registry-error.js';

export type { RegistryCredentials } from './authenticator.js';
export { RegistryError } from './registry-error.js';
export { parseImageReference, type ImageReference } from './reference.js';
export type { PlatformSelector } from './platform.js';

export interface RegistryClientOptions {
  /** host[:port] */
  registry: string;
  credentials?: RegistryCredentials;
  fetch: Fetch;
  retry?: Partial<RetryPolicy>;
  /** Default: 'http' for loopback hosts (localhost, 127.0.0.0/8, [::1]) as Docker allows, else 'https'. */
  scheme?: Scheme;
}

export interface ManifestInfo {
  digest: string;
  mediaType: string;
  size: number;
}

export interface FetchedManifest {
  info: ManifestInfo;
  /** The parsed JSON document; its shape depends on the media type, so callers narrow it. */
  body: any;
  /** The exact bytes the digest was computed over; re-serialising `body` would change it. */
  raw: Uint8Array;
}

/** A registry that pages forever must not keep a build busy forever. */
const MAX_TAG_PAGES = 10_000;

interface RegistryRequest {
  url: string;
  method: 'GET' | 'HEAD';
  headers: Record<string, string>;
  operation: string;
}

export class RegistryClient {
  readonly registry: string;
  private readonly baseUrl: string;
  private readonly fetch: Fetch;
  private readonly retry: Partial<RetryPolicy> | undefined;
  private readonly username: string | undefined;
  private readonly auth: RegistryAuthenticator;

  constructor(opts: RegistryClientOptions) {
    this.registry = opts.registry;
    const scheme = opts.scheme ?? defaultScheme(opts.registry);
    this.baseUrl = registryBaseUrl(opts.registry, scheme);
    this.fetch = opts.fetch;
    this.retry = opts.retry;
    this.username = opts.credentials?.username;
    this.auth = new RegistryAuthenticator({
      registry: opts.registry,
      fetch: opts.fetch,
      allowPlainHttpRealm: scheme === 'http',
      ...(opts.credentials === undefined ? {} : { credentials: opts.credentials }),
      ...(opts.retry === undefined ? {} : { retry: opts.retry }),
    });
  }

  /** Digest, media type and size of a manifest; undefined when the registry has no such manifest (404). */
  async headManifest(repository: string, reference: string): Promise<ManifestInfo | undefined> {
    this.checkNames(repository, reference);
    const operation = `check manifest ${formatReference(this.registry, repository, reference)}`;
    const response = await this.send(repository, {
      url: this.manifestUrl(repository, reference),
      method: 'HEAD',
      headers: { accept: MANIFEST_ACCEPT },
      operation,
    });
    if (response.status === 404) {
      await discardBody(response);
      return undefined;
    }
    if (!response.ok) throw await this.failure(response, operation);
    await discardBody(response);

    const digest = response.headers.get('docker-content-digest');
    const size = Number(response.headers.get('content-length') ?? Number.NaN);
    const mediaType = bareMediaType(response.headers.get('content-type'));
    if (!digest || digestError(digest) !== undefined || !Number.isSafeInteger(size) || mediaType === '') {
      // The spec lets HEAD leave these out; the manifest itself tells all three.
      return (await this.getManifest(repository, reference)).info;
    }
    if (isDigest(reference) && digest !== reference) throw new DigestMismatchError(operation, reference, digest);
    return { digest, mediaType, size };
  }

  /**
   * The manifest, its exact bytes and info. The bytes are checked against the
   * digest when `reference` is one, and against Docker-Content-Digest when
   * the registry sends it.
   */
  async getManifest(repository: string, reference: string): Promise<FetchedManifest> {
    this.checkNames(repository, reference);
    const operation = `read manifest ${formatReference(this.registry, repository, reference)}`;
    const response = await this.send(repository, {
      url: this.manifestUrl(repository, reference),
      method: 'GET',
      headers: { accept: MANIFEST_ACCEPT },
      operation,
    });
    if (!response.ok) throw await this.failure(response, operation);
    const raw = await readBodyBytes(response, operation);

    const headerDigest = response.headers.get('docker-content-digest');
    if (isDigest(reference)) verifyDigest(raw, reference, operation);
    if (headerDigest) verifyDigest(raw, headerDigest, operation);
    const digest = isDigest(reference) ? reference : (headerDigest ?? digestOf(raw));

    const body = parseJson(raw, `${operation}: the manifest`);
    const declared = (body as { mediaType?: unknown } | null)?.mediaType;
    const mediaType = typeof declared === 'string' ? declared : bareMediaType(response.headers.get('content-type'));
    return { info: { digest, mediaType, size: raw.byteLength }, body, raw };
  }

  /**
   * The image config JSON (labels, env, entrypoint…). An index is followed to
   * `platform`'s manifest; without `platform`, to its only image or else
   * linux/amd64. The config blob is digest-verified.
   */
  async getImageConfig(repository: string, reference: string, platform?: PlatformSelector): Promise<any> {
    const operation = `read image config ${formatReference(this.registry, repository, reference)}`;
    let manifest = await this.getManifest(repository, reference);
    const pickedFromIndex = manifestKind(manifest.info.mediaType, manifest.body) === 'index';
    if (pickedFromIndex) {
      const entry = selectPlatformManifest(indexEntries(manifest.body, operation), platform, operation);
      manifest = await this.getManifest(repository, entry.digest);
    }
    if (manifestKind(manifest.info.mediaType, manifest.body) !== 'image') {
      throw new Error(
        `${operation}: manifest ${manifest.info.digest} is ${JSON.stringify(manifest.info.mediaType)}, not an image manifest`,
      );
    }

    const descriptor = configDescriptor(manifest.body, operation);
    const bytes = await this.getBlob(repository, descriptor, `${operation}: config blob ${descriptor.digest}`);
    const config = parseJson(bytes, `${operation}: the config blob`);
    // A single-platform image says its platform only in the config; refuse a silent mismatch.
    if (platform && !pickedFromIndex) checkConfigPlatform(config, platform, operation);
    return config;
  }

  /**
   * All tags, following `Link: <…>; rel="next"` pages. `pageSize` asks the
   * registry for pages of that many (`?n=`); without it the registry decides.
   */
  async listTags(repository: string, pageSize?: number): Promise<string[]> {
    this.checkNames(repository);
    if (pageSize !== undefined && (!Number.isSafeInteger(pageSize) || pageSize < 1)) {
      throw new Error(`listTags: pageSize must be a positive integer, got ${pageSize}`);
    }
    const operation = `list tags of ${this.registry}/${repository}`;
    const tags: string[] = [];
    let url: string | undefined = `${this.baseUrl}/v2/${repository}/tags/list${pageSize ? `?n=${pageSize}` : ''}`;
    const visited = new Set<string>();
    while (url !== undefined) {
      if (visited.has(url) || visited.size >= MAX_TAG_PAGES) {
        throw new Error(`${operation}: the registry's tag pages do not end (at ${url})`);
      }
      visited.add(url);
      const response = await this.send(repository, { url, method: 'GET', headers: { accept: 'application/json' }, operation });
      if (!response.ok) throw await this.failure(response, operation);
      const page = parseJson(await readBodyBytes(response, operation), `${operation}: the tag list`) as { tags?: unknown };
      // Registries send `"tags": null` for a repository whose tags were all deleted.
      if (page.tags !== null && page.tags !== undefined && !Array.isArray(page.tags)) {
        throw new Error(`${operation}: "tags" is not a list`);
      }
      for (const tag of page.tags ?? []) if (typeof tag === 'string') tags.push(tag);
      url = this.sameOriginOrThrow(nextPageUrl(response.headers.get('link'), url), operation);
    }
    return tags;
  }

  /** GET a blob, checking its size and digest against the descriptor that named it. */
  private async getBlob(repository: string, descriptor: Descriptor, operation: string): Promise<Uint8Array> {
    const response = await this.send(repository, {
      url: `${this.baseUrl}/v2/${repository}/blobs/${descriptor.digest}`,
      method: 'GET',
      headers: {},
      operation,
    });
    if (!response.ok) throw await this.failure(response, operation);
    const bytes = await readBodyBytes(response, operation);
    if (bytes.byteLength !== descriptor.size) {
      throw new Error(`${operation}: expected ${descriptor.size} bytes, got ${bytes.byteLength}`);
    }
    verifyDigest(bytes, descriptor.digest, operation);
    return bytes;
  }

  /**
   * One request with authentication: send the credentials already known for
   * the repository's scope; on 401 answer the challenge once and resend. A
   * 401 that remains is returned for the caller to report.
   */
  private async send(repository: string, request: RegistryRequest): Promise<Response> {
    const scope = pullScope(repository);
    const exchange = (authorization: string | undefined): Promise<Response> =>
      fetchWithRetry(
        this.fetch,
        {
          url: request.url,
          method: request.method,
          headers: authorization === undefined ? request.headers : { ...request.headers, authorization },
          idempotent: true,
          operation: request.operation,
        },
        this.retry,
      );

    const sent = this.auth.authorizationFor(scope);
    const first = await exchange(sent);
    if (first.status !== 401) return first;

    let answer: string | undefined;
    try {
      answer = await this.auth.answerChallenge(first, scope, request.operation);
    } catch (error) {
      await discardBody(first);
      throw error;
    }
    // Nothing new to offer (unknown scheme, or Basic credentials already refused): report this 401.
    if (answer === undefined || answer === sent) return first;
    await discardBody(first);
    return exchange(answer);
  }

  /** A RegistryError for a failed response, with a hint on what to check when access was refused. */
  private failure(response: Response, operation: string): Promise<RegistryError> {
    let hint: string | undefined;
    if (response.status === 401) {
      hint =
        this.username === undefined
          ? `registry ${this.registry} requires authentication and no credentials were given`
          : `registry ${this.registry} did not accept the credentials of ${JSON.stringify(this.username)}`;
    }
    return registryErrorFromResponse(response, operation, hint);
  }

  private manifestUrl(repository: string, reference: string): string {
    return `${this.baseUrl}/v2/${repository}/manifests/${reference}`;
  }

  /** Names go into URL paths: only grammar-valid ones get there. */
  private checkNames(repository: string, reference?: string): void {
    const problem = repositoryError(repository);
    if (problem) throw new Error(`invalid repository for ${this.registry}: ${problem}`);
    if (reference !== undefined && !isValidTag(reference) && !isDigest(reference)) {
      throw new Error(`invalid tag or digest ${JSON.stringify(reference)} for ${this.registry}/${repository}`);
    }
  }

  /** Credentials go with every page request, so a page link may not lead to another host. */
  private sameOriginOrThrow(url: string | undefined, operation: string): string | undefined {
    if (url !== undefined && new URL(url).origin !== new URL(this.baseUrl).origin) {
      throw new Error(`${operation}: refusing to follow a tag page link to another host: ${url}`);
    }
    return url;
  }
}

function parseJson(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new Error(`${what} is not valid JSON`);
  }
}

function checkConfigPlatform(config: unknown, wanted: PlatformSelector, operation: string): void {
  const record = (config ?? {}) as { os?: unknown; architecture?: unknown };
  if (typeof record.os !== 'string' || typeof record.architecture !== 'string') return;
  if (record.os !== wanted.os || record.architecture !== wanted.architecture) {
    throw new Error(
      `${operation}: the image is ${formatPlatform({ os: record.os, architecture: record.architecture })}, not ${formatPlatform(wanted)}`,
    );
  }
}
