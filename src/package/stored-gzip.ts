/**
 * A gzip member of stored (uncompressed) deflate blocks, written as a list of
 * views over the input plus a few header bytes: the package's bytes are never
 * copied. Used for a layer whose content is already compressed (a JAR, WAR or
 * wheel is a zip), where deflating again gains under 0.1 %.
 *
 * Written here rather than with zlib at level 0: zlib copies the input twice
 * (into its window and into the output), and the block boundaries it chooses
 * depend on its version and buffer sizes, so the digest could change with the
 * Node release. This format is fixed by RFC 1951/1952: full 65 535-byte blocks,
 * the last one shorter and final, mtime 0, OS byte Unix. It costs one CRC-32
 * pass (zlib's, where Node has it) and ~40 lines.
 */
import * as zlib from 'node:zlib';
import { inPlace, type Arrival } from './file-fill.js';

/** RFC 1951 §3.2.4: LEN is 16 bits. */
const MAX_STORED_BLOCK = 0xffff;
/** RFC 1952 OS byte for Unix: the same on every platform imageship runs on. */
const GZIP_OS_UNIX = 3;

export interface GzipParts {
  /** The member, in order: header, block headers and views of the input, trailer. */
  parts: Buffer[];
  size: number;
  /** With an input still arriving: when each part is in place (the trailer once the CRC is). */
  arrival?: Arrival;
}

/** CRC-32 work between two turns of the event loop when the input is still arriving. */
const CRC_SLICE_BYTES = 1024 * 1024;

/**
 * `arrival`: the input is still arriving (a package being read). The parts
 * are laid out at once, since their layout depends only on the size; the
 * CRC-32 is computed as the input comes in, and the trailer is filled, and
 * reported in place, after its last byte.
 */
export function storedGzip(input: readonly Buffer[], arrival?: Arrival): GzipParts {
  const total = input.reduce((sum, part) => sum + part.length, 0);
  const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, GZIP_OS_UNIX]);
  const parts: Buffer[] = [header];
  let size = header.length;
  let crc = 0;
  let left = total;
  let index = 0;
  let offset = 0;
  const data: Buffer[] = [];
  // An empty input still needs one (final, empty) block.
  do {
    const length = Math.min(MAX_STORED_BLOCK, left);
    left -= length;
    parts.push(blockHeader(length, left === 0));
    size += 5 + length;
    for (let need = length; need > 0; ) {
      const part = input[index]!;
      const take = Math.min(need, part.length - offset);
      if (take > 0) {
        const view = part.subarray(offset, offset + take);
        parts.push(view);
        if (!arrival) crc = crc32(view, crc);
        else data.push(view);
      }
      need -= take;
      offset += take;
      if (offset === part.length) {
        index += 1;
        offset = 0;
      }
    }
  } while (left > 0);
  const trailer = Buffer.from(new ArrayBuffer(8));
  trailer.writeUInt32LE(total % 2 ** 32, 4);
  parts.push(trailer);
  if (!arrival) {
    trailer.writeUInt32LE(crc >>> 0, 0);
    return { parts, size: size + trailer.length };
  }
  const sealed = crcAsArriving(data, arrival).then((value) => {
    trailer.writeUInt32LE(value >>> 0, 0);
  });
  sealed.catch(() => undefined);
  let complete = false;
  void sealed.then(() => (complete = true), () => undefined);
  // Any view of the trailer (a hash slices its parts) waits for the CRC; the trailer has an ArrayBuffer of its own.
  return { parts, size: size + trailer.length, arrival: (view) => (view.buffer === trailer.buffer ? (complete ? undefined : sealed) : arrival(view)) };
}

async function crcAsArriving(views: readonly Buffer[], arrival: Arrival): Promise<number> {
  let crc = 0;
  let sinceYield = 0;
  for await (const view of inPlace(views, arrival)) {
    crc = crc32(view, crc);
    sinceYield += view.length;
    if (sinceYield >= CRC_SLICE_BYTES) {
      sinceYield = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return crc;
}

function blockHeader(length: number, final: boolean): Buffer {
  // BFINAL, BTYPE 00 (stored), then byte-aligned LEN and its one's complement NLEN.
  const block = Buffer.alloc(5);
  block[0] = final ? 1 : 0;
  block.writeUInt16LE(length, 1);
  block.writeUInt16LE(~length & 0xffff, 3);
  return block;
}

type Crc32 = (data: Uint8Array, value?: number) => number;
/** zlib.crc32 arrived in Node 20.15 / 22.2; older Node 20 releases use the table below (same result, slower). */
const nativeCrc32 = (zlib as unknown as { crc32?: Crc32 }).crc32;
let table: Uint32Array | undefined;

function crc32(data: Uint8Array, value: number): number {
  return nativeCrc32 ? nativeCrc32(data, value) : tableCrc32(data, value);
}

/** Exported for its test: the fallback must agree with zlib's. */
export function tableCrc32(data: Uint8Array, value = 0): number {
  table ??= makeTable();
  let crc = ~value >>> 0;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

function makeTable(): Uint32Array {
  const made = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    made[n] = c >>> 0;
  }
  return made;
}
