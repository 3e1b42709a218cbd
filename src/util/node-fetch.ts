/**
 * The fetch() imageship's own requests need, on node:http(s). Node's global
 * fetch loads its bundled undici the first time fetch, Response or Headers is
 * touched: 35–45 ms on the runners' Node 24 (bench/RESULTS.md §7), which was
 * most of a retag's or a re-copy's time. Registry, cloud API and trigger calls
 * send small bodies (a string or bytes) and read small answers, so this
 * covers exactly that: string/bytes bodies, redirect follow/manual/error,
 * AbortSignal, keep-alive per origin, and an answer with the Response members
 * the code reads. Anything else (a streamed request body, a Request object)
 * goes to the global fetch unchanged.
 */
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import type { Fetch } from '../ports.js';
import { withoutCredentialHeaders } from './credential-headers.js';
import { agentFor, discardAnswer } from './http-agents.js';
import { http } from './node-http.js';
import { MAX_REDIRECTS, NULL_BODY_STATUSES, REDIRECT_STATUSES } from './fetch-rules.js';
import { BodyTooLargeError, type BodyCollector } from './body-cap.js';
import { headerRecord, rawHeaderPairs } from './lite-headers.js';
import { LiteResponseBase } from './lite-response.js';

/** A request body this fetch sends itself; undefined → not one it handles. */
function bodyBytes(body: unknown, headers: Record<string, string>): Buffer | null | undefined {
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
  return undefined;
}

/** What fetch rejects with when the network fails: TypeError('fetch failed') with the reason as its cause. */
function networkError(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

interface Hop {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Buffer | null;
}

function send(hop: Hop, signal: AbortSignal | undefined): Promise<IncomingMessage> {
  const request = hop.url.protocol === 'https:' ? httpsRequest : http.request;
  const headers: OutgoingHttpHeaders = { ...hop.headers };
  if (hop.body !== null) headers['content-length'] = String(hop.body.length);
  return new Promise<IncomingMessage>((resolve, reject) => {
    const outgoing = request(hop.url, { method: hop.method, headers, agent: agentFor(hop.url), ...(signal ? { signal } : {}) });
    outgoing.once('response', resolve);
    outgoing.once('error', (error) => reject(signal?.aborted ? signal.reason : networkError(error)));
    outgoing.end(hop.body ?? undefined);
  });
}

/** The next hop of a redirect, by the fetch standard's rules; undefined → not a redirect to follow. */
function nextHop(hop: Hop, answer: IncomingMessage): Hop | undefined {
  const status = answer.statusCode ?? 0;
  const location = answer.headers.location;
  if (!REDIRECT_STATUSES.has(status) || location === undefined) return undefined;
  const url = new URL(location, hop.url);
  // Credentials and signatures stay with their origin (fetch drops only Authorization, Cookie and Proxy-Authorization).
  const headers = url.origin === hop.url.origin ? { ...hop.headers } : withoutCredentialHeaders(hop.headers);
  // 303, and 301/302 after a POST, turn into a GET without a body.
  if (status === 303 ? hop.method !== 'HEAD' : (status === 301 || status === 302) && hop.method === 'POST') {
    for (const name of Object.keys(headers)) if (name.startsWith('content-')) delete headers[name];
    return { url, method: status === 303 && hop.method === 'HEAD' ? 'HEAD' : 'GET', headers, body: null };
  }
  return { ...hop, url, headers };
}

async function nodeFetchImpl(input: Parameters<Fetch>[0], init: RequestInit = {}): Promise<Response> {
  const headers = headerRecord(init.headers);
  const body = headers === undefined ? undefined : bodyBytes(init.body, headers);
  const target = typeof input === 'string' ? input : input instanceof URL ? input.href : undefined;
  if (body === undefined || target === undefined || headers === undefined) return globalThis.fetch(input, init);
  const signal = init.signal ?? undefined;
  if (signal?.aborted) throw signal.reason;

  let url: URL;
  try {
    url = new URL(target);
  } catch (error) {
    throw new TypeError(`Failed to parse URL from ${target}`, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw networkError(new Error(`unsupported protocol ${url.protocol}`));
  const method = normaliseMethod(init.method ?? 'GET');
  let hop: Hop = { url, method, headers, body };
  const redirect = init.redirect ?? 'follow';
  for (let hops = 0; ; hops++) {
    const answer = await send(hop, signal);
    const next = redirect === 'manual' ? undefined : nextHop(hop, answer);
    if (next === undefined) return new LiteResponse(answer, hop, hops > 0, signal) as unknown as Response;
    discardAnswer(answer);
    if (redirect === 'error') throw networkError(new Error(`redirect to ${next.url.href} refused (redirect: 'error')`));
    if (hops >= MAX_REDIRECTS) throw networkError(new Error(`redirect count exceeded (${MAX_REDIRECTS})`));
    hop = next;
  }
}

/** fetch() on node:http(s) for string/bytes bodies; the global fetch for anything else. */
export const nodeFetch: Fetch = nodeFetchImpl as Fetch;

/** fetch normalises only these method names' case. */
function normaliseMethod(method: string): string {
  const upper = method.toUpperCase();
  return ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH'].includes(upper) ? upper : method;
}

/** A Response over a live IncomingMessage. */
class LiteResponse extends LiteResponseBase {
  readonly #answer: IncomingMessage;
  readonly #signal: AbortSignal | undefined;

  constructor(answer: IncomingMessage, hop: Hop, redirected: boolean, signal: AbortSignal | undefined) {
    const status = answer.statusCode ?? 0;
    const hasBody = hop.method !== 'HEAD' && !NULL_BODY_STATUSES.has(status);
    super({ status, statusText: answer.statusMessage ?? '', fields: rawHeaderPairs(answer.rawHeaders), url: hop.url.href, redirected, hasBody });
    this.#answer = answer;
    this.#signal = signal;
    answer.on('error', () => undefined);
    if (!hasBody) answer.resume();
  }

  protected openStream(): ReadableStream<Uint8Array> {
    return Readable.toWeb(this.#answer) as ReadableStream<Uint8Array>;
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
      throw this.#signal?.aborted ? this.#signal.reason : networkError(error);
    }
    if (this.#signal?.aborted) throw this.#signal.reason;
    if (!this.#answer.complete) throw networkError(new Error('other side closed before the body ended'));
    return collector === undefined ? new Uint8Array(Buffer.concat(chunks)) : collector.bytes();
  }
}
