/**
 * Gets the package's bytes: a local file, an https:// download or an OBS
 * object (a signed GET). Downloads go through the run's transport (proxy,
 * custom CAs, timeouts) and its one retry policy (fetchWithRetry); a body
 * that breaks off is resumed with `Range: bytes=N-` (guarded by If-Range with
 * the first answer's ETag or Last-Modified, so a changed object starts over
 * rather than being stitched together). The size limit is enforced from the
 * Content-Length before a byte is read and again while reading; the
 * package-sha256 check runs on the complete bytes.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { PackageSource } from '../domain/package-settings.js';
import { fetchWithRetry, type RetryPolicy } from '../http/retry.js';
import type { Fetch } from '../ports.js';
import { encodeObjectKey, signObsGet } from './obs-signer.js';
import { sha256InSlices } from './sliced-hash.js';
import { FileFill } from './file-fill.js';
import { describeSource } from './source-name.js';
import { ImageshipError } from '../domain/errors.js';

export interface FetchPackageOptions {
  source: PackageSource;
  maxBytes: number;
  /** 64 hex digits, '' = not checked. */
  sha256: string;
  fetch: Fetch;
  now: () => Date;
  /** Relative local paths are resolved against it. */
  cwd: string;
  log: (line: string) => void;
  /** Tests shorten the waits; the attempts and the rest are the transport's policy. */
  retry?: Partial<RetryPolicy>;
}

export interface FetchedPackage {
  /** The package, all of it in place unless `fill` says otherwise. */
  bytes: Buffer;
  /**
   * A local package still being read into `bytes` (fill.arrival, fill.done):
   * the run starts on it before the last byte is in. Undefined when every
   * byte is in place (a download, or a package checked against
   * package-sha256 first).
   */
  fill?: FileFill;
  /**
   * sha256 hex of the bytes. Settled before fetchPackage returns when
   * package-sha256 was given (it is checked before anything is pushed);
   * otherwise computed a slice at a time while the run goes on (it is only a
   * label), so it does not hold up the layer's upload.
   */
  sha256: Promise<string>;
  /** Where it came from, safe to print (no query string). */
  shown: string;
}

/** A package that could not be fetched or was refused (size, checksum): one line naming the input. */
export class PackageSourceError extends ImageshipError {
  override readonly name = 'PackageSourceError';
}

/** Bodies that break off are resumed this many times before the download fails. */
const MAX_RESUMES = 4;
/** One attempt may take this long, body included: a package is larger than an API answer. */
const DOWNLOAD_ATTEMPT_MS = 10 * 60_000;

export async function fetchPackage(options: FetchPackageOptions): Promise<FetchedPackage> {
  const { source } = options;
  const shown = describeSource(source);
  const fill = source.kind === 'local' ? await readLocal(source.path, options) : undefined;
  if (fill) await (options.sha256 === '' ? undefined : fill.done);
  const bytes = fill ? fill.bytes : await download(options, shown);
  if (options.sha256 === '') {
    options.log(`package ${shown}: ${bytes.length} bytes`);
    const sha256 = sha256InSlices([bytes], fill?.arrival);
    sha256.catch(() => undefined);
    return { bytes, ...(fill ? { fill } : {}), sha256, shown };
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== options.sha256) {
    throw new PackageSourceError(`package-sha256: ${shown} has SHA-256 ${sha256}, not the expected ${options.sha256}: the package changed or the checksum is for another file; nothing was pushed`);
  }
  options.log(`package ${shown}: ${bytes.length} bytes, sha256:${sha256} (matches package-sha256)`);
  return { bytes, sha256: Promise.resolve(sha256), shown };
}


async function readLocal(path: string, options: FetchPackageOptions): Promise<FileFill> {
  const full = isAbsolute(path) ? path : resolve(options.cwd, path);
  let size: number;
  try {
    const info = await stat(full);
    if (!info.isFile()) throw new PackageSourceError(`package: ${path} is not a file: give the package file (a .jar, .war, .tgz or .zip)`);
    size = info.size;
  } catch (error) {
    if (error instanceof PackageSourceError) throw error;
    throw new PackageSourceError(`package: ${path} does not exist (relative to ${options.cwd}): check the path`);
  }
  if (size > options.maxBytes) throw tooLarge(path, size, options.maxBytes);
  // Read in the background, in large pieces (fs.promises.readFile's 512 KiB reads took 3× as long for a 20 MiB JAR).
  return FileFill.start(full, size, () => new PackageSourceError(`package: ${path} changed while it was read (it is no longer ${size} bytes): build the package before the run starts; nothing was pushed`));
}

function tooLarge(shown: string, size: number | string, maxBytes: number): PackageSourceError {
  return new PackageSourceError(`package: ${shown} is ${typeof size === 'number' ? `${size} bytes` : size}, more than package-max-size (${maxBytes} bytes): raise package-max-size if the package really is that large`);
}

interface Target {
  url: string;
  headers: () => Record<string, string>;
}

function targetOf(options: FetchPackageOptions): Target {
  const { source } = options;
  if (source.kind === 'https') return { url: source.url, headers: () => ({}) };
  if (source.kind !== 'obs') throw new Error('internal: not a download');
  const endpoint = new URL(source.endpoint);
  // A bucket host (bucket.obs.region.domain) takes the key as the path; an IP or localhost endpoint takes /bucket/key.
  const pathStyle = /^(\d+\.){3}\d+$|^\[|^localhost$/.test(endpoint.hostname);
  const base = source.endpoint.replace(/\/+$/, '');
  const url = pathStyle ? `${base}/${source.bucket}/${encodeObjectKey(source.key)}` : `${base}/${encodeObjectKey(source.key)}`;
  const credentials = source.credentials;
  return { url, headers: () => (credentials ? signObsGet(source.bucket, source.key, credentials, options.now()).headers : {}) };
}

async function download(options: FetchPackageOptions, shown: string): Promise<Buffer> {
  const target = targetOf(options);
  const chunks: Buffer[] = [];
  let received = 0;
  let validator: string | undefined;
  let total: number | undefined;
  // A resume goes straight to where a redirect led (a plain https source; a signed OBS GET is signed for its own URL).
  let url = target.url;
  for (let resumes = 0; ; resumes++) {
    const headers = target.headers();
    if (received > 0) {
      headers['Range'] = `bytes=${received}-`;
      if (validator !== undefined) headers['If-Range'] = validator;
    }
    const operation = `download package ${shown}`;
    const response = await fetchWithRetry(options.fetch, { url, method: 'GET', headers, operation }, { ...options.retry, timeoutMs: options.retry?.timeoutMs ?? DOWNLOAD_ATTEMPT_MS }).catch((error: unknown) => {
      throw new PackageSourceError(`package: ${error instanceof Error ? error.message : String(error)}`);
    });
    if (received > 0 && response.status === 200) {
      // The server ignored the range (or the object changed under If-Range): the whole body again.
      options.log(`package ${shown}: the server sent the whole object again instead of the rest; starting over`);
      chunks.length = 0;
      received = 0;
    } else if (received > 0 && response.status !== 206) {
      await response.body?.cancel();
      throw new PackageSourceError(`package: resuming ${shown} at byte ${received} got HTTP ${response.status}: try again`);
    } else if (received === 0 && response.status !== 200) {
      throw new PackageSourceError(await refusal(response, shown, options.source));
    }
    if (received === 0) {
      if (options.source.kind === 'https' && response.url) url = response.url;
      validator = response.headers.get('etag') ?? response.headers.get('last-modified') ?? undefined;
      const length = Number(response.headers.get('content-length') ?? Number.NaN);
      total = Number.isSafeInteger(length) ? length : undefined;
      if (total !== undefined && total > options.maxBytes) {
        await response.body?.cancel();
        throw tooLarge(shown, total, options.maxBytes);
      }
    } else {
      const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
      if (!range || Number(range[1]) !== received) {
        await response.body?.cancel();
        throw new PackageSourceError(`package: resuming ${shown} at byte ${received}, the server answered ${response.headers.get('content-range') ?? 'no Content-Range'}: try again`);
      }
    }
    const reader = response.body?.getReader();
    if (!reader) throw new PackageSourceError(`package: ${shown} came without a body`);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received += value.byteLength;
        if (received > options.maxBytes) {
          await reader.cancel();
          throw tooLarge(shown, `more than ${options.maxBytes} bytes (the server did not say how large)`, options.maxBytes);
        }
        chunks.push(Buffer.from(value));
      }
      if (total !== undefined && received < total) throw new Error(`the body ended at byte ${received} of ${total}`);
      return Buffer.concat(chunks);
    } catch (error) {
      if (error instanceof PackageSourceError) throw error;
      if (resumes >= MAX_RESUMES) {
        throw new PackageSourceError(`package: downloading ${shown} broke off ${resumes + 1} times (last at byte ${received}): ${error instanceof Error ? error.message : String(error)}`);
      }
      options.log(`package ${shown}: the download broke off at byte ${received} (${error instanceof Error ? error.message : String(error)}); resuming from there`);
    }
  }
}

/** One line for a refused download, with OBS's error code when the answer carries one. */
async function refusal(response: Response, shown: string, source: PackageSource): Promise<string> {
  let body = '';
  try {
    body = (await response.text()).slice(0, 4096);
  } catch {
    // The status alone still says enough.
  }
  const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
  const fix =
    response.status === 404
      ? 'check the URL or the bucket and key'
      : response.status === 403 || response.status === 401
        ? source.kind === 'obs'
          ? 'check access-key/secret-key (and security-token for temporary keys), the clock, and that the key may read the object (obs:object:GetObject)'
          : 'the server refused the download: check the URL\'s token'
        : 'try again later';
  return `package: downloading ${shown} got HTTP ${response.status}${code ? ` (${code})` : ''}: ${fix}`;
}
