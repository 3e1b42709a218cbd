/**
 * Whether the step's inputs select a registry-to-registry run (a copy, a
 * merge, a deploy-only run, or an image assembled from a package), read before any module is loaded: those never
 * talk to docker (runPipeline's needsDocker), so the action does not spend
 * two docker processes on a probe whose answer nobody reads.
 */
const DOCKER_FREE_INPUTS = ['source-image', 'merge-digests', 'deploy-image', 'package'] as const;

export function isDockerFreeRun(env: Readonly<Record<string, string | undefined>>): boolean {
  return DOCKER_FREE_INPUTS.some((name) => (env[`INPUT_${name.toUpperCase()}`] ?? '').trim() !== '');
}
