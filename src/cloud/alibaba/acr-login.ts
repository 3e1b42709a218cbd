/**
 * Turns an Alibaba Cloud AccessKey into a temporary `docker login` for
 * Container Registry (ACR), as aliyun/acr-login does:
 *
 * - Enterprise Edition: RPC `GetAuthorizationToken` (version 2018-12-01) for
 *   one instance; answers `TempUsername`, `AuthorizationToken`, `ExpireTime`.
 * - Personal Edition: ROA `GET /tokens` (version 2016-06-07); answers
 *   `data.tempUserName`, `data.authorizationToken`, `data.expireDate`.
 *
 * The temporary password lasts an hour (or as long as the STS token used to
 * get it). Both calls are reads, so fetchWithRetry may repeat them; each try
 * is signed afresh (new nonce and time), as the gateway refuses a nonce seen
 * in the last 15 minutes and a time more than 15 minutes old.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, Fetch } from '../../ports.js';
import { fetchWithRetry, type RetryPolicy } from '../../http/retry.js';
import { readBodyBytes } from '../../http/read-body.js';
import { BODY_CAPS } from '../../util/body-cap.js';
import { alibabaApiError, oneLine, scrubSecrets, type ScrubSecrets } from './api-errors.js';
import { roaHeaders, rpcQuery, signRoa } from './signer.js';

export interface AcrTemporaryLogin {
  username: string;
  password: string;
  /** When the password stops working; undefined when the answer did not say. */
  expiresAt: Date | undefined;
}

export interface AcrCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  /** Required with a temporary STS AccessKey (`STS.…`). */
  securityToken?: string;
}

const ENTERPRISE_API_VERSION = '2018-12-01';
const PERSONAL_API_VERSION = '2016-06-07';
const PERSONAL_TOKENS_PATH = '/tokens';

/** The Container Registry API of `region`; the `endpoints` input's `cr=` line overrides it. */
export function acrApiEndpoint(region: string, overrides: ReadonlyMap<string, string>): string {
  return overrides.get('cr') ?? `https://cr.${region}.aliyuncs.com`;
}

interface CommonLoginOptions {
  /** From acrApiEndpoint: scheme, host, port and optionally a base path. */
  endpoint: string;
  region: string;
  credentials: AcrCredentials;
  fetch: Fetch;
  clock: Clock;
  retry?: Partial<RetryPolicy>;
  /** Waits between retries; tests pass one that records instead of waiting. */
  sleep?: (ms: number) => Promise<void>;
  /** A fresh nonce per call; tests may pin it. */
  nonce?: () => string;
}

export interface EnterpriseLoginOptions extends CommonLoginOptions {
  instanceId: string;
}

export type PersonalLoginOptions = CommonLoginOptions;

/** A temporary login for one Enterprise Edition instance. */
export async function getEnterpriseLogin(options: EnterpriseLoginOptions): Promise<AcrTemporaryLogin> {
  const { credentials, clock } = options;
  const operation = `get Container Registry login for instance ${options.instanceId} in ${options.region}`;
  const base = trimBase(options.endpoint);
  const nextNonce = options.nonce ?? randomUUID;

  // fetchWithRetry repeats the same fetch call; building the URL inside it signs every try anew.
  const signingFetch: Fetch = (_input, init) =>
    options.fetch(
      `${base}/?${rpcQuery({
        action: 'GetAuthorizationToken',
        version: ENTERPRISE_API_VERSION,
        params: { InstanceId: options.instanceId, RegionId: options.region },
        accessKeyId: credentials.accessKeyId,
        accessKeySecret: credentials.accessKeySecret,
        ...(credentials.securityToken === undefined ? {} : { securityToken: credentials.securityToken }),
        now: clock.now(),
        nonce: nextNonce(),
        method: 'GET',
      })}`,
      init,
    );

  const answer = await getJson(signingFetch, { url: `${base}/`, operation, headers: { accept: 'application/json' } }, options);
  const body = answer.body;
  // A 200 can still be a refusal: the CR API reports `IsSuccess: false` with its code (e.g. INSTANCE_NOT_EXIST).
  if (body['IsSuccess'] === false) {
    throw alibabaApiError({
      operation,
      status: answer.status,
      text: answer.text,
      requestIdHeader: answer.requestId,
      secrets: credentials,
      fallbackMessage: 'the API answered IsSuccess=false',
    });
  }
  const username = body['TempUsername'];
  const password = body['AuthorizationToken'];
  if (typeof username !== 'string' || username === '' || typeof password !== 'string' || password === '') {
    throw new Error(`${operation}: HTTP ${answer.status} but the answer has no TempUsername/AuthorizationToken: ${shown(answer.text, credentials)}`);
  }
  return { username, password, expiresAt: millisecondsToDate(body['ExpireTime']) };
}

/** A temporary login for the Personal Edition registry of the AccessKey's account in `region`. */
export async function getPersonalLogin(options: PersonalLoginOptions): Promise<AcrTemporaryLogin> {
  const { credentials, clock } = options;
  const operation = `get Container Registry Personal Edition login in ${options.region}`;
  const base = trimBase(options.endpoint);
  const nextNonce = options.nonce ?? randomUUID;

  const signedHeaders = (): Record<string, string> => {
    const headers = roaHeaders({
      version: PERSONAL_API_VERSION,
      now: clock.now(),
      nonce: nextNonce(),
      accessKeyId: credentials.accessKeyId,
      regionId: options.region,
      ...(credentials.securityToken === undefined ? {} : { securityToken: credentials.securityToken }),
    });
    headers['authorization'] = signRoa({
      method: 'GET',
      path: PERSONAL_TOKENS_PATH,
      headers,
      accessKeyId: credentials.accessKeyId,
      accessKeySecret: credentials.accessKeySecret,
    });
    return headers;
  };
  const signingFetch: Fetch = (input, init) => options.fetch(input, { ...init, headers: signedHeaders() });

  const answer = await getJson(signingFetch, { url: `${base}${PERSONAL_TOKENS_PATH}`, operation }, options);
  const data = answer.body['data'];
  const record = data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  const username = record['tempUserName'];
  const password = record['authorizationToken'];
  if (typeof username !== 'string' || username === '' || typeof password !== 'string' || password === '') {
    throw new Error(
      `${operation}: HTTP ${answer.status} but the answer has no data.tempUserName/data.authorizationToken: ${shown(answer.text, credentials)}`,
    );
  }
  return { username, password, expiresAt: millisecondsToDate(record['expireDate']) };
}

interface JsonAnswer {
  status: number;
  text: string;
  body: Record<string, unknown>;
  requestId: string | null;
}

/** One idempotent GET through fetchWithRetry; a non-2xx answer becomes an AlibabaApiError. */
async function getJson(
  signingFetch: Fetch,
  request: { url: string; operation: string; headers?: Record<string, string> },
  options: CommonLoginOptions,
): Promise<JsonAnswer> {
  const response = await fetchWithRetry(
    signingFetch,
    // Signed: a redirect would carry the AccessKey id and security token (x-acs-*) elsewhere.
    { url: request.url, method: 'GET', operation: request.operation, refuseRedirects: true, ...(request.headers ? { headers: request.headers } : {}) },
    options.retry,
    options.sleep,
  );
  const text = new TextDecoder().decode(
    await readBodyBytes(response, request.operation, { what: `the answer to ${request.operation}`, from: new URL(request.url).host, cap: BODY_CAPS.cloudApi }),
  );
  const requestId = response.headers.get('x-acs-request-id');
  if (response.status < 200 || response.status > 299) {
    throw alibabaApiError({ operation: request.operation, status: response.status, text, requestIdHeader: requestId, secrets: options.credentials });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${request.operation}: HTTP ${response.status} but the answer is not JSON: ${shown(text, options.credentials)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${request.operation}: HTTP ${response.status} but the answer is not a JSON object: ${shown(text, options.credentials)}`);
  }
  return { status: response.status, text, body: parsed as Record<string, unknown>, requestId };
}

/** Both APIs give milliseconds since the epoch (the EE example even leaves it empty). */
function millisecondsToDate(value: unknown): Date | undefined {
  const ms = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) return undefined;
  return new Date(ms);
}

function trimBase(endpoint: string): string {
  return endpoint.replace(/\/+$/, '');
}

/** An unexpected answer, short and without secrets (it may well hold the temporary password itself). */
function shown(text: string, secrets: ScrubSecrets): string {
  const scrubbed = scrubSecrets(oneLine(text), secrets);
  // A half-parsed success answer carries a live registry password: never print the value of a token field.
  return scrubbed.replace(/("(?:AuthorizationToken|authorizationToken)"\s*:\s*)"[^"]*"/g, '$1"***"').slice(0, 200);
}
