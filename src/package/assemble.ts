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
import { PassThrough } from 'node:stream';
import type { RegistryClient } from '../registry/client.js';
import { copyImage, type CopyResult } from '../registry/copy.js';
import { digestOf } from '../domain/image/digest.js';
import { configDescriptor, indexEntries, manifestKind, type Descriptor } from '../domain/image/manifest-shapes.js';
import { MediaTypes } from '../domain/image/media-types.js';
import { formatPlatform } from '../domain/image/platform.js';
import { formatReference } from '../domain/image/reference.js';
import { imageConfigFor, type ImageChanges } from './image-config.js';
import type { BuiltLayer } from './layer-tar.js';

export interface AssembleRequest {
  base: { client: RegistryClient; repository: string; reference: string; shown: string };
  destination: { client: RegistryClient; repository: string };
  /** `os/arch[/variant]`; empty = every platform of the base. */
  platforms: readonly string[];
  layer: BuiltLayer;
  changes: ImageChanges;
  /** Tags to write; empty = by digest only. */
  tags: readonly string[];
  concurrency?: number;
  log: (line: string) => void;
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
}

interface PlatformImage {
  descriptor: Descriptor;
  manifest: { mediaType: string; body: { config: Descriptor; layers: Descriptor[] } };
}

export async function assembleImage(request: AssembleRequest): Promise<AssembleResult> {
  const { base, destination, log } = request;
  const operation = `resolve base image ${base.shown}`;
  destination.client.willPush(destination.repository);
  const top = await base.client.getManifest(base.repository, base.reference);
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

  const totals = { copied: 0, mounted: 0, skipped: 0, bytesCopied: 0 };
  // The package layer goes up while the base's blobs are mounted or copied; both are in place before any manifest.
  const layerUpload = pushBlob(destination, request.layer.digest, request.layer.blob, 'package layer', log);
  layerUpload.catch(() => undefined);
  let layerUploaded = false;
  const images: PlatformImage[] = [];
  const platforms: string[] = [];
  for (const child of children) {
    const fetched = child.digest === top.info.digest ? top : await base.client.getManifest(base.repository, child.digest);
    if (manifestKind(fetched.info.mediaType, fetched.body) !== 'image') throw new Error(`${operation}: ${child.digest} is not an image manifest`);
    const baseConfig = (await base.client.getImageConfig(base.repository, child.digest)) as Record<string, unknown>;
    const platform = child.platform ?? platformOfConfig(baseConfig);
    if (kind === 'image' && request.platforms.length > 0 && !request.platforms.some((wanted) => platformMatches(platform, wanted))) {
      throw new Error(`platforms: the base image ${base.shown} is a single ${formatPlatform(platform)} image, not ${request.platforms.join(', ')}: remove platforms, or use a multi-platform base`);
    }
    platforms.push(formatPlatform(platform));

    // The shared copy moves the base's blobs the way a copy does: skip, mount, or stream; no byte when they are there.
    const copied: CopyResult = await copyImage({
      source: { client: base.client, repository: base.repository, reference: child.digest },
      destination,
      tags: [],
      log: (line) => log(`  ${line}`),
      ...(request.concurrency === undefined ? {} : { concurrency: request.concurrency }),
    });
    totals.copied += copied.blobsCopied;
    totals.mounted += copied.blobsMounted;
    totals.skipped += copied.blobsSkipped;
    totals.bytesCopied += copied.bytesCopied;

    const baseBody = fetched.body as { mediaType?: string; config: Descriptor; layers: Descriptor[] };
    const oci = fetched.info.mediaType === MediaTypes.ociManifest;
    const config = imageConfigFor(baseConfig, request.changes, request.layer.diffId);
    const configBytes = encode(config);
    const configDigest = digestOf(configBytes);
    await pushBlob(destination, configDigest, configBytes, `config ${formatPlatform(platform)}`, log);
    const configMediaType = configDescriptor(baseBody, operation).mediaType || (oci ? MediaTypes.ociConfig : MediaTypes.dockerConfig);
    const layerMediaType = oci ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.docker.image.rootfs.diff.tar.gzip';
    const manifest = {
      schemaVersion: 2,
      mediaType: fetched.info.mediaType,
      config: { mediaType: configMediaType, digest: configDigest, size: configBytes.length },
      layers: [...baseBody.layers, { mediaType: layerMediaType, digest: request.layer.digest, size: request.layer.blob.length }],
      // Docker schema 2 has no annotations; OCI manifests name their base as the image spec suggests.
      ...(oci ? { annotations: { 'org.opencontainers.image.base.digest': top.info.digest, 'org.opencontainers.image.base.name': request.changes.baseName } } : {}),
    };
    const manifestBytes = encode(manifest);
    const manifestDigest = digestOf(manifestBytes);
    layerUploaded = await layerUpload;
    await destination.client.putManifest(destination.repository, manifestDigest, manifestBytes, fetched.info.mediaType);
    log(`${formatPlatform(platform)}: ${manifestDigest} (${copied.blobsCopied} base blob(s) copied, ${copied.blobsMounted} mounted, ${copied.blobsSkipped} already there)`);
    images.push({
      descriptor: { mediaType: fetched.info.mediaType, digest: manifestDigest, size: manifestBytes.length, ...(child.platform ? { platform: child.platform } : {}) },
      manifest: { mediaType: fetched.info.mediaType, body: manifest },
    });
    // For a single image the bytes are written under the tags below.
    if (kind === 'image') return finish(request, { raw: manifestBytes, digest: manifestDigest, mediaType: fetched.info.mediaType }, { baseDigest: top.info.digest, platforms, totals, layerUploaded });
  }

  const index = {
    schemaVersion: 2,
    mediaType: top.info.mediaType,
    manifests: images.map((image) => image.descriptor),
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
  for (const reference of request.tags.length > 0 ? request.tags : [top.digest]) {
    await destination.client.putManifest(destination.repository, reference, top.raw, top.mediaType);
    request.log(`wrote ${formatReference(destination.client.registry, destination.repository, reference)}`);
  }
  return { digest: top.digest, mediaType: top.mediaType, baseDigest: facts.baseDigest, platforms: facts.platforms, baseBlobs: facts.totals, layerUploaded: facts.layerUploaded };
}

/** Uploads bytes unless the repository has the blob; true when uploaded. */
async function pushBlob(destination: AssembleRequest['destination'], digest: string, bytes: Uint8Array, what: string, log: (line: string) => void): Promise<boolean> {
  if ((await destination.client.headBlob(destination.repository, digest)) !== undefined) {
    log(`${what} ${digest}: already there`);
    return false;
  }
  // A node:stream takes the client's raw HTTP/1.1 upload path (Web Streams cost more CPU per chunk than the hashing).
  const stream = new PassThrough().end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  await destination.client.uploadBlobReadable(destination.repository, digest, bytes.length, stream);
  log(`${what} ${digest}: uploaded ${bytes.length} bytes`);
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
