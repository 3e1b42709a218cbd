/**
 * A small client for the OCI distribution API: look manifests up, read them
 * (digest-verified), resolve an image's config for a platform, list tags,
 * and the blob and manifest calls a registry-to-registry copy needs (HEAD,
 * cross-repository mount, streamed GET and upload, manifest PUT).
 * Authentication (Basic or Bearer token) is answered transparently on 401.
 * Small requests go through fetchWithRetry so network policy lives in one
 * place; streamed blob bodies cannot be resent, so those requests are made
 * once, with a stall timeout instead of a total one, and the caller (the
 * copier) restarts the whole blob transfer when one fails.
 *
 * Over 400 lines, knowingly: the blob calls (streamed GET, upload, the raw HTTP/1.1 path and their stall
 * watchdog) are half of it and belong in a file of their own. They share the class's authenticator, scopes and
 * retry policy through private members, so the split is a change of shape (a blob client the manifest client
 * hands its session to), not a move; it is the next step of the layering work, not done in the same change.
 */
import { pipeline, Readable } from 'node:stream';
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web';
import type { Fetch } from '../ports.js';
import { BODY_CAPS, BodyTooLargeError } from '../util/body-cap.js';
import { rawConnectorOf, type RawConnector } from '../http/raw-connector.js';
import { WarmConnections } from './warm-connections.js';
import { classifyFailure, discardBody, fetchWithRetry, formatSeconds, HttpError, resolvePolicy, type RetryPolicy } from '../http/retry.js';
import { readBodyBytes, settledResponse } from '../http/read-body.js';
import { mergeScopes, pullScope, RegistryAuthenticator, repositoryScope, type RegistryCredentials } from './authenticator.js';
import { Http1BodyStream } from './body-feed.js';
import { BlobCheck, DigestMismatchError, digestOf, verifyDigest, verifyingStream, verifyingTransform, type VerifyingTransform } from '../domain/image/digest.js';
import { defaultScheme, registryBaseUrl, type Scheme } from './endpoint.js';
import type { ResponseHead } from './http1-head.js';
import { nextPageUrl } from './link-header.js';
import { configDescriptor, indexEntries, manifestKind, type Descriptor } from '../domain/image/manifest-shapes.js';
import { bareMediaType, MANIFEST_ACCEPT } from '../domain/image/media-types.js';
import { formatPlatform, selectPlatformManifest, type PlatformSelector } from '../domain/image/platform.js';
import { putVerified, type BodyCheck } from './raw-blob-put.js';
import { SizeCheck } from './size-check.js';
import { http1Get, readWebResponse, toWebResponse, type Http1Exchange } from './raw-http1.js';
import { digestError, formatReference, isDigest, isValidTag, repositoryError } from '../domain/image/reference.js';
import { RegistryError, registryErrorFromResponse } from './registry-error.js';
import type { ManifestWrite } from './tag-confirmations.js';
import {
  answerWait,
  blobDeadline,
  resolveBlobTimeouts,
  StallWatchdog,
  transferTimeoutIn,
  type BlobTimeouts,
} from './stall-watchdog.js';

export type { RegistryCredentials } from './authenticator.js';
export { RegistryError } from './registry-error.js';
export { parseImageReference, type ImageReference } from '../domain/image/reference.js';
export type { PlatformSelector } from '../domain/image/platform.js';
export type { BlobTimeouts } from './stall-watchdog.js';

export interface RegistryClientOptions {
  /** host[:port] */
  registry: string;
  credentials?: RegistryCredentials;
  fetch: Fetch;
  retry?: Partial<RetryPolicy>;
  /** Default: 'http' for loopback hosts (localhost, 127.0.0.0/8, [::1]) as Docker allows, else 'https'. */
  scheme?: Scheme;
  /** Where warnings go (a token realm on another host that is asked anonymously); unset → not reported. */
  warn?: (message: string) => void;
  /** Told every credential and token this client holds, the moment it has it (SecretRegistry.add). */
  onSecret?: (secret: string) => void;
  /**
   * A blob request's overall deadline (default 60 s + 1 s per 100 KiB of the
   * blob) and the wait for an upload's answer once its last byte is sent
   * (default 2 min + 1 s per 50 MiB). The stall limit is `retry.timeoutMs`.
   */
  blobTimeouts?: Partial<BlobTimeouts>;
}

export interface ManifestInfo {
  digest: string;
  mediaType: string;
  size: number;
}

export interface BlobInfo {
  digest: string;
  /** Content-Length of the answer; undefined when the registry left it out. */
  size: number | undefined;
}

export interface BlobStream {
  /** Content-Length of the answer; undefined when the registry left it out. */
  size: number | undefined;
  /**
   * The blob's bytes as they arrive (not verified here: pass them to
   * uploadBlob, which checks digest and size). Read it to the end or cancel
   * it, or the connection stays busy until the stall timeout.
   */
  stream: ReadableStream<Uint8Array>;
}

export interface BlobReadable {
  /** Content-Length of the answer; undefined when the registry left it out. */
  size: number | undefined;
  /** As BlobStream's stream, as a node:stream Readable: read it to the end or destroy it. */
  stream: Readable;
}

export interface TransferOptions {
  /** Aborts the transfer (the request and the body stream). */
  signal?: AbortSignal;
  /**
   * The blob's size as its manifest gives it: the overall deadline of a GET
   * whose answer has no Content-Length (chunked) is computed from it.
   */
  expectedBytes?: number;
  /**
   * Upload only: the caller computed the digest from these very bytes, in
   * memory, just now (a layer it wrote). The single-request raw upload then
   * counts the bytes instead of hashing them a second time.
   */
  digestComputedFromBytes?: boolean;
  /** uploadBlobBeforeDigest: its PATCH is on the wire (the session is open and the bytes follow). */
  onBodyStarted?: () => void;
  /**
   * Upload only: a session opened ahead (openUpload) on the same repository.
   * The upload takes it instead of opening one; a session already taken is
   * not reused (the upload opens its own).
   */
  session?: OpenedUpload;
}

/** Where an upload session stands once the registry has opened it (POST answered 202). */
interface UploadStart {
  location: string;
  minChunkLength: number | undefined;
}

/**
 * An upload session opened before its bytes are ready (openUpload): the
 * POST's round trip overlaps whatever the caller does meanwhile. One upload
 * takes it (TransferOptions.session); a session nobody takes is cancelled.
 */
export interface OpenedUpload {
  readonly repository: string;
  /** The session for one upload; undefined once taken or cancelled. */
  take(): Promise<UploadStart> | undefined;
  /** Deletes the session unless an upload took it (best effort: the registry purges stale ones itself). */
  cancel(): Promise<void>;
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
/**
 * Chunk size of a chunked upload, unless the registry's OCI-Chunk-Min-Length
 * asks for more. Chunks are streamed, not buffered, so this costs no memory.
 */
export const DEFAULT_UPLOAD_CHUNK_BYTES = 8 * 1024 * 1024;

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RegistryRequest {
  url: string;
  method: Method;
  headers: Record<string, string>;
  operation: string;
  /** Token scope set; defaults to the repository's read scope. */
  scope?: string;
  body?: Uint8Array;
  /** Defaults to true (GET, HEAD, PUT of a manifest); POST passes false. */
  idempotent?: boolean;
}

interface StreamRequest {
  url: string;
  method: Method;
  headers: Record<string, string>;
  operation: string;
  scope: string;
  body?: ReadableStream<Uint8Array>;
  /** The body's length, for the answer wait and messages. */
  bodyBytes?: number;
  signal: AbortSignal | undefined;
}

export class RegistryClient {
  readonly registry: string;
  private readonly baseUrl: string;
  private readonly fetch: Fetch;
  private readonly retry: Partial<RetryPolicy> | undefined;
  private readonly username: string | undefined;
  private readonly auth: RegistryAuthenticator;
  /** No progress for this long fails a streamed transfer (the retry policy's per-attempt timeout). */
  private readonly stallMs: number;
  private readonly blobTimeouts: BlobTimeouts;
  /** Repositories whose reads ask for push access too (see willPush). */
  private readonly pushRepositories = new Set<string>();
  /** Set once the registry refused a monolithic upload (416): later uploads go in chunks of this size. */
  private chunkedUploadBytes: number | undefined;
  /**
   * Blob bytes go over our own HTTP/1.1 (raw-http1.ts) on sockets from the
   * transport behind `fetch` (its proxy route and TLS trust) rather than
   * through fetch: only when `fetch` is a transport's (the run's, or the
   * library's default) or the global fetch (direct sockets, as before), so
   * an injected fetch still sees every request.
   */
  private readonly rawPath: { connect: RawConnector | undefined } | undefined;
  private get rawTransport(): boolean {
    return this.rawPath !== undefined;
  }
  private get rawConnect(): RawConnector | undefined {
    return this.rawPath?.connect;
  }
  /** Blob connections opened ahead of need (preconnect); only with the transport's connect. */
  private readonly warm: WarmConnections | undefined;

  /**
   * Opens a blob connection to the registry now, for a blob GET or PUT that
   * is about to come (a copy calls it while it asks whether the destination
   * has the blob): its TCP and TLS set-up then overlap that question. At most
   * `limit` are kept open ahead; an unused one closes by itself.
   */
  preconnect(limit: number): void {
    this.warm?.open(new URL(this.baseUrl), limit);
  }

  /** Closes blob connections opened ahead and not used (they would close by themselves after a while). */
  closeIdle(): void {
    this.warm?.close();
  }

  constructor(opts: RegistryClientOptions) {
    this.registry = opts.registry;
    const scheme = opts.scheme ?? defaultScheme(opts.registry);
    this.baseUrl = registryBaseUrl(opts.registry, scheme);
    this.fetch = opts.fetch;
    const connect = rawConnectorOf(opts.fetch);
    this.warm = connect !== undefined ? new WarmConnections(connect) : undefined;
    // The transport first: reading globalThis.fetch loads undici (≈ 40 ms).
    this.rawPath = this.warm !== undefined ? { connect: this.warm.connector } : opts.fetch === globalThis.fetch ? { connect: undefined } : undefined;
    this.retry = opts.retry;
    this.stallMs = resolvePolicy(opts.retry).timeoutMs;
    this.blobTimeouts = resolveBlobTimeouts(opts.blobTimeouts);
    this.username = opts.credentials?.username;
    this.auth = new RegistryAuthenticator({
      registry: opts.registry,
      fetch: opts.fetch,
      allowPlainHttpRealm: scheme === 'http',
      ...(opts.credentials === undefined ? {} : { credentials: opts.credentials }),
      ...(opts.retry === undefined ? {} : { retry: opts.retry }),
      ...(opts.warn === undefined ? {} : { warn: opts.warn }),
      ...(opts.onSecret === undefined ? {} : { onSecret: opts.onSecret }),
    });
  }

  /**
   * What `docker login` asks of a registry before it stores a login: GET
   * /v2/ with the credentials (through a token for no particular repository
   * when the registry wants Bearer). Resolves when they are accepted; throws
   * a RegistryError otherwise (status 401 when they are refused).
   */
  async checkLogin(): Promise<void> {
    const operation = `log in to ${this.registry}`;
    const response = await this.send('', { url: `${this.baseUrl}/v2/`, method: 'GET', headers: {}, operation, scope: '' });
    if (!response.ok) throw await this.failure(response, operation);
    await discardBody(response);
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
    const raw = await readBodyBytes(response, operation, {
      what: `the manifest of ${repository}${isDigest(reference) ? '@' : ':'}${reference}`,
      from: this.registry,
      cap: BODY_CAPS.manifest,
    });

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

    const config = await this.readConfigBlob(repository, manifest, operation);
    // A single-platform image says its platform only in the config; refuse a silent mismatch.
    if (platform && !pickedFromIndex) checkConfigPlatform(config, platform, operation);
    return config;
  }

  /** The parsed config blob of an image manifest the caller fetched already (no second manifest GET). */
  async getConfigOf(repository: string, manifest: FetchedManifest): Promise<unknown> {
    const operation = `read image config ${formatReference(this.registry, repository, manifest.info.digest)}`;
    if (manifestKind(manifest.info.mediaType, manifest.body) !== 'image') {
      throw new Error(`${operation}: manifest ${manifest.info.digest} is ${JSON.stringify(manifest.info.mediaType)}, not an image manifest`);
    }
    return this.readConfigBlob(repository, manifest, operation);
  }

  private async readConfigBlob(repository: string, manifest: FetchedManifest, operation: string): Promise<unknown> {
    const descriptor = configDescriptor(manifest.body, operation);
    const bytes = await this.getBlob(repository, descriptor, `${operation}: config blob ${descriptor.digest}`);
    return parseJson(bytes, `${operation}: the config blob`);
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
      const bytes = await readBodyBytes(response, operation, { what: `the tag list of ${repository}`, from: this.registry, cap: BODY_CAPS.tagList });
      const page = parseJson(bytes, `${operation}: the tag list`) as { tags?: unknown };
      // Registries send `"tags": null` for a repository whose tags were all deleted.
      if (page.tags !== null && page.tags !== undefined && !Array.isArray(page.tags)) {
        throw new Error(`${operation}: "tags" is not a list`);
      }
      for (const tag of page.tags ?? []) if (typeof tag === 'string') tags.push(tag);
      url = this.sameOriginOrThrow(nextPageUrl(response.headers.get('link'), url), operation);
    }
    return tags;
  }

  /**
   * Ask for push access up front on the reads of `repository` too (HEADs
   * before an upload), so a Bearer registry hands out one token for a copy's
   * destination instead of a pull token first and a push token after.
   */
  willPush(repository: string): void {
    this.checkNames(repository);
    this.pushRepositories.add(repository);
  }

  /**
   * Opens an upload session in `repository` now, for an upload whose bytes
   * are not ready yet (a layer still being laid out, a config waiting for
   * its layer's digest): pass it as TransferOptions.session, or cancel it.
   */
  openUpload(repository: string): OpenedUpload {
    this.checkNames(repository);
    const scope = this.scopeFor(repository, 'push');
    const opened = this.startUpload(repository, scope, `upload to ${this.registry}/${repository}`);
    opened.catch(() => undefined);
    let taken = false;
    return {
      repository,
      take: () => {
        if (taken) return undefined;
        taken = true;
        return opened;
      },
      cancel: async () => {
        if (taken) return;
        taken = true;
        const session = await opened.catch(() => undefined);
        if (session !== undefined) await this.cancelUpload(session.location, scope);
      },
    };
  }

  /** An upload's session: the one opened ahead when the caller passes it, else a new one. */
  private sessionFor(repository: string, scope: string, operation: string, options: TransferOptions): Promise<UploadStart> {
    if (options.session !== undefined && options.session.repository !== repository) {
      throw new Error(`${operation}: the upload session was opened in ${options.session.repository}, not ${repository}`);
    }
    return options.session?.take() ?? this.startUpload(repository, scope, operation);
  }

  /** Whether the repository has the blob; undefined when it has not (404). */
  async headBlob(repository: string, digest: string): Promise<BlobInfo | undefined> {
    this.checkNames(repository);
    this.checkDigest(digest);
    const operation = `check blob ${this.registry}/${repository}@${digest}`;
    const response = await this.send(repository, { url: this.blobUrl(repository, digest), method: 'HEAD', headers: {}, operation });
    if (response.status === 404) {
      await discardBody(response);
      return undefined;
    }
    if (!response.ok) throw await this.failure(response, operation);
    await discardBody(response);
    return { digest, size: contentLength(response) };
  }

  /**
   * Cross-repository mount: asks the registry to link `fromRepository`'s
   * blob into `repository` without moving a byte. true when mounted (201).
   * false when the registry did not (202: it opened an upload session
   * instead, which is cancelled here): the caller then uploads the blob.
   */
  async mountBlob(repository: string, digest: string, fromRepository: string): Promise<boolean> {
    this.checkNames(repository);
    this.checkNames(fromRepository);
    this.checkDigest(digest);
    const operation = `mount blob ${digest} from ${this.registry}/${fromRepository} into ${this.registry}/${repository}`;
    const query = `mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(fromRepository)}`;
    const scope = mergeScopes(this.scopeFor(repository, 'push'), pullScope(fromRepository));
    const response = await this.send(repository, {
      url: `${this.baseUrl}/v2/${repository}/blobs/uploads/?${query}`,
      method: 'POST',
      headers: {},
      operation,
      scope,
      idempotent: false,
    });
    if (response.status === 201) {
      await discardBody(response);
      return true;
    }
    if (response.status === 202) {
      const location = response.headers.get('location');
      await discardBody(response);
      if (location) await this.cancelUpload(this.resolveLocation(location, operation), scope);
      return false;
    }
    throw await this.failure(response, operation);
  }

  /** The GET of a blob's bytes, the same for the fetch and the raw transport. */
  private blobGetRequest(repository: string, digest: string, operation: string, signal: AbortSignal | undefined) {
    return {
      url: this.blobUrl(repository, digest),
      method: 'GET' as const,
      // A storage backend that gzips on the fly would change the bytes the digest names.
      headers: { 'accept-encoding': 'identity' },
      operation,
      scope: this.scopeFor(repository, 'pull'),
      signal,
    };
  }

  /**
   * A blob's bytes as a stream, following redirects to storage (credentials
   * are not sent to another origin). The stream fails when no byte arrives
   * for the policy's timeoutMs.
   */
  async getBlobStream(repository: string, digest: string, options: TransferOptions = {}): Promise<BlobStream> {
    this.checkNames(repository);
    this.checkDigest(digest);
    const operation = `read blob ${this.registry}/${repository}@${digest}`;
    const watchdog = new StallWatchdog(this.stallMs, options.signal);
    let response: Response;
    try {
      response = await this.streamExchange(
        this.blobGetRequest(repository, digest, operation, options.signal),
        watchdog,
      );
    } catch (error) {
      watchdog.stop();
      throw error;
    }
    if (!response.ok || response.body === null) {
      watchdog.stop();
      throw await this.failure(response, operation);
    }
    const size = contentLength(response);
    this.limitBlobTotal(watchdog, size ?? options.expectedBytes);
    return { size, stream: watchedBody(response.body, watchdog, operation) };
  }

  /**
   * Uploads a blob from a stream, never holding more than one network chunk
   * of it: POST opens a session, then one PUT carries the whole stream
   * (`Content-Length: size`), or, when the registry asks for chunks
   * (OCI-Chunk-Min-Length on the POST answer, or a 416 to an earlier
   * monolithic PUT), PATCHes of streamed chunks and a closing PUT. The bytes
   * are checked against `digest` and `size` on the way; a mismatch cancels
   * the session before the last bytes leave and throws DigestMismatchError.
   * A failed transfer cannot be resent from a consumed stream: the caller
   * restarts from a fresh source stream (RegistryError.retryable and the
   * retryable statuses say when that is worth it).
   */
  async uploadBlob(
    repository: string,
    digest: string,
    size: number,
    stream: ReadableStream<Uint8Array>,
    options: TransferOptions = {},
  ): Promise<void> {
    this.checkNames(repository);
    this.checkDigest(digest);
    if (!Number.isSafeInteger(size) || size < 0) throw new Error(`uploadBlob: size must be a non-negative integer, got ${size}`);
    const operation = `upload blob ${digest} to ${this.registry}/${repository}`;
    const scope = this.scopeFor(repository, 'push');
    const verifier = verifyingStream(digest, size, operation);
    const pipeAbort = new AbortController();
    const verified = stream.pipeThrough(verifier.transform, { signal: pipeAbort.signal });
    let location: string | undefined;
    let done = false;
    try {
      const session = await this.sessionFor(repository, scope, operation, options);
      location = session.location;
      const chunkBytes = session.minChunkLength ?? this.chunkedUploadBytes;
      const transfer = { repository, digest, size, body: verified, scope, operation, signal: options.signal };
      if (chunkBytes === undefined) await this.putMonolithic(location, transfer);
      else await this.putChunked(location, Math.max(chunkBytes, DEFAULT_UPLOAD_CHUNK_BYTES), transfer);
      done = true;
    } catch (error) {
      throw verifier.failure() ?? error;
    } finally {
      if (!done) {
        pipeAbort.abort(new Error(`${operation}: upload abandoned`));
        if (location !== undefined) await this.cancelUpload(location, scope);
      }
    }
  }

  /**
   * getBlobStream as a node:stream Readable. With the global fetch the bytes
   * come over a raw HTTP/1.1 connection (raw-http1.ts; redirects followed
   * with credentials kept to the registry's origin), with the same stall
   * timeout and errors.
   */
  async getBlobReadable(repository: string, digest: string, options: TransferOptions = {}): Promise<BlobReadable> {
    if (!this.rawTransport) {
      const blob = await this.getBlobStream(repository, digest, options);
      return { size: blob.size, stream: Readable.fromWeb(blob.stream as NodeWebReadableStream<Uint8Array>) };
    }
    this.checkNames(repository);
    this.checkDigest(digest);
    const operation = `read blob ${this.registry}/${repository}@${digest}`;
    const watchdog = new StallWatchdog(this.stallMs, options.signal);
    let answer: RawAnswer | Response;
    try {
      answer = await this.rawBlobGet(this.blobGetRequest(repository, digest, operation, options.signal), watchdog);
      // Not `instanceof Response`: touching the global Response loads undici (≈ 40 ms), which nodeFetch spares.
      if (!isRawAnswer(answer) || answer.head.status < 200 || answer.head.status > 299) {
        throw await this.failure(isRawAnswer(answer) ? await readWebResponse(answer.exchange, answer.head) : answer, operation);
      }
    } catch (error) {
      watchdog.stop();
      throw error;
    }
    this.limitBlobTotal(watchdog, answer.exchange.contentLength() ?? options.expectedBytes);
    const stream = new Http1BodyStream(answer.exchange, {
      progress: () => watchdog.touch(),
      end: () => watchdog.stop(),
      mapError: (error) =>
        transferError(watchdog.signal.aborted ? (watchdog.signal.reason ?? error) : error, operation, undefined, undefined, 'while reading the blob') as Error,
    });
    return { size: answer.exchange.contentLength(), stream };
  }

  /**
   * uploadBlob from a node:stream Readable. With the global fetch a
   * monolithic upload hands each chunk to the hash and to a raw HTTP/1.1
   * PUT with Content-Length (raw-blob-put.ts); the chunked fallback and
   * everything else work as in uploadBlob.
   */
  async uploadBlobReadable(repository: string, digest: string, size: number, source: Readable, options: TransferOptions = {}): Promise<void> {
    if (!this.rawTransport) {
      return this.uploadBlob(repository, digest, size, Readable.toWeb(source) as ReadableStream<Uint8Array>, options);
    }
    this.checkNames(repository);
    this.checkDigest(digest);
    if (!Number.isSafeInteger(size) || size < 0) throw new Error(`uploadBlob: size must be a non-negative integer, got ${size}`);
    const operation = `upload blob ${digest} to ${this.registry}/${repository}`;
    const scope = this.scopeFor(repository, 'push');
    // From here on the source is ours to read: an error it meets before the PUT reads it stays in source.errored.
    source.on('error', () => undefined);
    let location: string | undefined;
    let done = false;
    let verifier: VerifyingTransform | undefined;
    try {
      const session = await this.sessionFor(repository, scope, operation, options);
      location = session.location;
      const chunkBytes = session.minChunkLength ?? this.chunkedUploadBytes;
      const transfer = { repository, digest, size, scope, operation, signal: options.signal };
      if (chunkBytes === undefined) await this.putMonolithicRaw(location, transfer, source, options.digestComputedFromBytes !== true);
      else {
        verifier = verifyingTransform(digest, size, operation);
        // Errors reach the consumer through the transform; destroying it destroys the source too.
        const verified = pipeline(source, verifier.transform, () => undefined);
        const body = Readable.toWeb(verified) as ReadableStream<Uint8Array>;
        await this.putChunked(location, Math.max(chunkBytes, DEFAULT_UPLOAD_CHUNK_BYTES), { ...transfer, body });
      }
      done = true;
    } catch (error) {
      throw verifier?.failure() ?? error;
    } finally {
      if (!done) {
        source.destroy();
        if (location !== undefined) await this.cancelUpload(location, scope);
      }
    }
  }

  /**
   * Uploads a blob whose digest is still being computed while its bytes
   * leave (a layer written a moment ago, hashed beside its upload): POST
   * opens a session, one PATCH carries all `size` bytes, and once `digest`
   * resolves a PUT closes the session under it, where the registry checks the
   * bytes against it (the distribution spec's chunked upload, in one chunk).
   * Saves the hash pass a monolithic PUT needs before its first byte. The
   * size is checked on the way; `signal` abandons the upload (the session is
   * cancelled). Without the raw transport: the digest first, then
   * uploadBlobReadable.
   */
  async uploadBlobBeforeDigest(repository: string, size: number, source: Readable, digest: Promise<string>, options: TransferOptions = {}): Promise<void> {
    if (!this.rawTransport) {
      options.onBodyStarted?.();
      return this.uploadBlobReadable(repository, await digest, size, source, options);
    }
    this.checkNames(repository);
    if (!Number.isSafeInteger(size) || size < 0) throw new Error(`uploadBlob: size must be a non-negative integer, got ${size}`);
    const operation = `upload a ${size}-byte blob to ${this.registry}/${repository}`;
    const scope = this.scopeFor(repository, 'push');
    source.on('error', () => undefined);
    let location: string | undefined;
    let done = false;
    // The PATCH's connection (TCP, TLS) is set up while the POST opens the session.
    if (size > 0) this.preconnect(1);
    try {
      const session = await this.sessionFor(repository, scope, operation, options);
      location = session.location;
      if (size > 0) location = await this.patchWholeRaw(location, { size, scope, operation, signal: options.signal, onStarted: options.onBodyStarted }, source);
      const named = await digest;
      this.checkDigest(named);
      options.signal?.throwIfAborted();
      await this.closeUpload({ repository, digest: named, scope, operation }, location);
      done = true;
    } finally {
      if (!done) {
        source.destroy();
        if (location !== undefined) await this.cancelUpload(location, scope);
      }
    }
  }

  /**
   * PUTs a manifest's exact bytes under a tag or digest and returns the
   * digest, checked against the registry's Docker-Content-Digest answer (and
   * against `reference` when it is a digest), and whether that answer named
   * the digest (then nobody needs to ask the registry for the tag again). The
   * blobs and child manifests it names must be in the repository already.
   */
  async putManifest(repository: string, reference: string, raw: Uint8Array, mediaType: string): Promise<ManifestWrite> {
    this.checkNames(repository, reference);
    const operation = `write manifest ${formatReference(this.registry, repository, reference)}`;
    if (mediaType === '') throw new Error(`${operation}: the manifest has no media type`);
    if (isDigest(reference)) verifyDigest(raw, reference, operation);
    const digest = isDigest(reference) ? reference : digestOf(raw);
    const response = await this.send(repository, {
      url: this.manifestUrl(repository, reference),
      method: 'PUT',
      headers: { 'content-type': mediaType },
      body: raw,
      operation,
      scope: this.scopeFor(repository, 'push'),
      idempotent: true,
    });
    if (!response.ok) throw await this.failure(response, operation);
    await discardBody(response);
    const answered = response.headers.get('docker-content-digest');
    if (answered && answered !== digest) {
      // Another algorithm is fine as long as it names the same bytes.
      if (answered.slice(0, answered.indexOf(':')) === digest.slice(0, digest.indexOf(':'))) {
        throw new DigestMismatchError(operation, digest, answered, `the registry stored the manifest as ${answered}, not ${digest}`);
      }
      verifyDigest(raw, answered, operation);
    }
    return { digest, confirmed: answered === digest };
  }

  /**
   * `DELETE /v2/<repo>/manifests/<digest>`: removes the manifest and every
   * tag on it. false when it was gone already (404). Needs deletion enabled
   * on the registry; a 405 says how. `why` is added to the operation's name
   * in messages (e.g. the tag being deleted).
   */
  async deleteManifest(repository: string, digest: string, why?: string): Promise<boolean> {
    this.checkNames(repository, digest);
    if (!isDigest(digest)) throw new Error(`deleteManifest: ${JSON.stringify(digest)} is not a digest (a registry deletes manifests by digest)`);
    const operation = `delete manifest ${formatReference(this.registry, repository, digest)}${why ? ` (${why})` : ''}`;
    const response = await this.send(repository, {
      url: this.manifestUrl(repository, digest),
      method: 'DELETE',
      headers: {},
      operation,
      scope: mergeScopes(this.scopeFor(repository, 'pull'), repositoryScope(repository, ['delete'])),
      idempotent: true,
    });
    if (response.status === 202 || response.status === 200 || response.status === 204 || response.status === 404) {
      await discardBody(response);
      return response.status !== 404;
    }
    if (response.status === 405) {
      const error = await registryErrorFromResponse(response, operation);
      throw new RegistryError(
        `${error.message} — registry ${this.registry} does not allow deleting manifests: on a self-hosted registry (distribution) ` +
          'set storage.delete.enabled: true (REGISTRY_STORAGE_DELETE_ENABLED=true)',
        { status: 405, operation, ...(error.code === undefined ? {} : { code: error.code }) },
      );
    }
    if (response.status === 401 || response.status === 403) {
      throw await registryErrorFromResponse(response, operation, `the credentials for ${this.registry} may read but not delete: use an account allowed to delete in ${repository}`);
    }
    throw await this.failure(response, operation);
  }

  /** POST that opens an upload session: its absolute location, and the registry's minimum chunk size when it says one. */
  private async startUpload(
    repository: string,
    scope: string,
    operation: string,
  ): Promise<UploadStart> {
    const response = await this.send(repository, {
      url: `${this.baseUrl}/v2/${repository}/blobs/uploads/`,
      method: 'POST',
      headers: {},
      operation: `${operation}: start the upload`,
      scope,
      idempotent: false,
    });
    if (response.status !== 202) throw await this.failure(response, `${operation}: start the upload`);
    const location = response.headers.get('location');
    const minimum = Number(response.headers.get('oci-chunk-min-length') ?? Number.NaN);
    await discardBody(response);
    if (!location) throw new RegistryError(`${operation}: the registry opened an upload without a Location`, { status: 202, operation });
    return {
      location: this.resolveLocation(location, operation),
      minChunkLength: Number.isSafeInteger(minimum) && minimum > 0 ? minimum : undefined,
    };
  }

  private async putMonolithic(location: string, transfer: UploadTransfer): Promise<void> {
    const { operation } = transfer;
    const watchdog = new StallWatchdog(this.stallMs, transfer.signal);
    this.limitBlobTotal(watchdog, transfer.size);
    let response: Response;
    try {
      response = await this.streamExchange(
        {
          url: withQuery(location, 'digest', transfer.digest),
          method: 'PUT',
          headers: { 'content-type': 'application/octet-stream', 'content-length': String(transfer.size) },
          body: transfer.body,
          bodyBytes: transfer.size,
          operation,
          scope: transfer.scope,
          signal: transfer.signal,
        },
        watchdog,
      );
    } finally {
      watchdog.stop();
    }
    if (response.status === 416) {
      // This registry takes blobs in chunks only: remember it, and have the caller start over.
      this.chunkedUploadBytes = DEFAULT_UPLOAD_CHUNK_BYTES;
      throw await registryErrorFromResponse(response, operation, 'the registry refused a single-request upload; later uploads are sent in chunks', {
        retryable: true,
      });
    }
    await this.finishUpload(response, transfer);
  }

  /**
   * The monolithic PUT on a raw connection. A 401 refreshes the token and
   * throws a retryable RegistryError (the consumed source cannot be resent:
   * the copier starts the blob over); a 416 switches later uploads to chunks.
   */
  private async putMonolithicRaw(location: string, transfer: Omit<UploadTransfer, 'body'>, source: Readable, hashed: boolean): Promise<void> {
    const { operation } = transfer;
    const check = new BlobCheck(transfer.digest, transfer.size, operation, hashed);
    const response = await this.sendRawBody({ url: withQuery(location, 'digest', transfer.digest), method: 'PUT', fields: {} }, transfer, source, check);
    if (response.status === 416) {
      this.chunkedUploadBytes = DEFAULT_UPLOAD_CHUNK_BYTES;
      throw await registryErrorFromResponse(response, operation, 'the registry refused a single-request upload; later uploads are sent in chunks', {
        retryable: true,
      });
    }
    await this.finishUpload(response, transfer);
  }

  /**
   * The one PATCH of uploadBlobBeforeDigest on a raw connection (bytes
   * counted, not hashed); the session's next location.
   */
  private async patchWholeRaw(
    location: string,
    transfer: { size: number; scope: string; operation: string; signal?: AbortSignal | undefined; onStarted?: (() => void) | undefined },
    source: Readable,
  ): Promise<string> {
    const { operation, size } = transfer;
    const request = { url: location, method: 'PATCH' as const, fields: { 'content-range': `0-${size - 1}` }, onStarted: transfer.onStarted };
    const response = await this.sendRawBody(request, transfer, source, new SizeCheck(size, operation));
    if (response.status !== 202) throw await registryErrorFromResponse(response, operation);
    const next = response.headers.get('location');
    await discardBody(response);
    return next ? this.resolveLocation(next, operation) : location;
  }

  /**
   * A request whose body is `source`, checked on the way by `check`, on a
   * raw connection (putVerified), under the stall watchdog and the blob
   * deadline. A 401 refreshes the token and throws a retryable RegistryError
   * (a consumed source cannot be resent); every other answer is the caller's.
   */
  private async sendRawBody(
    request: { url: string; method: 'PUT' | 'PATCH'; fields: Record<string, string>; onStarted?: (() => void) | undefined },
    transfer: { size: number; scope: string; operation: string; signal?: AbortSignal | undefined },
    source: Readable,
    check: BodyCheck & { failure: Error | undefined },
  ): Promise<Response> {
    const { operation, size } = transfer;
    const credentialed = this.sameOrigin(request.url);
    const sent = credentialed ? this.auth.authorizationFor(transfer.scope) : undefined;
    const watchdog = new StallWatchdog(this.stallMs, transfer.signal);
    this.limitBlobTotal(watchdog, size);
    let response: Response;
    try {
      const answer = await putVerified({
        url: new URL(request.url),
        method: request.method,
        fields: { 'content-type': 'application/octet-stream', ...request.fields, ...(sent === undefined ? {} : { authorization: sent }) },
        source,
        check,
        signal: watchdog.signal,
        onProgress: () => watchdog.touch(),
        onSent: () => watchdog.awaitAnswer(answerWait(size, this.blobTimeouts, this.stallMs), size),
        onStarted: request.onStarted,
        connect: this.rawConnect,
      });
      response = toWebResponse(answer.head, answer.body);
    } catch (error) {
      if (check.failure !== undefined) throw check.failure;
      const stalled = watchdog.signal.aborted && transfer.signal?.aborted !== true;
      throw transferError(stalled ? (watchdog.signal.reason ?? error) : error, operation, this.stallMs, transfer.signal);
    } finally {
      watchdog.stop();
    }
    if (response.status === 401 && credentialed) {
      const answer = await this.auth.answerChallenge(response, transfer.scope, operation, sent);
      if (answer !== undefined) throw await this.failure(response, operation, true);
    }
    return response;
  }

  private async putChunked(location: string, chunkBytes: number, transfer: UploadTransfer): Promise<void> {
    const { operation, size } = transfer;
    const reader = new ByteReader(transfer.body.getReader());
    let url = location;
    for (let offset = 0; offset < size; ) {
      const length = Math.min(chunkBytes, size - offset);
      const chunkOperation = `${operation}: bytes ${offset}-${offset + length - 1} of ${size}`;
      const watchdog = new StallWatchdog(this.stallMs, transfer.signal);
      this.limitBlobTotal(watchdog, length);
      let response: Response;
      try {
        response = await this.streamExchange(
          {
            url,
            method: 'PATCH',
            headers: {
              'content-type': 'application/octet-stream',
              'content-length': String(length),
              'content-range': `${offset}-${offset + length - 1}`,
            },
            body: reader.take(length, chunkOperation),
            bodyBytes: length,
            operation: chunkOperation,
            scope: transfer.scope,
            signal: transfer.signal,
          },
          watchdog,
        );
      } finally {
        watchdog.stop();
      }
      if (response.status !== 202) {
        throw await registryErrorFromResponse(response, chunkOperation, undefined, { retryable: response.status === 416 });
      }
      const next = response.headers.get('location');
      await discardBody(response);
      if (next) url = this.resolveLocation(next, chunkOperation);
      offset += length;
    }
    // The verifier's last check runs when the stream ends; an empty blob has not been read at all yet.
    await reader.expectEnd(operation);
    await this.closeUpload(transfer, url);
  }

  /** The bodiless PUT that closes an upload session under the blob's digest, where the registry checks the bytes. */
  private async closeUpload(transfer: Pick<UploadTransfer, 'repository' | 'digest' | 'scope' | 'operation'>, location: string): Promise<void> {
    const response = await this.send(transfer.repository, {
      url: withQuery(location, 'digest', transfer.digest),
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array(0),
      operation: `${transfer.operation}: close the upload`,
      scope: transfer.scope,
      idempotent: true,
    });
    await this.finishUpload(response, transfer);
  }

  /** The closing answer of an upload: 201 and, when the registry says one, the digest we sent. */
  private async finishUpload(response: Response, transfer: Pick<UploadTransfer, 'operation' | 'digest'>): Promise<void> {
    const { operation } = transfer;
    if (response.status !== 201 && response.status !== 204) {
      throw await this.failure(response, operation, response.status === 401);
    }
    const answered = response.headers.get('docker-content-digest');
    await discardBody(response);
    // Not a DigestMismatchError: those from uploadBlob always mean the bytes given were not the blob.
    if (answered && answered !== transfer.digest) {
      throw new RegistryError(`${operation}: the registry says it stored the blob as ${answered}, not ${transfer.digest}`, {
        status: response.status,
        operation,
      });
    }
  }

  /** Best effort: an abandoned session would otherwise linger until the registry's upload purge. */
  private async cancelUpload(location: string, scope: string): Promise<void> {
    try {
      const authorization = this.sameOrigin(location) ? this.auth.authorizationFor(scope) : undefined;
      const response = await this.fetch(location, {
        method: 'DELETE',
        headers: authorization === undefined ? {} : { authorization },
        signal: AbortSignal.timeout(Math.min(this.stallMs, 10_000)),
      });
      await discardBody(response);
    } catch {
      // Nothing to do: the registry purges stale uploads itself.
    }
  }

  /**
   * One request whose body, or whose answer's body, is a stream: sent once
   * (a consumed stream cannot be resent), with the stall watchdog as its
   * signal. A bodiless request (GET) answered 401 is resent once with the
   * challenge answered. A streamed upload answered 401 cannot be: the token
   * is refreshed and a retryable RegistryError thrown, so the caller's fresh
   * attempt finds it. Network failures become HttpError.
   */
  private async streamExchange(request: StreamRequest, watchdog: StallWatchdog): Promise<Response> {
    const body =
      request.body === undefined
        ? undefined
        : touchingStream(request.body, watchdog, answerWait(request.bodyBytes ?? 0, this.blobTimeouts, this.stallMs), request.bodyBytes ?? 0);
    const exchange = async (authorization: string | undefined): Promise<Response> => {
      try {
        return await this.fetch(request.url, {
          method: request.method,
          headers: authorization === undefined ? request.headers : { ...request.headers, authorization },
          // With a body, `redirect: 'error'`: fetch otherwise keeps a tee'd copy of
          // the stream for a redirect it could never replay, buffering the whole blob.
          ...(body === undefined ? {} : { body, duplex: 'half' as const, redirect: 'error' as const }),
          signal: watchdog.signal,
        });
      } catch (error) {
        throw transferError(error, request.operation, this.stallMs, request.signal);
      }
    };

    const credentialed = this.sameOrigin(request.url);
    const sent = credentialed ? this.auth.authorizationFor(request.scope) : undefined;
    const first = await exchange(sent);
    if (first.status !== 401 || !credentialed) return first;

    // Read before the token request, whose connection it frees (settledResponse).
    const refused = await settledResponse(first, request.operation);
    const answer = await this.auth.answerChallenge(refused, request.scope, request.operation, sent);
    if (answer === undefined) return refused;
    if (request.body !== undefined) {
      throw await this.failure(refused, request.operation, true);
    }
    return exchange(answer);
  }

  /**
   * The GET of a blob on a raw HTTP/1.1 connection (raw-http1.ts): redirects
   * followed, resent once with a 401 challenge answered. A 401 that remains
   * comes back as a Response (body read); any other answer with its body
   * still to read. Connection failures become HttpError.
   */
  private async rawBlobGet(request: Omit<StreamRequest, 'body' | 'method'>, watchdog: StallWatchdog): Promise<RawAnswer | Response> {
    const exchange = async (authorization: string | undefined): Promise<RawAnswer> => {
      try {
        return await http1Get(new URL(request.url), request.headers, authorization, watchdog.signal, this.rawConnect);
      } catch (error) {
        const stalled = watchdog.signal.aborted && request.signal?.aborted !== true;
        throw transferError(stalled ? (watchdog.signal.reason ?? error) : error, request.operation, this.stallMs, request.signal);
      }
    };

    const credentialed = this.sameOrigin(request.url);
    const sent = credentialed ? this.auth.authorizationFor(request.scope) : undefined;
    const first = await exchange(sent);
    if (first.head.status !== 401 || !credentialed) return first;

    const refused = await readWebResponse(first.exchange, first.head);
    const answer = await this.auth.answerChallenge(refused, request.scope, request.operation, sent);
    if (answer === undefined) return refused;
    return exchange(answer);
  }

  /** Arms the overall deadline of a blob request of `size` bytes (none when the size is unknown: the stall limit still holds). */
  private limitBlobTotal(watchdog: StallWatchdog, size: number | undefined): void {
    if (size !== undefined && Number.isSafeInteger(size) && size >= 0) watchdog.limitTotal(blobDeadline(size, this.blobTimeouts));
  }

  /** Read scope, or read+write when the repository was named in willPush. */
  private scopeFor(repository: string, access: 'pull' | 'push'): string {
    return access === 'push' || this.pushRepositories.has(repository)
      ? repositoryScope(repository, ['pull', 'push'])
      : pullScope(repository);
  }

  private blobUrl(repository: string, digest: string): string {
    return `${this.baseUrl}/v2/${repository}/blobs/${digest}`;
  }

  /** Upload locations may be relative (OCI) or absolute (distribution); only http(s) is followed. */
  private resolveLocation(location: string, operation: string): string {
    let url: URL;
    try {
      url = new URL(location, `${this.baseUrl}/`);
    } catch {
      throw new Error(`${operation}: the registry answered with an unusable Location ${JSON.stringify(location)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`${operation}: the registry answered with a Location that is not HTTP(S): ${JSON.stringify(location)}`);
    }
    return url.href;
  }

  private sameOrigin(url: string): boolean {
    return new URL(url).origin === new URL(this.baseUrl).origin;
  }

  private checkDigest(digest: string): void {
    const problem = digestError(digest);
    if (problem) throw new Error(`invalid blob digest for ${this.registry}: ${problem}`);
  }

  /** GET a (config) blob whole, checking its size and digest against the descriptor that named it. */
  private async getBlob(repository: string, descriptor: Descriptor, operation: string): Promise<Uint8Array> {
    const what = `the config blob ${descriptor.digest} of ${repository}`;
    if (descriptor.size > BODY_CAPS.imageConfig.bytes) {
      throw new BodyTooLargeError({ what, from: this.registry, cap: BODY_CAPS.imageConfig }, `its manifest gives its size as ${descriptor.size} bytes; nothing was read`);
    }
    const response = await this.send(repository, {
      url: `${this.baseUrl}/v2/${repository}/blobs/${descriptor.digest}`,
      method: 'GET',
      headers: {},
      operation,
    });
    if (!response.ok) throw await this.failure(response, operation);
    const sizeCap = { bytes: descriptor.size, why: 'the size its manifest gives' };
    const bytes = await readBodyBytes(response, operation, { what, from: this.registry, cap: sizeCap });
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
    const scope = request.scope ?? this.scopeFor(repository, 'pull');
    const exchange = (authorization: string | undefined): Promise<Response> =>
      fetchWithRetry(
        this.fetch,
        {
          url: request.url,
          method: request.method,
          headers: authorization === undefined ? request.headers : { ...request.headers, authorization },
          ...(request.body === undefined ? {} : { body: request.body }),
          idempotent: request.idempotent ?? true,
          operation: request.operation,
        },
        this.retry,
      );

    // Credentials stay with the registry's own origin (an upload Location may point elsewhere).
    const credentialed = this.sameOrigin(request.url);
    const sent = credentialed ? await this.auth.authorizationAhead(scope, request.operation) : undefined;
    const first = await exchange(sent);
    if (first.status !== 401 || !credentialed) return first;

    // Read before the token request, whose connection it frees (settledResponse).
    const refused = await settledResponse(first, request.operation);
    const answer = await this.auth.answerChallenge(refused, scope, request.operation, sent);
    // Nothing new to offer (unknown scheme, or Basic credentials already refused): report this 401.
    if (answer === undefined) return refused;
    return exchange(answer);
  }

  /**
   * A RegistryError for a failed response, with a hint on what to check when
   * access was refused. `retryable` marks a 401 met by a streamed upload
   * after the token was refreshed: a fresh attempt may well pass.
   */
  private failure(response: Response, operation: string, retryable = false): Promise<RegistryError> {
    let hint: string | undefined;
    if (retryable && response.status === 401) {
      hint = `registry ${this.registry} refused the token during a streamed upload; a fresh token was fetched`;
    } else if (response.status === 401) {
      hint =
        this.username === undefined
          ? `registry ${this.registry} requires authentication and no credentials were given`
          : `registry ${this.registry} did not accept the credentials of ${JSON.stringify(this.username)}`;
    }
    return registryErrorFromResponse(response, operation, hint, retryable ? { retryable } : {});
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

/** An answer on a raw connection whose head has been read, its body not yet. */
interface RawAnswer {
  exchange: Http1Exchange;
  head: ResponseHead;
}

function isRawAnswer(answer: RawAnswer | Response): answer is RawAnswer {
  return 'exchange' in answer;
}

interface UploadTransfer {
  digest: string;
  size: number;
  body: ReadableStream<Uint8Array>;
  scope: string;
  operation: string;
  signal: AbortSignal | undefined;
  repository: string;
}

/** `body` unchanged, telling the watchdog of every chunk that moves. */
function touchingStream(body: ReadableStream<Uint8Array>, watchdog: StallWatchdog, answerMs: number, bodyBytes: number): ReadableStream<Uint8Array> {
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        watchdog.touch();
        controller.enqueue(chunk);
      },
      flush() {
        watchdog.awaitAnswer(answerMs, bodyBytes);
      },
    }),
  );
}

/**
 * A response body that keeps the watchdog alive while bytes arrive, stops it
 * at the end or on cancel, and turns a dropped or stalled connection into an
 * HttpError naming the operation.
 */
function watchedBody(body: ReadableStream<Uint8Array>, watchdog: StallWatchdog, operation: string): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            watchdog.stop();
            controller.close();
            return;
          }
          watchdog.touch();
          controller.enqueue(value);
        } catch (error) {
          watchdog.stop();
          controller.error(transferError(error, operation, undefined, undefined, 'while reading the blob'));
        }
      },
      async cancel(reason) {
        watchdog.stop();
        await reader.cancel(reason).catch(() => undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

/** A thrown fetch or body error as HttpError (one attempt made), unless it is the caller's own abort or already ours. */
function transferError(
  error: unknown,
  operation: string,
  stallMs: number | undefined,
  callerSignal: AbortSignal | undefined,
  where = '',
): unknown {
  if (callerSignal?.aborted) return callerSignal.reason ?? error;
  if (error instanceof HttpError || error instanceof DigestMismatchError || error instanceof RegistryError) return error;
  const nested = errorCause(error);
  if (nested instanceof DigestMismatchError || nested instanceof HttpError) return nested;
  // A watchdog fired: its message says which limit (stall, overall deadline, answer wait) and the numbers.
  const timeout = transferTimeoutIn(error);
  if (timeout !== undefined) return new HttpError(`${operation}: ${timeout.message}${where ? ` ${where}` : ''}`, { operation, attempts: 1, cause: timeout });
  const failure = classifyFailure(error, stallMs);
  const what = failure.what.startsWith('timed out') && stallMs !== undefined ? `stalled (no progress for ${formatSeconds(stallMs)})` : failure.what;
  return new HttpError(`${operation}: ${what}${where ? ` ${where}` : ''}`, { operation, attempts: 1, cause: error });
}

/** undici reports a failed request body as `TypeError('fetch failed')` with the body's error as its cause. */
function errorCause(error: unknown): unknown {
  return error !== null && typeof error === 'object' && 'cause' in error ? (error as { cause?: unknown }).cause : undefined;
}

/**
 * Hands out exact byte counts from a stream, for chunked uploads: each
 * `take(n)` is a stream of the next n bytes, splitting chunks that straddle.
 */
class ByteReader {
  private leftover: Uint8Array | undefined;

  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  take(length: number, operation: string): ReadableStream<Uint8Array> {
    let remaining = length;
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          if (remaining === 0) {
            controller.close();
            return;
          }
          const chunk = await this.next(remaining);
          if (chunk === undefined) {
            controller.error(new Error(`${operation}: the blob stream ended early`));
            return;
          }
          remaining -= chunk.byteLength;
          controller.enqueue(chunk);
          if (remaining === 0) controller.close();
        },
      },
      { highWaterMark: 0 },
    );
  }

  /** Reads to the end; anything left is an error (the verifier reports a too-long blob first). */
  async expectEnd(operation: string): Promise<void> {
    const extra = await this.next(Number.MAX_SAFE_INTEGER);
    if (extra !== undefined) throw new Error(`${operation}: the blob stream has more bytes than its size`);
  }

  private async next(max: number): Promise<Uint8Array | undefined> {
    let chunk = this.leftover;
    this.leftover = undefined;
    while (chunk === undefined || chunk.byteLength === 0) {
      const { done, value } = await this.reader.read();
      if (done) return undefined;
      chunk = value;
    }
    if (chunk.byteLength <= max) return chunk;
    this.leftover = chunk.subarray(max);
    return chunk.subarray(0, max);
  }
}

function contentLength(response: Response): number | undefined {
  const value = Number(response.headers.get('content-length') ?? Number.NaN);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** `url` with one more query parameter, leaving the registry's own (`_state=…`) byte for byte. */
function withQuery(url: string, name: string, value: string): string {
  const hash = url.indexOf('#');
  const base = hash === -1 ? url : url.slice(0, hash);
  return `${base}${base.includes('?') ? '&' : '?'}${name}=${encodeURIComponent(value)}`;
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
