/**
 * One signed JSON call to a Huawei Cloud API. Every service client
 * (FunctionGraph, CCE, IAM) goes through here, so signing, retries and the
 * way cloud errors are reported are the same everywhere.
 */
import type { Clock, Fetch } from '../../ports.js';
import { fetchWithRetry, type RetryPolicy } from '../../http/retry.js';
import { readBodyBytes } from '../../http/read-body.js';
import { BODY_CAPS } from '../../util/body-cap.js';
import { shortAccessKey } from '../../domain/swr-login.js';
import { huaweiEndpoint } from '../../domain/targets/huawei-endpoints.js';
import { remedyFor } from './error-remedies.js';
import { signHuaweiRequest, type HuaweiCredentials } from './signer.js';
import { ImageshipError } from '../../domain/errors.js';

export type HuaweiMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

export interface HuaweiApiClientOptions {
  credentials: HuaweiCredentials;
  region: string;
  /** `myhuaweicloud.com` for the public cloud. */
  domain: string;
  /** Per-service base URL overrides (the `endpoints` input). */
  endpoints: ReadonlyMap<string, string>;
  fetch: Fetch;
  clock: Clock;
  retry?: Partial<RetryPolicy>;
  /** Waits between retries; tests pass one that records instead of waiting. */
  sleep?: (ms: number) => Promise<void>;
}

export interface HuaweiApiCall {
  /** The endpoint's first host label: `functiongraph`, `cce`, `iam`… */
  service: string;
  method: HuaweiMethod;
  /** Starts with `/`; segments as the API documents them (a URN keeps its `:`). */
  path: string;
  query?: Record<string, string>;
  /** Serialised to JSON once; those exact bytes are signed and sent. */
  body?: unknown;
  /** `application/json` unless the API wants another JSON media type (CCI's `application/merge-patch+json`). */
  contentType?: string;
  /** Sent as `X-Project-Id`. */
  projectId?: string;
  /** Names the call in errors, e.g. `update FunctionGraph function my-func`. */
  operation: string;
  /** Defaults by method: GET/PUT/DELETE may be repeated, POST/PATCH only when nothing was sent. */
  idempotent?: boolean;
}

export interface HuaweiApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** A non-2xx answer from a Huawei Cloud API, with the cloud's code and what to do about it. */
export class HuaweiApiError extends ImageshipError {
  override readonly name = 'HuaweiApiError';
  readonly status: number;
  /** The cloud's error code (`APIGW.0301`, `FSS.1051`…), '' when the answer had none. */
  readonly code: string;
  readonly operation: string;
  readonly requestId?: string;

  constructor(message: string, details: { status: number; code: string; operation: string; requestId?: string }) {
    super(message);
    this.status = details.status;
    this.code = details.code;
    this.operation = details.operation;
    if (details.requestId !== undefined) this.requestId = details.requestId;
  }
}

export class HuaweiApiClient {
  readonly region: string;
  readonly domain: string;
  private readonly options: HuaweiApiClientOptions;

  constructor(options: HuaweiApiClientOptions) {
    this.options = options;
    this.region = options.region;
    this.domain = options.domain;
  }

  /** Resolves with a 2xx answer's parsed JSON; rejects with HuaweiApiError or HttpError. */
  async request<T = unknown>(call: HuaweiApiCall): Promise<HuaweiApiResponse<T>> {
    const { credentials, clock } = this.options;
    if (call.method === 'GET' && call.body !== undefined) {
      throw new Error(`${call.operation}: a GET request cannot carry a body`);
    }
    const url = this.urlFor(call);
    // The bytes signed are the bytes sent: an absent body is signed as empty and sent as nothing.
    const body = call.body === undefined ? new Uint8Array() : new TextEncoder().encode(JSON.stringify(call.body));
    const headers: Record<string, string> = { 'Content-Type': call.contentType ?? 'application/json' };
    if (call.projectId !== undefined) headers['X-Project-Id'] = call.projectId;

    // fetchWithRetry repeats the same fetch call; signing inside it gives every
    // attempt a fresh X-Sdk-Date, so a retry after a long Retry-After is not
    // rejected as a stale (more than 15 minutes old) signature.
    const signingFetch: Fetch = (input, init) =>
      this.options.fetch(input, {
        ...init,
        headers: signHuaweiRequest({ method: call.method, url, headers, body }, credentials, clock.now()),
      });

    const response = await fetchWithRetry(
      signingFetch,
      {
        url,
        method: call.method,
        headers,
        ...(call.method === 'GET' ? {} : { body }),
        operation: call.operation,
        ...(call.idempotent === undefined ? {} : { idempotent: call.idempotent }),
        // A redirect would re-send the signed call (and a PUT's function config) elsewhere, or hand back another origin's answer.
        refuseRedirects: true,
      },
      this.options.retry,
      this.options.sleep,
    );
    const text = new TextDecoder().decode(
      await readBodyBytes(response, call.operation, { what: `the answer to ${call.operation}`, from: new URL(url).host, cap: BODY_CAPS.cloudApi }),
    );

    if (response.status < 200 || response.status > 299) {
      throw this.apiError(call.operation, response, text);
    }
    let parsed: unknown;
    try {
      parsed = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      throw new Error(
        `${call.operation}: HTTP ${response.status} but the answer is not JSON: ${this.scrub(oneLine(text).slice(0, 200))}`,
      );
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  private urlFor(call: HuaweiApiCall): string {
    const base = huaweiEndpoint(call.service, this.region, this.domain, this.options.endpoints).replace(/\/+$/, '');
    const query = Object.entries(call.query ?? {})
      .map(([key, value]) => `${encodeQueryPart(key)}=${encodeQueryPart(value)}`)
      .join('&');
    return `${base}${call.path}${query === '' ? '' : `?${query}`}`;
  }

  private apiError(operation: string, response: Response, text: string): HuaweiApiError {
    const parsed = parseHuaweiErrorBody(text);
    const requestId = parsed.requestId ?? response.headers.get('x-request-id') ?? undefined;
    const cloudMessage = this.scrub(oneLine(parsed.message ?? text).slice(0, 300));
    const remedy = parsed.code === undefined ? undefined : remedyFor(parsed.code);
    let message = `${operation}: HTTP ${response.status}`;
    if (parsed.code !== undefined) message += ` ${parsed.code}`;
    if (cloudMessage !== '') message += `: ${cloudMessage}`;
    if (remedy !== undefined) message += ` — ${remedy}`;
    return new HuaweiApiError(message, {
      status: response.status,
      code: parsed.code ?? '',
      operation,
      ...(requestId === undefined ? {} : { requestId }),
    });
  }

  /** The cloud may echo request details; the SK never leaves this process and the AK is printed short. */
  private scrub(text: string): string {
    const { accessKey, secretKey, securityToken } = this.options.credentials;
    let result = text;
    if (secretKey !== '') result = result.split(secretKey).join('***');
    if (securityToken !== undefined && securityToken !== '') result = result.split(securityToken).join('***');
    if (accessKey !== '') result = result.split(accessKey).join(shortAccessKey(accessKey));
    return result;
  }
}

export interface HuaweiErrorBody {
  code?: string;
  message?: string;
  requestId?: string;
}

/**
 * Reads the error shapes Huawei Cloud services answer with:
 * `{error_code, error_msg, request_id}` (API Gateway, FunctionGraph…),
 * `{errorCode, errorMessage}` (CCE), `{code, message}` and
 * `{error: {code, message}}` (IAM). Anything else yields an empty result and
 * the caller shows the raw text.
 */
export function parseHuaweiErrorBody(text: string): HuaweiErrorBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {};
  }
  if (value === null || typeof value !== 'object') return {};
  const record = value as Record<string, unknown>;
  const nested = record['error'] !== null && typeof record['error'] === 'object' ? (record['error'] as Record<string, unknown>) : {};
  const pick = (...candidates: unknown[]): string | undefined =>
    candidates.find((candidate): candidate is string => typeof candidate === 'string' && candidate !== '');
  const code = pick(record['error_code'], record['errorCode'], record['code'], nested['code'], nested['error_code']);
  const message = pick(
    record['error_msg'],
    record['errorMessage'],
    record['message'],
    nested['message'],
    nested['error_msg'],
    typeof record['error'] === 'string' ? record['error'] : undefined,
  );
  const requestId = pick(record['request_id'], record['requestId'], nested['request_id']);
  return {
    ...(code === undefined ? {} : { code }),
    ...(message === undefined ? {} : { message }),
    ...(requestId === undefined ? {} : { requestId }),
  };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** RFC 3986 unreserved characters only, the same set the signature encodes, so the two cannot disagree. */
function encodeQueryPart(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
