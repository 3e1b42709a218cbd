/**
 * SHA-256 of bytes already in memory, one slice per turn of the event loop.
 * A package run computes the layer's diff id and the package's own digest
 * while the layer is being uploaded: hashed in one go, 20 MiB would hold the
 * main thread for ~12 ms at a time, during which the socket's write queue is
 * not refilled and the upload stalls; a slice at a time leaves it moving.
 */
import { createHash } from 'node:crypto';

const SLICE_BYTES = 256 * 1024;

export async function sha256InSlices(parts: readonly Uint8Array[]): Promise<string> {
  const hash = createHash('sha256');
  let sinceYield = 0;
  for (const part of parts) {
    for (let offset = 0; offset < part.byteLength; ) {
      const take = Math.min(SLICE_BYTES - sinceYield, part.byteLength - offset);
      hash.update(part.subarray(offset, offset + take));
      offset += take;
      sinceYield += take;
      if (sinceYield === SLICE_BYTES) {
        sinceYield = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  }
  return hash.digest('hex');
}
