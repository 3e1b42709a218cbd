/**
 * Reads the claims of an OIDC ID token without verifying it: the cloud
 * verifies the signature; imageship only needs the claims to say, when an
 * exchange fails, which of sub/aud/iss/exp did not match (the token itself is
 * never printed). A library would add a dependency for twenty lines of
 * base64url and JSON.
 */

export interface IdTokenClaims {
  iss: string;
  sub: string;
  /** `aud` as a list (a JWT may carry one string or several). */
  aud: string[];
  /** Seconds since the epoch; undefined when absent. */
  exp: number | undefined;
  nbf: number | undefined;
}

/** The claims, or undefined when the text is not a JWT with a JSON payload. */
export function readClaims(token: string): IdTokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  const record = payload as Record<string, unknown>;
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  const number = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
  const aud = Array.isArray(record['aud'])
    ? (record['aud'] as unknown[]).filter((entry): entry is string => typeof entry === 'string')
    : typeof record['aud'] === 'string'
      ? [record['aud']]
      : [];
  return { iss: text(record['iss']), sub: text(record['sub']), aud, exp: number(record['exp']), nbf: number(record['nbf']) };
}

/** `sub "…", aud "…", iss "…"`: what a trust policy matches on, for error messages. */
export function describeClaims(claims: IdTokenClaims | undefined): string {
  if (claims === undefined) return 'the token\'s claims could not be read';
  return `sub "${claims.sub}", aud "${claims.aud.join('", "')}", iss "${claims.iss}"`;
}
