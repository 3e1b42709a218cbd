/**
 * The one base of imageship's errors. Each layer throws its own kind (a registry, a cloud API, the config…) and
 * wraps what it catches with context, keeping the original as `cause` so a debug log can show the whole chain.
 * `hint` is what the user can do about it, when the message does not say so already.
 */

export interface ImageshipErrorOptions {
  /** The error this one wraps. */
  readonly cause?: unknown;
  /** What the user can do, in their own words (the input to change, the permission to grant). */
  readonly hint?: string;
}

export class ImageshipError extends Error {
  /** What the user can do about it; '' when the message says it already. */
  readonly hint: string;

  constructor(message: string, options: ImageshipErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ImageshipError';
    this.hint = options.hint ?? '';
  }

  /** What a user reads: the message, then the hint when there is one. */
  get userMessage(): string {
    return this.hint === '' ? this.message : `${this.message}: ${this.hint}`;
  }
}

/** Every cause an error wraps, outermost first (the error itself included). */
export function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && !chain.includes(current); current = (current as { cause?: unknown }).cause) {
    chain.push(current);
    if (!(current instanceof Error)) break;
  }
  return chain;
}
