/**
 * The parts of image manifests and indexes the client reads, with checks
 * that turn a malformed document into a clear error instead of a TypeError
 * deep inside the caller.
 */
import { digestError } from './reference.js';
import { isImageManifestMediaType, isIndexMediaType } from './media-types.js';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
}

export type ManifestKind = 'index' | 'image' | 'unknown';

/**
 * Index or image manifest. The mediaType field is optional in OCI documents,
 * so the document's shape decides when neither it nor Content-Type says.
 */
export function manifestKind(mediaType: string, body: unknown): ManifestKind {
  if (isIndexMediaType(mediaType)) return 'index';
  if (isImageManifestMediaType(mediaType)) return 'image';
  if (mediaType === '' || mediaType === 'application/json') {
    const record = (body ?? {}) as Record<string, unknown>;
    if (Array.isArray(record.manifests)) return 'index';
    if (record.config !== undefined && Array.isArray(record.layers)) return 'image';
  }
  return 'unknown';
}

/** `body.config` of an image manifest, validated. */
export function configDescriptor(body: unknown, operation: string): Descriptor {
  const config = (body as { config?: unknown } | null)?.config;
  return asDescriptor(config, `${operation}: the manifest's config descriptor`);
}

/** `body.manifests` of an index, validated. */
export function indexEntries(body: unknown, operation: string): Descriptor[] {
  const manifests = (body as { manifests?: unknown } | null)?.manifests;
  if (!Array.isArray(manifests)) throw new Error(`${operation}: the index has no "manifests" array`);
  return manifests.map((entry, i) => asDescriptor(entry, `${operation}: index entry ${i}`));
}

function asDescriptor(value: unknown, where: string): Descriptor {
  if (value === null || typeof value !== 'object') throw new Error(`${where} is missing`);
  const record = value as Record<string, unknown>;
  if (typeof record.digest !== 'string' || digestError(record.digest) !== undefined) {
    throw new Error(`${where} has no valid digest`);
  }
  if (typeof record.size !== 'number' || !Number.isSafeInteger(record.size) || record.size < 0) {
    throw new Error(`${where} has no valid size`);
  }
  return value as Descriptor;
}
