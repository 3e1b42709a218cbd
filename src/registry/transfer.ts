import type { Config } from '../config/types.js';
import { chooseLogin } from '../credentials/credential-scope.js';
import { derivedSwrCredentials, dockerConfigCredentials, loginScopeOf } from '../credentials/registry-credentials.js';
import type { Ports } from '../ports.js';
import type { RegistryClient, RegistryCredentials } from './client.js';
import { RegistryClients } from './clients.js';
import { copyImage, retagImage } from './copy.js';
import { isIndexMediaType, MediaTypes } from './media-types.js';
import { verifyPushedTags } from './verify.js';
import { digestOf } from './digest.js';

/** What the registry-to-registry steps share. */
export interface TransferContext {
  config: Config;
  ports: Ports;
  /** The destination login. */
  credentials: RegistryCredentials | undefined;
  loginHint: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Registry clients' warnings (a token realm on another host), each said once per run. */
  warn: (message: string) => void;
  /** The run's registry clients, one per host (runClients). */
  clients: RegistryClients;
  /** Blobs moved at once by a copy (`copy-concurrency`). */
  copyConcurrency?: number;
  /** Logins the run made for registry-auth entries, by lowercase host: those hosts get them. */
  registryAuthLogins?: ReadonlyMap<string, RegistryCredentials>;
}

/**
 * The run's registry clients: the destination gets the run's login, the
 * source host its own (source-credentials or the Docker config), any other
 * host (a replica) what the credential-scoping rule gives it.
 */
export function runClients(context: Omit<TransferContext, 'clients'>): RegistryClients {
  const { config, ports } = context;
  return new RegistryClients({
    fetch: ports.fetch,
    warn: context.warn,
    onSecret: maskWith(ports),
    credentialsFor: (registry) => {
      if (registry === config.registry) return context.credentials;
      // A registry-auth entry is a login the user gave for that host: it serves a source or a replica there.
      const entryLogin = context.registryAuthLogins?.get(registry.toLowerCase());
      if (registry === config.copy.sourceImage?.registry) return config.copy.sourceCredentials || !entryLogin ? sourceCredentials(context) : entryLogin;
      return entryLogin ?? replicaCredentials(context, registry);
    },
  });
}

/**
 * `source-image` → the destination under `tags`. Within one repository this
 * is a retag (manifest PUTs only); otherwise the daemonless copy, which skips
 * blobs the destination has and mounts those living in another repository of
 * the same registry. Returns the digest, identical on both sides unless
 * `annotations` are added to the top manifest.
 */
export async function copySourceToDestination(context: TransferContext, tags: readonly string[], annotations: Readonly<Record<string, string>> = {}): Promise<string> {
  const { config, ports } = context;
  const source = config.copy.sourceImage;
  if (!source) throw new Error('internal: copy mode needs a source-image');
  const reference = source.digest ?? source.tag ?? 'latest';
  const destination = await destinationClient(context);

  if (source.registry === config.registry && source.repository === config.repository) {
    const retagged = await retagImage(destination, config.repository, reference, tags, annotations);
    ports.logger.info(`retagged ${config.repository}@${retagged.digest} as ${tags.join(', ')} (no blob moved)`);
    return retagged.digest;
  }
  const sameRegistry = source.registry === config.registry && !config.copy.sourceCredentials;
  const sourceClient = sameRegistry
    ? destination
    : source.registry === config.registry
      ? context.clients.separate(source.registry, await sourceCredentials(context))
      : await context.clients.clientFor(source.registry);
  const result = await copyImage({
    source: { client: sourceClient, repository: source.repository, reference },
    destination: { client: destination, repository: config.repository },
    tags,
    annotations,
    log: (line) => ports.logger.info(line),
    ...concurrencyOption(context),
  });
  ports.logger.info(
    `${result.digest}: ${result.blobsCopied} blob(s) copied (${formatBytes(result.bytesCopied)}), ${result.blobsMounted} mounted, ${result.blobsSkipped} already there; ${result.manifests} manifest(s)`,
  );
  return result.digest;
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
  const { config, ports } = context;
  const target = await context.clients.clientFor(replica.registry);
  const result = await copyImage({
    source: { client: await destinationClient(context), repository: config.repository, reference: digest },
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
 */
export async function mergeIntoIndex(context: TransferContext, digests: readonly string[], tags: readonly string[], annotations: Readonly<Record<string, string>> = {}): Promise<string> {
  const { config, ports } = context;
  const client = await destinationClient(context);
  client.willPush(config.repository);
  const entries: { mediaType: string; digest: string; size: number; platform: Record<string, string> }[] = [];
  for (const digest of digests) {
    const manifest = await client.getManifest(config.repository, digest);
    if (isIndexMediaType(manifest.info.mediaType)) {
      throw new Error(`merge-digests: ${digest} is already a multi-platform index: give the per-platform image digests`);
    }
    const imageConfig = (await client.getImageConfig(config.repository, digest)) as { os?: string; architecture?: string; variant?: string };
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
  for (const tag of tags) await client.putManifest(config.repository, tag, raw, mediaType);
  ports.logger.info(`index ${digest} (${entries.length} platform(s)) pushed as ${tags.join(', ')}`);
  return digest;
}

function destinationClient(context: TransferContext): Promise<RegistryClient> {
  return context.clients.clientFor(context.config.registry);
}

function concurrencyOption(context: TransferContext): { concurrency?: number } {
  return context.copyConcurrency === undefined ? {} : { concurrency: context.copyConcurrency };
}

/** For RegistryClient's onSecret: every credential and token it holds is masked at once. */
function maskWith(ports: Ports): (secret: string) => void {
  return (secret) => ports.secrets.add(secret);
}

async function sourceCredentials(context: Omit<TransferContext, 'clients'>): Promise<RegistryCredentials | undefined> {
  const given = context.config.copy.sourceCredentials;
  if (given) return { username: given.username, password: given.password };
  const source = context.config.copy.sourceImage;
  return source ? dockerConfigCredentials(source.registry, context.ports, context.env) : undefined;
}

/**
 * A replica's login, by the credential-scoping rule (credential-scope.ts):
 * another SWR region of the configured domain gets the SWR login derived for
 * it; a host listed in replicate-credentials gets the run's login; any other
 * host gets the Docker config's login for it, or none, and a warning says
 * the run's login was kept back.
 */
async function replicaCredentials(context: Omit<TransferContext, 'clients'>, registry: string): Promise<RegistryCredentials | undefined> {
  const { config, ports } = context;
  if (registry === config.registry) return context.credentials;
  const hasLogin = config.login.kind !== 'anonymous';
  const choice = chooseLogin(registry, loginScopeOf(config, true));
  if (hasLogin && choice.kind === 'swr-region') return derivedSwrCredentials(config, ports, choice.region);
  if (hasLogin && choice.kind === 'configured') {
    ports.logger.info(`replicate-to: ${registry} is listed in replicate-credentials: it gets this run's login`);
    return context.credentials;
  }
  const found = await dockerConfigCredentials(registry, ports, context.env);
  if (hasLogin && choice.kind === 'elsewhere') {
    if (found) ports.logger.info(`replicate-to: ${choice.why}; using the Docker config's login for ${registry}`);
    else ports.logger.warn(`replicate-to: ${choice.why}, and the Docker config has no login for it: copying without a login (list ${registry} in replicate-credentials to send this run's login)`);
  }
  return found;
}


function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}
