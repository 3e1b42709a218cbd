/**
 * Request headers that carry a credential or a signature. None of them may
 * follow a redirect to another origin: every redirect imageship follows
 * (the transport's fetch, src/http/redirects.ts, and the raw blob GET) drops them when the origin changes, so a
 * registry sending a blob GET to its CDN reaches the CDN without the login.
 * Signed cloud API calls do not follow redirects at all (src/http/retry.ts,
 * `refuseRedirects`); this list is the second line for them.
 */

/** Generic credential headers, and the ones the cloud clients send by name. */
const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'cookie',
  'proxy-authorization',
  // OpenStack / Huawei Cloud IAM tokens and temporary-credential tokens.
  'x-auth-token',
  'x-security-token',
  'x-subject-token',
]);

/**
 * Every header the signers add: Alibaba's `x-acs-*` (accesskey id, security
 * token, nonce, signature parameters) and Huawei's `x-sdk-*` (the signed
 * date). A signed header is worthless elsewhere but says whose key signed it.
 */
const SIGNER_PREFIXES: readonly string[] = ['x-acs-', 'x-sdk-'];

export function isCredentialHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return CREDENTIAL_HEADERS.has(lower) || SIGNER_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/** `headers` without any credential header (names compared case-insensitively). */
export function withoutCredentialHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (!isCredentialHeader(name)) kept[name] = value;
  return kept;
}
