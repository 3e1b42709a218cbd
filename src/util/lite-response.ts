/**
 * The Response members imageship's code reads, without the global Response
 * class (whose first use loads undici, ≈ 40 ms). Subclasses say where the
 * body comes from: a live answer (nodeFetch) or bytes already read (the raw
 * blob path's small answers).
 */
import type { BodyCollector } from './body-cap.js';
import { LiteHeaders } from './lite-headers.js';

export abstract class LiteResponseBase {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: LiteHeaders;
  readonly url: string;
  readonly redirected: boolean;
  readonly type = 'basic';
  #stream: ReadableStream<Uint8Array> | null | undefined;
  #used = false;

  /** `hasBody` false: a HEAD answer or a null-body status; body is null and reads give nothing. */
  protected constructor(init: { status: number; statusText: string; fields: Iterable<readonly [string, string]>; url: string; redirected: boolean; hasBody: boolean }) {
    this.status = init.status;
    this.statusText = init.statusText;
    this.ok = init.status >= 200 && init.status <= 299;
    this.headers = new LiteHeaders(init.fields);
    this.url = init.url;
    this.redirected = init.redirected;
    if (!init.hasBody) this.#stream = null;
  }

  /**
   * Every byte of the body; called at most once. With a collector, each chunk
   * goes through it (it throws once the body passes its cap: the connection is
   * then dropped and the error passed on).
   */
  protected abstract readAll(stream: ReadableStream<Uint8Array> | undefined, collector?: BodyCollector): Promise<Uint8Array>;
  /** The body as a Web stream; called at most once, only when someone asks for `body`. */
  protected abstract openStream(): ReadableStream<Uint8Array>;

  /**
   * Resolves once the connection this answer came on can carry the next
   * request (back in its pool, or closed): a body read to its end, or a HEAD
   * answer, is not enough, node hands the socket back a tick later. An
   * answer read whole already (no connection behind it): at once.
   */
  released(): Promise<void> {
    return Promise.resolve();
  }

  get bodyUsed(): boolean {
    return this.#used;
  }

  /** Made on first use: reading through text()/arrayBuffer() skips Web Streams. */
  get body(): ReadableStream<Uint8Array> | null {
    if (this.#stream === undefined) this.#stream = this.openStream();
    return this.#stream;
  }

  async bytes(): Promise<Uint8Array> {
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    if (this.#stream === null) return new Uint8Array(0);
    return this.readAll(this.#stream);
  }

  /** bytes(), bounded: see http/read-body.ts readBodyBytes. */
  async bytesWithin(collector: BodyCollector): Promise<Uint8Array> {
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    if (this.#stream === null) return new Uint8Array(0);
    return this.readAll(this.#stream, collector);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.bytes();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  async text(): Promise<string> {
    return new TextDecoder().decode(await this.bytes());
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }
}
