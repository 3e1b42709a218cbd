import type { ImageReference } from '../domain/image/reference.js';
import type { Ports } from '../ports.js';
import type { RegistryClient, RegistryCredentials } from './client.js';
import type { RegistryClients } from './clients.js';
import { copyImage, retagImage } from './copy.js';
import { isIndexMediaType, MediaTypes } from '../domain/image/media-types.js';
import { verifyPushedTags } from './verify.js';
import { digestOf } from '../domain/image/digest.js';
import { putUnderTags, type WrittenImage } from './tag-confirmations.js';

/** What the registry-to-registry steps share. */
export interface TransferContext {
  /** The destination: `host[:port]` and repository. */
  registry: string;
  repository: string;
  /** `source-image` and the login given for it (`source-credentials`), for a copy. */
  source?: { image: ImageReference; credentials: RegistryCredentials | undefined };
  ports: Pick<Ports, 'logger'>;
  /** The run's registry clients, one per host. */
  clients: RegistryClients;
  /** Blobs moved at once by a copy (`copy-concurrency`). */
  copyConcurrency?: number;
}

/**
 * `source-image` → the destination under `tags`. Within one repository this
 * is a retag (manifest PUTs only); otherwise the daemonless copy, which skips
 * blobs the destination has and mounts those living in another repository of
 * the same registry. Returns the digest, identical on both sides unless
 * `annotations` are added to the top manifest, and the tags the registry
 * confirmed at it.
 */
export async function copySourceToDestination(context: TransferContext, tags: readonly string[], annotations: Readonly<Record<string, string>> = {}): Promise<WrittenImage> {
  const { ports } = context;
  const source = context.source?.image;
  if (!source) throw new Error('internal: copy mode needs a source-image');
  const reference = source.digest ?? source.tag ?? 'latest';
  const destination = await destinationClient(context);

  if (source.registry === context.registry && source.repository === context.repository) {
    const retagged = await retagImage(destination, context.repository, reference, tags, annotations);
    ports.logger.info(`retagged ${context.repository}@${retagged.digest} as ${tags.join(', ')} (no blob moved)`);
    return { digest: retagged.digest, confirmed: retagged.confirmed };
  }
  const sourceLogin = context.source?.credentials;
  const sameRegistry = source.registry === context.registry && !sourceLogin;
  const sourceClient = sameRegistry
    ? destination
    : source.registry === context.registry
      ? context.clients.separate(source.registry, sourceLogin)
      : await context.clients.clientFor(source.registry);
  const result = await copyImage({
    source: { client: sourceClient, repository: source.repository, reference },
    destination: { client: destination, repository: context.repository },
    tags,
    annotations,
    log: (line) => ports.logger.info(line),
    ...concurrencyOption(context),
  });
  ports.logger.info(
    `${result.digest}: ${result.blobsCopied} blob(s) copied (${formatBytes(result.bytesCopied)}), ${result.blobsMounted} mounted, ${result.blobsSkipped} already there; ${result.manifests} manifest(s)`,
  );
  return { digest: result.digest, confirmed: result.confirmed };
}

/**
 * `replicate-to`: the verified image (by digest) copied to another registry
 * or repository under the same tags, then read back there.
 */
export async function replicateTo(
  context: TransferContext,
  replica: { registry: string; repository: string },
  tags: readonly string[],
  digest: string,
): Promise<{ image: string; digest: string }> {
  const { ports } = context;
  const target = await context.clients.clientFor(replica.registry);
  const result = await copyImage({
    source: { client: await destinationClient(context), repository: context.repository, reference: digest },
    destination: { client: target, repository: replica.repository },
    tags,
    log: (line) => ports.logger.info(line),
    ...concurrencyOption(context),
  });
  const verified = await verifyPushedTags({
    client: target,
    repository: replica.repository,
    tags,
    loginHint: `check the login for ${replica.registry} (the Docker config, the same AK/SK for another SWR region of the configured domain, or replicate-credentials)`,
    expectedDigest: digest,
    confirmed: result.confirmed,
  });
  ports.logger.info(`${replica.registry}/${replica.repository}: ${tags.length} tag(s) → ${verified} (${result.blobsCopied} blob(s) copied, ${formatBytes(result.bytesCopied)})`);
  return { image: `${replica.registry}/${replica.repository}`, digest: verified };
}

/**
 * `merge-digests`: per-platform images pushed by matrix jobs become one
 * index. Each digest must be a single-platform manifest in the destination
 * repository; its platform is read from its image config. The index is an
 * OCI index unless every child is a Docker schema 2 manifest (then a Docker
 * manifest list, which older tools understand). The index carries
 * `annotations` (as BuildKit puts annotations into Docker manifests too).
 * Returns the index's digest and the tags the registry confirmed at it.
 */
export async function mergeIntoIndex(context: TransferContext, digests: readonly string[], tags: readonly string[], annotations: Readonly<Record<string, string>> = {}): Promise<WrittenImage> {
  const { ports, repository } = context;
  const client = await destinationClient(context);
  client.willPush(repository);
  const entries: { mediaType: string; digest: string; size: number; platform: Record<string, string> }[] = [];
  for (const digest of digests) {
    const manifest = await client.getManifest(repository, digest);
    if (isIndexMediaType(manifest.info.mediaType)) {
      throw new Error(`merge-digests: ${digest} is already a multi-platform index: give the per-platform image digests`);
    }
    const imageConfig = (await client.getImageConfig(repository, digest)) as { os?: string; architecture?: string; variant?: string };
    if (!imageConfig.os || !imageConfig.architecture) throw new Error(`merge-digests: ${digest} has no os/architecture in its image config`);
    const platform: Record<string, string> = { architecture: imageConfig.architecture, os: imageConfig.os, ...(imageConfig.variant ? { variant: imageConfig.variant } : {}) };
    const key = `${platform['os']}/${platform['architecture']}${platform['variant'] ? `/${platform['variant']}` : ''}`;
    if (entries.some((entry) => `${entry.platform['os']}/${entry.platform['architecture']}${entry.platform['variant'] ? `/${entry.platform['variant']}` : ''}` === key)) {
      throw new Error(`merge-digests: two digests are both ${key}: give one image per platform`);
    }
    entries.push({ mediaType: manifest.info.mediaType, digest: manifest.info.digest, size: manifest.info.size, platform });
    ports.logger.info(`${key}: ${digest}`);
  }
  const mediaType = entries.every((entry) => entry.mediaType === MediaTypes.dockerManifest) ? MediaTypes.dockerManifestList : MediaTypes.ociIndex;
  const index = { schemaVersion: 2, mediaType, manifests: entries, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) };
  const raw = new TextEncoder().encode(JSON.stringify(index, null, 2));
  const digest = digestOf(raw);
  const confirmed = await putUnderTags(client, repository, tags, { raw, mediaType });
  ports.logger.info(`index ${digest} (${entries.length} platform(s)) pushed as ${tags.join(', ')}`);
  return { digest, confirmed };
}

function destinationClient(context: TransferContext): Promise<RegistryClient> {
  return context.clients.clientFor(context.registry);
}

function concurrencyOption(context: TransferContext): { concurrency?: number } {
  return context.copyConcurrency === undefined ? {} : { concurrency: context.copyConcurrency };
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}
