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
 *
 * Slabs are reused rather than left to the garbage collector (a 200 MB copy
 * would otherwise allocate ~1 000 of them, and their external memory drives
 * full collections), but only when that is provably safe: every byte read
 * into a slab counts as lent out until its consumer gives it back with
 * `releaseRead` (the raw upload does, once the PUT socket has written it and
 * the hash has read it: raw-blob-put.ts). Slabs are SharedArrayBuffers, so
 * a hashing worker reads the bytes in place (hash-pool.ts).
 * A slab goes back to the process's free list when the connection has moved
 * on to another slab and every byte read into it was given back. Bytes no
 * one gives back (an answer's head, a body read as a stream, a failed
 * upload) keep their slab out of the free list for good: it is collected as
 * before. So a consumer that forgets to release costs memory reuse, never
 * correctness; only a release of bytes still in use could (hence: release
 * exactly once, after the last use).
 */
import type { OnReadOpts } from 'node:net';

const SLAB_BYTES = 256 * 1024;
/** Below this much room a read would be needlessly small: start a new slab. */
const MIN_READ_BYTES = 64 * 1024;
/** Free slabs kept for reuse (4 MiB); beyond them a free slab is left to the collector. */
const FREE_SLABS_KEPT = 16;

interface Slab {
  readonly bytes: Buffer;
  /** Bytes read into this slab and not yet given back. */
  lent: number;
  /** A connection reads into it still. */
  current: boolean;
}

/** Every slab by its memory, so a view can be traced to its slab (views of other memory are not ours). */
const slabOfMemory = new WeakMap<ArrayBufferLike, Slab>();
const freeSlabs: Slab[] = [];
const stats = { allocated: 0, reused: 0 };

function takeSlab(): Slab {
  let slab = freeSlabs.pop();
  // A slab given back more than it lent (released twice after it was freed) is dropped, never reused.
  while (slab !== undefined && slab.lent !== 0) slab = freeSlabs.pop();
  if (slab !== undefined) stats.reused++;
  else {
    // Shared memory, so a hashing worker can read body bytes where they lie (hash-pool.ts) instead of a copy.
    slab = { bytes: Buffer.from(new SharedArrayBuffer(SLAB_BYTES)), lent: 0, current: true };
    slabOfMemory.set(slab.bytes.buffer, slab);
    stats.allocated++;
  }
  slab.current = true;
  return slab;
}

function freeIfUnused(slab: Slab): void {
  if (!slab.current && slab.lent === 0 && freeSlabs.length < FREE_SLABS_KEPT) freeSlabs.push(slab);
}

/**
 * The consumer of `view` (body bytes a raw connection read, or a run of
 * adjacent ones: chunk-runs.ts) is done with it for good: its slab may be
 * reused once all of it is given back. Views of any other memory are
 * ignored. Call once per view, after its last use (for a socket write: in
 * the write's callback, never before).
 */
export function releaseRead(view: Uint8Array): void {
  const slab = slabOfMemory.get(view.buffer);
  if (slab === undefined) return;
  slab.lent -= view.byteLength;
  // More given back than was lent: a consumer released twice. Never reuse this slab again.
  if (slab.lent < 0) slab.lent = Number.POSITIVE_INFINITY;
  freeIfUnused(slab);
}

/** Slabs allocated and reused in this process so far (for tests and benchmarks). */
export function slabStats(): { allocated: number; reused: number; free: number } {
  return { ...stats, free: freeSlabs.length };
}

export class SlabReads {
  private slab = takeSlab();
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
      this.slab.lent += bytes;
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

  /** Called before each read for the region it goes to (the socket keeps only the latest region). */
  private nextRegion(): Buffer {
    if (SLAB_BYTES - this.used < MIN_READ_BYTES) {
      const done = this.slab;
      this.slab = takeSlab();
      this.used = 0;
      done.current = false;
      freeIfUnused(done);
    }
    return this.slab.bytes.subarray(this.used);
  }
}
