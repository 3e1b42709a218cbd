import type { DeployedImage } from '../domain/targets/deploy-result.js';
import { RegistryError, type ImageReference, type RegistryClient } from './client.js';
import { explainRegistryError } from './docker-errors.js';
import { ImageshipError } from '../domain/errors.js';

export interface FindImageRequest {
  reference: ImageReference;
  /** The run's client for the reference's registry (RegistryClients.clientFor). */
  client: RegistryClient;
  loginHint: string;
  /** The tag deploy targets get ('' when the reference has only a digest). */
  tag: string;
}

/**
 * Deploy-only runs: the image must exist before anything is deployed. A
 * digest is checked as given (a tag may have moved since the build job); a
 * bare tag is resolved to the digest it points at now, and that is what gets
 * pinned.
 */
export async function findDeployImage(request: FindImageRequest): Promise<DeployedImage> {
  const { reference } = request;
  const { client } = request;
  const lookup = reference.digest ?? reference.tag ?? '';
  const shown = `${reference.registry}/${reference.repository}${reference.tag ? `:${reference.tag}` : ''}${reference.digest ? `@${reference.digest}` : ''}`;
  let info;
  try {
    info = await client.headManifest(reference.repository, lookup);
  } catch (error) {
    if (error instanceof RegistryError) {
      throw new ImageshipError(explainRegistryError(`${error.status} ${error.code ?? ''} ${error.message}`, { operation: 'verify', registry: reference.registry, loginHint: request.loginHint }), { cause: error });
    }
    throw error;
  }
  if (!info) {
    throw new Error(`deploy-image: ${shown} is not in the registry: check that the build job pushed it (and its image/digest outputs were passed on)`);
  }
  const base = `${reference.registry}/${reference.repository}`;
  const named = request.tag !== '' ? `${base}:${request.tag}` : `${base}@${info.digest}`;
  return {
    registry: reference.registry,
    repository: reference.repository,
    tag: request.tag,
    digest: info.digest,
    reference: named,
    pinned: request.tag !== '' ? `${named}@${info.digest}` : named,
  };
}
