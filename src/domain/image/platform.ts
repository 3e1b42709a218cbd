/**
 * Picking one platform's manifest out of an index (manifest list), the way
 * `docker pull` does for the machine it runs on.
 */
import type { Descriptor, Platform } from './manifest-shapes.js';

export interface PlatformSelector {
  os: string;
  architecture: string;
}

/** What a CI runner builds for unless told otherwise. */
export const DEFAULT_PLATFORM: Readonly<PlatformSelector> = Object.freeze({ os: 'linux', architecture: 'amd64' });

/**
 * The entry for `wanted`; without `wanted`, the only runnable entry, else
 * linux/amd64. Throws an Error listing what the index offers when nothing fits.
 */
export function selectPlatformManifest(
  entries: readonly Descriptor[],
  wanted: PlatformSelector | undefined,
  operation: string,
): Descriptor {
  const runnable = entries.filter(isRunnableEntry);
  if (wanted === undefined && runnable.length === 1) return runnable[0] as Descriptor;
  const target = wanted ?? DEFAULT_PLATFORM;
  const match = runnable.find(
    (entry) => entry.platform?.os === target.os && entry.platform.architecture === target.architecture,
  );
  if (match) return match;
  const offered = runnable.map((entry) => (entry.platform ? formatPlatform(entry.platform) : 'unspecified')).join(', ');
  throw new Error(`${operation}: no ${formatPlatform(target)} image in the index (it has: ${offered || 'nothing runnable'})`);
}

export function formatPlatform(platform: { os: string; architecture: string; variant?: string | undefined }): string {
  return `${platform.os}/${platform.architecture}${platform.variant ? `/${platform.variant}` : ''}`;
}

/**
 * BuildKit adds provenance/SBOM "attestation manifests" to indexes as
 * `unknown/unknown` entries; they are not images anyone can run.
 */
function isRunnableEntry(entry: Descriptor): boolean {
  if (entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') return false;
  const platform: Platform | undefined = entry.platform;
  return !(platform?.os === 'unknown' && platform.architecture === 'unknown');
}
