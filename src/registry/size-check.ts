/**
 * The body check of an upload whose digest is not known while its bytes
 * leave (uploadBlobBeforeDigest): only the byte count is checked on the way,
 * as BlobCheck checks it, so a source that runs short or long never reaches
 * the registry as a complete chunk. The digest is checked by the registry
 * when the upload is closed under it.
 */
import { ImageshipError } from '../domain/errors.js';

export class SizeCheck {
  failure: ImageshipError | undefined;
  private seen = 0;

  constructor(
    readonly size: number,
    readonly operation: string,
  ) {}

  /**
   * Counts a chunk; true when it completes the body (hold it back until
   * `end`). Nothing keeps the chunk here, so `released` (BlobCheck's hook for
   * giving a read slab back) is called at once.
   */
  take(chunk: Uint8Array, released?: () => void): boolean {
    this.seen += chunk.byteLength;
    if (this.seen > this.size) throw this.fail(`at least ${this.seen}`);
    released?.();
    return this.seen === this.size;
  }

  /** Nothing is hashed here: never behind. */
  backlog(): undefined {
    return undefined;
  }

  async end(): Promise<void> {
    if (this.seen !== this.size) throw this.fail(String(this.seen));
  }

  drop(): void {
    // Nothing held.
  }

  private fail(actual: string): ImageshipError {
    this.failure = new ImageshipError(`${this.operation}: size mismatch: expected ${this.size} bytes, got ${actual}`);
    return this.failure;
  }
}
