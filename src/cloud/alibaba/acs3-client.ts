/**
 * One signed JSON call to an Alibaba Cloud API with signature V3, through the
 * one network layer (ports.fetch, fetchWithRetry). Function Compute 3.0 and
 * SAE go through here, so signing, retries and error reporting are the same
 * for both; each try is signed afresh (new x-acs-date and nonce): the gateway
 * refuses a nonce seen in the last 15 minutes.
 */
import { randomBytes } from 'node:crypto';
import type { Clock, Fetch } from '../../ports.js';
import { fetchWithRetry, type RetryPolicy } from '../../http/retry.js';
import { readBodyBytes } from '../../http/read-body.js';
import { BODY_CAPS } from '../../util/body-cap.js';
import { signAcs3Request, acs3CanonicalQuery, type Acs3Credentials } from './acs3-signer.js';
import { alibabaApiError, oneLine, scrubSecrets } from './api-errors.js';

export interface Acs3ClientOptions {
  credentials: Acs3Credentials;
  fetch: Fetch;
  clock: Clock;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  /** A fresh nonce per try (the SDK sends 64 random hex characters). */
  nonce?: () => string;
}

export interface Acs3Call {
  /** Scheme, host, port and optionally a base path (the `endpoints` override). */
  endpoint: string;
  action: string;
  version: string;
  method: 'GET' | 'POST' | 'PUT';
  /** The API path as documented (`/2023-03-30/functions/my-func`); what is signed. */
  path: string;
  query?: Record<string, string>;
  /** Serialised once as JSON; those exact bytes are hashed, signed and sent. */
  jsonBody?: unknown;
  /** A form API (reqBodyType formData): the SDK sends this content type even with an empty form. */
  form?: boolean;
  /** Names the call in errors. */
  operation: string;
  idempotent?: boolean;
  /** The service's remedies per error code (api-errors.ts adds the gateway's). */
  remedies?: ReadonlyMap<string, string>;
}

export interface Acs3Answer {
  status: number;
  body: Record<string, unknown>;
  text: string;
  requestId: string | null;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const FORM_TYPE = 'application/x-www-form-urlencoded';

const randomNonce = (): string => randomBytes(32).toString('hex');

/** Resolves with a 2xx JSON object answer; rejects with AlibabaApiError (non-2xx) or HttpError (network). */
export async function callAcs3(options: Acs3ClientOptions, call: Acs3Call): Promise<Acs3Answer> {
  const base = call.endpoint.replace(/\/+$/, '');
  const query = acs3CanonicalQuery(call.query ?? {});
  const url = `${base}${call.path}${query === '' ? '' : `?${query}`}`;
  const host = new URL(url).host;
  const body = call.jsonBody === undefined ? undefined : JSON.stringify(call.jsonBody);
  const contentType = body !== undefined ? JSON_TYPE : call.form ? FORM_TYPE : undefined;
  const nextNonce = options.nonce ?? randomNonce;

  const signingFetch: Fetch = (input, init) => {
    const signed = signAcs3Request({
      method: call.method,
      host,
      path: call.path,
      query: call.query ?? {},
      ...(body === undefined ? {} : { body }),
      ...(contentType === undefined ? {} : { contentType }),
      action: call.action,
      version: call.version,
      credentials: options.credentials,
      now: options.clock.now(),
      nonce: nextNonce(),
    });
    // The transport writes Host from the URL (the same value that was signed).
    delete signed['host'];
    return options.fetch(input, { ...init, headers: signed });
  };

  const response = await fetchWithRetry(
    signingFetch,
    {
      url,
      method: call.method,
      ...(body === undefined ? {} : { body }),
      operation: call.operation,
      ...(call.idempotent === undefined ? {} : { idempotent: call.idempotent }),
      // A redirect would carry the signed call (and the STS token) to another host.
      refuseRedirects: true,
    },
    options.retry,
    options.sleep,
  );
  const text = new TextDecoder().decode(
    await readBodyBytes(response, call.operation, { what: `the answer to ${call.operation}`, from: new URL(url).host, cap: BODY_CAPS.cloudApi }),
  );
  const requestId = response.headers.get('x-acs-request-id');
  if (response.status < 200 || response.status > 299) {
    throw alibabaApiError({
      operation: call.operation,
      status: response.status,
      text,
      requestIdHeader: requestId,
      secrets: options.credentials,
      ...(call.remedies === undefined ? {} : { remedies: call.remedies }),
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${call.operation}: HTTP ${response.status} but the answer is not a JSON object: ${scrubSecrets(oneLine(text), options.credentials).slice(0, 200)}`);
  }
  return { status: response.status, body: parsed as Record<string, unknown>, text, requestId };
}
