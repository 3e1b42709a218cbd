/**
 * The one place where imageship decides how it talks over the network: how
 * long one try may take, which failures are worth another try, and how long
 * to wait in between. Registry calls and token requests all come through
 * here, so a flaky registry is treated the same way everywhere.
 */
import { findNetworkError, type NetworkFailureKind } from './network-errors.js';
import type { Fetch } from '../ports.js';
import { BodyCollector, BodyTooLargeError, checkDeclaredLength, hostOf, type BodyRead } from '../util/body-cap.js';
import { DRAIN_LIMIT_BYTES, REDIRECT_STATUSES } from '../util/fetch-rules.js';
import { LiteResponseBase } from '../util/lite-response.js';
import { ImageshipError } from '../domain/errors.js';

export interface RetryPolicy {
  /** Total tries, the first one included. */
  attempts: number;
  /** Upper bound of the first backoff; it doubles with every further retry. */
  baseDelayMs: number;
  /** No computed backoff is longer than this (a server's Retry-After has its own cap). */
  maxDelayMs: number;
  /**
   * Per attempt. The same signal stays attached to the returned response, so
   * reading its body counts against this budget too: a stalled body cannot
   * hang the caller forever.
   */
  timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  attempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  timeoutMs: 30_000,
});

export interface HttpRequest {
  url: string;
  /** Defaults to GET. */
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /**
   * true when repeating the request cannot do harm (GET/HEAD/PUT-by-digest…);
   * false → only retried when the connection failed before the request was
   * sent. When left out it follows the method: GET, HEAD, PUT, DELETE and
   * OPTIONS are idempotent, POST and PATCH are not.
   */
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
}

/** Thrown when a request could not get a usable answer; statuses the caller can act on are returned instead. */
export class HttpError extends ImageshipError {
  override readonly name = 'HttpError';
  /** The last HTTP status seen, when the give-up reason was a status. */
  readonly status?: number;
  readonly operation: string;
  /** How many tries were made before giving up. */
  readonly attempts: number;

  constructor(
    message: string,
    details: { operation: string; attempts: number; status?: number; cause?: unknown },
  ) {
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
/** A server may ask for a pause; a misconfigured one must not stall a CI job for hours. */
const RETRY_AFTER_CAP_MS = 60_000;
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
/** A request with a body that went unanswered is sent at most this often in all. */
const MAX_UNANSWERED_SENDS = 2;
/** The HTTP-date forms of RFC 9110 §5.6.7 start with a day name; anything else (`-1`, `1.5`, `soon`) is not a date. */
const HTTP_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /;

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends `req`, retrying transient failures as `policy` allows.
 *
 * Resolves with the first response that is not a transient failure, whatever
 * its status (404, 401, 500… are the caller's to interpret, body included).
 * Rejects with HttpError when the network kept failing, a transient status
 * persisted past the last attempt, or the failure was not worth retrying.
 */
export async function fetchWithRetry(
  fetch: Fetch,
  req: HttpRequest,
  policy?: Partial<RetryPolicy>,
  sleep: (ms: number) => Promise<void> = sleepFor,
): Promise<Response> {
  const settings = resolvePolicy(policy);
  const method = (req.method ?? 'GET').toUpperCase();
  const idempotent = req.idempotent ?? IDEMPOTENT_METHODS.has(method);

  // Attempts whose request (body included) went out and got no answer in time.
  let unanswered = 0;
  for (let attempt = 1; ; attempt++) {
    const isLastAttempt = attempt >= settings.attempts;
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
      const failure = classifyFailure(error, settings.timeoutMs);
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
        throw new HttpError(giveUpMessage(req.operation, failure.what, attempt), {
          operation: req.operation,
          attempts: attempt,
          cause: error,
        });
      }
      await sleep(backoffMs(attempt, settings));
      continue;
    }

    if (req.refuseRedirects && REDIRECT_STATUSES.has(response.status)) {
      await discardBody(response);
      throw new HttpError(refusedRedirectMessage(req, response), { operation: req.operation, attempts: attempt, status: response.status });
    }
    if (!idempotent || !RETRYABLE_STATUSES.has(response.status)) return response;

    await discardBody(response);
    if (isLastAttempt) {
      throw new HttpError(giveUpMessage(req.operation, `HTTP ${response.status}`, attempt), {
        operation: req.operation,
        attempts: attempt,
        status: response.status,
      });
    }
    await sleep(retryAfterMs(response) ?? backoffMs(attempt, settings));
  }
}

/**
 * Reads a whole response body, never more than `read.cap` of it: a declared
 * Content-Length over the cap fails before anything is read, and a body that
 * passes the cap while it arrives fails at once, its connection dropped
 * (BodyTooLargeError, naming what was read, the limit and the host). A body
 * that stalls past the request's timeout, or a connection that drops
 * mid-body, becomes an HttpError naming the operation instead of a bare
 * DOMException.
 */
export async function readBodyBytes(response: Response, operation: string, read: BodyRead): Promise<Uint8Array> {
  const bounded: BodyRead = read.from === undefined && hostOf(response.url) !== undefined ? { ...read, from: hostOf(response.url) as string } : read;
  try {
    checkDeclaredLength(response.headers.get('content-length'), bounded);
  } catch (error) {
    await response.body?.cancel().catch(() => undefined);
    throw error;
  }
  const collector = new BodyCollector(bounded);
  try {
    // Not `instanceof Response`: touching the global Response loads undici (≈ 40 ms), which the transport's fetch spares.
    if ((response as unknown) instanceof LiteResponseBase) return await (response as unknown as LiteResponseBase).bytesWithin(collector);
    return await readStreamWithin(response.body, collector);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw error;
    const failure = classifyFailure(error, undefined);
    throw new HttpError(`${operation}: ${failure.what} while reading the response body`, {
      operation,
      attempts: 1,
      status: response.status,
      cause: error,
    });
  }
}

/** Any fetch's body through the collector; cancelled the moment it passes the cap. */
async function readStreamWithin(body: ReadableStream<Uint8Array> | null, collector: BodyCollector): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return collector.bytes();
      collector.push(value);
    }
  } catch (error) {
    await reader.cancel(error).catch(() => undefined);
    throw error;
  }
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

export function resolvePolicy(policy: Partial<RetryPolicy> | undefined): RetryPolicy {
  const pick = (key: keyof RetryPolicy): number => {
    const value = policy?.[key];
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : DEFAULT_RETRY_POLICY[key];
  };
  return {
    attempts: Math.max(1, Math.floor(pick('attempts'))),
    baseDelayMs: pick('baseDelayMs'),
    maxDelayMs: pick('maxDelayMs'),
    timeoutMs: Math.max(1, pick('timeoutMs')),
  };
}

/** Exponential backoff with full jitter, so many clients hit by the same outage do not retry in lockstep. */
export function backoffMs(failedAttempt: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  return Math.floor(Math.random() * ceiling);
}

function retryAfterMs(response: Response): number | undefined {
  return parseRetryAfterMs(response.status, response.headers.get('retry-after'));
}

/**
 * Retry-After as delta-seconds or an HTTP date, capped at a minute; undefined
 * (the caller's own backoff then) when absent, negative, not one of those
 * forms, or not meaningful for `status`.
 */
export function parseRetryAfterMs(status: number, header: string | null | undefined): number | undefined {
  if (!STATUSES_WITH_RETRY_AFTER.has(status)) return undefined;
  const value = header?.trim();
  if (!value) return undefined;
  let ms: number;
  if (/^\d+$/.test(value)) {
    // A huge number of seconds becomes Infinity here, and the cap below.
    ms = Number(value) * 1000;
  } else {
    if (!HTTP_DATE.test(value)) return undefined;
    const at = Date.parse(value);
    if (Number.isNaN(at)) return undefined;
    ms = Math.max(0, at - Date.now());
  }
  return Math.min(ms, RETRY_AFTER_CAP_MS);
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

export interface Failure {
  /** Another try may well succeed. */
  transient: boolean;
  /** The connection failed before any byte of the request went out. */
  nothingSent: boolean;
  /** Short, human wording for the error message. */
  what: string;
}

/** Connection failed before the request was written. */
const NOT_SENT_CODES: ReadonlyMap<string, string> = new Map([
  ['ECONNREFUSED', 'connection refused'],
  ['UND_ERR_CONNECT_TIMEOUT', 'connect timed out'],
  ['EAI_AGAIN', 'temporary DNS failure'],
]);
/** Connection dropped while the request or response was under way. */
const DROPPED_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED']);
const DROPPED_MESSAGES = ['socket hang up', 'other side closed'];
const TIMEOUT_CODES: ReadonlySet<string> = new Set(['ETIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * Sorts a thrown fetch error. undici wraps the real reason: `TypeError('fetch
 * failed')` whose `cause` (sometimes an AggregateError, one per address tried)
 * carries the system error code, so the whole chain is inspected.
 */
const TRANSPORT_WORDED: ReadonlySet<NetworkFailureKind> = new Set(['proxy-refused', 'proxy-auth', 'tls-untrusted', 'tls-client-cert', 'redirect']);

export function classifyFailure(error: unknown, timeoutMs: number | undefined): Failure {
  const chain = errorChain(error);
  if (chain.some((e) => e.name === 'TimeoutError')) {
    return { transient: true, nothingSent: false, what: timeoutMs === undefined ? 'timed out' : `timed out after ${formatSeconds(timeoutMs)}` };
  }
  // What only the transport (src/http) can say (the proxy refused, wanted credentials, or could not
  // reach the host; a certificate docker's certs.d or NODE_EXTRA_CA_CERTS should vouch for) keeps its line.
  const network = findNetworkError(error);
  if (network !== undefined && TRANSPORT_WORDED.has(network.kind)) return { transient: network.transient, nothingSent: network.nothingSent, what: network.message };
  const codes = chain.map((e) => e.code).filter((code): code is string => code !== undefined);
  const messages = chain.map((e) => e.message.toLowerCase());
  if (codes.some((code) => DROPPED_CODES.has(code)) || messages.some((m) => DROPPED_MESSAGES.some((d) => m.includes(d)))) {
    return { transient: true, nothingSent: false, what: 'connection reset' };
  }
  if (codes.some((code) => TIMEOUT_CODES.has(code))) {
    return { transient: true, nothingSent: false, what: 'timed out' };
  }
  const notSent = codes.find((code) => NOT_SENT_CODES.has(code));
  if (notSent !== undefined) {
    return { transient: true, nothingSent: true, what: NOT_SENT_CODES.get(notSent) ?? notSent };
  }
  return { transient: false, nothingSent: false, what: describeDeepest(chain) };
}

interface ErrorLink {
  name: string;
  message: string;
  code: string | undefined;
  /** OpenSSL's short reason ('certificate has expired'); its message is a long internal dump. */
  reason: string | undefined;
}

function errorChain(error: unknown): ErrorLink[] {
  const links: ErrorLink[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > 6 || value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    const record = value as { name?: unknown; message?: unknown; code?: unknown; reason?: unknown; cause?: unknown; errors?: unknown };
    links.push({
      name: typeof record.name === 'string' ? record.name : '',
      message: typeof record.message === 'string' ? record.message : '',
      code: typeof record.code === 'string' ? record.code : undefined,
      reason: typeof record.reason === 'string' ? record.reason : undefined,
    });
    visit(record.cause, depth + 1);
    if (Array.isArray(record.errors)) for (const inner of record.errors) visit(inner, depth + 1);
  };
  visit(error, 0);
  return links;
}

/** The innermost message is the informative one ('getaddrinfo ENOTFOUND host', not 'fetch failed'). */
function describeDeepest(chain: ErrorLink[]): string {
  for (let i = chain.length - 1; i >= 0; i--) {
    const link = chain[i] as ErrorLink;
    if (link.reason) return `TLS error: ${link.reason}${link.code ? ` (${link.code})` : ''}`;
    // node:https reports some TLS failures as a bare system error whose message is OpenSSL's whole error line.
    const openSsl = /:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+):/.exec(link.message);
    if (openSsl) return `TLS error: ${openSsl[1]}${link.code ? ` (${link.code})` : ''}`;
    const message = link.message.split('\n')[0]?.trim();
    if (message) return link.code && !message.includes(link.code) ? `${message} (${link.code})` : message;
  }
  return 'request failed';
}

export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(ms < 1000 ? 2 : 1))} s`;
}
