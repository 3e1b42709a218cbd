import type { SourceContext } from './source/context.js';

/**
 * OCI annotations describing where an image came from, so a registry UI or
 * `docker inspect` leads back to the commit. User labels override them.
 */
export function ociLabels(source: SourceContext, version: string, created: Date, userLabels: readonly (readonly [string, string])[]): [string, string][] {
  const computed: [string, string][] = [];
  if (source.repositoryUrl !== '') computed.push(['org.opencontainers.image.source', source.repositoryUrl]);
  if (source.sha !== '') computed.push(['org.opencontainers.image.revision', source.sha]);
  computed.push(['org.opencontainers.image.created', created.toISOString()]);
  if (version !== '') computed.push(['org.opencontainers.image.version', version]);

  const merged = new Map<string, string>(computed);
  for (const [name, value] of userLabels) merged.set(name, value);
  return [...merged];
}
