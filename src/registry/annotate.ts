import type { FetchedManifest } from './client.js';
import { digestOf } from '../domain/image/digest.js';

/**
 * A manifest (or index) with `annotations` added, every other field kept:
 * what a copy writes when the user asks for annotations, so the copied image
 * gets a new digest while its blobs and child manifests stay the same.
 * Existing annotations of the same name are replaced. A schema 1 manifest
 * is signed over its bytes and cannot be changed.
 */
export function annotatedManifest(manifest: FetchedManifest, annotations: Readonly<Record<string, string>>): { raw: Uint8Array; digest: string } {
  const body = manifest.body as Record<string, unknown> | null;
  if (typeof body !== 'object' || body === null || body['schemaVersion'] !== 2) {
    throw new Error(`annotations: ${manifest.info.digest} is not a schema 2 / OCI manifest, so annotations cannot be added: copy it without annotations`);
  }
  const existing = typeof body['annotations'] === 'object' && body['annotations'] !== null ? (body['annotations'] as Record<string, string>) : {};
  const raw = new TextEncoder().encode(JSON.stringify({ ...body, annotations: { ...existing, ...annotations } }));
  return { raw, digest: digestOf(raw) };
}
