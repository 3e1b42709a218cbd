/**
 * fetch() on the transport: the Fetch port the registry client, the cloud API
 * clients and the triggers already take, so they move onto proxies, certs.d
 * trust and the timeouts without changing a line. It covers what they use:
 * string/bytes/URLSearchParams/Blob bodies and streamed ones (a Web
 * ReadableStream, a Node stream or any async iterable of bytes), redirect
 * follow/manual/error, AbortSignal, and an answer with the Response members
 * the code reads (LiteResponse: no undici). A Request object or a FormData
 * body goes to the global fetch unchanged (nothing in imageship sends one).
 *
 * Network failures reject as fetch's do, TypeError('fetch failed'), with the
 * NetworkError (one clear line) as `cause`. Two additions: `redirects:
 * 'refuse'` on the transport rejects every redirect whatever `init.redirect`
 * says (signed cloud API calls), and `init.timeouts` overrides the
 * transport's timeouts for one call.
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { Fetch } from '../ports.js';
import { BodyTooLargeError, type BodyCollector } from '../util/body-cap.js';
import { NULL_BODY_STATUSES } from '../util/fetch-rules.js';
import { headerRecord, rawHeaderPairs } from '../util/lite-headers.js';
import { LiteResponseBase } from '../util/lite-response.js';
import { NetworkError } from './network-errors.js';
import { MAX_REDIRECTS, nextHop, type Hop } from './redirects.js';
import type { PendingExchange, SendOptions } from './send.js';
import { resolveTimeouts, type Timeouts } from './timeouts.js';

/** A body sent as it is produced; it cannot be replayed for a redirect or a retry. */
type StreamBody = { stream: AsyncIterable<Uint8Array> };
type Body = Buffer | StreamBody;

export interface FetchDefaults {
  timeouts: Timeouts;
  /** 'refuse': every redirect is an error, whatever init.redirect says. */
  redirects: 'follow' | 'refuse';
}

export type StartExchange = (url: URL, options: SendOptions) => PendingExchange;

/** fetch's own answer for a failed network: TypeError('fetch failed') with the reason as its cause. */
function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

/** The request body as bytes or a stream; undefined → a shape only the global fetch handles. */
async function readBody(body: unknown, headers: Record<string, string>): Promise<Body | null | undefined> {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') {
    headers['content-type'] ??= 'text/plain;charset=UTF-8';
    return Buffer.from(body, 'utf8');
  }
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (body instanceof URLSearchParams) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
    return Buffer.from(body.toString(), 'utf8');
  }
  if (typeof Blob !== 'undefined' && body instanceof Blob) {
    if (body.type) headers['content-type'] ??= body.type;
    return Buffer.from(await body.arrayBuffer());
  }
  if (typeof (body as { getReader?: unknown }).getReader === 'function' || typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    return { stream: body as AsyncIterable<Uint8Array> };
  }
  return undefined;
}

/** The longest wait for an answered request to give its connection back (released()); it takes a tick. */
const RELEASE_WAIT_MS = 50;

const METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH'];

export function makeFetch(start: StartExchange, defaults: FetchDefaults): Fetch {
  async function transportFetch(input: Parameters<Fetch>[0], init: RequestInit & { timeouts?: Partial<Timeouts> } = {}): Promise<Response> {
    const headers = headerRecord(init.headers);
    const target = typeof input === 'string' ? input : input instanceof URL ? input.href : undefined;
    const body = headers === undefined ? undefined : await readBody(init.body, headers);
    if (body === undefined || target === undefined || headers === undefined) return globalThis.fetch(input, init);
    const signal = init.signal ?? undefined;
    if (signal?.aborted) throw signal.reason;
    let url: URL;
    try {
      url = new URL(target);
    } catch (error) {
      throw new TypeError(`Failed to parse URL from ${target}`, { cause: error });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fetchFailed(new Error(`unsupported protocol ${url.protocol}`));
    const upper = (init.method ?? 'GET').toUpperCase();
    const method = METHODS.includes(upper) ? upper : (init.method ?? 'GET');
    const timeouts = resolveTimeouts(init.timeouts, defaults.timeouts);
    // 'refuse' never follows; a caller asking for 'manual' still gets the redirect answer to read.
    const redirect = defaults.redirects === 'refuse' && init.redirect !== 'manual' ? 'error' : (init.redirect ?? 'follow');

    let hop: Hop<Body> = { url, method, headers, body };
    for (let hops = 0; ; hops++) {
      const exchange = start(hop.url, { method: hop.method, headers: hop.headers, signal, timeouts });
      writeBody(exchange, hop.body);
      let answer: IncomingMessage;
      try {
        answer = await exchange.response;
      } catch (error) {
        throw signal?.aborted && error === signal.reason ? error : fetchFailed(error);
      }
      const status = answer.statusCode ?? 0;
      const location = answer.headers.location;
      const next = redirect === 'manual' ? undefined : nextHop(hop, status, location);
      if (next === undefined) return new LiteResponse(answer, exchange, hop, hops > 0, signal) as unknown as Response;
      answer.resume();
      const where = `${next.url.origin}${next.url.pathname}`;
      if (redirect === 'error') {
        const why = defaults.redirects === 'refuse' ? 'this transport refuses redirects (a signed API call is never sent elsewhere)' : "redirect: 'error'";
        throw fetchFailed(new NetworkError(`${hop.method} ${hop.url.origin}${hop.url.pathname} answered ${status}, a redirect to ${where}, which was refused: ${why}`, { kind: 'redirect', transient: false, nothingSent: false }));
      }
      if (hops >= MAX_REDIRECTS) throw fetchFailed(new NetworkError(`redirect count exceeded (${MAX_REDIRECTS}) at ${where}`, { kind: 'redirect', transient: false, nothingSent: false }));
      if (next.body !== null && !Buffer.isBuffer(next.body)) {
        throw fetchFailed(new NetworkError(`${hop.method} ${hop.url.origin}${hop.url.pathname} answered ${status}, a redirect to ${where}, but a streamed body cannot be sent twice`, { kind: 'redirect', transient: false, nothingSent: false }));
      }
      hop = next;
    }
  }
  return transportFetch as Fetch;
}

function writeBody(exchange: PendingExchange, body: Body | null): void {
  const { request } = exchange;
  if (body === null) {
    request.end();
    return;
  }
  if (Buffer.isBuffer(body)) {
    request.setHeader('content-length', String(body.length));
    request.end(body);
    return;
  }
  const source = typeof (body.stream as { getReader?: unknown }).getReader === 'function' ? Readable.fromWeb(body.stream as import('node:stream/web').ReadableStream<Uint8Array>) : Readable.from(body.stream);
  source.on('error', (error) => request.destroy(error));
  source.pipe(request);
}

/** A Response over a live IncomingMessage. */
class LiteResponse extends LiteResponseBase {
  readonly #answer: IncomingMessage;
  readonly #exchange: PendingExchange;
  readonly #signal: AbortSignal | undefined;

  constructor(answer: IncomingMessage, exchange: PendingExchange, hop: Hop<Body>, redirected: boolean, signal: AbortSignal | undefined) {
    const status = answer.statusCode ?? 0;
    const hasBody = hop.method !== 'HEAD' && !NULL_BODY_STATUSES.has(status);
    super({ status, statusText: answer.statusMessage ?? '', fields: rawHeaderPairs(answer.rawHeaders), url: hop.url.href, redirected, hasBody });
    this.#answer = answer;
    this.#exchange = exchange;
    this.#signal = signal;
    answer.on('error', () => undefined);
    if (!hasBody) answer.resume();
  }

  protected openStream(): ReadableStream<Uint8Array> {
    return Readable.toWeb(this.#answer) as ReadableStream<Uint8Array>;
  }

  // The request's 'close' comes in the tick that hands its socket back to the agent, after the answer's end.
  override released(): Promise<void> {
    const request = this.#exchange.request;
    // Still sending its body (an upload refused early): the connection is not coming back soon; nothing to wait for.
    if (request.closed || !request.writableFinished) return Promise.resolve();
    return new Promise((resolve) => {
      // Should 'close' never come, the next request opens a connection of its own, as it would without the wait.
      const guard = setTimeout(resolve, RELEASE_WAIT_MS);
      guard.unref();
      request.once('close', () => {
        clearTimeout(guard);
        resolve();
      });
    });
  }

  protected async readAll(stream: ReadableStream<Uint8Array> | undefined, collector?: BodyCollector): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    try {
      const source: AsyncIterable<Uint8Array> = stream ?? this.#answer;
      for await (const chunk of source) {
        if (collector === undefined) chunks.push(chunk);
        else collector.push(chunk);
      }
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        // Past the cap: the rest is never read, and the connection is not reused.
        this.#answer.destroy();
        throw error;
      }
      throw this.#signal?.aborted ? this.#signal.reason : fetchFailed(this.#exchange.classify(error));
    }
    if (this.#signal?.aborted) throw this.#signal.reason;
    if (!this.#answer.complete) throw fetchFailed(this.#exchange.classify(Object.assign(new Error('the connection closed before the body ended'), { code: 'ECONNRESET' })));
    return collector === undefined ? new Uint8Array(Buffer.concat(chunks)) : collector.bytes();
  }
}
