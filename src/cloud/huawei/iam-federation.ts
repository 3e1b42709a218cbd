/**
 * Huawei Cloud IAM federation with an OpenID Connect identity provider
 * (access type "programmatic"): the CI's OIDC token → a federated token →
 * temporary credentials.
 *
 * Facts relied on (IAM API reference):
 * - "Obtaining a Token with an OpenID Connect ID Token":
 *   `POST /v3.0/OS-AUTH/id-token/tokens`, header `X-Idp-Id: {idp id}`, body
 *   `{"auth": {"id_token": {"id": "<JWT>"}}}` (no scope: an unscoped token);
 *   201, the token in the `X-Subject-Token` header; the identity conversion
 *   rules map the token's claims to a federated user and groups;
 * - "Obtaining a Temporary Access Key and Security Token Through a Token":
 *   `POST /v3.0/OS-CREDENTIAL/securitytokens`, body
 *   `{"auth": {"identity": {"methods": ["token"], "token": {"id", "duration_seconds"}}}}`
 *   (900 to 86400 s), 201 `{"credential": {access, secret, securitytoken, expires_at}}`;
 * - errors `{error_code: "IAM.xxxx", error_msg}` or `{error: {code, message}}`.
 */
import type { Fetch } from '../../ports.js';
import type { RetryPolicy } from '../../http/retry.js';
import type { TemporaryCredentials } from '../temporary-credentials.js';
import { parseTime, postUnsigned, stringField } from './unsigned-call.js';

export interface FederationOptions {
  /** `https://iam.{region}.{domain}` or the `iam=` endpoint override. */
  endpoint: string;
  identityProvider: string;
  idToken: string;
  durationSeconds: number;
  fetch: Fetch;
  /** Masks the federated token the moment it exists. */
  addSecret: (secret: string) => void;
  redact: (text: string) => string;
  retry?: Partial<RetryPolicy>;
}

export async function federatedTemporaryCredentials(options: FederationOptions): Promise<TemporaryCredentials> {
  const base = options.endpoint.replace(/\/+$/, '');
  const common = { fetch: options.fetch, redact: options.redact, ...(options.retry ? { retry: options.retry } : {}) };
  const tokenOperation = `get a federated token from identity provider ${options.identityProvider} with the OIDC token (IAM id-token/tokens)`;
  const tokenAnswer = await postUnsigned({
    url: `${base}/v3.0/OS-AUTH/id-token/tokens`,
    headers: { 'X-Idp-Id': options.identityProvider },
    body: { auth: { id_token: { id: options.idToken } } },
    operation: tokenOperation,
    ...common,
  });
  const federatedToken = tokenAnswer.headers.get('x-subject-token') ?? '';
  if (federatedToken === '') throw new Error(`${tokenOperation}: the answer has no X-Subject-Token header`);
  options.addSecret(federatedToken);

  const keyOperation = 'get temporary credentials for the federated user (IAM OS-CREDENTIAL/securitytokens)';
  const keyAnswer = await postUnsigned({
    url: `${base}/v3.0/OS-CREDENTIAL/securitytokens`,
    headers: { 'X-Auth-Token': federatedToken },
    body: { auth: { identity: { methods: ['token'], token: { id: federatedToken, duration_seconds: options.durationSeconds } } } },
    operation: keyOperation,
    ...common,
  });
  const credential = (keyAnswer.body as { credential?: unknown } | undefined)?.credential;
  const accessKeyId = stringField(credential, 'access');
  const secretAccessKey = stringField(credential, 'secret');
  const securityToken = stringField(credential, 'securitytoken');
  if (!accessKeyId || !secretAccessKey || !securityToken) {
    throw new Error(`${keyOperation}: the answer has no complete "credential" (access, secret, securitytoken)`);
  }
  return { accessKeyId, secretAccessKey, securityToken, expiresAt: parseTime(stringField(credential, 'expires_at')) };
}
