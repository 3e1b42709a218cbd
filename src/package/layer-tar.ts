/**
 * One image layer, written byte for byte the same from the same entries:
 * ustar headers (a PAX `path`/`linkpath` record where a name does not fit),
 * entries sorted by path, one fixed mtime (SOURCE_DATE_EPOCH or 0), one
 * owner (uid/gid from `user`, else root), empty user/group names, modes kept
 * (permission bits only), then gzip at a fixed level with the OS byte fixed,
 * so the digest does not depend on the machine, the clock or the order a
 * package listed its files in.
 *
 * Written here rather than with a tar library: the subset needed is small
 * (regular files, directories, symbolic links), and reproducibility depends on
 * every header field, which libraries fill from the file system (mtime, owner,
 * names) unless each is overridden; owning the ~150 lines keeps every byte
 * deliberate and adds nothing to the bundle.
 */
import { deflateRawSync, gzipSync, constants as zlib } from 'node:zlib';
import { ImageshipError } from '../domain/errors.js';
import { sha256InSlices } from './sliced-hash.js';
import { storedGzip } from './stored-gzip.js';
import type { Arrival, FileFill } from './file-fill.js';

export interface LayerEntry {
  /** Path inside the image, normalised, without a leading `/` (normaliseEntryPath). */
  path: string;
  kind: 'file' | 'dir' | 'symlink';
  /** Permission bits (the type bits are ignored). */
  mode: number;
  data?: Uint8Array;
  /** For a symbolic link: where it points, as stored. */
  linkTarget?: string;
}

export interface LayerOptions {
  /** Seconds since the epoch for every entry. */
  mtime: number;
  uid: number;
  gid: number;
}

export interface BuiltLayer {
  /** The gzip bytes (the blob), in order: views over the package's bytes where stored, not one copy. */
  blobParts: readonly Buffer[];
  /**
   * Set when parts are still arriving (buildLayerAsFilled: the package is
   * being read, the gzip trailer waits for its CRC): read a part of
   * blobParts or tarParts only once this says it is in place.
   */
  arrival?: Arrival;
  /** The blob's size in bytes (its digest: blobDigestOf). */
  size: number;
  /** The uncompressed tar, as views (rootfs.diff_ids is its sha256: diffIdOf). */
  tarParts: readonly Buffer[];
  /** The entries as written, sorted. */
  entries: readonly LayerEntry[];
}

const BLOCK = 512;
/**
 * The level changes the bytes and so the digest, so it is chosen from the
 * content alone: 1 (fastest, as go-containerregistry, ko and crane write
 * layers) for content that compresses, 0 (stored blocks, still valid gzip)
 * when a sample shows the content is already compressed — a JAR, WAR or
 * wheel is a zip, where deflating again costs ~10× the CPU of storing for
 * under 0.1 % of size.
 */
const GZIP_LEVEL = 1;
/** Four slices of this size, spread over the tar, are deflated to judge it (a slice is cheap; one spot could mislead). */
const SAMPLE_SLICE = 16 * 1024;
const SAMPLE_SLICES = 4;
/** A sample that deflates to more than this share of its size counts as already compressed. */
const INCOMPRESSIBLE = 0.95;
/** RFC 1952 OS byte for Unix: the same on every platform imageship runs on. */
const GZIP_OS_UNIX = 3;

/** A path escaping its target (`..` above it, absolute, a drive letter): the message names the entry. */
export class EntryPathError extends ImageshipError {
  override readonly name = 'EntryPathError';
}

/**
 * `./a//b/./c` → `a/b/c`; backslashes are separators (zip files from
 * Windows); `..` may only step back inside the path. Absolute paths and
 * drive letters are refused. '' for the root itself.
 */
export function normaliseEntryPath(raw: string): string {
  const text = raw.replace(/\\/g, '/');
  if (text.startsWith('/') || /^[A-Za-z]:/.test(text)) throw new EntryPathError(`"${raw}" is an absolute path`);
  const parts: string[] = [];
  for (const part of text.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) throw new EntryPathError(`"${raw}" leads out of the target directory`);
      parts.pop();
      continue;
    }
    if (part.includes('\0')) throw new EntryPathError(`"${raw.replace(/\0/g, '\\0')}" holds a NUL character`);
    parts.push(part);
  }
  return parts.join('/');
}

/** Builds the layer; later entries of the same path replace earlier ones. */
export function buildLayer(entries: readonly LayerEntry[], options: LayerOptions): BuiltLayer {
  const { chunks, sorted } = tarOf(entries, options);
  if (gzipLevelFor(chunks) === 0) {
    // Stored blocks over views of the tar: the package's bytes are not copied.
    const stored = storedGzip(chunks);
    return { blobParts: stored.parts, size: stored.size, tarParts: chunks, entries: sorted };
  }
  return deflated(chunks, sorted);
}

/**
 * buildLayer over a package still being read into memory (`fill`): the same
 * bytes, but a stored layer is ready as soon as the gzip level's samples are
 * in (read out of turn), so its upload can start with the package's first
 * bytes; its parts say when they are in place through `arrival`. A layer
 * that compresses waits for the whole package, as zlib needs it.
 */
export async function buildLayerAsFilled(entries: readonly LayerEntry[], options: LayerOptions, fill: FileFill): Promise<BuiltLayer> {
  const { chunks, sorted } = tarOf(entries, options);
  await Promise.all(sampleViews(chunks).map((view) => fill.ensureView(view)));
  if (gzipLevelFor(chunks) === 0) {
    const stored = storedGzip(chunks, fill.arrival);
    return { blobParts: stored.parts, size: stored.size, tarParts: chunks, entries: sorted, arrival: stored.arrival };
  }
  await fill.done;
  return deflated(chunks, sorted);
}

function deflated(chunks: Buffer[], sorted: LayerEntry[]): BuiltLayer {
  const blob = gzipSync(Buffer.concat(chunks), { level: GZIP_LEVEL, memLevel: 8, windowBits: 15, strategy: zlib.Z_DEFAULT_STRATEGY });
  blob[9] = GZIP_OS_UNIX;
  return { blobParts: [blob], size: blob.length, tarParts: chunks, entries: sorted };
}

/** The tar's parts (headers and views of the entries' bytes) and the entries as written, sorted. */
function tarOf(entries: readonly LayerEntry[], options: LayerOptions): { chunks: Buffer[]; sorted: LayerEntry[] } {
  const byPath = new Map<string, LayerEntry>();
  for (const entry of entries) byPath.set(entry.path, entry);
  const sorted = [...byPath.values()].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  const chunks: Buffer[] = [];
  for (const entry of sorted) {
    const name = entry.kind === 'dir' ? `${entry.path}/` : entry.path;
    // A view, not a copy: a package's bytes are copied once, into the tar.
    const bytes = entry.kind === 'file' ? (entry.data ?? new Uint8Array()) : new Uint8Array();
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const linkname = entry.kind === 'symlink' ? (entry.linkTarget ?? '') : '';
    const pax: [string, string][] = [];
    const split = splitUstarName(name);
    if (!split) pax.push(['path', name]);
    if (Buffer.byteLength(linkname) > 100 || !isAscii(linkname)) pax.push(['linkpath', linkname]);
    if (pax.length > 0) {
      const body = Buffer.from(pax.map(([key, value]) => paxRecord(key, value)).join(''), 'utf8');
      chunks.push(header({ name: 'PaxHeaders/entry', prefix: '', type: 'x', size: body.length, mode: 0o644, linkname: '' }, options), padded(body));
    }
    const type = entry.kind === 'dir' ? '5' : entry.kind === 'symlink' ? '2' : '0';
    const mode = entry.mode & 0o7777;
    chunks.push(
      header({ name: split?.name ?? truncate(name, 100), prefix: split?.prefix ?? '', type, size: data.length, mode, linkname: pax.some(([key]) => key === 'linkpath') ? '' : linkname }, options),
    );
    if (data.length > 0) chunks.push(data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK));
  }
  chunks.push(Buffer.alloc(BLOCK * 2));
  return { chunks, sorted };
}

/**
 * The blob's digest. Not part of buildLayer: a large layer starts going up
 * before it is known (it names the upload only when the upload closes), so a
 * run computes it beside the upload, a slice at a time.
 */
export async function blobDigestOf(layer: Pick<BuiltLayer, 'blobParts' | 'arrival'>): Promise<string> {
  return `sha256:${await sha256InSlices(layer.blobParts, layer.arrival)}`;
}

/**
 * The layer's diff id (sha256 of the uncompressed tar), wanted only by the
 * config: computed while the blob goes up, as blobDigestOf.
 */
export async function diffIdOf(layer: Pick<BuiltLayer, 'tarParts' | 'arrival'>): Promise<string> {
  return `sha256:${await sha256InSlices(layer.tarParts, layer.arrival)}`;
}

/**
 * 0 for content that does not compress, else GZIP_LEVEL: judged on slices
 * from a tar of 64 KiB or more (at 1/8, 3/8, 5/8 and 7/8 of it, so one stored
 * resource or the headers cannot decide alone); a smaller tar is deflated.
 */
export function gzipLevelFor(tar: readonly Buffer[]): number {
  const views = sampleViews(tar);
  if (views.length === 0) return GZIP_LEVEL;
  const sample = Buffer.concat(views);
  return deflateRawSync(sample, { level: GZIP_LEVEL }).length > sample.length * INCOMPRESSIBLE ? 0 : GZIP_LEVEL;
}

/** The views gzipLevelFor judges: none for a tar too small to sample. */
function sampleViews(tar: readonly Buffer[]): Buffer[] {
  const total = tar.reduce((sum, part) => sum + part.length, 0);
  if (total < SAMPLE_SLICE * SAMPLE_SLICES) return [];
  const views: Buffer[] = [];
  for (let i = 0; i < SAMPLE_SLICES; i++) {
    const start = Math.floor((total * (2 * i + 1)) / (2 * SAMPLE_SLICES) - SAMPLE_SLICE / 2);
    views.push(...viewsOf(tar, Math.max(0, Math.min(start, total - SAMPLE_SLICE)), SAMPLE_SLICE));
  }
  return views;
}

/** `length` bytes from `start` of the parts taken as one stream, as views of the parts. */
function viewsOf(parts: readonly Buffer[], start: number, length: number): Buffer[] {
  const out: Buffer[] = [];
  let skip = start;
  let need = length;
  for (const part of parts) {
    if (need === 0) break;
    if (skip >= part.length) {
      skip -= part.length;
      continue;
    }
    const piece = part.subarray(skip, skip + need);
    out.push(piece);
    need -= piece.length;
    skip = 0;
  }
  return out;
}

interface HeaderFields {
  name: string;
  prefix: string;
  type: string;
  size: number;
  mode: number;
  linkname: string;
}

function header(fields: HeaderFields, options: LayerOptions): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(fields.name, 0, 100, 'utf8');
  octal(block, 100, 8, fields.mode);
  octal(block, 108, 8, options.uid);
  octal(block, 116, 8, options.gid);
  octal(block, 124, 12, fields.size);
  octal(block, 136, 12, options.mtime);
  block.fill(0x20, 148, 156);
  block.write(fields.type, 156, 1, 'ascii');
  block.write(fields.linkname, 157, 100, 'utf8');
  block.write('ustar\0', 257, 6, 'ascii');
  block.write('00', 263, 2, 'ascii');
  // uname/gname stay empty: the numeric ids decide, and no name of this machine leaks in.
  block.write(fields.prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return block;
}

function octal(block: Buffer, offset: number, length: number, value: number): void {
  const digits = Math.floor(value).toString(8);
  if (digits.length > length - 1) throw new Error(`tar: ${value} does not fit a ${length}-byte header field`);
  block.write(`${digits.padStart(length - 1, '0')}\0`, offset, length, 'ascii');
}

/** ustar's name (≤ 100 bytes) and prefix (≤ 155 bytes), split at a `/`; undefined when the path does not fit or is not ASCII. */
function splitUstarName(path: string): { name: string; prefix: string } | undefined {
  if (!isAscii(path)) return undefined;
  if (path.length <= 100) return { name: path, prefix: '' };
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (prefix.length <= 155 && name.length <= 100 && name !== '') return { name, prefix };
  }
  return undefined;
}

/** `"<length> key=value\n"`, the length counting itself. */
function paxRecord(key: string, value: string): string {
  const bodyBytes = Buffer.byteLength(` ${key}=${value}\n`);
  let length = bodyBytes + String(bodyBytes).length;
  if (String(length).length !== String(bodyBytes).length) length = bodyBytes + String(length).length;
  return `${length} ${key}=${value}\n`;
}

function padded(data: Buffer): Buffer {
  const rest = data.length % BLOCK;
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(BLOCK - rest)]);
}

function truncate(text: string, bytes: number): string {
  return Buffer.from(text, 'utf8').subarray(0, bytes).toString('latin1').replace(/[^\x20-\x7e]/g, '_');
}

function isAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}
