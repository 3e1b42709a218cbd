/**
 * The text parts of an HTTP/1.1 exchange, for the blob byte path that speaks
 * HTTP on its own sockets (raw-http1.ts): the request head we send, the
 * response head we read (status line and fields, however the bytes are split
 * across reads, with a size limit), and how the response body is delimited
 * (RFC 9112 §6.3). Pure functions and one small accumulator: no I/O here.
 */
import { ImageshipError } from '../domain/errors.js';

/** Longer answers heads are refused, as node:http refuses past its own (16 KiB) limit. */
export const MAX_RESPONSE_HEAD_BYTES = 64 * 1024;

export interface ResponseHead {
  status: number;
  reason: string;
  /** Field lines in the order received, names lowercased, values without surrounding whitespace. */
  fields: ReadonlyArray<readonly [name: string, value: string]>;
}

/** How the body after a head ends. */
export type BodyFraming =
  | { kind: 'none' }
  | { kind: 'length'; length: number }
  | { kind: 'chunked' }
  /** No length given: the body is every byte until the server closes the connection. */
  | { kind: 'close' };

/** A response the client cannot read: the connection is dropped and the request reported as failed. */
export class Http1ProtocolError extends ImageshipError {
  override readonly name = 'Http1ProtocolError';
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const STATUS_LINE = /^HTTP\/1\.[01] ([1-9]\d{2})(?: ([^\r\n]*))?$/;
/** CR, LF and NUL would end a line early, or smuggle another field in. */
const UNSAFE_IN_FIELD = /[\r\n\0]/;

/**
 * `METHOD /path?query HTTP/1.1` and its fields. `Host` comes from the URL;
 * `Connection: close` unless the connection may serve another request after
 * this one (`keepAlive`: HTTP/1.1's default, so no field at all).
 * Throws on a field that would break the head (a line break in a token).
 */
export function serializeRequestHead(
  method: string,
  url: URL,
  fields: Readonly<Record<string, string>>,
  forward?: { headers: Readonly<Record<string, string>> },
  keepAlive = false,
): string {
  // Through a forward proxy (an http:// target): the absolute URI, and the proxy's own credentials.
  const target = forward ? `${url.origin}${url.pathname}${url.search}` : `${url.pathname}${url.search}`;
  let head = `${method} ${target} HTTP/1.1\r\nHost: ${url.host}\r\n${keepAlive ? '' : 'Connection: close\r\n'}`;
  if (forward) fields = { ...fields, ...forward.headers };
  for (const [name, value] of Object.entries(fields)) {
    if (!TOKEN.test(name)) throw new Error(`invalid HTTP header name ${JSON.stringify(name)}`);
    if (UNSAFE_IN_FIELD.test(value)) throw new Error(`invalid value for HTTP header ${name}: it holds a line break or NUL`);
    const lower = name.toLowerCase();
    if (lower === 'host' || lower === 'connection') continue;
    head += `${name}: ${value}\r\n`;
  }
  return `${head}\r\n`;
}

/**
 * Collects the bytes of one response head as they arrive. `push` returns
 * undefined until the blank line that ends the head has come, then the
 * parsed head and whatever body bytes arrived in the same read.
 */
export class ResponseHeadReader {
  private buffered: Buffer | undefined;

  push(chunk: Buffer): { head: ResponseHead; rest: Buffer } | undefined {
    const previous = this.buffered?.length ?? 0;
    const bytes = this.buffered === undefined ? chunk : Buffer.concat([this.buffered, chunk]);
    // The blank line may straddle reads: look again from up to 3 bytes back.
    const end = bytes.indexOf('\r\n\r\n', Math.max(0, previous - 3), 'latin1');
    if (end === -1) {
      if (bytes.length > MAX_RESPONSE_HEAD_BYTES) throw new Http1ProtocolError(`the answer's head is larger than ${MAX_RESPONSE_HEAD_BYTES} bytes`);
      this.buffered = bytes;
      return undefined;
    }
    if (end + 4 > MAX_RESPONSE_HEAD_BYTES) throw new Http1ProtocolError(`the answer's head is larger than ${MAX_RESPONSE_HEAD_BYTES} bytes`);
    this.buffered = undefined;
    return { head: parseResponseHead(bytes.toString('latin1', 0, end)), rest: bytes.subarray(end + 4) };
  }
}

/** A status line and its field lines (CRLF-separated, without the blank line). */
export function parseResponseHead(text: string): ResponseHead {
  const lines = text.split('\r\n');
  const statusLine = lines[0] ?? '';
  const match = STATUS_LINE.exec(statusLine);
  if (match === null) throw new Http1ProtocolError(`not an HTTP/1.x status line: ${JSON.stringify(statusLine.slice(0, 80))}`);
  const fields: [string, string][] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    // Obsolete line folding (a line starting with whitespace) and names with spaces are refused, as RFC 9112 §5 asks.
    const name = colon > 0 ? line.slice(0, colon) : '';
    if (!TOKEN.test(name)) throw new Http1ProtocolError(`malformed header line in the answer: ${JSON.stringify(line.slice(0, 80))}`);
    const value = line.slice(colon + 1).trim();
    if (value.includes('\n') || value.includes('\r') || value.includes('\0')) throw new Http1ProtocolError(`malformed value for header ${name}`);
    fields.push([name.toLowerCase(), value]);
  }
  return { status: Number(match[1]), reason: match[2] ?? '', fields };
}

/** The field's value, repeated fields joined with ", " as RFC 9110 §5.3 allows; undefined when absent. */
export function headerValue(head: ResponseHead, name: string): string | undefined {
  let value: string | undefined;
  for (const [field, fieldValue] of head.fields) {
    if (field === name) value = value === undefined ? fieldValue : `${value}, ${fieldValue}`;
  }
  return value;
}

/**
 * How the body of `head`, the answer to a request that is not HEAD, is
 * delimited (RFC 9112 §6.3): none for 1xx, 204 and 304; chunked when
 * Transfer-Encoding says so (Content-Length is then ignored); else
 * Content-Length; else until the connection closes. Repeated Content-Length
 * values must agree; any transfer coding but chunked alone is refused (we
 * cannot undo it, and the digest check would then blame the registry's bytes).
 */
export function bodyFraming(head: ResponseHead): BodyFraming {
  if (head.status < 200 || head.status === 204 || head.status === 304) return { kind: 'none' };
  const transferEncoding = headerValue(head, 'transfer-encoding');
  if (transferEncoding !== undefined) {
    const codings = transferEncoding.split(',').map((coding) => coding.trim().toLowerCase()).filter(Boolean);
    if (codings.length === 1 && codings[0] === 'chunked') return { kind: 'chunked' };
    throw new Http1ProtocolError(`unsupported Transfer-Encoding ${JSON.stringify(transferEncoding)}`);
  }
  const contentLength = headerValue(head, 'content-length');
  if (contentLength === undefined) return { kind: 'close' };
  return { kind: 'length', length: parseContentLength(contentLength) };
}

/** `1234`, or `1234, 1234` from repeated fields; anything else is refused. */
function parseContentLength(value: string): number {
  let length: number | undefined;
  for (const item of value.split(',')) {
    const text = item.trim();
    const parsed = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(parsed)) throw new Http1ProtocolError(`invalid Content-Length ${JSON.stringify(value)}`);
    if (length !== undefined && parsed !== length) throw new Http1ProtocolError(`conflicting Content-Length values ${JSON.stringify(value)}`);
    length = parsed;
  }
  if (length === undefined) throw new Http1ProtocolError(`invalid Content-Length ${JSON.stringify(value)}`);
  return length;
}
