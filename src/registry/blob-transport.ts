/**
 * The byte path of a blob copy on node:http/node:https streams instead of
 * fetch and Web Streams, whose per-chunk cost dominated a registry-to-registry
 * copy's CPU: one keep-alive agent per origin, a single request (its body, if
 * any, sent with stream.pipeline), manual redirects for GETs, and answers
 * turned into Web `Response`s only where the rest of the client reads them
 * (auth challenges, errors, the closing answer of an upload).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Redirects a GET follows, as fetch does. */
const MAX_REDIRECTS = 20;
/** A body this small is read to its end when discarded, so the connection is reused. */
const DRAIN_LIMIT = 64 * 1024;
const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

const agents = new Map<string, HttpAgent>();

/** One keep-alive agent per origin (a registry, or the storage it redirects to). */
function agentFor(url: URL): HttpAgent {
  let agent = agents.get(url.origin);
  if (agent === undefined) {
    agent = url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    agents.set(url.origin, agent);
  }
  return agent;
}

export interface RawRequest {
  url: string;
  method: 'GET' | 'PUT';
  headers: Record<string, string>;
  /** Sent with stream.pipeline; the request's headers must carry its Content-Length. */
  body?: Readable;
  signal: AbortSignal;
}

/** One request, no redirect followed. Resolves with the answer as soon as its head arrives. */
export function rawRequest(request: RawRequest): Promise<IncomingMessage> {
  const url = new URL(request.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.reject(new Error(`not an HTTP(S) URL: ${request.url}`));
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<IncomingMessage>((resolve, reject) => {
    let answered = false;
    const outgoing = send(url, { method: request.method, headers: request.headers as OutgoingHttpHeaders, agent: agentFor(url), signal: request.signal });
    outgoing.on('response', (response) => {
      answered = true;
      resolve(response);
    });
    // Kept for the request's life: an error after the answer (a body cut short by an early answer) is not the caller's.
    outgoing.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (request.body === undefined) outgoing.end();
    else
      pipeline(request.body, outgoing).catch((error: unknown) => {
        if (!answered) reject(error);
      });
  });
}

/**
 * A GET that follows redirects the way fetch does: Authorization (from
 * `authorization`, asked for each hop) goes only to the origin of `url`, and
 * stops for good once a redirect leaves it.
 */
export async function rawGet(
  url: string,
  headers: Record<string, string>,
  authorization: string | undefined,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const origin = new URL(url).origin;
  let target = url;
  let credentialed = authorization !== undefined;
  for (let hops = 0; ; hops++) {
    credentialed &&= new URL(target).origin === origin;
    const response = await rawRequest({
      url: target,
      method: 'GET',
      headers: credentialed && authorization !== undefined ? { ...headers, authorization } : headers,
      signal,
    });
    const location = response.headers.location;
    if (!REDIRECTS.has(response.statusCode ?? 0) || location === undefined) return response;
    discardRaw(response);
    if (hops >= MAX_REDIRECTS) throw new Error(`redirect count exceeded (${MAX_REDIRECTS})`);
    target = new URL(location, target).href;
  }
}

/** Frees an answer nobody reads: a small one is drained (the connection is reused), a large one dropped. */
export function discardRaw(response: IncomingMessage): void {
  response.on('error', () => undefined);
  const length = Number(response.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(length) && length <= DRAIN_LIMIT) response.resume();
  else response.destroy();
}

/** The answer as a Web Response with its whole (small: an error or a closing answer) body read. */
export async function toWebResponse(response: IncomingMessage): Promise<Response> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of response) chunks.push(chunk as Buffer);
  } catch {
    // A body cut short says nothing more than its status: report what arrived.
  }
  const headers = new Headers();
  const raw = response.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i] as string, raw[i + 1] as string);
    } catch {
      // A header value the Fetch API refuses: not one the client reads.
    }
  }
  const status = response.statusCode ?? 502;
  const body = status === 204 || status === 205 || status === 304 || status < 200 ? null : Buffer.concat(chunks);
  return new Response(body, { status: status < 200 || status > 599 ? 502 : status, statusText: response.statusMessage ?? '', headers });
}

/**
 * `response`'s body, telling `touch` of every chunk, calling `stop` at its
 * end or when it is dropped, and failing with `mapError(error)` when the
 * connection fails. Destroying the result drops the connection.
 */
export function watchedReadable(
  response: IncomingMessage,
  hooks: { touch: () => void; stop: () => void; mapError: (error: unknown) => unknown },
): Readable {
  const out = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hooks.touch();
      callback(null, chunk);
    },
    flush(callback) {
      hooks.stop();
      callback();
    },
  });
  response.on('error', (error) => {
    hooks.stop();
    out.destroy(hooks.mapError(error) as Error);
  });
  out.on('close', () => {
    hooks.stop();
    if (!response.complete) response.destroy();
  });
  response.pipe(out);
  return out;
}
