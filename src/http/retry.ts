/**
 * The one retry policy: which failures are worth another try, how many tries,
 * and how long to wait in between. Registry, cloud API, Kubernetes and
 * trigger calls all come through it, so a flaky server is treated the same
 * way everywhere.
 *
 * - Retried: 429, 502, 503, 504; connection resets; timeouts; DNS's
 *   temporary failure; a refused connection; a proxy that could not reach
 *   the host (502/503/504 to CONNECT). Not retried: anything another try
 *   cannot fix (TLS trust, a name that does not exist, 407, other statuses,
 *   which are the caller's to read).
 * - Bounded tries (4 by default) with full-jitter exponential backoff
 *   (AWS's "full jitter": a random wait below base × 2^n, capped), so many
 *   runners hit by one outage do not come back in lockstep.
 * - Retry-After on 429 and 503 (RFC 9110 §10.2.3, RFC 6585), as seconds or
 *   an HTTP date, replaces the backoff, capped at 60 s: a misconfigured server
 *   must not stall a CI job for hours. An unreadable one falls back to the
 *   backoff.
 * - A request that is not idempotent (POST, PATCH, and PUT with a body unless
 *   the caller says it is idempotent: a blob upload's closing PUT consumes
 *   its session) is sent again only when nothing of it was sent: the
 *   connection failed before the request was written (DNS, refused, the
 *   connect timeout, a proxy refusal, a TLS handshake). Its 5xx/429 answers
 *   are returned, not retried.
 *
 * The same contract as util/http.ts's fetchWithRetry (which it replaces),
 * with these differences: PUT with a body is no longer idempotent by default,
 * and the transport's NetworkError decides "nothing was sent" exactly
 * rather than by error code.
 */
import type { Fetch } from '../ports.js';
import { DRAIN_LIMIT_BYTES } from '../util/fetch-rules.js';
import { classifyNetworkError, errorChain, findNetworkError } from './network-errors.js';
import { endpointOf } from './agents.js';
import { formatSeconds } from './timeouts.js';
import { DEFAULT_CERTS_DIR } from './tls-trust.js';
import { ImageshipError } from '../domain/errors.js';

export interface RetryPolicy {
  /** Total tries, the first one included. */
  attempts: number;
  /** Upper bound of the first backoff; it doubles with every further retry. */
  baseDelayMs: number;
  /** No computed backoff is longer than this. */
  maxDelayMs: number;
  /** A server's Retry-After is honoured up to this. */
  retryAfterCapMs: number;
  /** Per attempt, body included (the signal stays attached to the returned response). */
  timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  attempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  retryAfterCapMs: 60_000,
  timeoutMs: 30_000,
});

export interface HttpRequest {
  url: string;
  /** Defaults to GET. */
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Overrides the method's default (see isIdempotent). */
  idempotent?: boolean;
  /** Names the call in errors, e.g. 'read manifest my-org/app:latest'. */
  operation: string;
}

/** Thrown when a request could not get a usable answer; statuses the caller can act on are returned instead. */
export class HttpError extends ImageshipError {
  override readonly name = 'HttpError';
  readonly status?: number;
  readonly operation: string;
  readonly attempts: number;

  constructor(message: string, details: { operation: string; attempts: number; status?: number; cause?: unknown }) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.operation = details.operation;
    this.attempts = details.attempts;
    if (details.status !== undefined) this.status = details.status;
  }
}

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);
const STATUSES_WITH_RETRY_AFTER: ReadonlySet<number> = new Set([429, 503]);

/** GET, HEAD, OPTIONS, DELETE, and PUT without a body; POST, PATCH and PUT with a body are not (unless the caller says so). */
export function isIdempotent(method: string, hasBody: boolean): boolean {
  const upper = method.toUpperCase();
  if (upper === 'PUT') return !hasBody;
  return upper === 'GET' || upper === 'HEAD' || upper === 'OPTIONS' || upper === 'DELETE';
}

export function resolvePolicy(policy: Partial<RetryPolicy> | undefined): RetryPolicy {
  const pick = (key: keyof RetryPolicy): number => {
    const value = policy?.[key];
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : DEFAULT_RETRY_POLICY[key];
  };
  return {
    attempts: Math.max(1, Math.floor(pick('attempts'))),
    baseDelayMs: pick('baseDelayMs'),
    maxDelayMs: pick('maxDelayMs'),
    retryAfterCapMs: pick('retryAfterCapMs'),
    timeoutMs: Math.max(1, pick('timeoutMs')),
  };
}

/** Full jitter: a random wait in [0, min(max, base × 2^(attempt−1))). */
export function backoffMs(failedAttempt: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  return Math.floor(random() * ceiling);
}

/** Retry-After as delta-seconds or an HTTP date, capped; undefined when absent, unreadable or not meaningful for `status`. */
export function parseRetryAfterMs(status: number, header: string | null | undefined, capMs: number = DEFAULT_RETRY_POLICY.retryAfterCapMs, now: number = Date.now()): number | undefined {
  if (!STATUSES_WITH_RETRY_AFTER.has(status)) return undefined;
  const value = header?.trim();
  if (!value) return undefined;
  let ms: number;
  if (/^\d+$/.test(value)) {
    ms = Number(value) * 1000;
  } else {
    // An HTTP date names its weekday and its zone (GMT); Date.parse alone would accept "3" or "tomorrow"-like garbage.
    if (!/^[A-Za-z]{3},? /.test(value) || !/GMT$/.test(value)) return undefined;
    const at = Date.parse(value);
    if (Number.isNaN(at)) return undefined;
    ms = Math.max(0, at - now);
  }
  return Math.min(ms, capMs);
}

export interface Failure {
  /** Another try may well succeed. */
  transient: boolean;
  /** The connection failed before any byte of the request went out. */
  nothingSent: boolean;
  /** One line for the error message. */
  what: string;
}

/** Sorts a thrown fetch error: the transport's NetworkError knows; anything else (the global fetch) is read by its codes. */
export function classifyFailure(error: unknown, timeoutMs: number | undefined, url?: string): Failure {
  if (errorChain(error).some((link) => link.name === 'TimeoutError')) {
    return { transient: true, nothingSent: false, what: timeoutMs === undefined ? 'timed out' : `timed out after ${formatSeconds(timeoutMs)}` };
  }
  let network = findNetworkError(error);
  if (network === undefined) {
    let target = { host: 'the server', port: 0, secure: false };
    try {
      if (url) target = endpointOf(new URL(url));
    } catch {
      // Keep the generic name.
    }
    // Unknown whether the connection was up: assume the request may have gone out, unless the code says otherwise.
    network = classifyNetworkError(error, { target, certsDir: DEFAULT_CERTS_DIR, connected: true });
  }
  return { transient: network.transient, nothingSent: network.nothingSent, what: network.message };
}

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends `req`, retrying transient failures as `policy` allows. Resolves with
 * the first answer that is not a transient failure, whatever its status;
 * rejects with HttpError when the network kept failing, a transient status
 * persisted past the last try, or the failure was not worth retrying.
 */
export async function fetchWithRetry(fetch: Fetch, req: HttpRequest, policy?: Partial<RetryPolicy>, sleep: (ms: number) => Promise<void> = sleepFor): Promise<Response> {
  const settings = resolvePolicy(policy);
  const method = (req.method ?? 'GET').toUpperCase();
  const idempotent = req.idempotent ?? isIdempotent(method, req.body !== undefined);

  for (let attempt = 1; ; attempt++) {
    const isLastAttempt = attempt >= settings.attempts;
    let response: Response;
    try {
      response = await fetch(req.url, {
        method,
        ...(req.headers === undefined ? {} : { headers: req.headers }),
        ...(req.body === undefined ? {} : { body: req.body }),
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
    } catch (error) {
      const failure = classifyFailure(error, settings.timeoutMs, req.url);
      const mayRetry = failure.transient && (idempotent || failure.nothingSent);
      if (!mayRetry || isLastAttempt) {
        throw new HttpError(giveUpMessage(req.operation, failure.what, attempt), { operation: req.operation, attempts: attempt, cause: error });
      }
      await sleep(backoffMs(attempt, settings));
      continue;
    }

    if (!idempotent || !RETRYABLE_STATUSES.has(response.status)) return response;
    await discardBody(response);
    if (isLastAttempt) {
      throw new HttpError(giveUpMessage(req.operation, `HTTP ${response.status}`, attempt), { operation: req.operation, attempts: attempt, status: response.status });
    }
    await sleep(parseRetryAfterMs(response.status, response.headers.get('retry-after'), settings.retryAfterCapMs) ?? backoffMs(attempt, settings));
  }
}

function giveUpMessage(operation: string, what: string, attempts: number): string {
  return `${operation}: ${what} after ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}`;
}

/** Frees the connection of an answer nobody reads: a small one is drained (the connection is reused), a large or unsized one dropped. */
async function discardBody(response: Response): Promise<void> {
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  try {
    if (Number.isFinite(length) && length <= DRAIN_LIMIT_BYTES) await response.arrayBuffer();
    else await response.body?.cancel();
  } catch {
    // The connection is being dropped either way.
  }
}
