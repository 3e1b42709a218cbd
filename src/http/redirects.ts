/**
 * Redirects, by the fetch standard's rules (which statuses, 303 and
 * POST-after-301/302 become a GET without body, at most 20 hops), with one
 * difference that matters here: every header that carries a credential stays
 * behind when a redirect leaves the origin. fetch drops only Authorization
 * (and the browser's cookies); imageship also signs calls with Huawei's
 * X-Auth-Token/X-Security-Token and Alibaba's x-acs-* headers, and a
 * registry may send a blob GET to a storage host that must not see any of
 * them.
 */
import { withoutCredentialHeaders } from '../util/credential-headers.js';
import { MAX_REDIRECTS, REDIRECT_STATUSES } from '../util/fetch-rules.js';

export { MAX_REDIRECTS };

/** Lower-case names of the headers that never cross to another origin. */
export const CREDENTIAL_HEADERS: readonly string[] = [
  'authorization',
  'cookie',
  'proxy-authorization',
  'x-acs-security-token',
  'x-acs-accesskey-id',
  'x-auth-token',
  'x-security-token',
];

export interface Hop<Body> {
  url: URL;
  method: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Body | null;
}

/** The next hop for a redirect answer, or undefined when `status`/`location` is not one to follow. */
export function nextHop<Body>(hop: Hop<Body>, status: number, location: string | undefined): Hop<Body> | undefined {
  if (!REDIRECT_STATUSES.has(status) || location === undefined) return undefined;
  const url = new URL(location, hop.url);
  // The one rule of util/credential-headers.ts: credentials and every signer header (x-acs-*, x-sdk-*) stay with their origin.
  const headers = url.origin === hop.url.origin ? { ...hop.headers } : withoutCredentialHeaders(hop.headers);
  if (status === 303 ? hop.method !== 'HEAD' : (status === 301 || status === 302) && hop.method === 'POST') {
    for (const name of Object.keys(headers)) if (name.startsWith('content-')) delete headers[name];
    return { url, method: 'GET', headers, body: null };
  }
  return { ...hop, url, headers };
}
