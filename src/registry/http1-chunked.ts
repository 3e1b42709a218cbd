/**
 * Undoes `Transfer-Encoding: chunked` (RFC 9112 §7.1) as bytes arrive, for
 * the raw HTTP/1.1 path: registries answer blobs with a Content-Length, but
 * a proxy or storage backend in front of one may stream them chunked.
 * Chunk extensions and trailer fields are read past and ignored.
 */
import { Http1ProtocolError } from './http1-head.js';

/** A chunk-size line or trailer line longer than this is not a reasonable peer. */
const MAX_LINE_BYTES = 8 * 1024;
const HEX_SIZE = /^[0-9A-Fa-f]{1,13}$/;

type State = 'size' | 'data' | 'data-end' | 'trailer' | 'done';

export class ChunkedDecoder {
  private state: State = 'size';
  /** Data bytes left in the current chunk. */
  private remaining = 0;
  /** The part of a size or trailer line received so far. */
  private line = '';

  /** Whether the last chunk and the trailer section have been read. */
  get done(): boolean {
    return this.state === 'done';
  }

  /**
   * Decodes `chunk`, handing each piece of body data to `emit`. Returns the
   * number of bytes of `chunk` used: less than its length only once done
   * (what follows is not part of this message). Throws Http1ProtocolError on
   * malformed framing.
   */
  push(chunk: Buffer, emit: (data: Buffer) => void): number {
    let at = 0;
    while (at < chunk.length && this.state !== 'done') {
      if (this.state === 'data') {
        const take = Math.min(this.remaining, chunk.length - at);
        emit(at === 0 && take === chunk.length ? chunk : chunk.subarray(at, at + take));
        at += take;
        this.remaining -= take;
        if (this.remaining === 0) this.state = 'data-end';
        continue;
      }
      const newline = chunk.indexOf(10, at);
      const end = newline === -1 ? chunk.length : newline + 1;
      this.line += chunk.toString('latin1', at, end);
      at = end;
      if (this.line.length > MAX_LINE_BYTES) throw new Http1ProtocolError('a chunked body has an over-long size or trailer line');
      if (newline === -1) continue;
      if (!this.line.endsWith('\r\n')) throw new Http1ProtocolError('a chunked body has a line not ended by CRLF');
      const line = this.line.slice(0, -2);
      this.line = '';
      this.takeLine(line);
    }
    return at;
  }

  private takeLine(line: string): void {
    if (this.state === 'data-end') {
      if (line !== '') throw new Http1ProtocolError('a chunk is longer than its size says');
      this.state = 'size';
      return;
    }
    if (this.state === 'trailer') {
      if (line === '') this.state = 'done';
      return;
    }
    const semicolon = line.indexOf(';');
    const sizeText = (semicolon === -1 ? line : line.slice(0, semicolon)).trimEnd();
    if (!HEX_SIZE.test(sizeText)) throw new Http1ProtocolError(`invalid chunk size ${JSON.stringify(line.slice(0, 40))}`);
    const size = Number.parseInt(sizeText, 16);
    if (!Number.isSafeInteger(size)) throw new Http1ProtocolError(`invalid chunk size ${JSON.stringify(sizeText)}`);
    if (size === 0) this.state = 'trailer';
    else {
      this.remaining = size;
      this.state = 'data';
    }
  }
}
