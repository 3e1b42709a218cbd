/**
 * A Response, already read whole, without the global Response class (whose
 * first use loads undici, ≈ 40 ms): what the raw blob path hands to the parts
 * of the registry client that read answers (errors, auth challenges, the
 * closing answer of an upload).
 */
import { Readable } from 'node:stream';
import { LiteHeaders } from './lite-headers.js';

const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 204, 205, 304]);

class BufferedResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: LiteHeaders;
  readonly url = '';
  readonly redirected = false;
  readonly type = 'basic';
  #bytes: Buffer | null;
  #stream: ReadableStream<Uint8Array> | null | undefined;
  #used = false;

  constructor(status: number, statusText: string, fields: Iterable<readonly [string, string]>, body: Buffer) {
    // Outside 200–599 a Response cannot exist; say "bad gateway" as a proxy would.
    this.status = status < 200 || status > 599 ? 502 : status;
    this.statusText = statusText;
    this.ok = this.status >= 200 && this.status <= 299;
    this.headers = new LiteHeaders(fields);
    this.#bytes = NULL_BODY_STATUSES.has(status) || status < 200 ? null : body;
    if (this.#bytes === null) this.#stream = null;
  }

  get bodyUsed(): boolean {
    return this.#used;
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (this.#stream === undefined) {
      const bytes = this.#take();
      this.#stream = Readable.toWeb(Readable.from([bytes])) as ReadableStream<Uint8Array>;
    }
    return this.#stream;
  }

  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(this.#take());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.#take();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  async text(): Promise<string> {
    return this.#take().toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  #take(): Buffer {
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    return this.#bytes ?? Buffer.alloc(0);
  }
}

/** An answer read whole, as a Response. */
export function bufferedResponse(status: number, statusText: string, fields: Iterable<readonly [string, string]>, body: Buffer): Response {
  return new BufferedResponse(status, statusText, fields, body) as unknown as Response;
}
