/**
 * How a run's image comes to be, decided by one rule for the plan, the pipeline (does it need docker?) and the
 * action's start-up (should it probe docker before loading anything else?).
 */

export type RunMode = 'build' | 'package' | 'copy' | 'merge' | 'deploy-only';

/** Which mode-choosing inputs are set: `deploy-image`, `package`, `source-image`, `merge-digests`. */
export interface ModeInputs {
  readonly deployImage: boolean;
  readonly package: boolean;
  readonly sourceImage: boolean;
  readonly mergeDigests: boolean;
}

/** Built here, unless an image is deployed as it is, assembled from a package, copied from source-image, or merged from digests. */
export function runModeOf(given: ModeInputs): RunMode {
  if (given.deployImage) return 'deploy-only';
  if (given.package) return 'package';
  if (given.sourceImage) return 'copy';
  if (given.mergeDigests) return 'merge';
  return 'build';
}
