/**
 * A local package read into one buffer of its size in the background, front
 * to back, while the run already works on it: the layer's upload starts with
 * the first bytes instead of after the last (for a 20 MiB JAR the read took
 * ≈ 10–15 ms of a ≈ 250 ms run, all of it before the first byte could leave).
 * Whoever reads a region of the buffer first waits for it (`until`); a few
 * small regions can be fetched ahead of the front (`ensure`: the gzip level's
 * samples lie spread over the package). A file that turns out shorter than
 * its size at the start fails every waiter: it changed while it was read.
 */
import { open, type FileHandle } from 'node:fs/promises';

/** Read size: large enough for few thread-pool round trips, small enough that the upload starts soon. */
const PIECE_BYTES = 2 * 1024 * 1024;

/** Says when the bytes a view covers are in place: undefined when they are, else a promise. */
export type Arrival = (view: Uint8Array) => Promise<void> | undefined;

/** The views in order, each once `arrival` says it is in place. */
export async function* inPlace<T extends Uint8Array>(views: readonly T[], arrival: Arrival): AsyncGenerator<T> {
  for (const view of views) {
    const wait = arrival(view);
    if (wait) await wait;
    yield view;
  }
}

export class FileFill {
  readonly bytes: Buffer;
  /** Settles when every byte is in place (or the read failed). */
  readonly done: Promise<void>;
  private front = 0;
  private failure: Error | undefined;
  private waiters: { end: number; resolve: () => void; reject: (error: Error) => void }[] = [];
  /** Regions read ahead of the front: [start, end). */
  private readonly ahead: [number, number][] = [];

  private constructor(
    private readonly file: FileHandle,
    size: number,
    private readonly changed: () => Error,
  ) {
    this.bytes = Buffer.allocUnsafe(size);
    this.done = this.readAll();
    this.done.catch(() => undefined);
  }

  /** Opens `path` (of `size` bytes by its stat) and starts reading it. */
  static async start(path: string, size: number, changed: () => Error): Promise<FileFill> {
    return new FileFill(await open(path, 'r'), size, changed);
  }

  /** Resolves once bytes [0, end) are in place. */
  until(end: number): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    if (end <= this.front) return undefined;
    return new Promise((resolve, reject) => this.waiters.push({ end, resolve, reject }));
  }

  /** For an Arrival: the view's bytes when it is a view of this buffer, else nothing to wait for. */
  readonly arrival: Arrival = (view) => {
    const start = this.offsetOf(view);
    return start === undefined ? undefined : this.until(start + view.byteLength);
  };

  /** A view's bytes in place now (read out of turn when the front has not reached them); other views: nothing to do. */
  async ensureView(view: Uint8Array): Promise<void> {
    const start = this.offsetOf(view);
    if (start !== undefined) await this.ensure(start, view.byteLength);
  }

  /** Where a view of this buffer starts in it; undefined for a view of other memory. */
  private offsetOf(view: Uint8Array): number | undefined {
    if (view.buffer !== this.bytes.buffer) return undefined;
    const start = view.byteOffset - this.bytes.byteOffset;
    return start >= 0 && start < this.bytes.length ? start : undefined;
  }

  /** Bytes [start, start + length) in place now, read out of turn when the front has not reached them. */
  async ensure(start: number, length: number): Promise<void> {
    const end = Math.min(start + length, this.bytes.length);
    if (this.failure) throw this.failure;
    if (end <= this.front || this.ahead.some(([from, to]) => from <= start && end <= to)) return;
    const { bytesRead } = await this.file.read(this.bytes, start, end - start, start);
    if (bytesRead !== end - start) throw this.changed();
    this.ahead.push([start, end]);
  }

  private async readAll(): Promise<void> {
    try {
      while (this.front < this.bytes.length) {
        const want = Math.min(PIECE_BYTES, this.bytes.length - this.front);
        const { bytesRead } = await this.file.read(this.bytes, this.front, want, this.front);
        if (bytesRead === 0) throw this.changed();
        this.front += bytesRead;
        this.wake();
      }
      // One byte more than its size: it grew since it was measured.
      const { bytesRead } = await this.file.read(Buffer.alloc(1), 0, 1, this.bytes.length);
      if (bytesRead !== 0) throw this.changed();
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      for (const waiter of this.waiters) waiter.reject(this.failure);
      this.waiters = [];
      throw this.failure;
    } finally {
      await this.file.close().catch(() => undefined);
    }
  }

  private wake(): void {
    const still: typeof this.waiters = [];
    for (const waiter of this.waiters) {
      if (waiter.end <= this.front) waiter.resolve();
      else still.push(waiter);
    }
    this.waiters = still;
  }
}
