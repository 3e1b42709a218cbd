/**
 * (Over 400 lines, knowingly: the image-tree walk and the blob copy share one limiter, one progress reporter and
 * one per-copy state of what the destination already has; splitting them means passing that state between two
 * files, which is the next step once the blob client leaves client.ts.)
 *
 * Registry-to-registry image copy over the distribution API, with no Docker
 * daemon and no layer ever held in memory: manifests are copied as their
 * exact bytes (so the digest stays the same), blobs are skipped when the
 * destination has them, mounted when source and destination share a
 * registry, and otherwise streamed from the source GET straight into the
 * destination upload, hashed on the way.
 *
 * Order matters to registries, which refuse a manifest whose blobs or child
 * manifests are missing: blobs first, then child manifests by digest, then
 * the top manifest under each tag.
 *
 * Hostile or broken sources are bounded: one limiter for the whole copy
 * (every manifest read, HEAD, blob transfer and manifest write of every level
 * of the tree shares it), at most MAX_INDEX_CHILDREN manifests per index and
 * MAX_TREE_MANIFESTS in all, and each blob's size and digest checked against
 * its manifest before the destination keeps it.
 */
import { BODY_CAPS, BodyTooLargeError } from '../util/body-cap.js';
import { classifyFailure, HttpError, RETRYABLE_STATUSES, retryOperation, type RetryPolicy } from '../http/retry.js';
import type { FetchedManifest, OpenedUpload, RegistryClient } from './client.js';
import { annotatedManifest } from './annotate.js';
import { DigestMismatchError } from '../domain/image/digest.js';
import { configDescriptor, indexEntries, manifestKind, type Descriptor } from '../domain/image/manifest-shapes.js';
import { Limiter, settleAll } from './limiter.js';
import { CopyProgress, type CopyProgressOptions } from './copy-progress.js';
import { digestError, formatReference, isValidTag } from '../domain/image/reference.js';
import { RegistryError } from './registry-error.js';
import { transferTimeoutIn } from './stall-watchdog.js';
import { putUnderTags, recordWrite, type TagConfirmations } from './tag-confirmations.js';

export interface CopySource {
  client: RegistryClient;
  repository: string;
  /** Tag or digest. */
  reference: string;
}

export interface CopyDestination {
  client: RegistryClient;
  repository: string;
}

/**
 * How often one blob's whole transfer is started again after a transient
 * failure: the one retry policy's tries and backoff (src/http/retry.ts;
 * defaults 4 tries, 500 ms doubling, 8 s cap).
 */
export type BlobRetryPolicy = Pick<RetryPolicy, 'attempts' | 'baseDelayMs' | 'maxDelayMs'>;

export interface CopyRequest {
  source: CopySource;
  destination: CopyDestination;
  /**
   * Tags to write at the destination. Empty: the image is written by digest
   * only (untagged), which still makes it pullable as repository@digest.
   */
  tags: readonly string[];
  /**
   * Requests under way at once across the whole copy: manifest reads and
   * writes, HEADs and blob transfers of every level of the image tree share
   * this bound. Default 6 (the `copy-concurrency` input).
   */
  concurrency?: number;
  log?: (line: string) => void;
  /** Progress lines' timing (tests shorten them); the lines go to `log`. */
  progress?: Pick<CopyProgressOptions, 'intervalMs' | 'bigBlobBytes' | 'longCopyMs'>;
  signal?: AbortSignal;
  retry?: Partial<BlobRetryPolicy>;
  /**
   * Added to the top manifest (the index of a multi-platform image) before it
   * is written, which gives it a new digest; child manifests and blobs are
   * copied unchanged. Empty or absent: the exact source bytes, same digest.
   */
  annotations?: Readonly<Record<string, string>>;
  /**
   * Only the blobs: they end up in the destination repository (skipped,
   * mounted or streamed as usual) and no manifest is written there. For an
   * image assembled on this one, whose own manifest names these blobs. The
   * destination is not asked for this manifest first (it seldom has it).
   */
  blobsOnly?: boolean;
  /** The source's manifest at `source.reference`, when the caller fetched it already (saves a GET). */
  sourceManifest?: FetchedManifest;
}

export interface CopyResult {
  /** Digest of the top manifest (identical at source and destination, unless annotations were added). */
  digest: string;
  mediaType: string;
  /** Blobs streamed from source to destination. */
  blobsCopied: number;
  /** Blobs linked by a cross-repository mount, no byte moved. */
  blobsMounted: number;
  /**
   * Blobs the destination had already (found by HEAD). Under a manifest the
   * destination has by digest nothing is looked at, so nothing is counted.
   */
  blobsSkipped: number;
  /** Bytes of the blobs streamed (the copied ones, counted once each). */
  bytesCopied: number;
  /** Distinct manifests written (an index and its children count one each; retags are not counted again). */
  manifests: number;
  /**
   * The tags the registry confirmed at `digest`: its answer to the tag's PUT named the digest, or its answer to the
   * copy's first HEAD showed the tag there already. The verify step asks again only for the others.
   */
  confirmed: TagConfirmations;
}

export interface RetagResult {
  digest: string;
  mediaType: string;
  /** The tags whose PUT the registry answered with `digest`. */
  confirmed: TagConfirmations;
}

const DEFAULT_CONCURRENCY = 6;
/** Indexes of indexes exist (rarely); a loop of them must not recurse forever. */
const MAX_INDEX_DEPTH = 4;
/**
 * Manifests one index may list. Real multi-platform indexes list a few dozen
 * (platforms, and an attestation manifest each); thousands mean a broken or
 * hostile registry.
 */
export const MAX_INDEX_CHILDREN = 1_000;
/** Manifests under one image in all, every level of nested indexes counted. */
export const MAX_TREE_MANIFESTS = 4_000;

/** What the copy does with one manifest of the tree. */
interface ManifestNode {
  manifest: FetchedManifest;
  /** Child manifests, for an index. */
  children: ManifestNode[];
  /** The destination has this manifest by digest already: its blobs and children are there too. */
  present: boolean;
}

type BlobOutcome = 'copied' | 'mounted' | 'skipped';

/**
 * Copies `source` to `destination` under every tag in `tags`. The
 * destination receives the source's exact manifest bytes, so the digest is
 * the same on both sides. Resolves with what moved; rejects on the first
 * blob that cannot be copied (no manifest is written then), with a
 * DigestMismatchError naming the blob when the source served bytes that are
 * not what its manifest promises.
 */
export async function copyImage(request: CopyRequest): Promise<CopyResult> {
  const { source, destination } = request;
  const log = request.log ?? (() => undefined);
  const concurrency = request.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new Error(`copyImage: concurrency must be a positive integer, got ${concurrency}`);
  for (const tag of request.tags) {
    if (!isValidTag(tag)) throw new Error(`copyImage: invalid destination tag ${JSON.stringify(tag)}`);
  }
  const retry = request.retry;
  const from = (reference: string): string => formatReference(source.client.registry, source.repository, reference);
  const to = (reference: string): string => formatReference(destination.client.registry, destination.repository, reference);

  // One failure stops the other transfers at once instead of letting them run to their end.
  const stop = new AbortController();
  const signal = request.signal === undefined ? stop.signal : AbortSignal.any([stop.signal, request.signal]);
  const context: TreeContext = { request, signal, stop, limiter: new Limiter(concurrency), manifestsListed: 0 };
  // A request under the shared bound, not started once the copy has failed.
  const limited = <T>(task: () => Promise<T>): Promise<T> =>
    context.limiter.run(() => {
      checkAborted(signal);
      return task();
    });

  checkAborted(signal);
  destination.client.willPush(destination.repository);
  // The destination's first tag is asked for beside the source's manifest, not after it: the destination's
  // challenge, token and connection are then ready when the copy needs them (serial round trips saved on
  // every copy), and a re-copy learns that the tag holds this manifest already. Only a hint: a registry's
  // refusal here is left to the requests that need the answer, in their words. But an HttpError means the
  // transport already spent its retry round on the destination (unreachable, or failing every try): the next
  // request would only wait through another round, so the copy fails now.
  const firstTag = request.tags[0];
  const [top, tagged] = await Promise.all([
    request.sourceManifest ?? source.client.getManifest(source.repository, source.reference),
    firstTag === undefined ? undefined : destination.client.headManifest(destination.repository, firstTag).catch(unlessTransportGaveUp),
  ]);
  log(`copy ${from(source.reference)} (${top.info.digest}, ${top.info.mediaType}) to ${destination.client.registry}/${destination.repository}`);

  // The tag points at this digest, so the destination has the manifest and everything under it.
  const tree = tagged?.digest === top.info.digest ? presentNode(top, request) : await readTree(context, top, 0);
  const blobs = collectBlobs(tree, log);
  const confirmed = new Map<string, string>();
  const result: CopyResult = {
    digest: top.info.digest,
    mediaType: top.info.mediaType,
    blobsCopied: 0,
    blobsMounted: 0,
    blobsSkipped: 0,
    bytesCopied: 0,
    manifests: 0,
    confirmed,
  };

  const sameRegistry = source.client.registry === destination.client.registry && source.repository !== destination.repository;
  const mountState = { refused: false };
  const abortAll = (error: unknown): void => stop.abort(error);
  const sizes = [...blobs.values()].map((descriptor) => descriptor.size);
  const progress = new CopyProgress({
    log,
    totalBytes: sizes.reduce((sum, size) => sum + size, 0),
    largestBlobBytes: Math.max(0, ...sizes),
    ...request.progress,
  });
  try {
    await settleAll(
      [...blobs.values()].map((descriptor) =>
        limited(async () => {
          const outcome = await withBlobRetries(descriptor, retry, signal, log, () =>
            copyBlob(request, descriptor, sameRegistry, mountState, signal, log, progress),
          );
          if (outcome === 'copied') {
            result.blobsCopied++;
            result.bytesCopied += descriptor.size;
          } else if (outcome === 'mounted') {
            result.blobsMounted++;
          } else {
            result.blobsSkipped++;
          }
        }),
      ),
      abortAll,
    );
  } finally {
    progress.stop();
    // Connections opened ahead for blobs that turned out to be there already.
    source.client.closeIdle();
    destination.client.closeIdle();
  }
  if (request.blobsOnly) {
    log(`${result.blobsCopied} blobs copied (${result.bytesCopied} bytes), ${result.blobsMounted} mounted, ${result.blobsSkipped} already there; no manifest written`);
    return result;
  }

  // Children before parents, each by digest (siblings at once, under the shared bound); then the top under its tags.
  const putChildren = async (node: ManifestNode): Promise<void> => {
    await settleAll(
      node.children.map(async (child) => {
        if (child.present) return;
        await putChildren(child);
        const { info, raw } = child.manifest;
        await limited(() => destination.client.putManifest(destination.repository, info.digest, raw, info.mediaType));
        result.manifests++;
        log(`wrote ${to(info.digest)}`);
      }),
      abortAll,
    );
  };
  await putChildren(tree);
  const annotated = hasAnnotations(request.annotations) ? annotatedManifest(top, request.annotations) : undefined;
  if (annotated) {
    result.digest = annotated.digest;
    log(`added ${Object.keys(request.annotations ?? {}).length} annotation(s): ${top.info.digest} → ${annotated.digest}`);
  }
  const references = request.tags.length > 0 ? request.tags : [result.digest];
  for (const reference of references) {
    checkAborted(signal);
    if (reference === firstTag && tagged?.digest === result.digest) {
      confirmed.set(reference, result.digest);
      log(`${to(reference)} is ${result.digest} already`);
      continue;
    }
    recordWrite(confirmed, reference, await destination.client.putManifest(destination.repository, reference, annotated?.raw ?? top.raw, top.info.mediaType));
    log(`wrote ${to(reference)}`);
  }
  if (!tree.present || annotated) result.manifests++;
  log(
    `copied ${from(source.reference)} → ${destination.client.registry}/${destination.repository} ${top.info.digest}: ` +
      `${result.blobsCopied} blobs copied (${result.bytesCopied} bytes), ${result.blobsMounted} mounted, ${result.blobsSkipped} already there`,
  );
  return result;
}

/** A hint's failure is dropped, unless the transport retried it and gave up (see the first tag's HEAD above). */
function unlessTransportGaveUp(error: unknown): undefined {
  if (error instanceof HttpError) throw error;
  return undefined;
}

function hasAnnotations(annotations: Readonly<Record<string, string>> | undefined): annotations is Readonly<Record<string, string>> {
  return annotations !== undefined && Object.keys(annotations).length > 0;
}

/**
 * Writes the manifest `fromReference` points at under each of `tags` in the
 * same repository: one manifest GET and one PUT per tag, no blob byte moved.
 * With `annotations`, the manifest written carries them (a new digest).
 */
export async function retagImage(
  client: RegistryClient,
  repository: string,
  fromReference: string,
  tags: readonly string[],
  annotations?: Readonly<Record<string, string>>,
): Promise<RetagResult> {
  if (tags.length === 0) throw new Error('retagImage: no tags given');
  for (const tag of tags) if (!isValidTag(tag)) throw new Error(`retagImage: invalid tag ${JSON.stringify(tag)}`);
  client.willPush(repository);
  const manifest = await client.getManifest(repository, fromReference);
  const annotated = hasAnnotations(annotations) ? annotatedManifest(manifest, annotations) : undefined;
  const confirmed = await putUnderTags(client, repository, tags, { raw: annotated?.raw ?? manifest.raw, mediaType: manifest.info.mediaType });
  return { digest: annotated?.digest ?? manifest.info.digest, mediaType: manifest.info.mediaType, confirmed };
}

// ---------------------------------------------------------------- the manifest tree

/** What reading the tree needs at every level. */
interface TreeContext {
  request: CopyRequest;
  signal: AbortSignal;
  stop: AbortController;
  /** Shared by every request of the copy. */
  limiter: Limiter;
  /** Child manifests listed by the indexes read so far. */
  manifestsListed: number;
}

function presentNode(manifest: FetchedManifest, request: CopyRequest): ManifestNode {
  request.log?.(`${request.destination.client.registry}/${request.destination.repository} has ${manifest.info.digest} already: nothing under it is copied`);
  return { manifest, children: [], present: true };
}

async function readTree(context: TreeContext, manifest: FetchedManifest, depth: number): Promise<ManifestNode> {
  const { request, signal, limiter } = context;
  checkAborted(signal);
  const { source, destination } = request;
  // Blobs only (a package's base): the caller writes a manifest of its own, so the base's is seldom in the
  // destination; asking would put a round trip before every blob's own question.
  const present = request.blobsOnly
    ? false
    : await limiter.run(() => {
        checkAborted(signal);
        return destinationHas(destination, manifest.info.digest);
      });
  if (present) return presentNode(manifest, request);
  const operation = `copy ${formatReference(source.client.registry, source.repository, manifest.info.digest)}`;
  const kind = manifestKind(manifest.info.mediaType, manifest.body);
  if (kind === 'unknown') {
    throw new Error(`${operation}: cannot copy a manifest of media type ${JSON.stringify(manifest.info.mediaType)}`);
  }
  if (kind === 'image') return { manifest, children: [], present };
  if (depth >= MAX_INDEX_DEPTH) throw new Error(`${operation}: indexes nest deeper than ${MAX_INDEX_DEPTH} levels`);

  const entries = indexEntries(manifest.body, operation);
  const digests = [...new Set(entries.map((entry) => entry.digest))];
  if (digests.length > MAX_INDEX_CHILDREN) {
    throw new Error(
      `${operation}: the index lists ${digests.length} manifests; imageship copies indexes of at most ${MAX_INDEX_CHILDREN} ` +
        '(a bound against broken or hostile registries: real multi-platform indexes list a few dozen); copy the platforms you need one by one',
    );
  }
  context.manifestsListed += digests.length;
  if (context.manifestsListed > MAX_TREE_MANIFESTS) {
    throw new Error(
      `${operation}: the image's nested indexes list more than ${MAX_TREE_MANIFESTS} manifests in all; imageship copies at most that many ` +
        '(a bound against broken or hostile registries); copy the platforms you need one by one',
    );
  }
  // A child the index says is larger than a manifest may be is refused before it is asked for.
  for (const entry of entries) {
    if (entry.size > BODY_CAPS.manifest.bytes) {
      throw new BodyTooLargeError(
        { what: `the manifest of ${source.repository}@${entry.digest}`, from: source.client.registry, cap: BODY_CAPS.manifest },
        `its index gives its size as ${entry.size} bytes; it was not read`,
      );
    }
  }
  const children = await settleAll(
    digests.map(async (digest) => {
      const child = await limiter.run(() => {
        checkAborted(signal);
        return source.client.getManifest(source.repository, digest);
      });
      return readTree(context, child, depth + 1);
    }),
    (error) => context.stop.abort(error),
  );
  return { manifest, children, present };
}

async function destinationHas(destination: CopyDestination, digest: string): Promise<boolean> {
  const info = await destination.client.headManifest(destination.repository, digest);
  return info?.digest === digest;
}

/** Every blob of every image manifest that is not at the destination yet, once each; foreign layers left out. */
function collectBlobs(tree: ManifestNode, log: (line: string) => void): Map<string, Descriptor> {
  const blobs = new Map<string, Descriptor>();
  const visit = (node: ManifestNode): void => {
    if (node.present) return;
    for (const child of node.children) visit(child);
    const { info, body } = node.manifest;
    if (manifestKind(info.mediaType, body) !== 'image') return;
    const operation = `copy manifest ${info.digest}`;
    const config = configDescriptor(body, operation);
    blobs.set(config.digest, config);
    const layers = (body as { layers?: unknown }).layers;
    if (!Array.isArray(layers)) throw new Error(`${operation}: the manifest has no "layers" array`);
    for (const [i, layer] of layers.entries()) {
      const descriptor = checkedLayer(layer, `${operation}: layer ${i}`);
      if (Array.isArray(descriptor.urls) && descriptor.urls.length > 0) {
        // Non-distributable ("foreign") layers live at their URLs, not in the registry.
        log(`skip foreign layer ${descriptor.digest} (${descriptor.mediaType}): it is not copied; the manifest points at ${descriptor.urls.join(', ')}`);
        continue;
      }
      blobs.set(descriptor.digest, descriptor);
    }
  };
  visit(tree);
  return blobs;
}

function checkedLayer(value: unknown, where: string): Descriptor & { urls?: string[] } {
  if (value === null || typeof value !== 'object') throw new Error(`${where} is not a descriptor`);
  const record = value as Record<string, unknown>;
  if (typeof record.digest !== 'string' || digestError(record.digest) !== undefined) throw new Error(`${where} has no valid digest`);
  if (typeof record.size !== 'number' || !Number.isSafeInteger(record.size) || record.size < 0) throw new Error(`${where} has no valid size`);
  return value as Descriptor & { urls?: string[] };
}

// ---------------------------------------------------------------- one blob

async function copyBlob(
  request: CopyRequest,
  descriptor: Descriptor,
  sameRegistry: boolean,
  mountState: { refused: boolean },
  signal: AbortSignal,
  log: (line: string) => void,
  progress: CopyProgress,
): Promise<BlobOutcome> {
  const { source, destination } = request;
  const { digest, size } = descriptor;
  checkAborted(signal);
  // The blob's GET and PUT connections open while the destination is asked whether it has the blob (a mount
  // within one registry needs no byte connection). Unused ones serve the next blob or close by themselves.
  if (!sameRegistry || mountState.refused) {
    const connections = request.concurrency ?? DEFAULT_CONCURRENCY;
    source.client.preconnect(connections);
    destination.client.preconnect(connections);
  }
  if ((await destination.client.headBlob(destination.repository, digest)) !== undefined) return 'skipped';

  if (sameRegistry && !mountState.refused) {
    try {
      if (await destination.client.mountBlob(destination.repository, digest, source.repository)) {
        log(`mounted ${digest} from ${source.repository}`);
        return 'mounted';
      }
    } catch (error) {
      // No read access to the source repository under the destination's login: copy the bytes instead.
      if (!(error instanceof RegistryError) || (error.status !== 401 && error.status !== 403)) throw error;
      mountState.refused = true;
      log(`cross-repository mount refused (${error.message}); copying bytes instead`);
    }
  }

  checkAborted(signal);
  const operation = `copy blob ${digest} from ${formatReference(source.client.registry, source.repository, digest)}`;
  // node:stream all the way (raw HTTP/1.1 sockets with the global fetch): Web Streams cost more CPU per chunk than the hashing.
  const startedAt = performance.now();
  // The upload session opens while the source answers the GET: under load either answer can take tens of ms, and
  // one after the other they held each blob's PUT back by both (a full copy's last PUT started ≈ 60 ms later).
  const session = destination.client.openUpload(destination.repository);
  try {
    return await copyBlobBytes(request, descriptor, session, signal, progress, operation, startedAt);
  } finally {
    // Taken by the upload, or cancelled: a failed GET leaves no session behind.
    await session.cancel();
  }
}

/** A blob's bytes, streamed from the source's GET into the destination's upload (in `session`). */
async function copyBlobBytes(
  request: CopyRequest,
  descriptor: Descriptor,
  session: OpenedUpload,
  signal: AbortSignal,
  progress: CopyProgress,
  operation: string,
  startedAt: number,
): Promise<BlobOutcome> {
  const { source, destination } = request;
  const { digest, size } = descriptor;
  const blob = await source.client.getBlobReadable(source.repository, digest, { signal, expectedBytes: size });
  if (blob.size !== undefined && blob.size !== size) {
    blob.stream.destroy();
    throw new DigestMismatchError(operation, digest, `${blob.size} bytes`, `size mismatch for blob ${digest}: the manifest says ${size} bytes, the source serves ${blob.size}`);
  }
  const counted = progress.counted(blob.stream, size);
  try {
    await destination.client.uploadBlobReadable(destination.repository, digest, size, counted.stream, { signal, session });
  } catch (error) {
    counted.stream.destroy();
    blob.stream.destroy();
    if (error instanceof DigestMismatchError) {
      throw new DigestMismatchError(
        operation,
        error.expected,
        error.actual,
        `the source served corrupted bytes for blob ${digest}; nothing was published (${error.message})`,
      );
    }
    throw error;
  }
  progress.blobDone(digest, size, startedAt, counted.counting);
  return 'copied';
}

/**
 * Runs `attempt` until it succeeds, restarting the whole blob transfer
 * (fresh GET, fresh upload session) after a transient failure: a streamed
 * body cannot be resent, so per-request retries cannot cover a reset in the
 * middle of an upload. The one retry policy's loop (retryOperation);
 * Retry-After is honoured; digest mismatches never retry.
 */
function withBlobRetries<T>(
  descriptor: Descriptor,
  policy: Partial<BlobRetryPolicy> | undefined,
  signal: AbortSignal,
  log: (line: string) => void,
  attempt: () => Promise<T>,
): Promise<T> {
  return retryOperation(attempt, {
    policy,
    signal,
    sleep: (ms) => sleep(ms, signal),
    delayFor: (error, failedAttempt) => retryDelay(error, failedAttempt),
    onRetry: (error, delay, next, attempts) =>
      log(`blob ${descriptor.digest}: ${error instanceof Error ? error.message : String(error)}; starting it over in ${delay} ms (attempt ${next} of ${attempts})`),
  });
}

/** The pause before another try of a blob ('backoff': the policy's jittered one), or undefined when the failure is not transient. */
function retryDelay(error: unknown, failedAttempt: number): 'backoff' | number | undefined {
  const backoff = 'backoff';
  if (error instanceof DigestMismatchError) return undefined;
  if (error instanceof RegistryError) {
    if (RETRYABLE_STATUSES.has(error.status)) return error.retryAfterMs ?? backoff;
    return error.retryable ? backoff : undefined;
  }
  if (error instanceof HttpError) {
    // fetchWithRetry gave up after its own tries: trying the whole blob again would multiply them.
    if (error.attempts > 1) return undefined;
    const timeout = transferTimeoutIn(error);
    // A blob too slow for its overall deadline would be as slow again.
    if (timeout?.limit === 'deadline') return undefined;
    // The registry took every byte and never answered: it may have stored the blob; one more try, not more.
    if (timeout?.limit === 'answer' && failedAttempt >= 2) return undefined;
    if (error.status !== undefined) return RETRYABLE_STATUSES.has(error.status) ? backoff : undefined;
    return classifyFailure(error.cause, undefined).transient ? backoff : undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------- plumbing

function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason ?? new Error('the copy was aborted');
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
