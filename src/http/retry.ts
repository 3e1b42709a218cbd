/**
 * The one retry policy: which failures are worth another try, how many tries,
 * and how long to wait in between. Registry, token, cloud API, Kubernetes and
 * trigger calls all come through fetchWithRetry, and whole operations that
 * cannot be replayed request by request (a streamed blob copy) through
 * retryOperation, so a flaky server is treated the same way everywhere.
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
 * - Idempotent methods follow RFC 9110 §9.2.2: GET, HEAD, OPTIONS, TRACE, PUT
 *   and DELETE. PUT is idempotent with or without a body: it replaces the
 *   target's state with the enclosed one, so sending it twice leaves the same
 *   state (a manifest PUT, a FunctionGraph image update). The one PUT with a
 *   side effect on a second send, a blob upload's closing PUT, consumes its
 *   upload session: a repeat gets 404 BLOB_UPLOAD_UNKNOWN, which the caller
 *   reads, and never stores different bytes (the digest names them).
 * - A request that is not idempotent (POST, PATCH) is sent again only when
 *   nothing of it was sent: the connection failed before the request was
 *   written (DNS, refused, the connect timeout, a proxy refusal, a TLS
 *   handshake). Its 5xx/429 answers are returned, not retried, unless the
 *   caller knows the server refuses a rate-limited call before acting on it
 *   (`retryRateLimited`).
 * - A request with a body that went out and got no answer in time is sent at
 *   most twice: the server may have applied it, and again and again would
 *   pile up whatever it does.
 * - Why a connection failed is read in one place, network-errors.ts: its
 *   NetworkError says whether the failure is transient, whether anything was
 *   sent, and the one line the user reads.
 */
import type { Fetch } from '../ports.js';
import { BodyTooLargeError } from '../util/body-cap.js';
import { DRAIN_LIMIT_BYTES, REDIRECT_STATUSES } from '../util/fetch-rules.js';
import { classifyNetworkError, errorChain, findNetworkError } from './network-errors.js';
import { endpointOf } from './agents.js';
import { formatSeconds } from './timeouts.js';
import { DEFAULT_CERTS_DIR } from './tls-trust.js';
import { ImageshipError } from '../domain/errors.js';

export { formatSeconds } from './timeouts.js';

export interface RetryPolicy {
  /** Total tries, the first one included. */
  attempts: number;
  /** Upper bound of the first backoff; it doubles with every further retry. */
  baseDelayMs: number;
  /** No computed backoff is longer than this. */
  maxDelayMs: number;
  /** A server's Retry-After is honoured up to this (default 60 s). */
  retryAfterCapMs?: number;
  /**
   * Per attempt. The same signal stays attached to the returned response, so
   * reading its body counts against this budget too: a stalled body cannot
   * hang the caller forever.
   */
  timeoutMs: number;
}

/** A policy with every field settled. */
export type ResolvedRetryPolicy = Required<RetryPolicy>;

export const DEFAULT_RETRY_POLICY: Readonly<ResolvedRetryPolicy> = Object.freeze({
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
  /** Overrides the method's default (see isIdempotent), e.g. true for a POST that mounts a blob. */
  idempotent?: boolean;
  /** Names the call in errors, e.g. 'read manifest my-org/app:latest'. */
  operation: string;
  /**
   * For signed cloud API calls: a redirect is not followed but thrown as an
   * HttpError naming the status and the Location's host. The clouds never
   * redirect their APIs; following one would re-send the signed request (and
   * its body, with whatever secrets it holds) to wherever it points.
   */
  refuseRedirects?: boolean;
  /**
   * The server refuses a rate-limited call before acting on it, so a 429 to
   * a request that is not idempotent may be sent again too (a redeploy
   * trigger). Other transient statuses of such a request are still returned.
   */
  retryRateLimited?: boolean;
  /**
   * What happens when a transient status (429/502/503/504) outlasts the
   * tries: 'throw' (default) an HttpError naming it; 'answer' returns that
   * last answer, body unread, for a caller that explains it from the body
   * (Kubernetes' Status, a trigger's code).
   */
  onLastTransientStatus?: 'throw' | 'answer';
  /** Sees every try's outcome before the policy acts on it (a trigger counts its calls). */
  onAttempt?: (attempt: number) => void;
}

/** Thrown when a request could not get a usable answer; statuses the caller can act on are returned instead. */
export class HttpError extends ImageshipError {
  override readonly name = 'HttpError';
  /** The last HTTP status seen, when the give-up reason was a status. */
  readonly status?: number;
  readonly operation: string;
  /** How many tries were made before giving up. */
  readonly attempts: number;

  constructor(message: string, details: { operation: string; attempts: number; status?: number; cause?: unknown }) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.operation = details.operation;
    this.attempts = details.attempts;
    if (details.status !== undefined) this.status = details.status;
  }
}

/** Statuses that say "try again later" rather than "this request is wrong". */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);
/** Only these statuses carry a Retry-After we honour (RFC 9110 §10.2.3). */
const STATUSES_WITH_RETRY_AFTER: ReadonlySet<number> = new Set([429, 503]);
/** RFC 9110 §9.2.2. PUT with a body included: see the file header. */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
/** The HTTP-date forms (IMF-fixdate, RFC 850, asctime) start with a day name; anything else (`-1`, `1.5`, `soon`) is not a date. */
const HTTP_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /;
/** A request with a body that went unanswered is sent at most this often in all. */
const MAX_UNANSWERED_SENDS = 2;

/** RFC 9110 §9.2.2: GET, HEAD, OPTIONS, TRACE, PUT and DELETE are idempotent; POST and PATCH are not. */
export function isIdempotent(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase());
}

export function resolvePolicy(policy: Partial<RetryPolicy> | undefined): ResolvedRetryPolicy {
  const pick = (key: keyof ResolvedRetryPolicy): number => {
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
    // A huge number of seconds becomes Infinity here, and the cap below.
    ms = Number(value) * 1000;
  } else {
    // RFC 9110 §5.6.7's three HTTP-date forms all start with a day name; Date.parse alone would accept "-1" or "9999-12-31".
    if (!HTTP_DATE.test(value)) return undefined;
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

/** Sorts a thrown fetch error: the transport's NetworkError knows; anything else (another Fetch) is read by the same classification. */
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
 * the first answer that is not a transient failure, whatever its status
 * (404, 401, 500… are the caller's to read, body included); rejects with
 * HttpError when the network kept failing, a transient status persisted past
 * the last try (unless `onLastTransientStatus: 'answer'`), or the failure was
 * not worth retrying.
 */
export async function fetchWithRetry(fetch: Fetch, req: HttpRequest, policy?: Partial<RetryPolicy>, sleep: (ms: number) => Promise<void> = sleepFor): Promise<Response> {
  return (await sendWithRetry(fetch, req, policy, sleep)).response;
}

/** fetchWithRetry, also telling how many tries the answer took. */
export async function sendWithRetry(
  fetch: Fetch,
  req: HttpRequest,
  policy?: Partial<RetryPolicy>,
  sleep: (ms: number) => Promise<void> = sleepFor,
): Promise<{ response: Response; attempts: number }> {
  const { response, attempts } = await sendAndReadWithRetry(fetch, req, undefined, policy, sleep);
  return { response, attempts };
}

/**
 * sendWithRetry that also reads the answer inside each try: when `read`
 * fails because the body broke off (a reset, the idle or per-attempt
 * timeout) and the request may be repeated, a fresh request is sent within
 * the same budget of tries. For small answers read whole (a Kubernetes
 * object); a body over its cap is not transient and is not tried again.
 */
export async function sendAndReadWithRetry<T>(
  fetch: Fetch,
  req: HttpRequest,
  read: ((response: Response) => Promise<T>) | undefined,
  policy?: Partial<RetryPolicy>,
  sleep: (ms: number) => Promise<void> = sleepFor,
): Promise<{ response: Response; attempts: number; value: T | undefined }> {
  const settings = resolvePolicy(policy);
  const method = (req.method ?? 'GET').toUpperCase();
  const idempotent = req.idempotent ?? isIdempotent(method);

  // Tries whose request (body included) went out and got no answer in time.
  let unanswered = 0;
  for (let attempt = 1; ; attempt++) {
    const isLastAttempt = attempt >= settings.attempts;
    req.onAttempt?.(attempt);
    let response: Response;
    try {
      response = await fetch(req.url, {
        method,
        ...(req.headers === undefined ? {} : { headers: req.headers }),
        ...(req.body === undefined ? {} : { body: req.body }),
        ...(req.refuseRedirects ? { redirect: 'manual' as const } : {}),
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
    } catch (error) {
      const failure = classifyFailure(error, settings.timeoutMs, req.url);
      // A request that never left this machine can be sent again whatever its method.
      const mayRetry = failure.transient && (idempotent || failure.nothingSent);
      // A body the server took without answering may have been applied: send it once more, not again and again.
      if (req.body !== undefined && isTimeout(error) && ++unanswered >= MAX_UNANSWERED_SENDS) {
        throw new HttpError(
          `${req.operation}: no answer within ${formatSeconds(settings.timeoutMs)} of sending the request with its body, ${unanswered} times in a row; ` +
            'not sent again: the server may or may not have applied it',
          { operation: req.operation, attempts: attempt, cause: error },
        );
      }
      if (!mayRetry || isLastAttempt) {
        throw new HttpError(giveUpMessage(req.operation, failure.what, attempt), { operation: req.operation, attempts: attempt, cause: error });
      }
      await sleep(backoffMs(attempt, settings));
      continue;
    }

    if (req.refuseRedirects && REDIRECT_STATUSES.has(response.status)) {
      await discardBody(response);
      throw new HttpError(refusedRedirectMessage(req, response), { operation: req.operation, attempts: attempt, status: response.status });
    }
    const retryable = RETRYABLE_STATUSES.has(response.status) && (idempotent || (response.status === 429 && req.retryRateLimited === true));
    if (retryable && isLastAttempt && req.onLastTransientStatus !== 'answer') {
      await discardBody(response);
      throw new HttpError(giveUpMessage(req.operation, `HTTP ${response.status}`, attempt), { operation: req.operation, attempts: attempt, status: response.status });
    }
    if (!retryable || isLastAttempt) {
      if (read === undefined) return { response, attempts: attempt, value: undefined };
      try {
        return { response, attempts: attempt, value: await read(response) };
      } catch (error) {
        // A body over its cap comes the same way again.
        if (error instanceof BodyTooLargeError) throw error;
        // A reader's HttpError (readBodyBytes) wraps the network failure.
        const failure = classifyFailure(error instanceof HttpError && error.cause !== undefined ? error.cause : error, settings.timeoutMs, req.url);
        if (!failure.transient || !idempotent || isLastAttempt) throw error;
        await sleep(backoffMs(attempt, settings));
        continue;
      }
    }
    const wait = parseRetryAfterMs(response.status, response.headers.get('retry-after'), settings.retryAfterCapMs) ?? backoffMs(attempt, settings);
    await discardBody(response);
    await sleep(wait);
  }
}

/**
 * The same policy for a whole operation that cannot be replayed request by
 * request (a blob copy: a streamed body cannot be sent again, so a reset in
 * the middle of an upload needs a fresh GET and a fresh upload session).
 * `delayFor` says whether a failure is worth another try of the whole, and
 * may name the pause (a Retry-After the failure carried); undefined → give up.
 */
export async function retryOperation<T>(
  run: () => Promise<T>,
  options: {
    policy?: Partial<Pick<RetryPolicy, 'attempts' | 'baseDelayMs' | 'maxDelayMs'>> | undefined;
    /** 'backoff' → the policy's jittered backoff; a number → that pause; undefined → not worth another try. */
    delayFor: (error: unknown, failedAttempt: number) => 'backoff' | number | undefined;
    onRetry?: (error: unknown, delayMs: number, nextAttempt: number, attempts: number) => void;
    signal?: AbortSignal;
    sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  },
): Promise<T> {
  const settings = resolvePolicy(options.policy);
  const sleep = options.sleep ?? sleepFor;
  for (let tries = 1; ; tries++) {
    try {
      return await run();
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const verdict = options.delayFor(error, tries);
      if (verdict === undefined || tries >= settings.attempts) throw error;
      const delay = verdict === 'backoff' ? backoffMs(tries, settings) : verdict;
      options.onRetry?.(error, delay, tries + 1, settings.attempts);
      await sleep(delay, options.signal);
    }
  }
}

function refusedRedirectMessage(req: HttpRequest, response: Response): string {
  const location = response.headers.get('location');
  let where = 'no Location';
  if (location !== null) {
    try {
      where = new URL(location, req.url).host;
    } catch {
      where = 'an unreadable Location';
    }
  }
  return `${req.operation}: the API answered HTTP ${response.status}, a redirect to ${where}; imageship does not follow redirects of signed calls (nothing was sent there): check the endpoint`;
}

function isTimeout(error: unknown): boolean {
  return errorChain(error).some((link) => link.name === 'TimeoutError');
}

function giveUpMessage(operation: string, what: string, attempts: number): string {
  return `${operation}: ${what} after ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}`;
}

/**
 * Frees the connection of a response whose body nobody will read. A small
 * body is read to its end so the keep-alive connection is reused (cancelling
 * closes it, and against a remote registry each new connection costs a TLS
 * handshake); a large or unsized one is cancelled.
 */
export async function discardBody(response: Response): Promise<void> {
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  try {
    // arrayBuffer() of a null body is empty; not touching `body` spares the transport's fetch a Web stream.
    if (Number.isFinite(length) && length <= DRAIN_LIMIT_BYTES) await response.arrayBuffer();
    else await response.body?.cancel();
  } catch {
    // Nothing useful to do: the connection is being dropped either way.
  }
}
