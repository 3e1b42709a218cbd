import { RegistryError, type RegistryClient } from './client.js';
import { explainRegistryError } from './docker-errors.js';
import { ImageshipError, type ImageshipErrorOptions } from '../domain/errors.js';
import type { TagConfirmations } from './tag-confirmations.js';

export class VerifyError extends ImageshipError {
  constructor(message: string, options: ImageshipErrorOptions = {}) {
    super(message, options);
    this.name = 'VerifyError';
  }
}

export interface VerifyRequest {
  /** The run's client for the registry (RegistryClients.clientFor). */
  client: RegistryClient;
  repository: string;
  tags: readonly string[];
  loginHint: string;
  /** A digest a builder already reported; the registry must agree with it. */
  expectedDigest?: string;
  /**
   * Tags the registry confirmed at a digest when this run wrote them (its answer to the PUT, or the copy's HEAD):
   * taken as they are, with no request. The other tags are asked for.
   */
  confirmed?: TagConfirmations;
}

/**
 * Asks the registry itself (not docker's output) which manifest each tag
 * points at, and requires one digest for all of them. This catches a push
 * that half-failed, a tag overwritten by a concurrent job, or a proxy that
 * rewrote the manifest. A tag in `confirmed` is not asked for again: the
 * registry's own answer to this run's write of it is the same evidence, one
 * round trip earlier.
 */
export async function verifyPushedTags(request: VerifyRequest): Promise<string> {
  const { client } = request;
  const registry = client.registry;
  const digests = new Map<string, string>();
  for (const tag of request.tags) {
    const confirmed = request.confirmed?.get(tag);
    if (confirmed !== undefined) {
      digests.set(tag, confirmed);
      continue;
    }
    let info;
    try {
      info = await client.headManifest(request.repository, tag);
    } catch (error) {
      if (error instanceof RegistryError) {
        throw new VerifyError(explainRegistryError(`${error.status} ${error.code ?? ''} ${error.message}`, { operation: 'verify', registry, loginHint: request.loginHint }), { cause: error });
      }
      throw error;
    }
    if (!info) throw new VerifyError(`verify: ${registry}/${request.repository}:${tag} is missing from the registry after the push: re-run; if it persists the registry may be dropping pushes`);
    digests.set(tag, info.digest);
  }
  const distinct = new Set(digests.values());
  if (distinct.size !== 1) {
    const listing = [...digests].map(([tag, digest]) => `${tag}=${digest}`).join(', ');
    throw new VerifyError(`verify: the pushed tags point at different manifests (${listing}): another job may have pushed the same tags at once`);
  }
  const [digest] = distinct as Set<string>;
  if (request.expectedDigest && request.expectedDigest !== digest) {
    throw new VerifyError(`verify: the builder reported ${request.expectedDigest} but the registry serves ${digest}`);
  }
  return digest as string;
}
