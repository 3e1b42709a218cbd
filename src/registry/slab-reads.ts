/**
 * Where a raw connection's reads land (the `onread` option of net.connect
 * and tls.connect). By default every read allocates a fresh 64 KiB buffer,
 * trimmed, wrapped and pushed through the socket's Readable machinery (a
 * 'data' event, a nextTick) before our code sees it. Here the kernel
 * writes straight into the unused tail of a larger buffer of our own, and
 * each read is handed on as a view of the bytes it filled: no copy, no
 * per-read allocation, no stream layer, and reads of up to 256 KiB when the
 * peer is ahead, so fewer chunks per blob.
 *
 * Views never overlap: the next read goes after the last one, and a new
 * buffer is started when too little is left, so a chunk still waiting in a
 * socket's write queue is never overwritten. One SlabReads per connection.
 */
import type { OnReadOpts } from 'node:net';

const SLAB_BYTES = 256 * 1024;
/** Below this much room a read would be needlessly small: start a new slab. */
const MIN_READ_BYTES = 64 * 1024;

export class SlabReads {
  private slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
  private used = 0;
  private target: ((chunk: Buffer) => void) | undefined;
  /** Bytes read before anyone listened (a peer should not speak first, but may). */
  private early: Buffer[] = [];

  /** For the socket's `onread` option. */
  readonly options: OnReadOpts = {
    buffer: () => this.nextRegion(),
    callback: (bytes, buffer) => {
      const chunk = (buffer as Buffer).subarray(0, bytes);
      this.used += bytes;
      if (this.target === undefined) this.early.push(chunk);
      else this.target(chunk);
      return true;
    },
  };

  /** A read that came through the socket's 'data' event (a TLS socket inside a proxy tunnel ignores `onread`). */
  push(chunk: Buffer): void {
    if (this.target === undefined) this.early.push(chunk);
    else this.target(chunk);
  }

  /** The exchange reading this connection is over: reads wait for the next one (a kept-alive connection). */
  detach(): void {
    this.target = undefined;
  }

  hasUnread(): boolean {
    return this.target === undefined && this.early.length > 0;
  }

  /** From now on each read goes to `target`, those that came before first. */
  deliverTo(target: (chunk: Buffer) => void): void {
    this.target = target;
    const early = this.early;
    this.early = [];
    for (const chunk of early) target(chunk);
  }

  private nextRegion(): Buffer {
    if (SLAB_BYTES - this.used < MIN_READ_BYTES) {
      this.slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      this.used = 0;
    }
    return this.slab.subarray(this.used);
  }
}
