/**
 * Adjacent chunks joined into one view before they are hashed and written.
 *
 * A TLS connection hands its reads on one record at a time (≤ 16 KiB), so a
 * 200 MB blob arrives as ~12 000 chunks, and every chunk costs a socket
 * write (a node:stream write, a TLS record, a write request) and a hash
 * update. The chunks of one connection lie back to back in its read slab
 * (slab-reads.ts), so consecutive ones are one longer view of the same
 * memory: joining them costs no copy. A run is passed on when the next chunk
 * does not continue it (a new slab), when it reaches `maxBytes`, on `flush`,
 * or once the reads that arrived together have all been seen (setImmediate:
 * after the event loop's I/O phase), so bytes never wait for more to come.
 */
export class ChunkRuns {
  private run: Buffer | undefined;
  private scheduled: NodeJS.Immediate | undefined;
  private readonly flushLater = (): void => {
    this.scheduled = undefined;
    this.flush();
  };

  constructor(
    private readonly pass: (run: Buffer) => void,
    private readonly maxBytes = 256 * 1024,
  ) {}

  add(chunk: Buffer): void {
    const run = this.run;
    if (run !== undefined && run.buffer === chunk.buffer && run.byteOffset + run.byteLength === chunk.byteOffset && run.byteLength + chunk.byteLength <= this.maxBytes) {
      this.run = Buffer.from(run.buffer, run.byteOffset, run.byteLength + chunk.byteLength);
    } else {
      if (run !== undefined) this.flush();
      this.run = chunk;
    }
    if (this.run !== undefined && this.run.byteLength >= this.maxBytes) this.flush();
    else this.scheduled ??= setImmediate(this.flushLater);
  }

  /** Passes on what is held now. */
  flush(): void {
    const run = this.run;
    this.run = undefined;
    if (run !== undefined) this.pass(run);
  }

  /** Drops what is held; nothing more is passed on until the next `add`. */
  clear(): void {
    this.run = undefined;
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
  }
}
