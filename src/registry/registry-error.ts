/**
 * Registry answers other than success, turned into one error type that keeps
 * the status and the distribution spec's error code (UNAUTHORIZED, DENIED,
 * MANIFEST_UNKNOWN, NAME_UNKNOWN…) for callers to branch on.
 */
import { BODY_CAPS } from '../util/body-cap.js';
import { parseRetryAfterMs } from '../http/retry.js';
import { readBodyBytes } from '../http/read-body.js';
import { ImageshipError } from '../domain/errors.js';

export class RegistryError extends ImageshipError {
  override readonly name = 'RegistryError';
  readonly status: number;
  /** The first `errors[].code` of the registry's JSON error body, when it sent one. */
  readonly code?: string;
  readonly operation: string;
  /** The pause a 429/503 answer asked for with Retry-After, when it did. */
  readonly retryAfterMs?: number;
  /**
   * Set when the request failed for a reason a fresh attempt of the whole
   * operation may not meet (e.g. a token that expired while a streamed upload
   * could not be resent). Retryable statuses (429, 503…) are told by `status`.
   */
  readonly retryable?: boolean;

  constructor(
    message: string,
    details: { status: number; operation: string; code?: string; retryAfterMs?: number; retryable?: boolean },
  ) {
    super(message);
    this.status = details.status;
    this.operation = details.operation;
    if (details.code !== undefined) this.code = details.code;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
    if (details.retryable !== undefined) this.retryable = details.retryable;
  }
}

export interface RegistryErrorBody {
  code?: string;
  message?: string;
}

/** Longest piece of a non-JSON error body worth quoting in a one-line message. */
const MAX_QUOTED_BODY = 200;

/**
 * Reads a failed response's body and builds the error, e.g.
 * `read manifest host/org/app:1: HTTP 404 MANIFEST_UNKNOWN: manifest unknown`.
 * `hint` is appended to explain what imageship expected.
 */
export async function registryErrorFromResponse(
  response: Response,
  operation: string,
  hint?: string,
  extra: { retryable?: boolean } = {},
): Promise<RegistryError> {
  const body = await readErrorBody(response, operation);
  const parts = [`HTTP ${response.status}`];
  if (body.code) parts.push(` ${body.code}`);
  if (body.message) parts.push(`: ${body.message}`);
  if (hint) parts.push(` (${hint})`);
  const retryAfterMs = parseRetryAfterMs(response.status, response.headers.get('retry-after'));
  return new RegistryError(`${operation}: ${parts.join('')}`, {
    status: response.status,
    operation,
    ...(body.code === undefined ? {} : { code: body.code }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(extra.retryable === undefined ? {} : { retryable: extra.retryable }),
  });
}

/** Error code and message from any of the body shapes registries and token services use; never throws. */
export async function readErrorBody(response: Response, operation: string): Promise<RegistryErrorBody> {
  let text: string;
  try {
    text = new TextDecoder().decode(await readBodyBytes(response, operation, { what: `the error answer to ${operation}`, cap: BODY_CAPS.errorBody })).trim();
  } catch {
    return {};
  }
  if (text === '') return {};
  try {
    return errorFromJson(JSON.parse(text));
  } catch {
    // HTML from a proxy says nothing useful in one line; short plain text might.
    if (text.startsWith('<')) return {};
    const line = text.split('\n')[0] ?? '';
    return { message: line.length > MAX_QUOTED_BODY ? `${line.slice(0, MAX_QUOTED_BODY)}…` : line };
  }
}

function errorFromJson(json: unknown): RegistryErrorBody {
  if (json === null || typeof json !== 'object') return {};
  const record = json as Record<string, unknown>;
  // The distribution spec's shape: {"errors":[{"code","message","detail"}]}.
  if (Array.isArray(record.errors) && record.errors.length > 0) {
    const first = record.errors[0] as Record<string, unknown> | null;
    return {
      ...(typeof first?.code === 'string' ? { code: first.code } : {}),
      ...(typeof first?.message === 'string' ? { message: first.message } : {}),
    };
  }
  // Token services (Docker Hub's, OAuth2-style ones) answer with a flat object.
  for (const key of ['details', 'message', 'error_description', 'error']) {
    if (typeof record[key] === 'string') return { message: record[key] as string };
  }
  return {};
}
