/**
 * Turns a failed OIDC exchange into one line that names the claim that did
 * not match and the fix, with the token's sub/aud/iss (never the token).
 * Alibaba's STS documents a code per cause; Huawei's STS and IAM answer with
 * codes that are not documented per cause, so their message and status are
 * read instead, and the line lists what to check when they say too little.
 */
import { AlibabaApiError } from '../alibaba/api-errors.js';
import { HuaweiApiError } from '../huawei/api-client.js';
import type { KeylessExchange } from '../../domain/keyless-settings.js';
import { describeClaims, type IdTokenClaims } from '../../domain/oidc/jwt-claims.js';

export interface ExchangeContext {
  exchange: KeylessExchange;
  claims: IdTokenClaims | undefined;
  audience: string;
}

/** The error to report; other errors (network, HTTP) come back unchanged. */
export function explainExchangeFailure(error: unknown, context: ExchangeContext): unknown {
  if (error instanceof AlibabaApiError) return new Error(`${alibabaCause(error, context)} [${error.message}]`, { cause: error });
  if (error instanceof HuaweiApiError && error.status >= 400 && error.status < 500) {
    return new Error(`${huaweiCause(error, context)} [${error.message}]`, { cause: error });
  }
  return error;
}

function alibabaCause(error: AlibabaApiError, { exchange, claims, audience }: ExchangeContext): string {
  const seen = describeClaims(claims);
  const role = exchange.kind === 'alibaba-sts' ? exchange.roleArn : '';
  const provider = exchange.kind === 'alibaba-sts' ? exchange.oidcProviderArn : '';
  switch (error.code) {
    case 'AuthenticationFail.OIDCToken.AudienceNotMatch':
      return audienceLine(`the OIDC provider ${provider}`, 'RAM console > SSO > OIDC > the provider > Client IDs', claims, audience);
    case 'AuthenticationFail.OIDCToken.Expired':
      return expiredLine(claims);
    case 'AuthenticationFail.OIDCToken.InvalidSignature':
    case 'AuthenticationFail.OIDCToken.Invalid':
    case 'AuthenticationFail.OIDCToken.HttpsUrlInvalid':
      return `oidc-provider-arn: the OIDC provider ${provider} could not verify the token (${seen}): its issuer URL must be "${claims?.iss ?? ''}" exactly and its fingerprint current (RAM console > SSO > OIDC)`;
    case 'EntityNotExist.Role':
      return `role-arn: no RAM role ${role} in this account: copy the ARN from the RAM console > Roles`;
    case 'AuthenticationFail.NoPermission':
      if (/oidc provider/i.test(error.message)) {
        return `oidc-provider-arn: no OIDC provider ${provider} is registered in this account: copy its ARN from RAM console > SSO > OIDC (its issuer URL must be "${claims?.iss ?? ''}")`;
      }
      return subLine(`the trust policy of RAM role ${role}`, 'oidc:sub', claims, `its Principal must be the Federated provider ${provider}`);
    default:
      return `keyless login failed (${seen}): check role-arn, oidc-provider-arn, and that the role's trust policy allows this sub and aud`;
  }
}

function huaweiCause(error: HuaweiApiError, { exchange, claims, audience }: ExchangeContext): string {
  const text = error.message;
  const seen = describeClaims(claims);
  if (exchange.kind === 'huawei-sts') {
    const where = `the OIDC provider ${exchange.providerUrn}`;
    if (/\b(aud|audience|client[ _-]?id)/i.test(text)) return audienceLine(where, 'IAM console > Identity Providers > the provider > Client IDs', claims, audience);
    if (/expire/i.test(text)) return expiredLine(claims);
    if (/\b(sub|subject|condition|trust polic|not allowed|denied|not authorized|permission)/i.test(text) || error.status === 403) {
      return subLine(`the trust policy of agency ${exchange.agencyUrn}`, 'oidc:sub', claims, `its principal must be the identity provider ${exchange.providerUrn}`);
    }
    if (/provider|not (exist|found)|could not find/i.test(text) || error.status === 404) {
      return `oidc-provider-urn: ${exchange.providerUrn} or agency-urn ${exchange.agencyUrn} does not exist in this account (${seen}): copy both URNs from the IAM console`;
    }
    return `keyless login failed (${seen}): check that oidc-provider-urn's issuer URL is "${claims?.iss ?? ''}", that it lists "${audience}" as a client id, and that agency ${exchange.agencyUrn} trusts it for this sub`;
  }
  if (exchange.kind === 'huawei-federation') {
    const idp = exchange.identityProvider;
    if (/mapping|rule|no (matched )?user|local user|group/i.test(text)) {
      return `identity-provider: the identity conversion rules of ${idp} map this token (${seen}) to no user: add a rule whose "remote" conditions match these claims (e.g. sub), with a "local" user and a user group that holds the SWR/FunctionGraph permissions`;
    }
    if (/\b(aud|audience|client[ _-]?id)/i.test(text)) return audienceLine(`identity provider ${idp}`, 'IAM console > Identity Providers > the provider > Client ID', claims, audience);
    if (/expire/i.test(text)) return expiredLine(claims);
    if (/could not find|not (exist|found)/i.test(text) || error.status === 404) {
      return `identity-provider: no identity provider "${idp}" in this account: copy its name from the IAM console > Identity Providers (protocol OpenID Connect, access type programmatic)`;
    }
    return `identity-provider: ${idp} did not accept the token (${seen}): check its issuer URL is "${claims?.iss ?? ''}", its client id "${audience}", its signing key (the issuer's JWKS), and that its conversion rules match these claims`;
  }
  return `keyless login failed (${seen})`;
}

function audienceLine(where: string, console: string, claims: IdTokenClaims | undefined, audience: string): string {
  const aud = claims?.aud.join('", "') ?? audience;
  return `oidc-audience: ${where} does not accept the token's aud "${aud}" (${describeClaims(claims)}): add "${aud}" as a client id (${console}), or set oidc-audience to a client id it lists`;
}

function expiredLine(claims: IdTokenClaims | undefined): string {
  const when = claims?.exp === undefined ? '' : ` at ${new Date(claims.exp * 1000).toISOString()}`;
  return `oidc-token: the cloud says the ID token expired${when} (${describeClaims(claims)}): get a fresh token in the same job right before this step, and check the runner's clock`;
}

function subLine(policy: string, key: string, claims: IdTokenClaims | undefined, principal: string): string {
  return `${policy.startsWith('the trust policy of RAM') ? 'role-arn' : 'agency-urn'}: ${policy} does not allow this token (${describeClaims(claims)}): ` +
    `add a condition on ${key} that matches "${claims?.sub ?? ''}" (GitHub: repo:<owner>/<repo>:ref:refs/heads/<branch> or :environment:<name>; GitLab: project_path:<group>/<project>:ref_type:branch:ref:<branch>); ${principal}`;
}
