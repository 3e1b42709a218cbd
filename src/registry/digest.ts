/**
 * Content digests. Everything fetched by digest is checked against it, so a
 * broken proxy or a lying registry cannot slip other bytes in.
 */
import { createHash } from 'node:crypto';

/** Algorithms node:crypto computes under the same name the OCI spec uses. */
const SUPPORTED_ALGORITHMS: ReadonlySet<string> = new Set(['sha256', 'sha512']);

export class DigestMismatchError extends Error {
  override readonly name = 'DigestMismatchError';

  constructor(
    readonly operation: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${operation}: content digest mismatch: expected ${expected}, got ${actual}`);
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
