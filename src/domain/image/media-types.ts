/**
 * The manifest and config media types imageship understands: Docker's
 * schema 2 family and their OCI equivalents. Schema 1 is deliberately not
 * accepted; registries convert or refuse it, and it carries no config blob.
 */

export const MediaTypes = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
} as const;

/** Sent as Accept on manifest requests; without it many registries answer with (or refuse to convert to) schema 1. */
export const MANIFEST_ACCEPT = [
  MediaTypes.dockerManifest,
  MediaTypes.dockerManifestList,
  MediaTypes.ociManifest,
  MediaTypes.ociIndex,
].join(', ');

/** Index-like manifests point at other manifests, one per platform. */
export function isIndexMediaType(mediaType: string): boolean {
  return mediaType === MediaTypes.dockerManifestList || mediaType === MediaTypes.ociIndex;
}

/** Image manifests point at one config blob and its layers. */
export function isImageManifestMediaType(mediaType: string): boolean {
  return mediaType === MediaTypes.dockerManifest || mediaType === MediaTypes.ociManifest;
}

/** `application/json; charset=utf-8` → `application/json`. */
export function bareMediaType(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}
