/**
 * Content digests. Everything fetched by digest is checked against it, so a
 * broken proxy or a lying registry cannot slip other bytes in.
 */
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { ImageshipError } from '../errors.js';
import { openBlobHash, type BlobHash } from './hash-pool.js';

/** Algorithms node:crypto computes under the same name the OCI spec uses. */
const SUPPORTED_ALGORITHMS: ReadonlySet<string> = new Set(['sha256', 'sha512']);

export class DigestMismatchError extends ImageshipError {
  override readonly name = 'DigestMismatchError';

  /** `detail` replaces the standard wording after the operation (used for a size mismatch). */
  constructor(
    readonly operation: string,
    readonly expected: string,
    readonly actual: string,
    detail?: string,
  ) {
    super(`${operation}: ${detail ?? `content digest mismatch: expected ${expected}, got ${actual}`}`);
  }
}

/** `sha256:<hex>` of `bytes` (or another supported algorithm). */
export function digestOf(bytes: Uint8Array, algorithm = 'sha256'): string {
  if (!SUPPORTED_ALGORITHMS.has(algorithm)) throw new Error(`unsupported digest algorithm ${JSON.stringify(algorithm)}`);
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** Throws DigestMismatchError unless `bytes` hash to `expected`, in `expected`'s own algorithm. */
export function verifyDigest(bytes: Uint8Array, expected: string, operation: string): void {
  const algorithm = expected.slice(0, expected.indexOf(':'));
  if (!SUPPORTED_ALGORITHMS.has(algorithm)) {
    throw new Error(`${operation}: cannot verify digest ${expected}: unsupported algorithm ${JSON.stringify(algorithm)}`);
  }
  const actual = digestOf(bytes, algorithm);
  if (actual !== expected) throw new DigestMismatchError(operation, expected, actual);
}

export interface VerifyingStream {
  /** Pipe the bytes through this; they come out unchanged. */
  readonly transform: TransformStream<Uint8Array, Uint8Array>;
  /** The DigestMismatchError the stream failed with, once it did. */
  readonly failure: () => DigestMismatchError | undefined;
  /** Bytes seen so far. */
  readonly bytesSeen: () => number;
}

/**
 * A pass-through that hashes the bytes and counts them, and fails with
 * DigestMismatchError when they are more than `size`, fewer, or hash to
 * anything but `digest`. The most recent chunk is held back until the next
 * one arrives, and the last one until the check at the end passed, so a
 * consumer (an upload) never receives the complete bytes of a bad blob.
 */
export function verifyingStream(digest: string, size: number, operation: string): VerifyingStream {
  const algorithm = digest.slice(0, digest.indexOf(':'));
  if (!SUPPORTED_ALGORITHMS.has(algorithm)) {
    throw new Error(`${operation}: cannot verify digest ${digest}: unsupported algorithm ${JSON.stringify(algorithm)}`);
  }
  const hash = openBlobHash(algorithm, size);
  let seen = 0;
  let held: Uint8Array | undefined;
  let failure: DigestMismatchError | undefined;
  const fail = (error: DigestMismatchError): never => {
    failure = error;
    throw error;
  };
  const sizeError = (actual: string): DigestMismatchError =>
    new DigestMismatchError(operation, digest, actual, `size mismatch for blob ${digest}: expected ${size} bytes, got ${actual}`);

  const transform = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > size) {
        hash.drop();
        fail(sizeError(`at least ${seen}`));
      }
      const behind = hash.update(chunk);
      if (held !== undefined) controller.enqueue(held);
      held = chunk;
      return behind;
    },
    async flush(controller) {
      if (seen !== size) {
        hash.drop();
        fail(sizeError(String(seen)));
      }
      const actual = `${algorithm}:${await hash.digest()}`;
      if (actual !== digest) fail(new DigestMismatchError(operation, digest, actual));
      if (held !== undefined) controller.enqueue(held);
      held = undefined;
    },
  });
  return { transform, failure: () => failure, bytesSeen: () => seen };
}

export interface VerifyingTransform {
  /** Pipe the bytes through this; they come out unchanged. */
  readonly transform: Transform;
  readonly failure: () => DigestMismatchError | undefined;
}

/** verifyingStream as a node:stream Transform, with the same hold-back of the last chunk. */
export function verifyingTransform(digest: string, size: number, operation: string): VerifyingTransform {
  const algorithm = digest.slice(0, digest.indexOf(':'));
  if (!SUPPORTED_ALGORITHMS.has(algorithm)) {
    throw new Error(`${operation}: cannot verify digest ${digest}: unsupported algorithm ${JSON.stringify(algorithm)}`);
  }
  const hash = openBlobHash(algorithm, size);
  let seen = 0;
  let held: Buffer | undefined;
  let failure: DigestMismatchError | undefined;
  const fail = (error: DigestMismatchError): DigestMismatchError => (failure = error);
  const sizeError = (actual: string): DigestMismatchError =>
    new DigestMismatchError(operation, digest, actual, `size mismatch for blob ${digest}: expected ${size} bytes, got ${actual}`);

  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.byteLength;
      if (seen > size) {
        hash.drop();
        callback(fail(sizeError(`at least ${seen}`)));
        return;
      }
      const behind = hash.update(chunk);
      const out = held;
      held = chunk;
      if (behind === undefined) callback(null, out);
      else behind.then(() => callback(null, out), callback);
    },
    flush(callback) {
      if (seen !== size) {
        hash.drop();
        callback(fail(sizeError(String(seen))));
        return;
      }
      hash.digest().then(
        (hex) => {
          const actual = `${algorithm}:${hex}`;
          if (actual !== digest) {
            callback(fail(new DigestMismatchError(operation, digest, actual)));
            return;
          }
          const out = held;
          held = undefined;
          callback(null, out);
        },
        (error: Error) => callback(error),
      );
    },
    destroy(error, callback) {
      // A no-op once the digest was asked for.
      hash.drop();
      callback(error);
    },
  });
  return { transform, failure: () => failure };
}

/**
 * The digest and size check of a blob for a consumer that forwards the bytes
 * itself (the raw upload, raw-blob-put.ts): `take` every chunk before
 * sending it, `end` once the source ended. Both throw DigestMismatchError
 * (also kept as `failure`) when the bytes are more than `size`, fewer, or
 * hash to anything but `digest`. `take` answers true for the chunk that
 * completes `size`: the consumer holds that one back until `end` passed, so
 * the receiver never gets the complete bytes of a bad blob.
 */
export class BlobCheck {
  failure: DigestMismatchError | undefined;
  /** undefined: the bytes are counted, not hashed (see the constructor). */
  private readonly hash: BlobHash | undefined;
  private behind: Promise<void> | undefined;
  private readonly algorithm: string;
  private seen = 0;

  /**
   * `hashed: false` is for bytes the caller hashed itself a moment ago, in
   * memory (a layer it just wrote): hashing them again would only cost a
   * second pass. The size is still checked.
   */
  constructor(
    readonly digest: string,
    readonly size: number,
    readonly operation: string,
    hashed = true,
  ) {
    this.algorithm = digest.slice(0, digest.indexOf(':'));
    if (!SUPPORTED_ALGORITHMS.has(this.algorithm)) {
      throw new Error(`${operation}: cannot verify digest ${digest}: unsupported algorithm ${JSON.stringify(this.algorithm)}`);
    }
    this.hash = hashed ? openBlobHash(this.algorithm, size) : undefined;
  }

  /**
   * `released`: see BlobHash.update (called once the check no longer needs
   * the chunk's memory; never when it failed, or was dropped first).
   */
  take(chunk: Uint8Array, released?: () => void): boolean {
    this.seen += chunk.byteLength;
    if (this.seen > this.size) {
      this.hash?.drop();
      throw this.fail(this.sizeError(`at least ${this.seen}`));
    }
    if (this.hash === undefined) {
      this.behind = undefined;
      released?.();
    } else this.behind = this.hash.update(chunk, released);
    return this.seen === this.size;
  }

  /** After `take`: a promise when the hashing worker is behind (take no more until it resolves), else undefined. */
  backlog(): Promise<void> | undefined {
    return this.behind;
  }

  /** Rejects as `take` throws; the hash may finish on a worker thread. */
  async end(): Promise<void> {
    if (this.seen !== this.size) {
      this.hash?.drop();
      throw this.fail(this.sizeError(String(this.seen)));
    }
    if (!this.hash) return;
    const actual = `${this.algorithm}:${await this.hash.digest()}`;
    if (actual !== this.digest) throw this.fail(new DigestMismatchError(this.operation, this.digest, actual));
  }

  /** The transfer failed before `end`: the hash is not needed any more. */
  drop(): void {
    this.hash?.drop();
  }

  private sizeError(actual: string): DigestMismatchError {
    return new DigestMismatchError(this.operation, this.digest, actual, `size mismatch for blob ${this.digest}: expected ${this.size} bytes, got ${actual}`);
  }

  private fail(error: DigestMismatchError): DigestMismatchError {
    this.failure = error;
    return error;
  }
}
