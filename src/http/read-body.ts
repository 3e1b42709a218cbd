/**
 * Reading a whole answer body under a cap, for every caller that buffers one
 * (manifests, token answers, cloud and Kubernetes API answers, error bodies).
 * A failure while the body arrives is named by the one classification
 * (network-errors.ts, through the retry policy's classifyFailure).
 */
import { BODY_CAPS, BodyCollector, BodyTooLargeError, checkDeclaredLength, hostOf, type BodyRead } from '../util/body-cap.js';
import { bufferedResponse } from '../util/buffered-response.js';
import { LiteResponseBase } from '../util/lite-response.js';
import { classifyFailure, HttpError } from './retry.js';

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
    const failure = classifyFailure(error, undefined, response.url || undefined);
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
 * A refused answer (a 401) read whole before its challenge is answered, as a
 * Response whose body can still be read for the error: its connection is back
 * in the pool when the token request goes out, so a token realm on the
 * registry's own origin (SWR, GHCR, Harbor…) is asked over that kept-alive
 * connection instead of a new one (TCP + TLS: 2 round trips); it waits for
 * the connection to be back in the pool (a HEAD's 401 has no body to read,
 * and the socket goes back a tick after the end). At most the
 * error-body cap is kept; a body past it, or one that fails to arrive, leaves
 * an empty body (its connection is dropped either way).
 */
export async function settledResponse(response: Response, operation: string): Promise<Response> {
  let body: Uint8Array;
  try {
    body = await readBodyBytes(response, operation, { what: `the answer to ${operation}`, cap: BODY_CAPS.errorBody });
  } catch {
    body = new Uint8Array(0);
  }
  if ((response as unknown) instanceof LiteResponseBase) await (response as unknown as LiteResponseBase).released();
  return bufferedResponse(response.status, response.statusText, response.headers, Buffer.from(body.buffer, body.byteOffset, body.byteLength), response.url);
}
