/**
 * The image, assembled through the registry API as Jib, ko and `crane
 * append` do, with no Docker daemon and without downloading a base layer:
 * the base is resolved (an index gives every runnable platform, `platforms`
 * narrows), its blobs reach the destination repository by the shared copy
 * (skipped when there, mounted from the base's repository on the same
 * registry, streamed otherwise), the package layer and one new config per
 * platform are uploaded, then the manifests, the index of a multi-platform
 * base, and the tags. Every document is serialised the same way each run, so
 * the same inputs give the same digest.
 */
import { Readable } from 'node:stream';
import { RegistryError, type FetchedManifest, type OpenedUpload, type RegistryClient } from '../registry/client.js';
import { copyImage, type CopyResult } from '../registry/copy.js';
import { digestOf } from '../domain/image/digest.js';
import { configDescriptor, indexEntries, manifestKind, type Descriptor } from '../domain/image/manifest-shapes.js';
import { MediaTypes } from '../domain/image/media-types.js';
import { formatPlatform } from '../domain/image/platform.js';
import { formatReference } from '../domain/image/reference.js';
import { imageConfigFor, type ImageChanges } from './image-config.js';
import { putUnderTags, type TagConfirmations } from '../registry/tag-confirmations.js';
import type { BuiltLayer } from './layer-tar.js';
import { inPlace } from './file-fill.js';

/**
 * From this size on the package layer goes up before its digest is known
 * (pushLayer); below it, hashing first costs under 3 ms and keeps the plain
 * check-then-upload (a re-run uploads nothing at all).
 */
const STREAM_LAYER_MIN_BYTES = 4 * 1024 * 1024;

/** Where the base comes from and where the image goes. */
export interface BaseRequest {
  base: { client: RegistryClient; repository: string; reference: string; shown: string };
  destination: { client: RegistryClient; repository: string };
  /** `os/arch[/variant]`; empty = every platform of the base. */
  platforms: readonly string[];
  concurrency?: number;
  log: (line: string) => void;
}

/** One platform of the base, its blobs already in the destination repository. */
interface BasePlatform {
  manifest: FetchedManifest;
  /** The index entry's platform, when the base is an index. */
  indexPlatform: Descriptor['platform'];
  config: Record<string, unknown>;
  platform: string;
}

/** The base, resolved and in place: what the package's image is assembled on. */
export interface PreparedBase {
  top: FetchedManifest;
  kind: 'image' | 'index';
  platforms: BasePlatform[];
}

export interface AssembleRequest extends BaseRequest {
  layer: BuiltLayer;
  /**
   * The layer's blob digest and diff id and the config changes (they carry
   * the package's digest): still being hashed while the layer goes up; the
   * base's digest is added once the base is resolved.
   */
  layerDigest: Promise<string>;
  diffId: Promise<string>;
  changes: Promise<Omit<ImageChanges, 'baseDigest'>>;
  /** Tags to write; empty = by digest only. */
  tags: readonly string[];
  /** Sessions opened ahead (openUploads): the layer's, and the first platform's config's. */
  uploads?: OpenedUploads;
}

/** Upload sessions in the destination repository, opened before the layer and the config are ready. */
export interface OpenedUploads {
  layer: OpenedUpload;
  config: OpenedUpload;
}

/**
 * Opens the layer's and the config's upload sessions, and a blob connection,
 * now: their round trips then overlap the layer's layout and hashing instead
 * of coming after them (each POST's answer took ≈ 12–20 ms on loopback under
 * load). Only once the package passed its checks: a refused package writes
 * nothing. A session nobody takes is cancelled (cancelUploads).
 */
export function openUploads(destination: BaseRequest['destination']): OpenedUploads {
  const uploads = { layer: destination.client.openUpload(destination.repository), config: destination.client.openUpload(destination.repository) };
  destination.client.preconnect(1);
  return uploads;
}

/** Cancels the sessions no upload took (a run that failed, or blobs the destination had). */
export async function cancelUploads(uploads: OpenedUploads): Promise<void> {
  await Promise.all([uploads.layer.cancel(), uploads.config.cancel()]);
}

export interface AssembleResult {
  digest: string;
  mediaType: string;
  /** The base's top digest (what base-image resolved to). */
  baseDigest: string;
  platforms: string[];
  /** Base blobs: copied (bytes moved), mounted, already there. */
  baseBlobs: { copied: number; mounted: number; skipped: number; bytesCopied: number };
  /** Whether the package layer had to be uploaded (false: the destination had it). */
  layerUploaded: boolean;
  /** The tags the registry confirmed at `digest` when they were written (for the verify step). */
  confirmed: TagConfirmations;
}

/**
 * Resolves the base: its manifests and configs, read only. Needs nothing of
 * the package, so a run starts it while the package is fetched and its layer
 * written; nothing is written to the destination until the package passed
 * every check (a refused package leaves no trace there).
 */
export async function prepareBase(request: BaseRequest): Promise<PreparedBase> {
  const { base, destination, log } = request;
  const operation = `resolve base image ${base.shown}`;
  destination.client.willPush(destination.repository);
  const top = await base.client.getManifest(base.repository, base.reference).catch((error: unknown) => {
    if (error instanceof RegistryError && error.status === 404) {
      throw new Error(`base-image: ${base.shown} is not in the registry: check the name and tag, or push the base first`, { cause: error });
    }
    throw error;
  });
  const kind = manifestKind(top.info.mediaType, top.body);
  if (kind === 'unknown') throw new Error(`${operation}: media type ${JSON.stringify(top.info.mediaType)} is neither an image nor an index`);

  let children: Descriptor[];
  if (kind === 'index') {
    const runnable = indexEntries(top.body, operation).filter(isRunnable);
    children = request.platforms.length === 0 ? runnable : runnable.filter((entry) => entry.platform && request.platforms.some((wanted) => platformMatches(entry.platform!, wanted)));
    if (children.length === 0) {
      throw new Error(`platforms: the base image ${base.shown} has none of ${request.platforms.join(', ')} (it has ${runnable.map((e) => (e.platform ? formatPlatform(e.platform) : 'unspecified')).join(', ')}): pick platforms it has`);
    }
  } else {
    children = [{ mediaType: top.info.mediaType, digest: top.info.digest, size: top.info.size }];
  }
  log(`base ${base.shown} → ${top.info.digest} (${kind === 'index' ? `index, ${children.length} platform(s) used` : 'single image'})`);

  const platforms: BasePlatform[] = [];
  for (const child of children) {
    const manifest = child.digest === top.info.digest ? top : await base.client.getManifest(base.repository, child.digest);
    if (manifestKind(manifest.info.mediaType, manifest.body) !== 'image') throw new Error(`${operation}: ${child.digest} is not an image manifest`);
    const config = (await base.client.getConfigOf(base.repository, manifest)) as Record<string, unknown>;
    const platform = child.platform ?? platformOfConfig(config);
    if (kind === 'image' && request.platforms.length > 0 && !request.platforms.some((wanted) => platformMatches(platform, wanted))) {
      throw new Error(`platforms: the base image ${base.shown} is a single ${formatPlatform(platform)} image, not ${request.platforms.join(', ')}: remove platforms, or use a multi-platform base`);
    }
    platforms.push({ manifest, indexPlatform: child.platform, config, platform: formatPlatform(platform) });
  }
  return { top, kind, platforms };
}

/**
 * The package's image on a prepared base: the layer goes up (unless the
 * destination has it) while `prepared` settles, then one config and manifest
 * per platform, the index of a multi-platform base, and the tags.
 */
export async function assembleImage(request: AssembleRequest, prepared: Promise<PreparedBase>): Promise<AssembleResult> {
  const { destination, log } = request;
  let markStarted: () => void = () => undefined;
  const layerStarted = new Promise<void>((resolve) => (markStarted = resolve));
  const layerUpload = pushLayer(destination, request.layer, request.layerDigest, log, markStarted, request.uploads?.layer);
  layerUpload.then(markStarted, markStarted);
  const { top, kind, platforms: basePlatforms } = await prepared;
  const operation = `resolve base image ${request.base.shown}`;
  // The base's blobs reach the destination repository while the layer goes up, by the shared copy: skipped when
  // there, mounted from the base's repository on the same registry, streamed otherwise; no manifest of the base.
  // They start once the layer's bytes are on their way: the registry answers the opening of the layer's upload
  // first (behind a dozen HEADs and mounts, the POST's answer came ≈ 15 ms later), and the mounts are done long
  // before a large layer is.
  const placed = (async () => {
    await layerStarted;
    const results: CopyResult[] = [];
    for (const { manifest } of basePlatforms) {
      results.push(
        await copyImage({
          source: { client: request.base.client, repository: request.base.repository, reference: manifest.info.digest },
          sourceManifest: manifest,
          destination,
          tags: [],
          blobsOnly: true,
          log: (line) => log(`  ${line}`),
          ...(request.concurrency === undefined ? {} : { concurrency: request.concurrency }),
        }),
      );
    }
    return results;
  })();
  placed.catch(() => undefined);

  const totals = { copied: 0, mounted: 0, skipped: 0, bytesCopied: 0 };
  const images: Descriptor[] = [];
  const platforms: string[] = [];
  let layerUploaded = false;
  // Each platform's config goes up beside them: it needs only the base's config, the changes and the layer's diff id.
  const [changes, diffId, layerDigest] = await Promise.all([request.changes, request.diffId, request.layerDigest]);
  const configs = basePlatforms.map(({ config: baseConfig, platform }, i) => {
    const bytes = encode(imageConfigFor(baseConfig, { ...changes, baseDigest: top.info.digest }, diffId));
    const digest = digestOf(bytes);
    const upload = pushBlob(destination, digest, [Buffer.from(bytes)], bytes.length, `config ${platform}`, log, true, i === 0 ? request.uploads?.config : undefined);
    upload.catch(() => undefined);
    return { bytes, digest, upload };
  });
  const copies = await placed;
  for (const [i, { manifest: fetched, indexPlatform, platform }] of basePlatforms.entries()) {
    const copied = copies[i]!;
    const { bytes: configBytes, digest: configDigest, upload: configUpload } = configs[i]!;
    platforms.push(platform);
    totals.copied += copied.blobsCopied;
    totals.mounted += copied.blobsMounted;
    totals.skipped += copied.blobsSkipped;
    totals.bytesCopied += copied.bytesCopied;

    const baseBody = fetched.body as { mediaType?: string; config: Descriptor; layers: Descriptor[] };
    const oci = fetched.info.mediaType === MediaTypes.ociManifest;
    await configUpload;
    const configMediaType = configDescriptor(baseBody, operation).mediaType || (oci ? MediaTypes.ociConfig : MediaTypes.dockerConfig);
    const layerMediaType = oci ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.docker.image.rootfs.diff.tar.gzip';
    const manifest = {
      schemaVersion: 2,
      mediaType: fetched.info.mediaType,
      config: { mediaType: configMediaType, digest: configDigest, size: configBytes.length },
      layers: [...baseBody.layers, { mediaType: layerMediaType, digest: layerDigest, size: request.layer.size }],
      // Docker schema 2 has no annotations; OCI manifests name their base as the image spec suggests.
      ...(oci ? { annotations: { 'org.opencontainers.image.base.digest': top.info.digest, 'org.opencontainers.image.base.name': changes.baseName } } : {}),
    };
    const manifestBytes = encode(manifest);
    const manifestDigest = digestOf(manifestBytes);
    layerUploaded = await layerUpload;
    const facts = { baseDigest: top.info.digest, platforms, totals, layerUploaded };
    // A single image is written under its tags straight away (by digest only when there is no tag).
    if (kind === 'image') return finish(request, { raw: manifestBytes, digest: manifestDigest, mediaType: fetched.info.mediaType }, facts);
    await destination.client.putManifest(destination.repository, manifestDigest, manifestBytes, fetched.info.mediaType);
    log(`${platform}: ${manifestDigest} (${copied.blobsCopied} base blob(s) copied, ${copied.blobsMounted} mounted, ${copied.blobsSkipped} already there)`);
    images.push({ mediaType: fetched.info.mediaType, digest: manifestDigest, size: manifestBytes.length, ...(indexPlatform ? { platform: indexPlatform } : {}) });
  }

  const index = {
    schemaVersion: 2,
    mediaType: top.info.mediaType,
    manifests: images,
  };
  const indexBytes = encode(index);
  return finish(request, { raw: indexBytes, digest: digestOf(indexBytes), mediaType: top.info.mediaType }, { baseDigest: top.info.digest, platforms, totals, layerUploaded });
}

async function finish(
  request: AssembleRequest,
  top: { raw: Uint8Array; digest: string; mediaType: string },
  facts: { baseDigest: string; platforms: string[]; totals: AssembleResult['baseBlobs']; layerUploaded: boolean },
): Promise<AssembleResult> {
  const { destination } = request;
  const confirmed = await putUnderTags(destination.client, destination.repository, request.tags.length > 0 ? request.tags : [top.digest], top, (reference) =>
    request.log(`wrote ${formatReference(destination.client.registry, destination.repository, reference)}`),
  );
  return {
    digest: top.digest,
    mediaType: top.mediaType,
    baseDigest: facts.baseDigest,
    platforms: facts.platforms,
    baseBlobs: facts.totals,
    layerUploaded: facts.layerUploaded,
    confirmed,
  };
}

/**
 * The package layer: true when uploaded, false when the destination had it.
 * A small one is hashed first and checked for (pushBlob). A large one starts
 * going up at once, its digest computed beside the upload and named when the
 * upload closes: the hash pass (≈ 10 ms per 20 MiB) is off the critical path.
 * While bytes are still to be sent, the destination is asked for the blob as
 * soon as the digest is known, and the upload is dropped if it is there (a
 * re-run of the same package); once all are sent, asking would only delay
 * the close by a round trip.
 */
async function pushLayer(
  destination: AssembleRequest['destination'],
  layer: BuiltLayer,
  digest: Promise<string>,
  log: (line: string) => void,
  started: () => void,
  session: OpenedUpload | undefined,
): Promise<boolean> {
  if (layer.size < STREAM_LAYER_MIN_BYTES) {
    started();
    return pushBlob(destination, await digest, layer.blobParts, layer.size, 'package layer', log, true, session);
  }
  const there = new AbortController();
  const source = Readable.from(layer.arrival === undefined ? layer.blobParts : inPlace(layer.blobParts, layer.arrival));
  let allSent = false;
  source.once('end', () => (allSent = true));
  const present = digest.then(async (named) => {
    if (allSent || (await destination.client.headBlob(destination.repository, named)) === undefined) return false;
    there.abort(new Error(`${named} is in ${destination.repository} already`));
    return true;
  });
  // Cannot tell: the upload goes on, and decides.
  present.catch(() => undefined);
  try {
    await destination.client.uploadBlobBeforeDigest(destination.repository, layer.size, source, digest, {
      signal: there.signal,
      onBodyStarted: started,
      ...(session === undefined ? {} : { session }),
    });
  } catch (error) {
    if (!there.signal.aborted) throw error;
    log(`package layer ${await digest}: already there`);
    return false;
  }
  log(`package layer ${await digest}: uploaded ${layer.size} bytes`);
  return true;
}

/**
 * Uploads bytes unless the repository has the blob; true when uploaded.
 * `digest` was computed here from these bytes. `session`, opened ahead, is
 * taken by the upload or cancelled when the blob is there.
 */
async function pushBlob(
  destination: AssembleRequest['destination'],
  digest: string,
  parts: readonly Buffer[],
  size: number,
  what: string,
  log: (line: string) => void,
  digestComputedFromBytes: boolean,
  session?: OpenedUpload,
): Promise<boolean> {
  if ((await destination.client.headBlob(destination.repository, digest)) !== undefined) {
    await session?.cancel();
    log(`${what} ${digest}: already there`);
    return false;
  }
  // A node:stream takes the client's raw HTTP/1.1 upload path (Web Streams cost more CPU per chunk than the hashing).
  await destination.client.uploadBlobReadable(destination.repository, digest, size, Readable.from(parts), {
    digestComputedFromBytes,
    ...(session === undefined ? {} : { session }),
  });
  log(`${what} ${digest}: uploaded ${size} bytes`);
  return true;
}

function encode(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

function isRunnable(entry: Descriptor): boolean {
  if (entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') return false;
  return !(entry.platform?.os === 'unknown' && entry.platform.architecture === 'unknown');
}

/** `linux/arm64` matches linux/arm64 with any variant; `linux/arm64/v8` only that variant. */
function platformMatches(platform: { os: string; architecture: string; variant?: string }, wanted: string): boolean {
  const [os, architecture, variant] = wanted.split('/');
  return platform.os === os && platform.architecture === architecture && (variant === undefined || platform.variant === variant);
}

function platformOfConfig(config: Record<string, unknown>): { os: string; architecture: string; variant?: string } {
  const os = typeof config['os'] === 'string' ? config['os'] : 'linux';
  const architecture = typeof config['architecture'] === 'string' ? config['architecture'] : 'amd64';
  const variant = typeof config['variant'] === 'string' ? config['variant'] : undefined;
  return { os, architecture, ...(variant ? { variant } : {}) };
}
