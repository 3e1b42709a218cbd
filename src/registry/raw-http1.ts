/**
 * A minimal HTTP/1.1 client on plain node:net / node:tls sockets, for the two
 * requests that carry blob bytes (the GET of a blob, the single PUT of an
 * upload). node:http's parser, agents and stream layers cost more CPU per
 * chunk than hashing the bytes; here a body chunk goes from the socket's
 * read (slab-reads.ts) to its consumer with one length check in between.
 *
 * Each exchange has a socket of its own, opened for it and closed once the
 * answer has been read (`Connection: close`), so nothing lingers to keep the
 * process alive. TLS uses Node's default verification (NODE_EXTRA_CA_CERTS
 * keeps working), with SNI for host names, not for IP literals. Answer
 * bodies may be framed by Content-Length, chunked, or the connection's end
 * (http1-head.ts says which).
 */
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { ChunkedDecoder } from './http1-chunked.js';
import { bodyFraming, headerValue, ResponseHeadReader, serializeRequestHead, type BodyFraming, type ResponseHead } from './http1-head.js';
import { SlabReads } from './slab-reads.js';
import type { ConnectionReads, RawConnection } from '../http/raw-connect.js';
import type { RawConnector } from '../http/raw-connector.js';
import { BODY_CAPS } from '../util/body-cap.js';
import { bufferedResponse } from '../util/buffered-response.js';
import { withoutCredentialHeaders } from '../util/credential-headers.js';
import { MAX_REDIRECTS, REDIRECT_STATUSES } from '../util/fetch-rules.js';

/**
 * Answers read whole (errors, challenges, the closing answer of an upload)
 * are cut off once past this: the helper that reads them (util/http.ts
 * readBodyBytes, with the same cap) then reports the body as too large.
 */
const SMALL_BODY_LIMIT = BODY_CAPS.errorBody.bytes;

/** Where an answer's body goes, piece by piece. */
export interface ChunkConsumer {
  chunk(data: Buffer): void;
  end(): void;
  error(error: Error): void;
}

/** A dropped connection, coded as node:http codes it so the retry policy sees a transient failure. */
function connectionDropped(message: string): Error {
  return Object.assign(new Error(message), { code: 'ECONNRESET' });
}

/**
 * One request and its answer on a socket of its own. The request head and
 * body are written by the caller (`write`); the answer's head is `response()`,
 * its body goes to one consumer (`readAll`, or `receive`: see body-feed.ts). Aborting
 * `signal` drops the connection and fails whatever is pending with its reason.
 */
export class Http1Exchange {
  private readonly socket: Socket;
  private readonly signal: AbortSignal;
  // The reason itself, so the caller can tell its own abort (see transferError) from a failure.
  private readonly onAbort = (): void => this.fail(this.signal.reason as Error);
  private headReader = new ResponseHeadReader();
  private framing: BodyFraming | undefined;
  /** Body bytes still to come under Content-Length framing. */
  private remaining = 0;
  private decoder: ChunkedDecoder | undefined;
  private sink: ChunkConsumer | undefined;
  /** Body bytes that arrived before a consumer was attached. */
  private pending: Buffer[] = [];
  private bodyDone = false;
  private answeredHead: ResponseHead | undefined;
  private failure: Error | undefined;
  /** Closed by us: nothing more is reported to anyone. */
  private closed = false;
  private readonly head: Promise<ResponseHead>;
  private resolveHead!: (head: ResponseHead) => void;
  private rejectHead!: (error: Error) => void;

  /** Set when the socket goes to a forward proxy: requests name the absolute URI (see serializeRequestHead). */
  readonly forward: RawConnection['forward'];

  /** Where a cleanly completed answer hands the connection on (a connector that keeps connections alive). */
  private readonly handOn: ((socket: Socket, reads: ConnectionReads) => void) | undefined;
  private readonly reads: ConnectionReads;
  private readonly onEnd = (): void => this.connectionEnded();
  private readonly onError = (error: Error): void => this.fail(error);
  /** Bytes came past the end of the answer: the connection cannot carry another one. */
  private overrun = false;
  private readonly drainListeners: (() => void)[] = [];
  /** The connection went back to the pool after a clean answer: it is not this exchange's to close. */
  private handedOn = false;

  constructor(socket: Socket, reads: ConnectionReads, signal: AbortSignal, forward?: RawConnection['forward'], handOn?: RawConnection['keepAlive']) {
    this.socket = socket;
    this.forward = forward;
    this.signal = signal;
    this.reads = reads;
    // A forward proxy's connection is not handed on: the next request may be for another origin.
    this.handOn = forward === undefined ? handOn : undefined;
    this.head = new Promise<ResponseHead>((resolve, reject) => {
      this.resolveHead = resolve;
      this.rejectHead = reject;
    });
    // Whoever needs the answer awaits it; a failure nobody waits for is not an unhandled rejection.
    this.head.catch(() => undefined);
    // As node:http does: a request head goes out at once, not after the peer's ACK of something else.
    socket.setNoDelay(true);
    reads.deliverTo((chunk) => {
      if (this.framing === undefined) this.readHead(chunk);
      else this.readBody(chunk);
    });
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  /** The request may leave the connection open (no `Connection: close`): a clean answer hands it on. */
  get keepAlive(): boolean {
    return this.handOn !== undefined;
  }

  /** The answer's head (1xx interim answers skipped). Rejects when the connection fails first. */
  response(): Promise<ResponseHead> {
    return this.head;
  }

  /**
   * Writes request bytes; false asks the caller to wait for `onDrain`. Ignored once the exchange is over.
   * `written` is called once the socket is done with `data` (handed to the kernel, or encrypted by TLS); not
   * when the write failed or was ignored.
   */
  write(data: string | Buffer, written?: () => void): boolean {
    if (this.closed || this.failure !== undefined || this.bodyDone) return true;
    if (written === undefined) return this.socket.write(data);
    return this.socket.write(data, (error) => {
      if (error === null || error === undefined) written();
    });
  }

  onDrain(listener: () => void): void {
    this.drainListeners.push(listener);
    this.socket.on('drain', listener);
  }

  /** Body bytes stop arriving until `resume` (backpressure from the consumer). */
  pause(): void {
    if (!this.handedOn) this.socket.pause();
  }

  resume(): void {
    if (!this.bodyDone && !this.closed) this.socket.resume();
  }

  /** Content-Length of the answer, when it is framed by one. */
  contentLength(): number | undefined {
    return this.framing?.kind === 'length' ? this.framing.length : undefined;
  }

  /** Drops the connection; nothing more is reported. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sink = undefined;
    this.pending = [];
    this.release();
  }

  /** The whole (small) body. A body cut short, or one past the limit, yields what arrived: its status says the rest. */
  readAll(limit = SMALL_BODY_LIMIT): Promise<Buffer> {
    return new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (): void => resolve(Buffer.concat(chunks));
      this.receive({
        chunk: (data) => {
          chunks.push(data);
          size += data.length;
          if (size > limit) {
            this.close();
            done();
          }
        },
        end: done,
        error: done,
      });
    });
  }

  /**
   * Hands the body to `sink` (one consumer per answer): first what arrived
   * already, then each chunk as it comes, then its end or the connection's
   * failure. Nothing more after `close`.
   */
  receive(sink: ChunkConsumer): void {
    if (this.sink !== undefined) throw new Error('internal: an answer body has one consumer');
    this.sink = sink;
    const pending = this.pending;
    this.pending = [];
    for (const data of pending) {
      if (this.closed) return;
      sink.chunk(data);
    }
    if (this.closed) return;
    if (this.bodyDone) sink.end();
    else if (this.failure !== undefined) sink.error(this.failure);
    else this.socket.resume();
  }

  private readHead(chunk: Buffer): void {
    let parsed: { head: ResponseHead; rest: Buffer } | undefined;
    let framing: BodyFraming;
    try {
      parsed = this.headReader.push(chunk);
      if (parsed === undefined) return;
      if (parsed.head.status < 200) {
        // An interim answer (100 Continue…): the real one follows.
        this.headReader = new ResponseHeadReader();
        if (parsed.rest.length > 0) this.readHead(parsed.rest);
        return;
      }
      framing = bodyFraming(parsed.head);
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    this.framing = framing;
    this.answeredHead = parsed.head;
    if (framing.kind === 'length') this.remaining = framing.length;
    else if (framing.kind === 'chunked') this.decoder = new ChunkedDecoder();
    // Until someone takes the body, leave it in the socket.
    if (this.sink === undefined) this.socket.pause();
    this.resolveHead(parsed.head);
    if (framing.kind === 'none' || (framing.kind === 'length' && framing.length === 0)) this.endBody();
    else if (parsed.rest.length > 0) this.readBody(parsed.rest);
  }

  /** The hot path: every chunk of a blob passes here once. */
  private readBody(chunk: Buffer): void {
    if (this.bodyDone || this.closed) return;
    const framing = this.framing as BodyFraming;
    if (framing.kind === 'length') {
      if (chunk.length < this.remaining) {
        this.remaining -= chunk.length;
        this.deliver(chunk);
        return;
      }
      // Bytes past the length are not part of this answer (we asked for the connection to close, or nothing more).
      if (chunk.length > this.remaining) this.overrun = true;
      const last = chunk.length === this.remaining ? chunk : chunk.subarray(0, this.remaining);
      this.remaining = 0;
      this.deliver(last);
      this.endBody();
      return;
    }
    if (framing.kind === 'chunked') {
      const decoder = this.decoder as ChunkedDecoder;
      try {
        if (decoder.push(chunk, (data) => this.deliver(data)) < chunk.length) this.overrun = true;
      } catch (error) {
        this.fail(error as Error);
        return;
      }
      if (decoder.done) this.endBody();
      return;
    }
    this.deliver(chunk);
  }

  private deliver(data: Buffer): void {
    if (this.closed) return;
    if (this.sink === undefined) this.pending.push(data);
    else this.sink.chunk(data);
  }

  private endBody(): void {
    if (this.bodyDone || this.closed || this.failure !== undefined) return;
    this.bodyDone = true;
    const sink = this.sink;
    if (this.reusable()) this.handOnConnection();
    else this.release();
    sink?.end();
  }

  /**
   * A connection carries another request only after a 2xx answer framed by
   * length or chunks, read to its last byte and no further, to a request
   * sent whole (a 2xx to a PUT comes after its body), with no `Connection:
   * close` from the server.
   */
  private reusable(): boolean {
    const head = this.answeredHead;
    if (this.handOn === undefined || head === undefined || this.overrun) return false;
    if (head.status < 200 || head.status > 299) return false;
    if (this.framing?.kind !== 'length' && this.framing?.kind !== 'chunked') return false;
    const connection = (headerValue(head, 'connection') ?? '').toLowerCase();
    return !connection.split(',').some((token) => token.trim() === 'close') && !this.socket.destroyed && this.socket.writable;
  }

  private handOnConnection(): void {
    // Nothing of this exchange stays on the socket; a later close() of this exchange leaves it alone.
    this.handedOn = true;
    this.signal.removeEventListener('abort', this.onAbort);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
    for (const listener of this.drainListeners) this.socket.off('drain', listener);
    this.reads.detach();
    // Still reading while idle: a peer that closes is noticed, and anything it sends makes the connection unusable.
    this.socket.resume();
    this.handOn?.(this.socket, this.reads);
  }

  private connectionEnded(): void {
    if (this.bodyDone || this.closed || this.failure !== undefined) return;
    if (this.framing === undefined) this.fail(connectionDropped('socket hang up: the connection closed before an answer came'));
    else if (this.framing.kind === 'close') this.endBody();
    else this.fail(connectionDropped('the connection closed before the end of the answer body'));
  }

  private fail(error: Error): void {
    if (this.bodyDone || this.closed || this.failure !== undefined) return;
    this.failure = error;
    this.release();
    if (this.framing === undefined) this.rejectHead(error);
    else this.sink?.error(error);
  }

  /** The socket is done with: nothing more is read or written (by this exchange, when it was handed on). */
  private release(): void {
    this.signal.removeEventListener('abort', this.onAbort);
    if (!this.handedOn) this.socket.destroy();
  }
}

/**
 * Connects to `url`'s origin (TLS for https:) and sends nothing yet. With
 * `connect` (the run's transport) the socket takes the transport's route and
 * trust: a proxy's CONNECT tunnel, certs.d CAs and client certificates.
 */
export function openHttp1(url: URL, signal: AbortSignal, connect?: RawConnector): Promise<Http1Exchange> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.reject(new Error(`not an HTTP(S) URL: ${url.href}`));
  if (signal.aborted) return Promise.reject(signal.reason);
  if (connect) return openThrough(connect, url, signal);
  const secure = url.protocol === 'https:';
  const port = Number(url.port || (secure ? 443 : 80));
  // URL keeps IPv6 literals in brackets; sockets want the bare address.
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return new Promise<Http1Exchange>((resolve, reject) => {
    const reads = new SlabReads();
    // tls.connect takes `onread` too (documented; missing from @types/node's ConnectionOptions).
    const socket = secure
      ? tlsConnect({ host, port, ...(isIP(host) === 0 ? { servername: host } : {}), onread: reads.options } as ConnectionOptions)
      : netConnect({ host, port, onread: reads.options });
    const cleanup = (): void => {
      socket.off('error', onError);
      signal.removeEventListener('abort', onAbort);
    };
    const onError = (error: Error): void => {
      cleanup();
      socket.destroy();
      reject(error);
    };
    const onAbort = (): void => {
      cleanup();
      socket.destroy();
      reject(signal.reason);
    };
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      cleanup();
      resolve(new Http1Exchange(socket, reads, signal));
    });
    socket.on('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

async function openThrough(connect: RawConnector, url: URL, signal: AbortSignal): Promise<Http1Exchange> {
  const reads = new SlabReads();
  const connection = await connect(url, { signal, socketOptions: { onread: reads.options } });
  // A connection opened ahead of need, or kept alive, reads into reads of its own (and feeds them from 'data' itself).
  if (connection.reads) return new Http1Exchange(connection.socket, connection.reads, signal, connection.forward, connection.keepAlive);
  // A socket that honours onread emits no 'data'; one that ignores it (TLS inside a tunnel) feeds the same reads.
  connection.socket.on('data', (chunk: Buffer) => reads.push(chunk));
  return new Http1Exchange(connection.socket, reads, signal, connection.forward, connection.keepAlive);
}

/** A bodiless request on a fresh connection; resolves with the exchange once the answer's head arrived. */
export async function bodilessRequest(url: URL, method: string, fields: Record<string, string>, signal: AbortSignal, connect?: RawConnector): Promise<{ exchange: Http1Exchange; head: ResponseHead }> {
  const exchange = await openHttp1(url, signal, connect);
  try {
    exchange.write(serializeRequestHead(method, url, fields, exchange.forward, exchange.keepAlive));
    return { exchange, head: await exchange.response() };
  } catch (error) {
    exchange.close();
    throw error;
  }
}

/**
 * A GET that follows redirects the way fetch does: `authorization` (and any
 * other credential header in `fields`) goes only to `url`'s origin, and stops
 * for good once a redirect leaves it: a registry that sends a blob GET to its
 * storage or CDN hands out a signed URL, not a reason to get the login.
 * Resolves with the final answer's head; its body is for the caller to read or close.
 */
export async function http1Get(
  url: URL,
  fields: Record<string, string>,
  authorization: string | undefined,
  signal: AbortSignal,
  connect?: RawConnector,
): Promise<{ exchange: Http1Exchange; head: ResponseHead; url: URL }> {
  let target = url;
  let credentialed = true;
  const withCredentials = authorization === undefined ? fields : { ...fields, authorization };
  const withoutCredentials = withoutCredentialHeaders(fields);
  for (let hops = 0; ; hops++) {
    credentialed &&= target.origin === url.origin;
    const answer = await bodilessRequest(target, 'GET', credentialed ? withCredentials : withoutCredentials, signal, connect);
    const location = headerValue(answer.head, 'location');
    if (!REDIRECT_STATUSES.has(answer.head.status) || location === undefined) return { ...answer, url: target };
    answer.exchange.close();
    if (hops >= MAX_REDIRECTS) throw new Error(`redirect count exceeded (${MAX_REDIRECTS})`);
    target = new URL(location, target);
  }
}

/** An answer read whole, as a Response for the parts of the client that read those (errors, challenges, upload answers). */
export function toWebResponse(head: ResponseHead, body: Buffer): Response {
  return bufferedResponse(head.status, head.reason, head.fields, body);
}

/** The answer as a Web Response, its body read whole (see readAll). */
export async function readWebResponse(exchange: Http1Exchange, head: ResponseHead): Promise<Response> {
  return toWebResponse(head, await exchange.readAll());
}
