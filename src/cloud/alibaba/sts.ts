/**
 * Alibaba Cloud STS AssumeRoleWithOIDC (RPC, version 2015-04-01): the CI's
 * OIDC token for temporary credentials of a RAM role, with no stored key.
 *
 * Facts relied on (STS API reference, "AssumeRoleWithOIDC", "Error codes"):
 * - anonymous: no AccessKeyId and no signature; parameters `RoleArn`,
 *   `OIDCProviderArn`, `OIDCToken` (4-20000 characters), `RoleSessionName`,
 *   `DurationSeconds` (900 to the role's MaxSessionDuration, 3600 by default);
 *   sent as a POST form so the token never appears in a URL (proxy logs);
 * - answer `{RequestId, Credentials: {AccessKeyId, AccessKeySecret, SecurityToken, Expiration},
 *   OIDCTokenInfo: {Subject, Issuer, ClientIds}, AssumedRoleUser}`;
 * - errors `{RequestId, HostId, Code, Message, Recommend}`, e.g. 401
 *   AuthenticationFail.OIDCToken.AudienceNotMatch / .Expired / .InvalidSignature,
 *   AuthenticationFail.NoPermission ("There is no permission": the trust
 *   policy's conditions; "No such OIDC Provider registered."), EntityNotExist.Role.
 */
import { randomUUID } from 'node:crypto';
import type { TemporaryCredentials } from '../temporary-credentials.js';
import type { Clock, Fetch } from '../../ports.js';
import { BODY_CAPS } from '../../util/body-cap.js';
import { readBodyBytes } from '../../http/read-body.js';
import { fetchWithRetry, type RetryPolicy } from '../../http/retry.js';
import { AlibabaApiError, oneLine, parseAlibabaErrorBody } from './api-errors.js';
import { percentEncode, rpcTimestamp } from './signer.js';

const STS_API_VERSION = '2015-04-01';

/** The STS API of `region`; the `endpoints` input's `sts=` line overrides it. */
export function alibabaStsEndpoint(region: string, overrides: ReadonlyMap<string, string>): string {
  return overrides.get('sts') ?? `https://sts.${region}.aliyuncs.com`;
}

export interface AssumeRoleWithOidcOptions {
  endpoint: string;
  roleArn: string;
  oidcProviderArn: string;
  idToken: string;
  sessionName: string;
  durationSeconds: number;
  fetch: Fetch;
  clock: Clock;
  redact: (text: string) => string;
  retry?: Partial<RetryPolicy>;
}

export async function assumeRoleWithOidc(options: AssumeRoleWithOidcOptions): Promise<TemporaryCredentials> {
  const operation = `assume RAM role ${options.roleArn} with the OIDC token (STS AssumeRoleWithOIDC)`;
  const url = `${options.endpoint.replace(/\/+$/, '')}/`;
  // A fresh nonce and time per try: fetchWithRetry repeats the same fetch call.
  const formFetch: Fetch = (input, init) =>
    options.fetch(input, {
      ...init,
      body: formBody({
        Action: 'AssumeRoleWithOIDC',
        Version: STS_API_VERSION,
        Format: 'JSON',
        Timestamp: rpcTimestamp(options.clock.now()),
        SignatureNonce: randomUUID(),
        RoleArn: options.roleArn,
        OIDCProviderArn: options.oidcProviderArn,
        OIDCToken: options.idToken,
        RoleSessionName: options.sessionName,
        DurationSeconds: String(options.durationSeconds),
      }),
    });
  const response = await fetchWithRetry(
    formFetch,
    {
      url,
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      // Replaced per try by formFetch; set so the retry policy knows a body travels.
      body: '',
      operation,
      idempotent: true,
      refuseRedirects: true,
    },
    options.retry,
  );
  const text = new TextDecoder().decode(await readBodyBytes(response, operation, { what: `the answer to ${operation}`, from: new URL(url).host, cap: BODY_CAPS.cloudApi }));
  if (response.status < 200 || response.status > 299) {
    const parsed = parseAlibabaErrorBody(text);
    const message = options.redact(oneLine(parsed.message ?? text).slice(0, 300));
    const requestId = parsed.requestId ?? response.headers.get('x-acs-request-id') ?? undefined;
    throw new AlibabaApiError(`${operation}: HTTP ${response.status}${parsed.code ? ` ${parsed.code}` : ''}${message ? `: ${message}` : ''}`, {
      status: response.status,
      code: parsed.code ?? '',
      operation,
      ...(requestId === undefined ? {} : { requestId }),
    });
  }
  let body: { Credentials?: Record<string, unknown> } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`${operation}: HTTP ${response.status} but the answer is not JSON`);
  }
  const credentials = body?.Credentials ?? {};
  const pick = (name: string): string => (typeof credentials[name] === 'string' ? (credentials[name] as string) : '');
  const accessKeyId = pick('AccessKeyId');
  const secretAccessKey = pick('AccessKeySecret');
  const securityToken = pick('SecurityToken');
  if (accessKeyId === '' || secretAccessKey === '' || securityToken === '') {
    throw new Error(`${operation}: the answer has no complete "Credentials" (AccessKeyId, AccessKeySecret, SecurityToken)`);
  }
  const expiration = Date.parse(pick('Expiration'));
  return { accessKeyId, secretAccessKey, securityToken, expiresAt: Number.isNaN(expiration) ? undefined : new Date(expiration) };
}

function formBody(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`)
    .join('&');
}
