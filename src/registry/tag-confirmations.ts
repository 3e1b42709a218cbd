/**
 * What the registry itself answered when this run wrote each tag. A manifest PUT's response names the digest the
 * registry stored (`Docker-Content-Digest`), and a copy that finds a tag already at the digest learns it from the
 * registry's HEAD: either answer is the one the verify step would ask for again a moment later. The verify step
 * sends no request for a tag the registry confirmed this way (src/app/steps/run-step.ts); every other tag is
 * asked for as before.
 */
import type { RegistryClient } from './client.js';

/** One manifest PUT as the registry answered it. */
export interface ManifestWrite {
  /** The digest of the bytes written. */
  digest: string;
  /**
   * The registry's response named this very digest (Docker-Content-Digest, equal to `digest`). false when the
   * response carried no digest (the spec lets a registry leave it out) or named it in another algorithm.
   */
  confirmed: boolean;
}

/** tag → the digest the registry confirmed for it during this run's writes; a tag left out was not confirmed. */
export type TagConfirmations = ReadonlyMap<string, string>;

export const NO_CONFIRMATIONS: TagConfirmations = new Map();

/** An image written under tags, and what the registry confirmed of it. */
export interface WrittenImage {
  digest: string;
  confirmed: TagConfirmations;
}

/** Adds the tag when the registry's answer to its PUT named the digest written. */
export function recordWrite(confirmed: Map<string, string>, tag: string, write: ManifestWrite): void {
  if (write.confirmed) confirmed.set(tag, write.digest);
}

/**
 * Writes the same manifest bytes under each tag, one after another (a registry keeps the last PUT of a tag, so
 * the order is the tags' order), and returns what the registry confirmed.
 */
export async function putUnderTags(
  client: RegistryClient,
  repository: string,
  tags: readonly string[],
  manifest: { raw: Uint8Array; mediaType: string },
  onWritten?: (tag: string) => void,
): Promise<Map<string, string>> {
  const confirmed = new Map<string, string>();
  for (const tag of tags) {
    recordWrite(confirmed, tag, await client.putManifest(repository, tag, manifest.raw, manifest.mediaType));
    onWritten?.(tag);
  }
  return confirmed;
}
