/**
 * Bounds on every answer imageship reads whole (manifests, token answers,
 * cloud and Kubernetes API answers, error bodies). A server decides how much
 * it sends; without a bound an endless body is buffered until the runner runs
 * out of memory. A declared Content-Length over the cap fails before a byte
 * is read; an unsized or lying body is counted as it arrives and the
 * connection dropped the moment the count passes the cap.
 *
 * The caps live here, in one table, so the numbers and the reasons given for
 * them stay the same in every message and in the README.
 */
import { ImageshipError } from '../domain/errors.js';

export interface BodyCap {
  readonly bytes: number;
  /** Why this number, for the error message: "the distribution spec's limit". */
  readonly why: string;
}

const KiB = 1024;
const MiB = 1024 * KiB;

export const BODY_CAPS = Object.freeze({
  /** OCI distribution spec: registries should accept manifests of at least 4 MiB, and may refuse larger ones. */
  manifest: { bytes: 4 * MiB, why: "the distribution spec's limit" },
  /** An image config is a few KiB (its history makes the biggest ones a few hundred). */
  imageConfig: { bytes: 8 * MiB, why: 'far more than any image config' },
  /** One page of `GET /v2/<repo>/tags/list`: 100 000 tags of 128 characters fit. */
  tagList: { bytes: 16 * MiB, why: 'far more than one page of tags' },
  /** A token answer is a JWT or an opaque token of a few KiB. */
  token: { bytes: 1 * MiB, why: 'far more than any token service sends' },
  /** Huawei Cloud and Alibaba Cloud API answers (a function's configuration, a temporary login, a tag list). */
  cloudApi: { bytes: 8 * MiB, why: 'far more than any answer of these APIs' },
  /** A Kubernetes object (a Deployment, a Status) is kilobytes. */
  kubernetes: { bytes: 8 * MiB, why: 'far more than any Kubernetes object' },
  /** Error bodies and other answers of which only a line is shown. */
  errorBody: { bytes: 64 * KiB, why: 'only its first line is shown' },
} satisfies Record<string, BodyCap>);

/** What is being read, for the error message: `the manifest of org/app:1` from `registry.example.com`. */
export interface BodyRead {
  /** `the manifest of org/app:1`, `the token answer`, `the answer to read FunctionGraph function fn`. */
  readonly what: string;
  /** The host that sent it; left out of the message when unknown. */
  readonly from?: string;
  readonly cap: BodyCap;
}

/** An answer larger than its cap: nothing past the cap was read. Not transient: the same server sends the same body. */
export class BodyTooLargeError extends ImageshipError {
  override readonly name = 'BodyTooLargeError';
  readonly limit: number;
  readonly host: string | undefined;

  constructor(read: BodyRead, detail: string) {
    super(`${read.what}${read.from ? ` from ${read.from}` : ''} is larger than ${formatSize(read.cap.bytes)} (${read.cap.why}): ${detail}`);
    this.limit = read.cap.bytes;
    this.host = read.from;
  }
}

/** Throws before anything is read when the declared Content-Length is over the cap. */
export function checkDeclaredLength(contentLength: string | string[] | null | undefined, read: BodyRead): void {
  const value = Array.isArray(contentLength) ? contentLength[0] : contentLength;
  if (value === null || value === undefined || !/^\s*\d+\s*$/.test(value)) return;
  const declared = Number(value);
  if (declared > read.cap.bytes) {
    throw new BodyTooLargeError(read, `it declares Content-Length ${declared}; nothing of it was read`);
  }
}

/**
 * Collects an answer's chunks, counting them: `push` throws BodyTooLargeError
 * the moment the total passes the cap (the caller then drops the connection),
 * so at most one chunk past the cap is ever held.
 */
export class BodyCollector {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  constructor(readonly read: BodyRead) {}

  push(chunk: Uint8Array): void {
    this.size += chunk.byteLength;
    if (this.size > this.read.cap.bytes) {
      this.chunks.length = 0;
      throw new BodyTooLargeError(this.read, `more than ${this.read.cap.bytes} bytes arrived; the connection was closed without reading the rest`);
    }
    this.chunks.push(chunk);
  }

  bytes(): Uint8Array {
    const joined = Buffer.concat(this.chunks, this.size);
    return new Uint8Array(joined.buffer, joined.byteOffset, joined.byteLength);
  }
}

/** `4 MiB`, `64 KiB`, `1.5 MiB`, `900 bytes`. */
export function formatSize(bytes: number): string {
  if (bytes >= MiB) return `${Number((bytes / MiB).toFixed(1))} MiB`;
  if (bytes >= KiB) return `${Number((bytes / KiB).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}

/** The host[:port] of an answer's URL, when it has one. */
export function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
}
