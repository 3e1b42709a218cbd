/**
 * What can be said about an ID token before it is sent: expired, not yet
 * valid, or minted for another audience. These are the most common keyless
 * failures (as configure-aws-credentials' issues show); catching them here
 * names the claim and the fix instead of relaying a cloud's terse 401.
 */
import { describeClaims, type IdTokenClaims } from './jwt-claims.js';

/** Clock skew tolerated on exp/nbf, as the clouds' verifiers allow some. */
const SKEW_SECONDS = 60;

/** One line naming the claim that fails and the fix, or undefined when the token looks usable. */
export function idTokenProblem(claims: IdTokenClaims | undefined, audience: string, now: Date): string | undefined {
  if (claims === undefined) {
    return 'oidc-token: not a JWT with readable claims: pass the ID token itself (header.payload.signature), not an access token or its base64';
  }
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (claims.exp !== undefined && claims.exp + SKEW_SECONDS < nowSeconds) {
    return `oidc-token: the ID token expired at ${new Date(claims.exp * 1000).toISOString()} (${describeClaims(claims)}): ` +
      'get a fresh token in the same job right before this step (GitLab id_tokens last as long as the job; a token saved from an earlier job or step is stale)';
  }
  if (claims.nbf !== undefined && claims.nbf - SKEW_SECONDS > nowSeconds) {
    return `oidc-token: the ID token is not valid before ${new Date(claims.nbf * 1000).toISOString()} (${describeClaims(claims)}): check the runner's clock (NTP)`;
  }
  if (!claims.aud.includes(audience)) {
    return `oidc-audience: the ID token was issued for aud "${claims.aud.join('", "')}", not "${audience}" (${describeClaims(claims)}): ` +
      `set oidc-audience to the audience the token carries and list it as a client id of the cloud's identity provider, or request the token for "${audience}" (GitLab: id_tokens: …: aud: ${audience})`;
  }
  return undefined;
}
