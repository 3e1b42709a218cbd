/** How a package source is shown: never a URL's query (it may carry a token). */
import type { PackageSource } from '../domain/package-settings.js';

export function describeSource(source: PackageSource): string {
  if (source.kind === 'local') return source.path;
  if (source.kind === 'obs') return `obs://${source.bucket}/${source.key}`;
  const url = new URL(source.url);
  return `${url.origin}${url.pathname}`;
}
