/**
 * An unsigned JSON call to a Huawei Cloud API, for the exchanges that take
 * no key (the credential is the ID token in the body or a token header): STS
 * AssumeAgencyWithOIDC and the IAM federation calls. Through the one
 * transport and retry policy; a redirect is refused, as for signed calls,
 * because the body carries the ID token.
 */
import type { Fetch } from '../../ports.js';
import { BODY_CAPS } from '../../util/body-cap.js';
import { readBodyBytes } from '../../http/read-body.js';
import { fetchWithRetry, type RetryPolicy } from '../../http/retry.js';
import { HuaweiApiError, parseHuaweiErrorBody } from './api-client.js';

export interface UnsignedCall {
  url: string;
  headers?: Record<string, string>;
  body: unknown;
  operation: string;
  fetch: Fetch;
  retry?: Partial<RetryPolicy>;
  /** Scrubs secrets (the ID token, tokens) out of text the cloud echoes. */
  redact: (text: string) => string;
}

export interface UnsignedAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Resolves with a 2xx answer; rejects with HuaweiApiError (the cloud's code and message, scrubbed) or HttpError. */
export async function postUnsigned(call: UnsignedCall): Promise<UnsignedAnswer> {
  const response = await fetchWithRetry(
    call.fetch,
    {
      url: call.url,
      method: 'POST',
      headers: { 'Content-Type': 'application/json;charset=utf8', ...call.headers },
      body: JSON.stringify(call.body),
      operation: call.operation,
      // Each call only issues a credential: repeating one after a lost answer changes nothing.
      idempotent: true,
      refuseRedirects: true,
    },
    call.retry,
  );
  const text = new TextDecoder().decode(
    await readBodyBytes(response, call.operation, { what: `the answer to ${call.operation}`, from: new URL(call.url).host, cap: BODY_CAPS.cloudApi }),
  );
  if (response.status < 200 || response.status > 299) {
    const parsed = parseHuaweiErrorBody(text);
    const message = call.redact((parsed.message ?? text).replace(/\s+/g, ' ').trim().slice(0, 300));
    throw new HuaweiApiError(`${call.operation}: HTTP ${response.status}${parsed.code ? ` ${parsed.code}` : ''}${message ? `: ${message}` : ''}`, {
      status: response.status,
      code: parsed.code ?? '',
      operation: call.operation,
      ...(parsed.requestId === undefined ? {} : { requestId: parsed.requestId }),
    });
  }
  let body: unknown;
  try {
    body = text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    throw new Error(`${call.operation}: HTTP ${response.status} but the answer is not JSON`);
  }
  return { status: response.status, headers: response.headers, body };
}

/** A field of a JSON object, as a non-empty string, else undefined. */
export function stringField(record: unknown, name: string): string | undefined {
  if (record === null || typeof record !== 'object') return undefined;
  const value = (record as Record<string, unknown>)[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** An ISO time, or undefined. */
export function parseTime(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time);
}
