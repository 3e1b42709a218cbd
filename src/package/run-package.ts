/**
 * A `package` run: fetch the package, write its layer, assemble the image on
 * the base through the registry API and push it under the tags. No docker
 * process is started at any point.
 */
import type { PackageSettings } from '../domain/package-settings.js';
import type { Ports } from '../ports.js';
import type { RegistryClients } from '../registry/clients.js';
import { assembleImage, cancelUploads, openUploads, prepareBase, type AssembleResult } from './assemble.js';
import { defaultStart, placementFor } from '../domain/package-defaults.js';
import { blobDigestOf, buildLayer, buildLayerAsFilled, diffIdOf } from './layer-tar.js';
import { packageContent } from './package-content.js';
import { fetchPackage } from './package-source.js';

export interface PackageRunRequest {
  settings: PackageSettings;
  destination: { registry: string; repository: string };
  /** `platforms`: narrows a multi-platform base. */
  platforms: readonly string[];
  tags: readonly string[];
  /** The run's labels (OCI labels and `labels`), `created` replaced by the fixed time. */
  labels: readonly (readonly [string, string])[];
  /** SOURCE_DATE_EPOCH, else undefined (the epoch is used: same inputs, same digest). */
  sourceDateEpoch: Date | undefined;
  clients: RegistryClients;
  ports: Ports;
  cwd: string;
  concurrency?: number;
}

export async function runPackage(request: PackageRunRequest): Promise<AssembleResult> {
  const { settings, ports } = request;
  const log = (line: string): void => ports.logger.info(ports.secrets.redact(line));
  for (const [name, value] of settings.env) {
    // Secrets known only at run time (env fallbacks, tokens) are checked here, before anything is fetched or pushed.
    if (value.length >= 4 && ports.secrets.redact(value) !== value) {
      throw new Error(`env: ${name} holds one of this run's secrets: it would be baked into the image for anyone who can pull it; pass it to the container at run time instead`);
    }
  }
  const created = request.sourceDateEpoch ?? new Date(0);
  const createdIso = created.toISOString().replace(/\.000Z$/, 'Z');

  // The base is resolved, and its blobs put in the destination repository, while the package is fetched and its layer written.
  const base = settings.baseImage;
  const baseReference = base.digest ?? base.tag ?? 'latest';
  const baseName = `${base.registry}/${base.repository}${base.tag ? `:${base.tag}` : ''}${base.digest ? `@${base.digest}` : ''}`;
  const [baseClient, destinationClient] = await Promise.all([request.clients.clientFor(base.registry), request.clients.clientFor(request.destination.registry)]);
  const baseRequest = {
    base: { client: baseClient, repository: base.repository, reference: baseReference, shown: baseName },
    destination: { client: destinationClient, repository: request.destination.repository },
    platforms: request.platforms,
    log,
    ...(request.concurrency === undefined ? {} : { concurrency: request.concurrency }),
  };
  const prepared = prepareBase(baseRequest);
  prepared.catch(() => undefined);

  const fetched = await fetchPackage({
    source: settings.source,
    maxBytes: settings.maxBytes,
    sha256: settings.sha256,
    fetch: ports.fetch,
    now: () => ports.clock.now(),
    cwd: request.cwd,
    log,
  });
  const placement = placementFor(settings.type, settings.workdir);
  // A single file (jar, war) goes into the layer as it is read; an archive is unpacked once all of it is in.
  if (placement.kind !== 'file') await fetched.fill?.done;
  const content = packageContent(fetched.bytes, settings.type, placement, settings.maxBytes);
  const owner = numericOwner(settings.user);
  if (settings.user !== '' && owner === undefined) {
    ports.logger.warn(`user: "${settings.user}" is a name, not uid[:gid]: the package files belong to root (readable by everyone); give a numeric uid:gid to make them the user's`);
  }
  const layerOptions = { mtime: Math.floor(created.getTime() / 1000), uid: owner?.uid ?? 0, gid: owner?.gid ?? 0 };
  // The package passed its checks: the destination's upload sessions open while the layer is laid out.
  const uploads = openUploads(baseRequest.destination);
  try {
    const layer = fetched.fill ? await buildLayerAsFilled(content.entries, layerOptions, fetched.fill) : buildLayer(content.entries, layerOptions);
    // The three hashes are computed while the layer goes up: the blob's names the upload when it closes, the
    // diff id and the package's digest are wanted only by the config.
    const layerDigest = blobDigestOf(layer);
    layerDigest.then((digest) => log(`layer ${digest}: ${layer.entries.length} entries into ${placement.path}, ${layer.size} bytes gzip'd`), () => undefined);
    const packageSha256 = fetched.sha256.then((sha256) => {
      if (settings.sha256 === '') log(`package ${fetched.shown}: sha256:${sha256}`);
      return sha256;
    });

    const start = defaultStart(settings.type, content.packageJson);
    // The user's entrypoint replaces the type's start entirely; a user cmd alone becomes the arguments of the type's entrypoint.
    const entrypoint = settings.entrypoint ?? start.entrypoint;
    const cmd = settings.entrypoint !== undefined ? settings.cmd : (settings.cmd ?? start.cmd);
    const labels = request.labels.map(([name, value]) => [name, name === 'org.opencontainers.image.created' ? createdIso : value] as const);

    const changes = packageSha256.then((sha256) => ({
      created: createdIso,
      entrypoint,
      cmd,
      workdir: settings.workdir || placement.workdir,
      env: settings.env,
      expose: settings.expose,
      user: settings.user,
      labels: [
        ...labels,
        ...(settings.name !== '' ? [['io.imageship.package.name', settings.name] as const] : []),
        ...(settings.version !== '' ? [['io.imageship.package.version', settings.version] as const] : []),
        ['io.imageship.package.sha256', sha256] as const,
      ],
      createdBy: `imageship package ${settings.type} ${fetched.shown.replace(/^.*[/\\]/, '')} → ${placement.path}`,
      baseName,
    }));
    const diffId = diffIdOf(layer);
    // Awaited by assembleImage unless it failed first: no unhandled rejection either way.
    diffId.catch(() => undefined);
    changes.catch(() => undefined);
    const result = await assembleImage({ ...baseRequest, layer, layerDigest, diffId, changes, tags: request.tags, uploads }, prepared).catch(async (error: unknown) => {
      // A package that changed while it was read fails its upload and its hashes: say so, not how the upload broke off.
      throw (await fetched.fill?.done.then(() => undefined, (failure: unknown) => failure)) ?? error;
    });
    ports.logger.info(
      `${result.digest}: ${result.platforms.join(', ')} on ${baseName}; base blobs ${result.baseBlobs.copied} copied (${result.baseBlobs.bytesCopied} bytes), ${result.baseBlobs.mounted} mounted, ${result.baseBlobs.skipped} already there`,
    );
    return result;
  } finally {
    await cancelUploads(uploads);
  }
}

/** `1000` or `1000:1000` → ids; a name → undefined (the base's /etc/passwd is not read). */
function numericOwner(user: string): { uid: number; gid: number } | undefined {
  const match = /^(\d+)(?::(\d+))?$/.exec(user);
  if (!match) return undefined;
  const uid = Number(match[1]);
  return { uid, gid: match[2] === undefined ? uid : Number(match[2]) };
}
