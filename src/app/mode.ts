/**
 * How a run's image comes to be, decided by one rule for the plan, the pipeline (does it need docker?) and the
 * action's start-up (should it probe docker before loading anything else?).
 */

export type RunMode = 'build' | 'copy' | 'merge' | 'deploy-only';

/** Which mode-choosing inputs are set: `deploy-image`, `source-image`, `merge-digests`. */
export interface ModeInputs {
  readonly deployImage: boolean;
  readonly sourceImage: boolean;
  readonly mergeDigests: boolean;
}

/** Built here, unless an image is deployed as it is, copied from source-image, or merged from digests. */
export function runModeOf(given: ModeInputs): RunMode {
  if (given.deployImage) return 'deploy-only';
  if (given.sourceImage) return 'copy';
  if (given.mergeDigests) return 'merge';
  return 'build';
}
