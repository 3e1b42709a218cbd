import { runModeOf } from '../app/mode.js';

/**
 * Whether the step's inputs select a registry-to-registry run (a copy, a
 * merge, a deploy-only run, or an image assembled from a package), read before any module is loaded: those never
 * talk to docker (runPipeline's needsDocker), so the action does not spend
 * two docker processes on a probe whose answer nobody reads.
 */
export function isDockerFreeRun(env: Readonly<Record<string, string | undefined>>): boolean {
  const given = (name: string): boolean => (env[`INPUT_${name.toUpperCase()}`] ?? '').trim() !== '';
  return runModeOf({ deployImage: given('deploy-image'), package: given('package'), sourceImage: given('source-image'), mergeDigests: given('merge-digests') }) !== 'build';
}
