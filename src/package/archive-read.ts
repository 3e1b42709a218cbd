/**
 * Reads the entries of a package archive: a gzip'd tar (npm pack's .tgz, a
 * .tar.gz) or a zip (.zip, .jar-style, a Python wheel). Entry names come back
 * raw; the caller normalises them and refuses those that escape the target.
 *
 * Our own reader on node:zlib rather than a library (tar-stream, yauzl,
 * adm-zip): imageship needs only "list the regular files, directories and
 * symlinks with their modes" from a buffer it already holds; that is ~200
 * lines here, with its own bounds (entry count, unpacked total, a compressed
 * size that lies) checked before inflating, no new dependency in the bundle
 * and no start-up cost for runs that never unpack anything (the module is
 * loaded only by a package run). Device files, FIFOs and hard links are
 * refused by name rather than skipped, so nothing vanishes silently.
 */
import { gunzipSync, inflateRawSync } from 'node:zlib';
import { ImageshipError } from '../domain/errors.js';

export interface ArchiveEntry {
  /** As stored in the archive. */
  name: string;
  kind: 'file' | 'dir' | 'symlink';
  mode: number;
  data: Buffer;
  linkTarget: string;
}

export interface ArchiveLimits {
  /** Sum of the entries' unpacked sizes. */
  maxUnpackedBytes: number;
  maxEntries: number;
}

export class ArchiveError extends ImageshipError {
  override readonly name = 'ArchiveError';
}

/** Which reader a buffer needs, by its magic bytes; undefined = neither gzip nor zip. */
export function archiveFormat(bytes: Buffer): 'tgz' | 'zip' | undefined {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return 'tgz';
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50) return 'zip';
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0x06054b50) return 'zip';
  return undefined;
}

export function readArchive(bytes: Buffer, limits: ArchiveLimits): ArchiveEntry[] {
  const format = archiveFormat(bytes);
  if (format === 'tgz') return readTar(gunzipBounded(bytes, limits), limits);
  if (format === 'zip') return readZip(bytes, limits);
  throw new ArchiveError('the package is neither a gzip\'d tar (.tgz, .tar.gz) nor a zip');
}

function gunzipBounded(bytes: Buffer, limits: ArchiveLimits): Buffer {
  try {
    // Tar headers and padding add to the content: a little room above the unpacked limit.
    return gunzipSync(bytes, { maxOutputLength: limits.maxUnpackedBytes + 1024 * 1024 });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|maxOutputLength/i.test(String(error))) {
      throw new ArchiveError(`the package unpacks to more than ${limits.maxUnpackedBytes} bytes (the limit is four times package-max-size)`);
    }
    throw new ArchiveError(`the package is not valid gzip: ${error instanceof Error ? error.message : String(error)}`);
  }
}

// ---------------------------------------------------------------- tar

export function readTar(tar: Buffer, limits: ArchiveLimits): ArchiveEntry[] {
  const entries: ArchiveEntry[] = [];
  let offset = 0;
  let paxPath: string | undefined;
  let paxLink: string | undefined;
  let globalPath: string | undefined;
  let longName: string | undefined;
  let longLink: string | undefined;
  let total = 0;
  while (offset + 512 <= tar.length) {
    const block = tar.subarray(offset, offset + 512);
    if (block.every((byte) => byte === 0)) break;
    checkTarChecksum(block, offset);
    const size = readOctal(block, 124, 12);
    const type = String.fromCharCode(block[156] ?? 0x30);
    const dataStart = offset + 512;
    const dataEnd = dataStart + size;
    if (dataEnd > tar.length) throw new ArchiveError(`the tar ends inside an entry (at byte ${offset})`);
    const data = tar.subarray(dataStart, dataEnd);
    offset = dataStart + Math.ceil(size / 512) * 512;

    if (type === 'x' || type === 'g') {
      const records = parsePax(data);
      if (type === 'g') globalPath = records.get('path') ?? globalPath;
      else {
        paxPath = records.get('path');
        paxLink = records.get('linkpath');
      }
      continue;
    }
    if (type === 'L') {
      longName = data.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    if (type === 'K') {
      longLink = data.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    const prefix = cString(block, 345, 155);
    const shortName = cString(block, 0, 100);
    const name = paxPath ?? longName ?? (prefix !== '' ? `${prefix}/${shortName}` : shortName);
    const linkTarget = paxLink ?? longLink ?? cString(block, 157, 100);
    paxPath = paxLink = longName = longLink = undefined;
    void globalPath;
    const mode = readOctal(block, 100, 8) & 0o7777;
    if (entries.length >= limits.maxEntries) throw new ArchiveError(`the package holds more than ${limits.maxEntries} entries`);
    switch (type) {
      case '0':
      case '\0':
      case '7':
        total += size;
        if (total > limits.maxUnpackedBytes) throw new ArchiveError(`the package unpacks to more than ${limits.maxUnpackedBytes} bytes (the limit is four times package-max-size)`);
        entries.push({ name, kind: 'file', mode, data: Buffer.from(data), linkTarget: '' });
        break;
      case '5':
        entries.push({ name, kind: 'dir', mode, data: Buffer.alloc(0), linkTarget: '' });
        break;
      case '2':
        entries.push({ name, kind: 'symlink', mode, data: Buffer.alloc(0), linkTarget });
        break;
      case '1':
        throw new ArchiveError(`"${name}" is a hard link, which imageship does not unpack: repack without hard links (npm pack and zip never make them)`);
      case '3':
      case '4':
      case '6':
        throw new ArchiveError(`"${name}" is a ${type === '6' ? 'FIFO' : 'device file'}, which has no place in an application package: remove it from the archive`);
      default:
        throw new ArchiveError(`"${name}" has tar entry type "${type}", which imageship does not unpack`);
    }
  }
  return entries;
}

function checkTarChecksum(block: Buffer, offset: number): void {
  const stored = readOctal(block, 148, 8);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  if (sum !== stored) throw new ArchiveError(`the tar header at byte ${offset} has a wrong checksum: the archive is damaged`);
}

function readOctal(block: Buffer, offset: number, length: number): number {
  const field = block.subarray(offset, offset + length);
  // GNU base-256 for large numbers: the high bit of the first byte.
  if (((field[0] ?? 0) & 0x80) !== 0) {
    let value = 0;
    for (let i = 1; i < field.length; i++) value = value * 256 + (field[i] ?? 0);
    return value;
  }
  const text = field.toString('ascii').replace(/\0.*$/s, '').trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function cString(block: Buffer, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}

function parsePax(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space === -1) break;
    const length = Number(data.subarray(offset, space).toString('ascii'));
    if (!Number.isSafeInteger(length) || length <= 0 || offset + length > data.length) throw new ArchiveError('a PAX header record is damaged');
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) records.set(record.slice(0, eq), record.slice(eq + 1));
    offset += length;
  }
  return records;
}

// ---------------------------------------------------------------- zip

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

export function readZip(zip: Buffer, limits: ArchiveLimits): ArchiveEntry[] {
  const eocd = findEndOfCentralDirectory(zip);
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) throw new ArchiveError('the zip is a ZIP64 archive, which imageship does not unpack: use a .tgz for packages over 4 GiB');
  if (count > limits.maxEntries) throw new ArchiveError(`the package holds more than ${limits.maxEntries} entries`);
  const entries: ArchiveEntry[] = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== CENTRAL_FILE_HEADER) throw new ArchiveError('the zip\'s central directory is damaged');
    const flags = zip.readUInt16LE(offset + 8);
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const madeBy = zip.readUInt16LE(offset + 4) >> 8;
    const external = zip.readUInt32LE(offset + 38);
    const localOffset = zip.readUInt32LE(offset + 42);
    // Bit 11: the name is UTF-8; otherwise CP437, whose printable ASCII part is the same.
    const name = zip.subarray(offset + 46, offset + 46 + nameLength).toString((flags & 0x800) !== 0 ? 'utf8' : 'latin1');
    offset += 46 + nameLength + extraLength + commentLength;
    if ((flags & 0x1) !== 0) throw new ArchiveError(`"${name}" is encrypted: imageship unpacks plain zips only`);

    // Unix mode in the high half of the external attributes when made on Unix (3); otherwise only the directory flag counts.
    const unixMode = madeBy === 3 ? external >>> 16 : 0;
    const fileType = unixMode & 0o170000;
    const isDir = name.endsWith('/') || fileType === 0o040000 || (madeBy !== 3 && (external & 0x10) !== 0);
    if (fileType !== 0 && fileType !== 0o100000 && fileType !== 0o040000 && fileType !== 0o120000) {
      throw new ArchiveError(`"${name}" is a special file (a device, FIFO or socket), which has no place in an application package: remove it from the archive`);
    }
    if (entries.length >= limits.maxEntries) throw new ArchiveError(`the package holds more than ${limits.maxEntries} entries`);
    if (isDir) {
      entries.push({ name, kind: 'dir', mode: unixMode & 0o7777 || 0o755, data: Buffer.alloc(0), linkTarget: '' });
      continue;
    }
    total += size;
    if (total > limits.maxUnpackedBytes) throw new ArchiveError(`the package unpacks to more than ${limits.maxUnpackedBytes} bytes (the limit is four times package-max-size)`);
    const data = readZipData(zip, localOffset, method, compressedSize, size, name);
    if (fileType === 0o120000) entries.push({ name, kind: 'symlink', mode: 0o777, data: Buffer.alloc(0), linkTarget: data.toString('utf8') });
    else entries.push({ name, kind: 'file', mode: unixMode & 0o7777 || 0o644, data, linkTarget: '' });
  }
  return entries;
}

function findEndOfCentralDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of up to 65535.
  const stop = Math.max(0, zip.length - 22 - 0xffff);
  for (let i = zip.length - 22; i >= stop; i--) {
    if (zip.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) return i;
  }
  throw new ArchiveError('the zip has no end-of-central-directory record: the archive is damaged or cut short');
}

function readZipData(zip: Buffer, localOffset: number, method: number, compressedSize: number, size: number, name: string): Buffer {
  if (localOffset + 30 > zip.length || zip.readUInt32LE(localOffset) !== LOCAL_FILE_HEADER) throw new ArchiveError(`"${name}": the zip's local header is damaged`);
  const start = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
  if (start + compressedSize > zip.length) throw new ArchiveError(`"${name}": the zip ends inside this entry`);
  const raw = zip.subarray(start, start + compressedSize);
  let data: Buffer;
  if (method === 0) data = Buffer.from(raw);
  else if (method === 8) {
    try {
      // The central directory's size bounds the output: a lying entry cannot inflate past it.
      data = inflateRawSync(raw, { maxOutputLength: Math.max(size, 1) });
    } catch (error) {
      throw new ArchiveError(`"${name}" does not inflate to the ${size} bytes the zip promises: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else throw new ArchiveError(`"${name}" uses zip compression method ${method}; imageship unpacks stored and deflated entries`);
  if (data.length !== size) throw new ArchiveError(`"${name}" unpacks to ${data.length} bytes, not the ${size} the zip promises`);
  return data;
}
