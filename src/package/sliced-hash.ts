/**
 * SHA-256 of bytes already in memory, one slice per turn of the event loop.
 * A package run computes the layer's diff id and the package's own digest
 * while the layer is being uploaded: hashed in one go, 20 MiB would hold the
 * main thread for ~12 ms at a time, during which the socket's write queue is
 * not refilled and the upload stalls; a slice at a time leaves it moving.
 */
import { createHash } from 'node:crypto';
import type { Arrival } from './file-fill.js';

const SLICE_BYTES = 256 * 1024;

/** `arrival`: the parts may still be arriving (a package being read); each is hashed once it is in place. */
export async function sha256InSlices(parts: readonly Uint8Array[], arrival?: Arrival): Promise<string> {
  const hash = createHash('sha256');
  let sinceYield = 0;
  for (const part of parts) {
    for (let offset = 0; offset < part.byteLength; ) {
      const take = Math.min(SLICE_BYTES - sinceYield, part.byteLength - offset);
      const slice = part.subarray(offset, offset + take);
      const wait = arrival?.(slice);
      if (wait) await wait;
      hash.update(slice);
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
