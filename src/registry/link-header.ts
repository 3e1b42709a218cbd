/**
 * The `Link: <url>; rel="next"` header registries use to page through tag
 * lists (RFC 8288; distribution spec "Listing Tags").
 */

/** The absolute URL of the `rel="next"` link, resolved against `currentUrl`; undefined when there is none. */
export function nextPageUrl(linkHeader: string | null, currentUrl: string): string | undefined {
  if (!linkHeader) return undefined;
  // Each link value is `<target>` followed by `;param` pairs; the target may contain commas, params rarely do.
  const linkValue = /<([^>]*)>((?:\s*;\s*[^;,]*)*)/g;
  for (const match of linkHeader.matchAll(linkValue)) {
    const target = match[1] ?? '';
    const params = match[2] ?? '';
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params);
    const relations = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (relations.includes('next')) return new URL(target, currentUrl).href;
  }
  return undefined;
}
