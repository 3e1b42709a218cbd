/**
 * At most `max` tasks at once, the rest queued in order. One limiter is
 * shared by every level of a copy's image tree (manifest reads, HEADs, blob
 * transfers, manifest writes), so an index of thousands of children opens a
 * handful of connections, not thousands (each task holds at most a couple).
 *
 * A task holds its slot only while it runs: a parent never waits for its
 * children inside a slot, so nested use cannot deadlock.
 */
export class Limiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly max: number) {
    if (!Number.isSafeInteger(max) || max < 1) throw new Error(`Limiter: max must be a positive integer, got ${max}`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await task();
    } finally {
      // The slot passes straight to the next task in line (running stays the same), or is freed.
      const next = this.waiting.shift();
      if (next === undefined) this.running--;
      else next();
    }
  }
}

/**
 * Every promise settled; the first rejection (in settling order) is thrown
 * once all have settled, so no work is left running behind the caller's back.
 * `onFirstFailure` runs as soon as one fails (to abort the others).
 */
export async function settleAll<T>(promises: readonly Promise<T>[], onFirstFailure?: (error: unknown) => void): Promise<T[]> {
  let failed = false;
  let firstError: unknown;
  const watched = promises.map((promise) =>
    promise.catch((error: unknown) => {
      if (!failed) {
        failed = true;
        firstError = error;
        onFirstFailure?.(error);
      }
      return undefined as T;
    }),
  );
  const values = await Promise.all(watched);
  if (failed) throw firstError;
  return values;
}
