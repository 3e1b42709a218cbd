import * as core from '@actions/core';
import type { DeployResult } from '../deploy/types.js';
import type { PipelineResult } from '../pipeline.js';

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
  };
}

export function writeOutputs(result: PipelineResult): void {
  core.setOutput('registry', result.registry);
  core.setOutput('image', result.image);
  core.setOutput('tags', result.references.join('\n'));
  core.setOutput('digest', result.digest);
  core.setOutput('imageid', result.imageId);
  core.setOutput('metadata', JSON.stringify(metadataOf(result)));
  writeDeploymentsOutput(result.deployments);
}

/** Also written when a deploy step fails, so later steps see what was already rolled out. */
export function writeDeploymentsOutput(deployments: readonly DeployResult[]): void {
  core.setOutput('deployments', JSON.stringify(deployments.map(({ target, id, previous, current, verified }) => ({ target, id, previous, current, verified }))));
}
