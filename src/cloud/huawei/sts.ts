/**
 * Huawei Cloud IAM 5.0 STS AssumeAgencyWithOIDC: the CI's OIDC token for
 * temporary credentials of a trust agency, with no stored key.
 *
 * Facts relied on (IAM 5.0 API reference, "AssumeAgencyWithOIDC"):
 * - `POST https://sts.{region}.{domain}/v5/agencies/assume-with-oidc`, unsigned
 *   (the caller is identified by the token, checked against the provider's JWKS);
 * - body `{provider_urn, agency_urn, agency_session_name, id_token, duration_seconds}`,
 *   duration 900 s to the agency's maximum session duration (1-12 h), 1 h by default;
 * - answer `{credentials: {access_key_id, secret_access_key, security_token, expiration}}`;
 * - the trust policy may condition on `oidc:sub`, `oidc:aud`, `oidc:iss`, `oidc:amr`;
 * - errors `{error_code, error_msg, request_id}`.
 */
import type { Fetch } from '../../ports.js';
import type { RetryPolicy } from '../../http/retry.js';
import type { TemporaryCredentials } from '../temporary-credentials.js';
import { parseTime, postUnsigned, stringField } from './unsigned-call.js';

export interface AssumeAgencyWithOidcOptions {
  /** `https://sts.{region}.{domain}` or the `sts=` endpoint override. */
  endpoint: string;
  providerUrn: string;
  agencyUrn: string;
  sessionName: string;
  idToken: string;
  durationSeconds: number;
  fetch: Fetch;
  redact: (text: string) => string;
  retry?: Partial<RetryPolicy>;
}

export async function assumeAgencyWithOidc(options: AssumeAgencyWithOidcOptions): Promise<TemporaryCredentials> {
  const operation = `assume agency ${options.agencyUrn} with the OIDC token (STS AssumeAgencyWithOIDC)`;
  const answer = await postUnsigned({
    url: `${options.endpoint.replace(/\/+$/, '')}/v5/agencies/assume-with-oidc`,
    body: {
      provider_urn: options.providerUrn,
      agency_urn: options.agencyUrn,
      agency_session_name: options.sessionName,
      id_token: options.idToken,
      duration_seconds: options.durationSeconds,
    },
    operation,
    fetch: options.fetch,
    redact: options.redact,
    ...(options.retry ? { retry: options.retry } : {}),
  });
  const credentials = (answer.body as { credentials?: unknown } | undefined)?.credentials;
  const accessKeyId = stringField(credentials, 'access_key_id');
  const secretAccessKey = stringField(credentials, 'secret_access_key');
  const securityToken = stringField(credentials, 'security_token');
  if (!accessKeyId || !secretAccessKey || !securityToken) {
    throw new Error(`${operation}: the answer has no complete "credentials" (access_key_id, secret_access_key, security_token)`);
  }
  return { accessKeyId, secretAccessKey, securityToken, expiresAt: parseTime(stringField(credentials, 'expiration')) };
}
