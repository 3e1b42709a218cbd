/**
 * A Response, already read whole, without the global Response class: what the
 * raw blob path hands to the parts of the registry client that read answers
 * (errors, auth challenges, the closing answer of an upload).
 */
import { Readable } from 'node:stream';
import type { BodyCollector } from './body-cap.js';
import { NULL_BODY_STATUSES } from './fetch-rules.js';
import { LiteResponseBase } from './lite-response.js';

class BufferedResponse extends LiteResponseBase {
  readonly #bytes: Buffer;

  constructor(status: number, statusText: string, fields: Iterable<readonly [string, string]>, body: Buffer, url: string) {
    // Outside 200–599 a Response cannot exist; say "bad gateway" as a proxy would.
    const hasBody = status >= 200 && !NULL_BODY_STATUSES.has(status);
    super({ status: status < 200 || status > 599 ? 502 : status, statusText, fields, url, redirected: false, hasBody });
    this.#bytes = body;
  }

  protected async readAll(stream: ReadableStream<Uint8Array> | undefined, collector?: BodyCollector): Promise<Uint8Array> {
    if (stream === undefined) {
      if (collector === undefined) return new Uint8Array(this.#bytes);
      collector.push(this.#bytes);
      return collector.bytes();
    }
    const chunks: Uint8Array[] = [];
    for await (const chunk of stream) {
      if (collector === undefined) chunks.push(chunk);
      else collector.push(chunk);
    }
    return collector === undefined ? new Uint8Array(Buffer.concat(chunks)) : collector.bytes();
  }

  protected openStream(): ReadableStream<Uint8Array> {
    return Readable.toWeb(Readable.from([this.#bytes])) as ReadableStream<Uint8Array>;
  }
}

/** An answer read whole, as a Response (`url`: where it came from, when known). */
export function bufferedResponse(status: number, statusText: string, fields: Iterable<readonly [string, string]>, body: Buffer, url = ''): Response {
  return new BufferedResponse(status, statusText, fields, body, url) as unknown as Response;
}
