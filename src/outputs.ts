/**
 * The run's outputs, built once from a PipelineResult for every host: the
 * GitHub adapter writes each as a step output, the CLI prints them as one
 * JSON object (`--output json`). Pure: no I/O, no dependency on a CI system.
 */
import type { DeployResult } from './deploy/types.js';
import type { PipelineResult } from './pipeline.js';

/** One value per OUTPUTS entry of the schema, each a string exactly as the action sets it. */
export interface RunOutputs {
  registry: string;
  image: string;
  /** Newline-separated full references. */
  tags: string;
  digest: string;
  imageid: string;
  /** JSON text of metadataOf(result). */
  metadata: string;
  /** JSON text of deploymentsOf(result.deployments). */
  deployments: string;
}

/** The metadata output: one JSON object with every other output, for later steps that prefer one value. */
export function metadataOf(result: PipelineResult): Record<string, unknown> {
  return {
    registry: result.registry,
    image: result.image,
    tags: result.references,
    digest: result.digest,
    imageid: result.imageId,
    user: result.loginUser,
    builder: result.builder,
    labels: result.labels,
    'dry-run': result.dryRun,
    deployments: result.deployments,
    replicas: result.replicas,
    ...(result.retention ? { retention: result.retention } : {}),
  };
}

/** The public fields of each deployment (console URLs and the like stay out of the output). */
export function deploymentsOf(deployments: readonly DeployResult[]): Pick<DeployResult, 'target' | 'id' | 'previous' | 'current' | 'verified'>[] {
  return deployments.map(({ target, id, previous, current, verified }) => ({ target, id, previous, current, verified }));
}

export function outputsOf(result: PipelineResult): RunOutputs {
  return {
    registry: result.registry,
    image: result.image,
    tags: result.references.join('\n'),
    digest: result.digest,
    imageid: result.imageId,
    metadata: JSON.stringify(metadataOf(result)),
    deployments: JSON.stringify(deploymentsOf(result.deployments)),
  };
}
