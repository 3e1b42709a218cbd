/**
 * Aborts a streamed request when no byte moved for `ms`: a total timeout
 * would cut a large layer off however healthy its transfer.
 *
 * `touch` runs for every chunk of a blob (thousands per layer), so it only
 * counts; reading a clock or re-arming a timer there showed up in CPU
 * profiles. A timer looks at the count four times per period instead, and
 * aborts after four looks in a row saw it unchanged: a stall is reported
 * between `ms` and 1.25 × `ms` after the last byte moved.
 */
import { formatSeconds } from '../util/http.js';

/** Looks per stall period. */
const LOOKS = 4;

export class StallWatchdog {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private moves = 0;
  private movesAtLastLook = 0;
  private quietLooks = 0;

  constructor(
    private readonly ms: number,
    outer: AbortSignal | undefined,
  ) {
    this.signal = outer === undefined ? this.controller.signal : AbortSignal.any([this.controller.signal, outer]);
    this.arm(ms / LOOKS, () => this.look());
  }

  touch(): void {
    this.moves++;
  }

  /**
   * The request body has been sent: the registry may now take a while to
   * commit the blob (object storage copies it into place), so the wait for
   * its answer gets `ms` instead of the stall timeout.
   */
  awaitAnswer(ms: number): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.arm(ms, () => this.abort(`no answer for ${formatSeconds(ms)}`));
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private look(): void {
    if (this.moves !== this.movesAtLastLook) {
      this.movesAtLastLook = this.moves;
      this.quietLooks = 0;
    } else if (++this.quietLooks >= LOOKS) {
      this.abort(`no progress for ${formatSeconds(this.ms)}`);
      return;
    }
    this.arm(this.ms / LOOKS, () => this.look());
  }

  private arm(ms: number, then: () => void): void {
    this.timer = setTimeout(then, ms);
    this.timer.unref?.();
  }

  private abort(message: string): void {
    this.timer = undefined;
    this.controller.abort(new DOMException(message, 'TimeoutError'));
  }
}
