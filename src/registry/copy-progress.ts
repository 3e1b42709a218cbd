/**
 * Progress of a long copy: one line per blob done (short digest, size, time)
 * and a throughput line every few seconds, so a 2 GB copy shows it is alive.
 * A small, fast copy stays quiet: lines start only once a blob is big
 * (> 8 MiB) or the copy has run for a while (> 5 s). Bytes are counted as
 * they pass, never per chunk in the log.
 */
import { Transform, type Readable, pipeline } from 'node:stream';

export interface CopyProgressOptions {
  log: (line: string) => void;
  /** Blob bytes the copy may move in all (the blobs not yet known to be there). */
  totalBytes: number;
  /** The largest blob's size: with one above bigBlobBytes, throughput lines start at once. */
  largestBlobBytes: number;
  /** How often the throughput line comes (default 3 s). */
  intervalMs?: number;
  /** A blob this big is worth a line of its own (default 8 MiB). */
  bigBlobBytes?: number;
  /** A copy running this long reports every blob (default 5 s). */
  longCopyMs?: number;
  now?: () => number;
}

/** A Readable that reports the bytes of each chunk it passes on, without a stream stage of its own. */
export interface ByteCounting {
  countBytes(listener: (bytes: number) => void): void;
}

function isByteCounting(stream: Readable): stream is Readable & ByteCounting {
  return typeof (stream as Partial<ByteCounting>).countBytes === 'function';
}

/** Blobs at least this big are counted as their bytes pass; smaller ones count when done. */
const COUNTED_BLOB_BYTES = 1024 * 1024;

export class CopyProgress {
  private readonly started: number;
  private readonly now: () => number;
  private readonly bigBlobBytes: number;
  private readonly longCopyMs: number;
  private moved = 0;
  private movedAtLastLine = 0;
  private lastLineAt: number;
  private blobsDone = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: CopyProgressOptions) {
    this.now = options.now ?? (() => performance.now());
    this.started = this.now();
    this.lastLineAt = this.started;
    this.bigBlobBytes = options.bigBlobBytes ?? 8 * 1024 * 1024;
    this.longCopyMs = options.longCopyMs ?? 5_000;
    this.timer = setInterval(() => this.throughputLine(), options.intervalMs ?? 3_000);
    // The copy's own work keeps the process alive; the ticker must not.
    this.timer.unref();
  }

  /**
   * `stream`, its bytes counted as they pass (blobs of 1 MiB and more;
   * smaller ones count when done; `counting` says which). A stream that
   * counts its own bytes (the raw blob GET's: body-feed.ts) is handed back
   * as it is, so the upload can still take its chunks straight from the
   * socket; any other is piped through a counting Transform (errors and
   * destruction pass both ways).
   */
  counted(stream: Readable, size: number): { stream: Readable; counting: boolean } {
    if (size < COUNTED_BLOB_BYTES) return { stream, counting: false };
    if (isByteCounting(stream)) {
      stream.countBytes((bytes) => (this.moved += bytes));
      return { stream, counting: true };
    }
    const counter = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        this.moved += chunk.length;
        done(null, chunk);
      },
    });
    return { stream: pipeline(stream, counter, () => undefined), counting: true };
  }

  /** A blob has been copied: a line when it is big or the copy is long. */
  blobDone(digest: string, size: number, startedAt: number, counted: boolean): void {
    if (!counted || size < COUNTED_BLOB_BYTES) this.moved += size;
    this.blobsDone++;
    const at = this.now();
    if (size > this.bigBlobBytes || at - this.started > this.longCopyMs) {
      this.options.log(`blob ${shortDigest(digest)} done: ${formatBytes(size)} in ${formatSeconds(at - startedAt)}`);
    }
  }

  /** Bytes moved so far. */
  get bytesMoved(): number {
    return this.moved;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private throughputLine(): void {
    const at = this.now();
    const sinceLast = at - this.lastLineAt;
    const bytes = this.moved - this.movedAtLastLine;
    this.lastLineAt = at;
    this.movedAtLastLine = this.moved;
    if (bytes === 0 || sinceLast <= 0) return;
    if (this.options.largestBlobBytes <= this.bigBlobBytes && at - this.started <= this.longCopyMs) return;
    const total = this.options.totalBytes;
    this.options.log(
      `copying: ${formatBytes(this.moved)} of ${formatBytes(total)} moved (${this.blobsDone} blob(s) done), ` +
        `${formatBytes((bytes * 1000) / sinceLast)}/s, ${formatSeconds(at - this.started)} so far`,
    );
  }
}

/** `sha256:` and the first 12 hex digits, as docker shows them. */
export function shortDigest(digest: string): string {
  const colon = digest.indexOf(':');
  return `${digest.slice(0, colon + 1)}${digest.slice(colon + 1, colon + 13)}`;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GiB`;
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
