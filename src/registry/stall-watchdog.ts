/**
 * The time limits of one streamed blob request, and the watchdog that
 * enforces them:
 *
 * - the stall limit: no byte moved for `ms` (the retry policy's timeoutMs).
 *   A total timeout would cut a large layer off however healthy its transfer;
 * - the overall deadline, from the blob's size and a floor throughput
 *   (60 s + 1 s per 100 KiB by default): a server that trickles a byte every
 *   few seconds never trips the stall limit, but cannot hold a run for ever;
 * - the answer wait: once the last byte of an upload is sent, how long the
 *   registry may take to answer (committing a blob may mean a copy inside
 *   object storage): 2 min + 1 s per 50 MiB by default.
 *
 * The abort reason is a TransferTimeoutError that says which limit fired and
 * its numbers, so the error a user reads tells stall from deadline.
 *
 * `touch` runs for every chunk of a blob (thousands per layer), so it only
 * counts; reading a clock or re-arming a timer there showed up in CPU
 * profiles. A timer looks at the count four times per period instead, and
 * aborts after four looks in a row saw it unchanged: a stall is reported
 * between `ms` and 1.25 × `ms` after the last byte moved.
 */
import { formatSize } from '../util/body-cap.js';
import { formatSeconds } from '../http/retry.js';
import { ImageshipError } from '../domain/errors.js';

/** Looks per stall period. */
const LOOKS = 4;

/** The overall deadline and the answer wait of a blob request. Library callers may tune them (RegistryClientOptions.blobTimeouts). */
export interface BlobTimeouts {
  /** Fixed part of a blob request's overall deadline. Default 60 s. */
  deadlineBaseMs: number;
  /** Floor throughput: the deadline grows by one second per this many bytes of the blob. Default 100 KiB. */
  deadlineBytesPerSecond: number;
  /** Fixed part of the wait for the registry's answer once an upload's last byte is sent. Default 2 min. */
  answerBaseMs: number;
  /** The answer wait grows by one second per this many bytes of the blob. Default 50 MiB. */
  answerBytesPerSecond: number;
}

export const DEFAULT_BLOB_TIMEOUTS: Readonly<BlobTimeouts> = Object.freeze({
  deadlineBaseMs: 60_000,
  deadlineBytesPerSecond: 100 * 1024,
  answerBaseMs: 120_000,
  answerBytesPerSecond: 50 * 1024 * 1024,
});

export function resolveBlobTimeouts(given: Partial<BlobTimeouts> | undefined): BlobTimeouts {
  const pick = (key: keyof BlobTimeouts, minimum: number): number => {
    const value = given?.[key];
    return typeof value === 'number' && Number.isFinite(value) && value >= minimum ? value : DEFAULT_BLOB_TIMEOUTS[key];
  };
  return {
    deadlineBaseMs: pick('deadlineBaseMs', 0),
    deadlineBytesPerSecond: pick('deadlineBytesPerSecond', 1),
    answerBaseMs: pick('answerBaseMs', 0),
    answerBytesPerSecond: pick('answerBytesPerSecond', 1),
  };
}

/** A limit with its numbers, ready for a message: `the overall deadline of 70 s (60 s + 1 s per 100 KiB of 1048576 bytes)`. */
export interface TimeLimit {
  ms: number;
  description: string;
}

export function blobDeadline(size: number, timeouts: BlobTimeouts): TimeLimit {
  const ms = Math.ceil(timeouts.deadlineBaseMs + (size / timeouts.deadlineBytesPerSecond) * 1000);
  return {
    ms,
    description: `the overall deadline of ${formatSeconds(ms)} (${formatSeconds(timeouts.deadlineBaseMs)} + 1 s per ${formatSize(timeouts.deadlineBytesPerSecond)} of its ${size} bytes)`,
  };
}

export function answerWait(size: number, timeouts: BlobTimeouts, stallMs: number): number {
  return Math.max(stallMs, Math.ceil(timeouts.answerBaseMs + (size / timeouts.answerBytesPerSecond) * 1000));
}

export type TransferLimit = 'stall' | 'deadline' | 'answer';

/** Why a watchdog aborted a transfer. Named TimeoutError, so the retry policy sees a timeout. */
export class TransferTimeoutError extends ImageshipError {
  override readonly name = 'TimeoutError';

  constructor(
    readonly limit: TransferLimit,
    message: string,
  ) {
    super(message);
  }
}

/** The TransferTimeoutError somewhere in `error`'s cause chain (fetch wraps abort reasons). */
export function transferTimeoutIn(error: unknown): TransferTimeoutError | undefined {
  let current = error;
  for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth++) {
    if (current instanceof TransferTimeoutError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export class StallWatchdog {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly startedAt = performance.now();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private moves = 0;
  private movesAtLastLook = 0;
  private quietLooks = 0;

  constructor(
    private readonly ms: number,
    outer: AbortSignal | undefined,
  ) {
    this.signal = outer === undefined ? this.controller.signal : AbortSignal.any([this.controller.signal, outer]);
    this.timer = this.arm(ms / LOOKS, () => this.look());
  }

  touch(): void {
    this.moves++;
  }

  /** The whole request must be done within `limit`, counted from when the watchdog was made. */
  limitTotal(limit: TimeLimit): void {
    if (this.stopped) return;
    if (this.deadlineTimer !== undefined) clearTimeout(this.deadlineTimer);
    const left = Math.max(0, limit.ms - (performance.now() - this.startedAt));
    this.deadlineTimer = this.arm(left, () => this.abort('deadline', `not done within ${limit.description}: the transfer is too slow`));
  }

  /**
   * The request body (`sentBytes` bytes) has been sent: the registry may now
   * take a while to commit the blob, so the wait for its answer gets `ms`
   * instead of the stall limit. The overall deadline still runs.
   */
  awaitAnswer(ms: number, sentBytes: number): void {
    if (this.stopped) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = this.arm(ms, () =>
      this.abort('answer', `all ${sentBytes} bytes were sent and the registry gave no answer within ${formatSeconds(ms)} (the answer wait)`),
    );
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.deadlineTimer !== undefined) clearTimeout(this.deadlineTimer);
    this.timer = undefined;
    this.deadlineTimer = undefined;
  }

  private look(): void {
    if (this.moves !== this.movesAtLastLook) {
      this.movesAtLastLook = this.moves;
      this.quietLooks = 0;
    } else if (++this.quietLooks >= LOOKS) {
      this.abort('stall', `stalled: no byte moved for ${formatSeconds(this.ms)} (the stall limit)`);
      return;
    }
    this.timer = this.arm(this.ms / LOOKS, () => this.look());
  }

  private arm(ms: number, then: () => void): ReturnType<typeof setTimeout> {
    const timer = setTimeout(then, ms);
    timer.unref?.();
    return timer;
  }

  private abort(limit: TransferLimit, message: string): void {
    this.stop();
    this.controller.abort(new TransferTimeoutError(limit, message));
  }
}
