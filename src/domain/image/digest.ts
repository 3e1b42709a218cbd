/**
 * Content digests. Everything fetched by digest is checked against it, so a
 * broken proxy or a lying registry cannot slip other bytes in.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform } from 'node:stream';
import { ImageshipError } from '../errors.js';

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
  const hash = createHash(algorithm);
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
      if (seen > size) fail(sizeError(`at least ${seen}`));
      hash.update(chunk);
      if (held !== undefined) controller.enqueue(held);
      held = chunk;
    },
    flush(controller) {
      if (seen !== size) fail(sizeError(String(seen)));
      const actual = `${algorithm}:${hash.digest('hex')}`;
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
  const hash = createHash(algorithm);
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
        callback(fail(sizeError(`at least ${seen}`)));
        return;
      }
      hash.update(chunk);
      const out = held;
      held = chunk;
      callback(null, out);
    },
    flush(callback) {
      if (seen !== size) {
        callback(fail(sizeError(String(seen))));
        return;
      }
      const actual = `${algorithm}:${hash.digest('hex')}`;
      if (actual !== digest) {
        callback(fail(new DigestMismatchError(operation, digest, actual)));
        return;
      }
      const out = held;
      held = undefined;
      callback(null, out);
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
  private readonly hash: Hash;
  private readonly algorithm: string;
  private seen = 0;

  constructor(
    readonly digest: string,
    readonly size: number,
    readonly operation: string,
  ) {
    this.algorithm = digest.slice(0, digest.indexOf(':'));
    if (!SUPPORTED_ALGORITHMS.has(this.algorithm)) {
      throw new Error(`${operation}: cannot verify digest ${digest}: unsupported algorithm ${JSON.stringify(this.algorithm)}`);
    }
    this.hash = createHash(this.algorithm);
  }

  take(chunk: Uint8Array): boolean {
    this.seen += chunk.byteLength;
    if (this.seen > this.size) throw this.fail(this.sizeError(`at least ${this.seen}`));
    this.hash.update(chunk);
    return this.seen === this.size;
  }

  end(): void {
    if (this.seen !== this.size) throw this.fail(this.sizeError(String(this.seen)));
    const actual = `${this.algorithm}:${this.hash.digest('hex')}`;
    if (actual !== this.digest) throw this.fail(new DigestMismatchError(this.operation, this.digest, actual));
  }

  private sizeError(actual: string): DigestMismatchError {
    return new DigestMismatchError(this.operation, this.digest, actual, `size mismatch for blob ${this.digest}: expected ${this.size} bytes, got ${actual}`);
  }

  private fail(error: DigestMismatchError): DigestMismatchError {
    this.failure = error;
    return error;
  }
}
